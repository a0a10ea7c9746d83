package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code sweep --dry-run} found the sweep would do, per model, benchmark and setting, without
 * sending anything: items, what the store already answers, the requests to send, an estimate of
 * their prompt tokens (from the rendered prompts, four characters a token) and of their completion
 * tokens (at most {@code max_tokens} for every sample; expected, where an earlier run of the same
 * model, benchmark and setting exists, its mean per item), and the cost range.
 */
public record Estimate(List<Row> rows) {
  public Estimate {
    rows = ImmutableList.copyOf(rows);
  }

  /**
   * @param toSend items whose requests the store does not answer
   * @param requests HTTP requests (or batch lines) they take
   * @param expectedCompletionTokens from an earlier run's mean per item, if there is one
   * @param costLow prompt tokens plus the expected completion tokens (none if unknown), priced
   * @param costHigh prompt tokens plus every sample's {@code max_tokens}, priced
   */
  public record Row(
      String model,
      String benchmark,
      String setting,
      boolean batched,
      long items,
      long toSend,
      long requests,
      long promptTokens,
      long maxCompletionTokens,
      OptionalLong expectedCompletionTokens,
      Optional<BigDecimal> costLow,
      Optional<BigDecimal> costHigh) {}

  public long requests() {
    return rows.stream().mapToLong(Row::requests).sum();
  }

  public long promptTokens() {
    return rows.stream().mapToLong(Row::promptTokens).sum();
  }

  /** The expected completion tokens: an earlier run's mean where known, else {@code max_tokens}. */
  public long expectedCompletionTokens() {
    return rows.stream()
        .mapToLong(r -> r.expectedCompletionTokens().orElse(r.maxCompletionTokens()))
        .sum();
  }

  public long maxCompletionTokens() {
    return rows.stream().mapToLong(Row::maxCompletionTokens).sum();
  }

  /** Whether every row with something to send has a price. */
  public boolean priced() {
    return rows.stream().filter(r -> r.toSend() > 0).allMatch(r -> r.costHigh().isPresent());
  }

  public BigDecimal costLow() {
    return rows.stream()
        .map(r -> r.costLow().orElse(BigDecimal.ZERO))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public BigDecimal costHigh() {
    return rows.stream()
        .map(r -> r.costHigh().orElse(BigDecimal.ZERO))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
