package io.leadline.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.models.ModelSpec;
import io.leadline.records.CanonicalJson;
import io.leadline.records.Hashes;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who answers a request, as far as it decides the answer: part of every request's key.
 *
 * @param profileSha256 for a simulated snapshot, the sha256 of its profile file, so that editing a
 *     profile does not reuse answers of the old one; for a {@code llama-cpp} model, the sha256 of
 *     its GGUF file, so that another file under the same name is another model; empty for a model
 *     behind an HTTP endpoint
 * @param requestOptions the canonical JSON of the model's own request options ({@code
 *     reasoning_effort}, {@code thinking}, …), empty for a model without any: a reasoning model's
 *     requests are keyed apart from the same model's plain ones
 */
record ModelIdentity(
    String name,
    String provider,
    String model,
    String api,
    String profileSha256,
    String requestOptions)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  ModelIdentity {
    requireNonNull(name, "name is null");
    requireNonNull(provider, "provider is null");
    requireNonNull(model, "model is null");
    requireNonNull(api, "api is null");
    requireNonNull(profileSha256, "profileSha256 is null");
    requireNonNull(requestOptions, "requestOptions is null");
  }

  /** A model without request options of its own. */
  ModelIdentity(String name, String provider, String model, String api, String profileSha256) {
    this(name, provider, model, api, profileSha256, "");
  }

  /** The identity of {@code spec}, served by a simulator of profile {@code profileSha256}. */
  static ModelIdentity of(ModelSpec spec, String profileSha256) {
    return new ModelIdentity(
        spec.name(),
        spec.provider().id(),
        spec.model(),
        spec.api().id(),
        profileSha256,
        canonical(spec.request().describe()));
  }

  /**
   * The identity of {@code spec}: a simulated snapshot by its profile's sha256 ({@code servers}
   * serve it), a {@code llama-cpp} model by its GGUF file's.
   */
  static ModelIdentity of(ModelSpec spec, SimServers servers) {
    String fingerprint =
        spec.local().isPresent()
            ? io.leadline.models.GgufFile.of(java.nio.file.Path.of(spec.local().get().modelFile()))
                .sha256()
            : servers.fingerprint(spec.name()).orElse("");
    return of(spec, fingerprint);
  }

  /** The canonical JSON of {@code options}, or empty for none. */
  static String canonical(Map<String, String> options) {
    if (options.isEmpty()) {
      return "";
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    options.forEach(node::put);
    return CanonicalJson.write(node);
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
    if (!requestOptions.isEmpty()) {
      canonical.put("request_options", requestOptions);
    }
    return canonical;
  }

  /**
   * The hash this model's records carry for a setting of hash {@code settingHash}: the setting's
   * own for a model without request options, else the sha256 of both, so that a reasoning model's
   * scores are never compared as if asked the same as a plain model's.
   */
  String settingHash(String settingHash) {
    if (requestOptions.isEmpty()) {
      return settingHash;
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("setting_hash", settingHash);
    node.put("request_options", requestOptions);
    return Hashes.sha256(CanonicalJson.write(node));
  }

  /** Each identity's canonical text, by name: what a judged setting's hash records of a judge. */
  static java.util.Map<String, String> texts(java.util.Map<String, ModelIdentity> identities) {
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    identities.forEach((name, identity) -> texts.put(name, identity.canonical().toString()));
    return texts;
  }
}
