package io.leadline.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One completion of a prompt.
 *
 * @param text what answer extraction reads: the server's text with reasoning blocks removed and cut
 *     at the first stop sequence
 * @param rawText the text exactly as the server sent it
 * @param reasoning the model's separate reasoning ({@code reasoning_content}, thinking blocks,
 *     inline {@code <think>} blocks), kept for the record; empty if none
 * @param finishReason the server's own word ({@code stop}, {@code length}, {@code end_turn}, …)
 * @param truncated whether generation was cut off by {@code max_tokens}
 * @param likelihood for a log-likelihood request, the continuation's (then {@code text} is the
 *     continuation); else empty
 */
public record Choice(
    String text,
    String rawText,
    String reasoning,
    String finishReason,
    boolean truncated,
    Optional<Likelihood> likelihood) {
  public Choice {
    requireNonNull(text, "text is null");
    requireNonNull(rawText, "rawText is null");
    requireNonNull(reasoning, "reasoning is null");
    requireNonNull(finishReason, "finishReason is null");
    requireNonNull(likelihood, "likelihood is null");
  }

  /** A generated completion. */
  public Choice(
      String text, String rawText, String reasoning, String finishReason, boolean truncated) {
    this(text, rawText, reasoning, finishReason, truncated, Optional.empty());
  }

  /** The likelihood of {@code continuation}. */
  public static Choice of(String continuation, Likelihood likelihood) {
    return new Choice(continuation, continuation, "", "", false, Optional.of(likelihood));
  }
}
