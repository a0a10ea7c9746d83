package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;

import io.leadline.api.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * US dollars per million tokens: prompt ({@code input}), prompt read from the provider's cache
 * ({@code cachedInput}), completion ({@code output}), and the same two through a provider's batch
 * API. Costs are exact decimals, so a sum does not depend on the order requests finished in.
 *
 * <p>Where a price is not given, the provider's published rule stands in: cached input at the input
 * price, batch prices at half the ordinary ones (both OpenAI's Batch API and Anthropic's Message
 * Batches bill half); {@link #describe()} says which prices were given.
 */
public record Pricing(
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    Optional<BigDecimal> cachedInputPerMillion,
    Optional<BigDecimal> batchInputPerMillion,
    Optional<BigDecimal> batchOutputPerMillion) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal HALF = new BigDecimal("0.5");

  public Pricing {
    for (BigDecimal price :
        new BigDecimal[] {
          inputPerMillion,
          outputPerMillion,
          cachedInputPerMillion.orElse(BigDecimal.ZERO),
          batchInputPerMillion.orElse(BigDecimal.ZERO),
          batchOutputPerMillion.orElse(BigDecimal.ZERO)
        }) {
      checkArgument(price.signum() >= 0, "prices must be >= 0");
    }
  }

  /** Input and output prices only. */
  public Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    this(inputPerMillion, outputPerMillion, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The cost of {@code usage} in US dollars, at the ordinary prices. */
  public BigDecimal cost(Usage usage) {
    return cost(usage, false);
  }

  /** The cost of {@code usage} in US dollars, at the batch prices if {@code batched}. */
  public BigDecimal cost(Usage usage, boolean batched) {
    return cost(
        usage.promptTokens() - usage.cachedPromptTokens(),
        usage.cachedPromptTokens(),
        usage.completionTokens(),
        batched);
  }

  /** The cost of so many uncached prompt, cached prompt and completion tokens. */
  public BigDecimal cost(long prompt, long cachedPrompt, long completion, boolean batched) {
    BigDecimal input = batched ? batchInput() : inputPerMillion;
    BigDecimal cached = cachedInputPerMillion.orElse(inputPerMillion);
    if (batched) {
      // The batch discount applies to cached reads as well (Anthropic's rule; OpenAI's batch
      // prices have no separate cached rate).
      cached = cachedInputPerMillion.isPresent() ? cached.multiply(discount()) : batchInput();
    }
    BigDecimal output = batched ? batchOutput() : outputPerMillion;
    return input
        .multiply(BigDecimal.valueOf(prompt))
        .add(cached.multiply(BigDecimal.valueOf(cachedPrompt)))
        .add(output.multiply(BigDecimal.valueOf(completion)))
        .divide(MILLION)
        .stripTrailingZeros();
  }

  private BigDecimal batchInput() {
    return batchInputPerMillion.orElse(inputPerMillion.multiply(HALF));
  }

  private BigDecimal batchOutput() {
    return batchOutputPerMillion.orElse(outputPerMillion.multiply(HALF));
  }

  /** The batch input price as a fraction of the ordinary one (1 where input is free). */
  private BigDecimal discount() {
    return inputPerMillion.signum() == 0
        ? BigDecimal.ONE
        : batchInput().divide(inputPerMillion, 12, RoundingMode.HALF_EVEN);
  }

  /** The prices as the manifest records them, per million tokens. */
  public java.util.Map<String, String> describe() {
    java.util.Map<String, String> prices = new java.util.LinkedHashMap<>();
    prices.put("input", inputPerMillion.toPlainString());
    prices.put("output", outputPerMillion.toPlainString());
    prices.put(
        "cached_input",
        cachedInputPerMillion.orElse(inputPerMillion).toPlainString()
            + (cachedInputPerMillion.isPresent() ? "" : " (as input)"));
    prices.put(
        "batch_input",
        batchInput().toPlainString()
            + (batchInputPerMillion.isPresent() ? "" : " (half of input)"));
    prices.put(
        "batch_output",
        batchOutput().toPlainString()
            + (batchOutputPerMillion.isPresent() ? "" : " (half of output)"));
    return prices;
  }
}
