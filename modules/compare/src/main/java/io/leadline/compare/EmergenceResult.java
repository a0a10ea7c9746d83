package io.leadline.compare;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import io.leadline.api.PrettyJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;

/**
 * The outcome of {@link Emergence#compute}: score against size under two settings, and the gain of
 * the first over the contrast, as JSON (gains in the diff's field names: {@code a} is the contrast,
 * {@code b} the first setting) and Markdown.
 *
 * @param sizes the models in ascending size
 * @param unchanged benchmarks both settings define alike (no gain to measure), sorted
 * @param curves per benchmark (and subset), in name order
 */
public record EmergenceResult(
    List<RunSide> sizes,
    String first,
    String contrast,
    String axis,
    SortedSet<String> unchanged,
    List<Curve> curves) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public EmergenceResult {
    sizes = ImmutableList.copyOf(sizes);
    requireNonNull(first, "first is null");
    requireNonNull(contrast, "contrast is null");
    requireNonNull(axis, "axis is null");
    unchanged = ImmutableSortedSet.copyOf(unchanged);
    curves = ImmutableList.copyOf(curves);
  }

  /**
   * One size of a curve.
   *
   * @param gain the first setting's score less the contrast's, paired item by item
   */
  public record Size(RunSide model, Score first, Score contrast, BenchmarkDelta gain) {}

  /**
   * A benchmark (or subset) along the sizes.
   *
   * @param smallestSignificant the smallest model whose gain is significantly above 0 (Holm)
   */
  public record Curve(
      String benchmark,
      Optional<String> subset,
      String metric,
      List<Size> sizes,
      Optional<RunSide> smallestSignificant) {
    public Curve {
      sizes = ImmutableList.copyOf(sizes);
    }
  }

  /** The overall curves (no subsets). */
  public List<Curve> overall() {
    return curves.stream().filter(c -> c.subset().isEmpty()).toList();
  }

  /** The benchmark's display title, as the runs name it. */
  public String title(String benchmark) {
    for (RunSide side : sizes) {
      String title = side.titles().get(benchmark);
      if (title != null) {
        return title;
      }
    }
    return benchmark;
  }

  /** A parameter count as people write it: {@code 350M}, {@code 7B}, {@code 1.5B}. */
  public static String paramsText(OptionalLong params) {
    if (params.isEmpty()) {
      return "?";
    }
    long value = params.getAsLong();
    String[] suffixes = {"", "K", "M", "B", "T"};
    int power = 0;
    BigDecimal scaled = BigDecimal.valueOf(value);
    while (power < suffixes.length - 1 && scaled.compareTo(BigDecimal.valueOf(1000)) >= 0) {
      scaled = scaled.movePointLeft(3);
      power++;
    }
    BigDecimal rounded = scaled.setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.toPlainString() + suffixes[power];
  }

  /** One sentence per overall benchmark: where the gain becomes significant. */
  public String headline() {
    List<String> parts = new ArrayList<>();
    for (Curve curve : overall()) {
      parts.add(
          curve
              .smallestSignificant()
              .map(
                  model ->
                      String.format(
                          "%s: %s's gain over %s is significant from %s (%s) on",
                          title(curve.benchmark()),
                          first,
                          contrast,
                          model.model(),
                          paramsText(model.params())))
              .orElse(
                  String.format(
                      "%s: %s's gain over %s is significant at no size",
                      title(curve.benchmark()), first, contrast)));
    }
    return parts.isEmpty()
        ? "No benchmark differs between " + first + " and " + contrast + "."
        : String.join("; ", parts) + ".";
  }

  /** The JSON of {@code leadline evolution --by params --format json}. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("by", "params");
    root.put("setting", first);
    root.put("contrast", contrast);
    root.put("axis", axis);
    ArrayNode models = root.putArray("models");
    sizes.forEach(side -> models.add(side.summary()));
    ArrayNode same = root.putArray("unchanged_benchmarks");
    unchanged.forEach(same::add);
    root.put("holm_tests", overall().size() * sizes.size());
    ArrayNode benchmarks = root.putArray("benchmarks");
    for (Curve curve : curves) {
      ObjectNode node = benchmarks.addObject();
      node.put("benchmark", curve.benchmark());
      node.put("subset", curve.subset().orElse(null));
      node.put("metric", curve.metric());
      ArrayNode sizeList = node.putArray("sizes");
      for (Size size : curve.sizes()) {
        ObjectNode point = sizeList.addObject();
        point.put("model", size.model().model());
        if (size.model().params().isPresent()) {
          point.put("params", size.model().params().getAsLong());
        } else {
          point.putNull("params");
        }
        EvolutionResult.scoreJson(point.putObject("first"), size.first());
        EvolutionResult.scoreJson(point.putObject("contrast"), size.contrast());
        ObjectNode gain = point.putObject("gain");
        gain.put("setting", size.gain().setting());
        DiffResult.deltaJson(gain, size.gain());
      }
      if (curve.subset().isEmpty()) {
        node.put(
            "smallest_significant", curve.smallestSignificant().map(RunSide::model).orElse(null));
      }
    }
    root.put("headline", headline());
    return PrettyJson.write(root);
  }

  /** The Markdown report: the headline, then per benchmark a table of sizes. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(
            String.format(
                "# %s: %s against %s by size%n%n", String.join(", ", family()), first, contrast))
        .append(headline())
        .append("\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "The settings differ in one axis (%s). Gain = %s − %s, paired item by item (the"
                    + " same model, the two settings); p-values Holm-corrected across %d sizes ×"
                    + " %d benchmarks; † fewer than %d items.%n",
                axis,
                first,
                contrast,
                sizes.size(),
                overall().size(),
                Score.SMALL_SAMPLE));
    if (!unchanged.isEmpty()) {
      md.append("Defined alike by both settings (no gain to measure): ")
          .append(String.join(", ", unchanged.stream().map(this::title).toList()))
          .append(".\n");
    }
    for (Curve curve : overall()) {
      md.append("\n## ").append(title(curve.benchmark())).append("\n\n");
      md.append("| model | params | ")
          .append(first)
          .append(" | ")
          .append(contrast)
          .append(" | gain | 95% CI | p (Holm) | significant |\n");
      md.append("|---|---|---|---|---|---|---|---|\n");
      for (Size size : curve.sizes()) {
        BenchmarkDelta gain = size.gain();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %+.1f | [%+.1f, %+.1f] | %s | %s |%n",
                size.model().model(),
                paramsText(size.model().params()),
                EvolutionResult.scoreText(size.first()),
                EvolutionResult.scoreText(size.contrast()),
                gain.delta() * 100,
                gain.ciLow() * 100,
                gain.ciHigh() * 100,
                DiffResult.pText(gain.pAdjusted()),
                gain.direction().equals("up")
                    ? "yes"
                    : gain.direction().equals("down") ? "no (a loss)" : "no"));
      }
      md.append("\nSmallest size with a significant gain: ")
          .append(
              curve
                  .smallestSignificant()
                  .map(m -> m.model() + " (" + paramsText(m.params()) + ")")
                  .orElse("none"))
          .append(".\n");
    }
    return md.toString();
  }

  /** The families the models name, or their names where none does. */
  public List<String> family() {
    List<String> families =
        sizes.stream().map(RunSide::family).flatMap(Optional::stream).distinct().toList();
    return families.isEmpty() ? List.of("models") : families;
  }
}
