package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What became of one request: a completion, or a failure that is recorded with the sample, never
 * thrown and never lost.
 */
public sealed interface ModelResult {
  /** The model answered. */
  record Completed(Completion completion) implements ModelResult {
    public Completed {
      requireNonNull(completion, "completion is null");
    }
  }

  /**
   * The request did not produce a completion.
   *
   * @param reason why, as a kind a run can act on
   * @param message one line naming the model and what the server said; never a key
   * @param httpStatus the last HTTP status, or 0 when there was no response
   * @param attempts HTTP attempts made (0 when nothing was sent)
   */
  record Failed(FailureReason reason, String message, int httpStatus, int attempts)
      implements ModelResult {
    public Failed {
      requireNonNull(reason, "reason is null");
      requireNonNull(message, "message is null");
      checkArgument(attempts >= 0, "attempts must be >= 0: %s", attempts);
    }

    /**
     * A prompt of {@code promptTokens} tokens that the context of {@code contextTokens} tokens
     * cannot hold ({@link FailureReason#OUT_OF_CONTEXT}): counted by the model's own tokeniser
     * before sending (then {@code attempts} is 0), or read from a server's refusal.
     */
    public static Failed outOfContext(
        String model, long promptTokens, long contextTokens, int httpStatus, int attempts) {
      return new Failed(
          FailureReason.OUT_OF_CONTEXT,
          String.format(
              java.util.Locale.ROOT,
              "model %s: the prompt of %d tokens leaves no room to answer in its context of %d"
                  + " tokens",
              model,
              promptTokens,
              contextTokens),
          httpStatus,
          attempts);
    }
  }

  /** Why a request failed, which decides what a sweep does next. */
  enum FailureReason {
    /** The server refused this request as invalid (400, 422): record it; a rerun would fail too. */
    REJECTED,
    /** The model cannot be used at all (401, 403, 404): stop sending to it. */
    MODEL_UNAVAILABLE,
    /** Retries ran out of attempts or time on transient errors: record it; a rerun may pass. */
    GAVE_UP,
    /** Never sent, because a budget was reached or the run stopped: a resumed run sends it. */
    NOT_SENT,
    /**
     * The prompt does not fit the model's context: the server said so ({@code
     * exceed_context_size_error}, with its count of the prompt's tokens and its limit), or the
     * model's tokenizer counted it before sending. A result, counted apart from failures and never
     * retried (not by a rerun either): only a shorter prompt or a larger context mends it.
     */
    OUT_OF_CONTEXT;

    /** The word records use for it ({@code out_of_context}); the prefix of a sample's error. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether sending again may mend it: true for transient faults (timeouts, 5xx, 429s that
     * outlasted the retry budget, stalls, a budget reached); false for what the request or the
     * model's configuration causes (400/422, 401/403/404, a prompt too long for the context), which
     * a rerun only repeats.
     */
    public boolean rerunMayPass() {
      return this == GAVE_UP || this == NOT_SENT;
    }
  }
}
