package io.leadline.models;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Who serves a model, which decides the wire protocol and the defaults. */
public enum Provider {
  /** OpenAI's own API: Bearer key from {@code OPENAI_API_KEY} unless the models file names one. */
  OPENAI("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", true),
  /** vLLM, TGI, llama.cpp, Ollama, LM Studio and every other server speaking OpenAI's API. */
  OPENAI_COMPATIBLE("openai-compatible", null, null, true),
  /** Anthropic's Messages API; it has no {@code n}, so several completions are several requests. */
  ANTHROPIC("anthropic", "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY", false),
  /** Leadline's simulated snapshot ({@code serve-sim}), started by the sweep on a loopback port. */
  SIM("sim", null, null, true),
  /**
   * A GGUF model run in this JVM by llama.cpp (java-llama.cpp): no server, no key; each JVM of a
   * sweep loads it once.
   */
  LLAMA_CPP("llama-cpp", null, null, true);

  private final String id;
  private final URI defaultBaseUrl;
  private final String defaultKeyEnv;
  private final boolean supportsN;

  Provider(String id, String defaultBaseUrl, String defaultKeyEnv, boolean supportsN) {
    this.id = id;
    this.defaultBaseUrl = defaultBaseUrl == null ? null : URI.create(defaultBaseUrl);
    this.defaultKeyEnv = defaultKeyEnv;
    this.supportsN = supportsN;
  }

  /** The name models files use. */
  public String id() {
    return id;
  }

  Optional<URI> defaultBaseUrl() {
    return Optional.ofNullable(defaultBaseUrl);
  }

  Optional<String> defaultKeyEnv() {
    return Optional.ofNullable(defaultKeyEnv);
  }

  boolean supportsN() {
    return supportsN;
  }

  static List<String> ids() {
    return Arrays.stream(values()).map(Provider::id).toList();
  }

  static Provider fromId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().orElseThrow();
  }
}
