package io.leadline.models;

import io.leadline.api.CompletionRequest;

/**
 * What a request's prompt is expected to cost in tokens before a tokenizer has seen it: one token
 * per four characters (OpenAI's rule of thumb for English, and what the simulator bills), system
 * message included. Used for rate limits, budget reservations and {@code sweep --dry-run}.
 */
public final class TokenEstimate {
  private TokenEstimate() {}

  /** The prompt tokens of one request for {@code request}, its system message included. */
  public static long prompt(CompletionRequest request) {
    return text(request.wrapping().systemMessage().orElse("") + request.prompt());
  }

  /** The tokens of {@code text}. */
  public static long text(String text) {
    return (text.length() + 3) / 4;
  }
}
