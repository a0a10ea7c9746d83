package io.leadline.models;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model's limits, enforced before every HTTP attempt: at most {@code maxConcurrency} requests in
 * flight, smooth token buckets for requests and tokens per minute, and a pause shared by all
 * threads when the server says it is rate limiting us (so one 429 slows every request, not just the
 * one that saw it).
 *
 * <p>Thread-safe.
 */
final class Throttle {
  private final Semaphore inFlight;
  private final RateLimiter requests;
  private final RateLimiter tokens;
  private final long tokensPerMinute;
  private final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());

  Throttle(int maxConcurrency, OptionalInt requestsPerMinute, OptionalLong tokensPerMinute) {
    this.inFlight = new Semaphore(maxConcurrency, true);
    this.requests =
        requestsPerMinute.isPresent()
            ? RateLimiter.create(requestsPerMinute.getAsInt() / 60.0)
            : null;
    this.tokensPerMinute = tokensPerMinute.orElse(0);
    this.tokens =
        tokensPerMinute.isPresent() ? RateLimiter.create(tokensPerMinute.getAsLong() / 60.0) : null;
  }

  /** Waits for a free slot and the rate limits; the caller must {@link #release()} after. */
  void acquire(long estimatedTokens) throws InterruptedException {
    inFlight.acquire();
    try {
      if (requests != null) {
        requests.acquire();
      }
      if (tokens != null) {
        // A request larger than a minute's allowance would wait forever for its permits.
        tokens.acquire((int) Math.max(1, Math.min(estimatedTokens, tokensPerMinute)));
      }
      long pause;
      while ((pause = pausedUntilNanos.get() - System.nanoTime()) > 0) {
        Thread.sleep(Math.max(1, pause / 1_000_000));
      }
    } catch (InterruptedException | RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  void release() {
    inFlight.release();
  }

  /** Holds every new attempt back for {@code wait}, as a server's rate-limit answer asked. */
  void pauseFor(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    pausedUntilNanos.accumulateAndGet(
        until, (current, proposed) -> current - proposed > 0 ? current : proposed);
  }
}
