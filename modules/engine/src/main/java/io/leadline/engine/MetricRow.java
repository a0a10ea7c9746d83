package io.leadline.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Optional;

/**
 * One row of {@code metrics.json} (DESIGN §4): a metric of one model on one benchmark (or subset)
 * under one setting, with its 95% bootstrap interval.
 *
 * @param subset empty for a benchmark's overall row
 * @param perturbation empty for unperturbed rows
 * @param n items scored (for an overall row, all items of all subsets)
 * @param noAnswerRate share of scored samples with no extracted answer
 */
public record MetricRow(
    String model,
    String benchmark,
    Optional<String> subset,
    String setting,
    String settingHash,
    Optional<String> perturbation,
    String metric,
    boolean primary,
    double value,
    double ciLow,
    double ciHigh,
    long n,
    double noAnswerRate) {
  /** The file's order: model, benchmark, subset, setting, perturbation, metric; empty first. */
  public static final Comparator<MetricRow> ORDER =
      Comparator.comparing(MetricRow::model)
          .thenComparing(MetricRow::benchmark)
          .thenComparing(r -> r.subset().orElse(""))
          .thenComparing(MetricRow::setting)
          .thenComparing(r -> r.perturbation().orElse(""))
          .thenComparing(MetricRow::metric);

  public MetricRow {
    requireNonNull(model, "model is null");
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(subset, "subset is null");
    requireNonNull(setting, "setting is null");
    requireNonNull(settingHash, "settingHash is null");
    requireNonNull(perturbation, "perturbation is null");
    requireNonNull(metric, "metric is null");
    checkArgument(value >= 0 && value <= 1, "value must be in [0, 1]: %s", value);
    checkArgument(ciLow <= value + 1e-12 && value <= ciHigh + 1e-12, "interval must hold value");
    checkArgument(n >= 1, "n must be >= 1: %s", n);
  }
}
