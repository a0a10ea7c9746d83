package io.leadline.records;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.google.common.collect.ImmutableList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code agreement.json}: how far two or more judges agree on one field of one judge
 * template, over the samples of one model, benchmark (or subset), setting and perturbation. Ordinal
 * fields (grades on a scale) by Krippendorff's alpha with the ordinal metric, categorical ones by
 * Cohen's kappa (two judges) or the mean of every pair's kappa (Light's kappa).
 *
 * @param statistic {@code krippendorff-alpha-ordinal}, {@code cohen-kappa} or {@code light-kappa}
 * @param value the statistic, in [-1, 1]; empty where it is undefined (every grade the same)
 * @param units the samples two or more judges graded
 * @param disagreeShare for an ordinal field, the share of those samples where two judges' grades
 *     differ by more than a fifth of the scale ({@link #DISAGREE_SCALE}: 2 points out of 10)
 */
public record AgreementRow(
    @JsonProperty(value = "model", required = true) String model,
    @JsonProperty(value = "benchmark", required = true) String benchmark,
    @JsonProperty(value = "subset", required = true) Optional<String> subset,
    @JsonProperty(value = "setting", required = true) String setting,
    @JsonProperty(value = "setting_hash", required = true) String settingHash,
    @JsonProperty(value = "perturbation", required = true) Optional<String> perturbation,
    @JsonProperty(value = "template", required = true) String template,
    @JsonProperty(value = "field", required = true) String field,
    @JsonProperty(value = "judges", required = true) List<String> judges,
    @JsonProperty(value = "statistic", required = true) String statistic,
    @JsonProperty(value = "value", required = true) Optional<Double> value,
    @JsonProperty(value = "units", required = true) long units,
    @JsonProperty(value = "disagree_share", required = true) Optional<Double> disagreeShare) {
  /** How far apart two grades must be, as a share of the scale, to count as a disagreement. */
  public static final double DISAGREE_SCALE = 0.2;

  /** The file's order: model, benchmark, subset, setting, perturbation, template, field. */
  public static final Comparator<AgreementRow> ORDER =
      Comparator.comparing(AgreementRow::model)
          .thenComparing(AgreementRow::benchmark)
          .thenComparing(r -> r.subset().orElse(""))
          .thenComparing(AgreementRow::setting)
          .thenComparing(r -> r.perturbation().orElse(""))
          .thenComparing(AgreementRow::template)
          .thenComparing(AgreementRow::field);

  static final TypeReference<List<AgreementRow>> LIST = new TypeReference<>() {};

  public AgreementRow {
    requireNonNull(model, "model is null");
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(subset, "subset is null");
    requireNonNull(setting, "setting is null");
    requireNonNull(settingHash, "setting_hash is null");
    requireNonNull(perturbation, "perturbation is null");
    requireNonNull(template, "template is null");
    requireNonNull(field, "field is null");
    judges = ImmutableList.copyOf(judges);
    checkArgument(judges.size() >= 2, "agreement needs two or more judges: %s", judges);
    requireNonNull(statistic, "statistic is null");
    requireNonNull(value, "value is null");
    value.ifPresent(
        v -> checkArgument(v >= -1 - 1e-12 && v <= 1 + 1e-12, "value must be in [-1, 1]: %s", v));
    checkArgument(units >= 0, "units must be >= 0: %s", units);
    requireNonNull(disagreeShare, "disagree_share is null");
  }

  /** The text of {@code agreement.json} holding {@code rows}, in the order given. */
  public static String toJson(List<AgreementRow> rows) {
    return RecordJson.write(rows);
  }
}
