package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, capped in attempts and in total time, so a server that
 * keeps failing is given up on within minutes, not hours. A server's {@code Retry-After} wins over
 * the computed delay.
 */
public record RetryPolicy(
    int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxTotal, Duration timeout) {
  /** Eight attempts, 0.5 s doubling up to 30 s, at most five minutes, 60 s per request. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          8,
          Duration.ofMillis(500),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofSeconds(60));

  public RetryPolicy {
    checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1: %s", maxAttempts);
    checkArgument(!baseDelay.isNegative() && !maxDelay.isNegative(), "delays must be >= 0");
    checkArgument(maxTotal.compareTo(Duration.ZERO) > 0, "maxTotal must be > 0");
    checkArgument(timeout.compareTo(Duration.ZERO) > 0, "timeout must be > 0");
  }

  /**
   * The wait before attempt {@code attempt + 1} (attempt counts from 1): the server's {@code
   * retryAfter} if given, else a uniformly random time up to {@code baseDelay * 2^(attempt-1)},
   * capped at {@code maxDelay}.
   */
  public Duration delay(int attempt, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      return retryAfter.get();
    }
    long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1));
  }
}
