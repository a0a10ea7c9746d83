package io.leadline.engine;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * Who answers a request, as far as it decides the answer: part of every request's key.
 *
 * @param profileSha256 for a simulated snapshot, the sha256 of its profile file, so that editing a
 *     profile does not reuse answers of the old one; empty for a real model
 */
record ModelIdentity(String name, String provider, String model, String api, String profileSha256)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  ModelIdentity {
    requireNonNull(name, "name is null");
    requireNonNull(provider, "provider is null");
    requireNonNull(model, "model is null");
    requireNonNull(api, "api is null");
    requireNonNull(profileSha256, "profileSha256 is null");
  }

  TreeMap<String, Object> canonical() {
    TreeMap<String, Object> canonical = new TreeMap<>();
    canonical.put("name", name);
    canonical.put("provider", provider);
    canonical.put("model", model);
    canonical.put("api", api);
    if (!profileSha256.isEmpty()) {
      canonical.put("profile_sha256", profileSha256);
    }
    return canonical;
  }

  /** Each identity's canonical text, by name: what a judged setting's hash records of a judge. */
  static java.util.Map<String, String> texts(java.util.Map<String, ModelIdentity> identities) {
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    identities.forEach((name, identity) -> texts.put(name, identity.canonical().toString()));
    return texts;
  }
}
