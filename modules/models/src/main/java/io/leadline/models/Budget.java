package io.leadline.models;

import static java.util.Objects.requireNonNull;

import io.leadline.api.Usage;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A spending cap in tokens and/or US dollars, shared by the model clients of a sweep in one JVM.
 *
 * <p>A request is sent only once its <em>reservation</em> fits: the most it can cost (the prompt
 * estimate plus {@code max_tokens} for every sample, at its price) beside what was spent and what
 * requests in flight have reserved. When the next request does not fit while others are in flight,
 * it waits for them, since their answers usually cost less than they reserved; when it does not fit
 * with nothing in flight, the budget is spent: no further request is sent (each is {@code
 * NOT_SENT}, which a rerun with a larger budget sends). So the spend never passes the cap (where
 * the prompt estimate is not short), and stops within one request's cost of it.
 *
 * <p>Thread-safe.
 */
public final class Budget {
  private final OptionalLong maxTokens;
  private final Optional<BigDecimal> maxCost;
  private long tokens;
  private BigDecimal cost = BigDecimal.ZERO;
  private long reservedTokens;
  private BigDecimal reservedCost = BigDecimal.ZERO;
  private int inFlight;
  private String stopped;

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

  /** Whether there is a cap at all. */
  public boolean limited() {
    return maxTokens.isPresent() || maxCost.isPresent();
  }

  /** What one request set aside until its answer is counted. */
  public record Reservation(long tokens, BigDecimal cost) {}

  private static final Reservation FREE = new Reservation(0, BigDecimal.ZERO);

  /**
   * Sets aside {@code tokens} and {@code cost} (the most the request can use) if they fit now, and
   * returns empty at once if not. For a caller that has other work (the batch submitter polls its
   * batches, whose answers free what they reserved).
   */
  public synchronized Optional<Reservation> tryReserve(long tokens, Optional<BigDecimal> cost) {
    if (!limited()) {
      return Optional.of(FREE);
    }
    if (stopped != null || !fits(tokens, cost)) {
      return Optional.empty();
    }
    BigDecimal dollars = cost.orElse(BigDecimal.ZERO);
    reservedTokens += tokens;
    reservedCost = reservedCost.add(dollars);
    inFlight++;
    return Optional.of(new Reservation(tokens, dollars));
  }

  /**
   * Sets aside what a request may use, waiting while requests in flight may leave room; empty once
   * the budget is spent (it stays spent: {@link #exhausted()} says why).
   */
  public synchronized Optional<Reservation> reserve(long tokens, Optional<BigDecimal> cost)
      throws InterruptedException {
    while (true) {
      Optional<Reservation> reserved = tryReserve(tokens, cost);
      if (reserved.isPresent() || stopped != null) {
        return reserved;
      }
      if (inFlight == 0) {
        stop(tokens, cost);
        return Optional.empty();
      }
      wait();
    }
  }

  /**
   * Marks the budget spent because a request of {@code tokens} and {@code cost} does not fit with
   * nothing in flight (the batch submitter's end).
   */
  public synchronized void stop(long tokens, Optional<BigDecimal> cost) {
    if (stopped == null) {
      stopped =
          maxCost.isPresent() && cost.isPresent()
              ? String.format(
                  "the next request (up to $%s) would pass the cost budget of $%s ($%s spent)",
                  cost.get().stripTrailingZeros().toPlainString(),
                  maxCost.get().toPlainString(),
                  this.cost.stripTrailingZeros().toPlainString())
              : String.format(
                  "the next request (up to %d tokens) would pass the token budget of %d (%d"
                      + " used)",
                  tokens, maxTokens.orElse(0), this.tokens);
      notifyAll();
    }
  }

  /** Whether nothing is reserved: every request that was let through has been counted. */
  public synchronized boolean idle() {
    return inFlight == 0;
  }

  /** Counts what a request let through by {@code reservation} really used, and frees the rest. */
  public synchronized void settle(
      Reservation reservation, Usage usage, Optional<BigDecimal> requestCost) {
    if (reservation != FREE) {
      reservedTokens -= reservation.tokens();
      reservedCost = reservedCost.subtract(reservation.cost());
      inFlight--;
    }
    tokens += usage.totalTokens();
    requestCost.ifPresent(c -> cost = cost.add(c));
    notifyAll();
  }

  /** Counts what an answer nobody reserved for used (a batch an earlier run submitted). */
  public synchronized void spend(Usage usage, Optional<BigDecimal> requestCost) {
    tokens += usage.totalTokens();
    requestCost.ifPresent(c -> cost = cost.add(c));
    notifyAll();
  }

  private boolean fits(long more, Optional<BigDecimal> moreCost) {
    if (maxTokens.isPresent() && tokens + reservedTokens + more > maxTokens.getAsLong()) {
      return false;
    }
    return maxCost.isEmpty()
        || cost.add(reservedCost).add(moreCost.orElse(BigDecimal.ZERO)).compareTo(maxCost.get())
            <= 0;
  }

  /** Why no new request may be sent, or empty while the budget lasts. */
  public synchronized Optional<String> exhausted() {
    return stopped == null
        ? Optional.empty()
        : Optional.of(stopped + "; rerun the sweep with a larger budget to continue");
  }

  public synchronized long tokensSpent() {
    return tokens;
  }

  public synchronized BigDecimal costSpent() {
    return cost;
  }
}
