package io.leadline.engine;

/**
 * What a sweep tells its caller while it runs. Called from one driver thread at a time; the
 * defaults ignore everything.
 */
public interface SweepListener {
  /** A line for the user: a step begun, a warning. */
  default void message(String line) {}

  /** Requests are about to be sent; {@code progress} has the totals and what the store had. */
  default void requestsStarted(Progress progress) {}

  /** Counts a few times a second while requests are in flight. */
  default void progress(Progress progress) {}

  /** Every request has been answered or has failed. */
  default void requestsFinished(Progress progress) {}
}
