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
 * @param usage the tokens of the request that returned this choice alone, where a completion's
 *     samples were asked one request each ({@code n} split); empty where the choice shares its
 *     request with the completion's other choices (then only the completion's total is known)
 */
public record Choice(
    String text,
    String rawText,
    String reasoning,
    String finishReason,
    boolean truncated,
    Optional<Likelihood> likelihood,
    Optional<Usage> usage) {
  public Choice {
    requireNonNull(text, "text is null");
    requireNonNull(rawText, "rawText is null");
    requireNonNull(reasoning, "reasoning is null");
    requireNonNull(finishReason, "finishReason is null");
    requireNonNull(likelihood, "likelihood is null");
    requireNonNull(usage, "usage is null");
  }

  /** A choice without a request of its own. */
  public Choice(
      String text,
      String rawText,
      String reasoning,
      String finishReason,
      boolean truncated,
      Optional<Likelihood> likelihood) {
    this(text, rawText, reasoning, finishReason, truncated, likelihood, Optional.empty());
  }

  /** This choice, answered by a request of its own that used {@code own}. */
  public Choice withUsage(Usage own) {
    return new Choice(
        text, rawText, reasoning, finishReason, truncated, likelihood, Optional.of(own));
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
