package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a model's items go through its provider's batch API ({@code batch:} in the models file, or
 * {@code sweep --batch}): at most {@code maxRequests} requests and {@code maxBytes} of request
 * lines per batch (the providers' documented limits by default), polled every {@code pollInterval}.
 */
public record BatchOptions(int maxRequests, long maxBytes, Duration pollInterval) {
  /** OpenAI: 50,000 requests and 200 MB per batch input file. */
  static final BatchOptions OPENAI = new BatchOptions(50_000, 200L * 1000 * 1000, seconds(30));

  /** Anthropic: 100,000 requests or 256 MB per message batch. */
  static final BatchOptions ANTHROPIC = new BatchOptions(100_000, 256L * 1000 * 1000, seconds(30));

  /** A simulated snapshot's server (OpenAI's API, answering within seconds). */
  static final BatchOptions SIM = new BatchOptions(50_000, 200L * 1000 * 1000, seconds(0.2));

  public BatchOptions {
    checkArgument(maxRequests >= 1, "maxRequests must be >= 1: %s", maxRequests);
    checkArgument(maxBytes >= 1, "maxBytes must be >= 1: %s", maxBytes);
    requireNonNull(pollInterval, "pollInterval is null");
    checkArgument(!pollInterval.isNegative() && !pollInterval.isZero(), "pollInterval <= 0");
  }

  /** The documented limits of {@code provider}'s batch API. */
  public static BatchOptions of(Provider provider) {
    return switch (provider) {
      case ANTHROPIC -> ANTHROPIC;
      case SIM -> SIM;
      default -> OPENAI;
    };
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis((long) (seconds * 1000));
  }
}
