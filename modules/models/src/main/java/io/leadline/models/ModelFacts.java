package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.leadline.api.ConfigNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the models file says about a model beyond how to call it, for reports that order or group
 * models ({@code leadline evolution}): when it was released, its size and its family. None of it
 * changes a request, so none of it is in a hash.
 *
 * @param released the release date ({@code released: 2023-06-13}), if given
 * @param params the parameter count ({@code params: 7B}), if given
 * @param family the family it belongs to ({@code family: llama-2}), if given
 */
public record ModelFacts(
    Optional<LocalDate> released, OptionalLong params, Optional<String> family) {
  /** A model the file says nothing more about. */
  public static final ModelFacts NONE =
      new ModelFacts(Optional.empty(), OptionalLong.empty(), Optional.empty());

  private static final Pattern PARAMS =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([KkMBT]?)");

  public ModelFacts {
    requireNonNull(released, "released is null");
    requireNonNull(params, "params is null");
    requireNonNull(family, "family is null");
    params.ifPresent(p -> checkArgument(p >= 1, "params must be >= 1: %s", p));
  }

  /** The {@code released:}, {@code params:} and {@code family:} keys of a models-file entry. */
  static ModelFacts read(ConfigNode entry) {
    Optional<LocalDate> released = entry.optional("released").map(ModelFacts::date);
    OptionalLong params =
        entry.optional("params").map(n -> OptionalLong.of(params(n))).orElse(OptionalLong.empty());
    Optional<String> family = entry.optional("family").map(ConfigNode::text);
    return new ModelFacts(released, params, family);
  }

  private static LocalDate date(ConfigNode node) {
    if (!node.isText()) {
      throw node.error("expected an ISO date like 2023-06-13 (quoted or not)");
    }
    String text = node.text();
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw node.error("expected an ISO date like 2023-06-13, got '" + text + "'");
    }
  }

  private static long params(ConfigNode node) {
    String text = node.isText() ? node.text().strip() : node.decimal().toPlainString();
    OptionalLong parsed = parseParams(text);
    if (parsed.isEmpty()) {
      throw node.error(
          "expected a parameter count of at least 1, like 7000000000, 7B, 260K, 1.5e9 or 1.3M,"
              + " got '"
              + text
              + "'");
    }
    return parsed.getAsLong();
  }

  /**
   * A parameter count written as a whole number, in scientific notation ({@code 1.5e9}) or with a
   * suffix K, M, B or T ({@code 260K}, {@code 7B}, {@code 1.3T}); empty if {@code text} is none of
   * these, is below 1 or is not whole.
   */
  static OptionalLong parseParams(String text) {
    Matcher matcher = PARAMS.matcher(text.strip());
    if (!matcher.matches()) {
      return OptionalLong.empty();
    }
    BigDecimal value = new BigDecimal(matcher.group(1));
    int power =
        switch (matcher.group(2)) {
          case "K", "k" -> 3;
          case "M" -> 6;
          case "B" -> 9;
          case "T" -> 12;
          default -> 0;
        };
    value = value.scaleByPowerOfTen(power);
    try {
      long count = value.longValueExact();
      return count >= 1 ? OptionalLong.of(count) : OptionalLong.empty();
    } catch (ArithmeticException e) {
      return OptionalLong.empty();
    }
  }
}
