package io.leadline.models;

/** Which endpoint a model is called through. */
public enum ApiStyle {
  /** Chat messages ({@code /chat/completions}, Anthropic's {@code /messages}). */
  CHAT("chat"),
  /** Legacy text completion ({@code /completions}): the prompt is sent as it is. */
  COMPLETIONS("completions");

  private final String id;

  ApiStyle(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
