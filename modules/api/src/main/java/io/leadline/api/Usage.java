package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Tokens one or more requests used, as the server reported them. {@code completionTokens} includes
 * {@code reasoningTokens}, as both OpenAI and Anthropic bill them; {@code promptTokens} includes
 * {@code cachedPromptTokens}, the part the provider read from its prompt cache (billed at the
 * cached-input price).
 */
public record Usage(
    long promptTokens, long completionTokens, long reasoningTokens, long cachedPromptTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0);

  public Usage {
    checkArgument(
        promptTokens >= 0 && completionTokens >= 0 && reasoningTokens >= 0,
        "token counts must be >= 0: %s %s %s",
        promptTokens,
        completionTokens,
        reasoningTokens);
    checkArgument(
        cachedPromptTokens >= 0 && cachedPromptTokens <= promptTokens,
        "cached prompt tokens must be in [0, %s]: %s",
        promptTokens,
        cachedPromptTokens);
  }

  /** Usage without prompt caching. */
  public Usage(long promptTokens, long completionTokens, long reasoningTokens) {
    this(promptTokens, completionTokens, reasoningTokens, 0);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  public Usage plus(Usage other) {
    return new Usage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        reasoningTokens + other.reasoningTokens,
        cachedPromptTokens + other.cachedPromptTokens);
  }
}
