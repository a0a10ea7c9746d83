package io.leadline.models;

import io.leadline.api.Usage;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What one model client has used so far: requests, retries, failures, tokens and cost, for the run
 * manifest and the progress bar. Thread-safe; totals do not depend on the order requests finish.
 */
public final class UsageMeter {
  private long requests;
  private long retries;
  private long failures;
  private Usage usage = Usage.ZERO;
  private BigDecimal cost = BigDecimal.ZERO;
  private boolean priced;

  synchronized void attempt(boolean retry) {
    requests++;
    if (retry) {
      retries++;
    }
  }

  synchronized void failure() {
    failures++;
  }

  synchronized void answered(Usage used, Optional<BigDecimal> requestCost) {
    usage = usage.plus(used);
    requestCost.ifPresent(
        c -> {
          cost = cost.add(c);
          priced = true;
        });
  }

  /** The totals so far. */
  public synchronized Totals totals() {
    return new Totals(
        requests,
        retries,
        failures,
        usage,
        priced ? Optional.of(cost.stripTrailingZeros()) : Optional.empty());
  }

  /**
   * Totals of one client.
   *
   * @param requests HTTP requests sent, retries included
   * @param retries of those, the retries
   * @param failures requests that ended as a recorded failure
   * @param cost US dollars, where the models file gives prices
   */
  public record Totals(
      long requests, long retries, long failures, Usage usage, Optional<BigDecimal> cost) {}
}
