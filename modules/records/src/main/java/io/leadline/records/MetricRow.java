package io.leadline.records;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code metrics.json} (DESIGN §4): a metric of one model on one benchmark (or subset)
 * under one setting, with its 95% bootstrap interval.
 *
 * @param subset empty for a benchmark's overall row
 * @param perturbation empty for unperturbed rows
 * @param value the metric in [0, 1]; null (with the interval) when no item of the cell was scored
 *     ({@code n} 0): every one failed or did not fit the model's context
 * @param n items scored (for an overall row, all items of all subsets)
 * @param noAnswerRate share of scored samples with no extracted answer
 * @param noGradeRate for a judged metric, the share of its judge replies that gave no grade (they
 *     are left out of the value, never counted as 0); absent for the others
 * @param reasoningTruncatedRate for a model that reasons, the share of scored samples whose
 *     reasoning never closed (the token limit was reached inside it): no answer, counted in {@code
 *     no_answer_rate} too; absent for a model that gave no reasoning
 * @param items where some of the cell's items were not scored, the items planned (then the value is
 *     over the answered ones only: a partial score); absent when every item was answered
 * @param failed with {@code items}: its items whose requests failed
 * @param outOfContext with {@code items}: its items whose prompts did not fit the model's context
 */
public record MetricRow(
    @JsonProperty(value = "model", required = true) String model,
    @JsonProperty(value = "benchmark", required = true) String benchmark,
    @JsonProperty(value = "subset", required = true) Optional<String> subset,
    @JsonProperty(value = "setting", required = true) String setting,
    @JsonProperty(value = "setting_hash", required = true) String settingHash,
    @JsonProperty(value = "perturbation", required = true) Optional<String> perturbation,
    @JsonProperty(value = "metric", required = true) String metric,
    @JsonProperty(value = "primary", required = true) boolean primary,
    @JsonProperty(value = "value", required = true) Double value,
    @JsonProperty(value = "ci_low", required = true) Double ciLow,
    @JsonProperty(value = "ci_high", required = true) Double ciHigh,
    @JsonProperty(value = "n", required = true) long n,
    @JsonProperty(value = "no_answer_rate", required = true) double noAnswerRate,
    @JsonProperty("no_grade_rate") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Optional<Double> noGradeRate,
    @JsonProperty("reasoning_truncated_rate") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Optional<Double> reasoningTruncatedRate,
    @JsonProperty("items") @JsonInclude(JsonInclude.Include.NON_EMPTY) Optional<Long> items,
    @JsonProperty("failed") @JsonInclude(JsonInclude.Include.NON_EMPTY) Optional<Long> failed,
    @JsonProperty("out_of_context") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Optional<Long> outOfContext) {
  /** The file's order: model, benchmark, subset, setting, perturbation, metric; empty first. */
  public static final Comparator<MetricRow> ORDER =
      Comparator.comparing(MetricRow::model)
          .thenComparing(MetricRow::benchmark)
          .thenComparing(r -> r.subset().orElse(""))
          .thenComparing(MetricRow::setting)
          .thenComparing(r -> r.perturbation().orElse(""))
          .thenComparing(MetricRow::metric);

  static final TypeReference<List<MetricRow>> LIST = new TypeReference<>() {};

  public MetricRow {
    requireNonNull(model, "model is null");
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(subset, "subset is null");
    requireNonNull(setting, "setting is null");
    requireNonNull(settingHash, "settingHash is null");
    requireNonNull(perturbation, "perturbation is null");
    requireNonNull(metric, "metric is null");
    checkArgument(n >= 0, "n must be >= 0: %s", n);
    checkArgument(
        (value == null) == (n == 0) && (ciLow == null) == (n == 0) && (ciHigh == null) == (n == 0),
        "value, ci_low and ci_high are null exactly when n is 0: n %s, value %s",
        n,
        value);
    if (n > 0) {
      checkArgument(value >= 0 && value <= 1, "value must be in [0, 1]: %s", value);
      checkArgument(ciLow <= value + 1e-12 && value <= ciHigh + 1e-12, "interval must hold value");
    }
    checkArgument(
        noAnswerRate >= 0 && noAnswerRate <= 1,
        "no_answer_rate must be in [0, 1]: %s",
        noAnswerRate);
    noGradeRate = noGradeRate == null ? Optional.empty() : noGradeRate;
    noGradeRate.ifPresent(
        rate -> checkArgument(rate >= 0 && rate <= 1, "no_grade_rate must be in [0, 1]: %s", rate));
    reasoningTruncatedRate =
        reasoningTruncatedRate == null ? Optional.empty() : reasoningTruncatedRate;
    reasoningTruncatedRate.ifPresent(
        rate ->
            checkArgument(
                rate >= 0 && rate <= noAnswerRate + 1e-12,
                "reasoning_truncated_rate must be in [0, no_answer_rate]: %s",
                rate));
    items = items == null ? Optional.empty() : items;
    failed = failed == null ? Optional.empty() : failed;
    outOfContext = outOfContext == null ? Optional.empty() : outOfContext;
    checkArgument(
        items.isPresent() == failed.isPresent() && items.isPresent() == outOfContext.isPresent(),
        "items, failed and out_of_context go together");
    if (items.isPresent()) {
      checkArgument(
          failed.get() >= 0
              && outOfContext.get() >= 0
              && failed.get() + outOfContext.get() <= items.get(),
          "failed %s and out_of_context %s must be within items %s",
          failed.get(),
          outOfContext.get(),
          items.get());
    }
  }

  /** A row of a cell whose every item was answered. */
  public MetricRow(
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
      double noAnswerRate,
      Optional<Double> noGradeRate,
      Optional<Double> reasoningTruncatedRate) {
    this(
        model,
        benchmark,
        subset,
        setting,
        settingHash,
        perturbation,
        metric,
        primary,
        value,
        ciLow,
        ciHigh,
        n,
        noAnswerRate,
        noGradeRate,
        reasoningTruncatedRate,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Whether a value was computed: some item of the cell was scored. */
  public boolean scored() {
    return n > 0;
  }

  /**
   * Whether the value is over part of the cell's items only (the others failed or did not fit the
   * context), or there is no value at all.
   */
  public boolean partial() {
    return items.isPresent() && failed.get() + outOfContext.get() > 0;
  }

  /** A row of a model without reasoning. */
  public MetricRow(
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
      double noAnswerRate,
      Optional<Double> noGradeRate) {
    this(
        model,
        benchmark,
        subset,
        setting,
        settingHash,
        perturbation,
        metric,
        primary,
        value,
        ciLow,
        ciHigh,
        n,
        noAnswerRate,
        noGradeRate,
        Optional.empty());
  }

  /** The text of {@code metrics.json} holding {@code rows}, in the order given. */
  public static String toJson(List<MetricRow> rows) {
    return RecordJson.write(rows);
  }
}
