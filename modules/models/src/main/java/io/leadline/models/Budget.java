package io.leadline.models;

import static java.util.Objects.requireNonNull;

import io.leadline.api.Usage;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A spending cap for one sweep, in tokens and/or US dollars, shared by every model client of the
 * sweep. Once reached, clients stop sending new requests (they return {@code NOT_SENT}, which a
 * resumed run sends); requests already in flight finish and are counted, so the total may pass the
 * cap by at most what was in flight.
 *
 * <p>Thread-safe.
 */
public final class Budget {
  private final OptionalLong maxTokens;
  private final Optional<BigDecimal> maxCost;
  private long tokens;
  private BigDecimal cost = BigDecimal.ZERO;

  public Budget(OptionalLong maxTokens, Optional<BigDecimal> maxCost) {
    this.maxTokens = requireNonNull(maxTokens, "maxTokens is null");
    this.maxCost = requireNonNull(maxCost, "maxCost is null");
  }

  /** No cap. */
  public static Budget unlimited() {
    return new Budget(OptionalLong.empty(), Optional.empty());
  }

  public OptionalLong maxTokens() {
    return maxTokens;
  }

  public Optional<BigDecimal> maxCost() {
    return maxCost;
  }

  synchronized void spend(Usage usage, Optional<BigDecimal> requestCost) {
    tokens += usage.totalTokens();
    requestCost.ifPresent(c -> cost = cost.add(c));
  }

  /** Why no new request may be sent, or empty while the budget lasts. */
  public synchronized Optional<String> exhausted() {
    if (maxTokens.isPresent() && tokens >= maxTokens.getAsLong()) {
      return Optional.of(
          String.format(
              "the token budget of %d is spent (%d used); rerun the sweep with a larger budget to"
                  + " resume",
              maxTokens.getAsLong(), tokens));
    }
    if (maxCost.isPresent() && cost.compareTo(maxCost.get()) >= 0) {
      return Optional.of(
          String.format(
              "the cost budget of $%s is spent ($%s used); rerun the sweep with a larger budget to"
                  + " resume",
              maxCost.get().toPlainString(), cost.toPlainString()));
    }
    return Optional.empty();
  }

  public synchronized long tokensSpent() {
    return tokens;
  }

  public synchronized BigDecimal costSpent() {
    return cost;
  }
}
