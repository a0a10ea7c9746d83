package io.leadline.engine;

/**
 * What a sweep tells its caller while it runs, from driver threads: the sweep's, its progress
 * ticker's and, while batches run, the batch thread's, so an implementation must be thread-safe;
 * the defaults ignore everything.
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
