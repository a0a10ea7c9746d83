package io.leadline.api;

import static java.util.Objects.requireNonNull;

/**
 * One request to a model, fully determined by the setting: the plain text prompt, how it is wrapped
 * for chat APIs, and the sampling parameters. Its canonical form keys the result store.
 */
public record CompletionRequest(String prompt, ChatWrapping wrapping, Sampling sampling) {
  public CompletionRequest {
    requireNonNull(prompt, "prompt is null");
    requireNonNull(wrapping, "wrapping is null");
    requireNonNull(sampling, "sampling is null");
  }
}
