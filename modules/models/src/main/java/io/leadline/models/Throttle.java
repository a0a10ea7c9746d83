package io.leadline.models;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A model's limits, enforced before every HTTP attempt: an adaptive cap on requests in flight
 * (halved on a 429, down to 1, and raised by one after as many successes as the cap, back up to
 * {@code maxConcurrency}), smooth token buckets for requests and tokens per minute, and a pause
 * shared by all threads when the server says it is rate limiting us or that its window is spent (so
 * one 429 slows every request, not just the one that saw it).
 *
 * <p>Thread-safe.
 */
final class Throttle {
  private final int maxConcurrency;
  private final RateLimiter requests;
  private final RateLimiter tokens;
  private final long tokensPerMinute;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition changed = lock.newCondition();
  private int limit;
  private int inFlight;
  private int successes;
  private long pausedUntilNanos = System.nanoTime();
  private long lastDecreaseNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  Throttle(int maxConcurrency, OptionalInt requestsPerMinute, OptionalLong tokensPerMinute) {
    this.maxConcurrency = maxConcurrency;
    this.limit = maxConcurrency;
    this.requests =
        requestsPerMinute.isPresent()
            ? RateLimiter.create(requestsPerMinute.getAsInt() / 60.0)
            : null;
    this.tokensPerMinute = tokensPerMinute.orElse(0);
    this.tokens =
        tokensPerMinute.isPresent() ? RateLimiter.create(tokensPerMinute.getAsLong() / 60.0) : null;
  }

  /**
   * Waits for a free slot, the end of any pause and the rate limits, until {@code deadlineNanos} (a
   * {@link System#nanoTime()} value).
   *
   * @return the time the slot was taken, to pass to {@link #rateLimited(long)}; empty if the
   *     deadline came first. Once it returns a time, the caller must {@link #release()} after.
   */
  OptionalLong acquire(long estimatedTokens, long deadlineNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        long now = System.nanoTime();
        long pause = pausedUntilNanos - now;
        if (inFlight < limit && pause <= 0) {
          break;
        }
        long left = deadlineNanos - now;
        if (left <= 0) {
          return OptionalLong.empty();
        }
        changed.awaitNanos(pause > 0 ? Math.min(pause, left) : left);
      }
      inFlight++;
    } finally {
      lock.unlock();
    }
    try {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      if (requests != null && !requests.tryAcquire(1, left, TimeUnit.NANOSECONDS)) {
        release();
        return OptionalLong.empty();
      }
      // A request larger than a minute's allowance would wait forever for its permits.
      int permits = (int) Math.max(1, Math.min(estimatedTokens, tokensPerMinute));
      left = Math.max(0, deadlineNanos - System.nanoTime());
      if (tokens != null && !tokens.tryAcquire(permits, left, TimeUnit.NANOSECONDS)) {
        release();
        return OptionalLong.empty();
      }
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    return OptionalLong.of(System.nanoTime());
  }

  void release() {
    lock.lock();
    try {
      inFlight--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A 429 for an attempt sent at {@code sentNanos}: halves the cap, once per round of attempts (the
   * 429s of attempts sent before the last cut are the same storm, not news).
   */
  void rateLimited(long sentNanos) {
    lock.lock();
    try {
      if (sentNanos - lastDecreaseNanos > 0) {
        limit = Math.max(1, limit / 2);
        lastDecreaseNanos = System.nanoTime();
        successes = 0;
      }
    } finally {
      lock.unlock();
    }
  }

  /** A success: after as many in a row as the cap, the cap grows by one. */
  void succeeded() {
    lock.lock();
    try {
      if (limit < maxConcurrency && ++successes >= limit) {
        limit++;
        successes = 0;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The cap on requests in flight now. */
  int limit() {
    lock.lock();
    try {
      return limit;
    } finally {
      lock.unlock();
    }
  }

  /** Holds every new attempt back for {@code wait}, as a server's rate-limit answer asked. */
  void pauseFor(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      if (until - pausedUntilNanos > 0) {
        pausedUntilNanos = until;
      }
    } finally {
      lock.unlock();
    }
  }
}
