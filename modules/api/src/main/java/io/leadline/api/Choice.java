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

  /**
   * The no-answer reason of a completion whose reasoning never closed: the token limit was reached
   * inside it, so there is no answer to grade (and the reasoning is never graded in its place).
   */
  public static final String REASONING_TRUNCATED = "reasoning truncated";

  /** A generated completion. */
  public Choice(
      String text, String rawText, String reasoning, String finishReason, boolean truncated) {
    this(text, rawText, reasoning, finishReason, truncated, Optional.empty());
  }

  /** The likelihood of {@code continuation}. */
  public static Choice of(String continuation, Likelihood likelihood) {
    return new Choice(continuation, continuation, "", "", false, Optional.of(likelihood));
  }

  /**
   * Whether generation stopped inside the reasoning: cut off by the token limit with reasoning and
   * no answer text at all (an inline block left open, or separate reasoning with empty content).
   */
  public boolean reasoningTruncated() {
    return truncated && !reasoning.isEmpty() && text.isBlank();
  }
}
