package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;

import io.leadline.api.Usage;
import java.math.BigDecimal;

/**
 * US dollars per million prompt and completion tokens. Costs are exact decimals, so a sum does not
 * depend on the order requests finished in.
 */
public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public Pricing {
    checkArgument(
        inputPerMillion.signum() >= 0 && outputPerMillion.signum() >= 0, "prices must be >= 0");
  }

  /** The cost of {@code usage} in US dollars. */
  public BigDecimal cost(Usage usage) {
    return inputPerMillion
        .multiply(BigDecimal.valueOf(usage.promptTokens()))
        .add(outputPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens())))
        .divide(MILLION);
  }
}
