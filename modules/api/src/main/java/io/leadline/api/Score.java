package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * What a {@link Scorer} made of one sample, with its evidence: one or more named values, the answer
 * it extracted (or why there is none), and an explanation a reader of the record can check.
 *
 * @param values each named value in [0, 1], in the scorer's order
 * @param answer the extracted answer, or a named "no answer" with the reason
 * @param explanation one or more sentences saying how the values were reached
 * @param metadata further facts (the program's result), in a fixed order
 * @param judgements a model-graded scorer's judge replies, in the judges' order; else empty
 * @param noGrade for each value a judge's grades make, the share of its judges' replies that gave
 *     no grade; a value is absent from {@code values} when none of them did (never 0)
 */
public record Score(
    ImmutableMap<String, Double> values,
    Extraction answer,
    String explanation,
    ImmutableMap<String, String> metadata,
    ImmutableList<Judgement> judgements,
    ImmutableMap<String, Double> noGrade) {
  public Score {
    requireNonNull(values, "values is null");
    requireNonNull(answer, "answer is null");
    requireNonNull(explanation, "explanation is null");
    requireNonNull(metadata, "metadata is null");
    requireNonNull(judgements, "judgements is null");
    requireNonNull(noGrade, "noGrade is null");
    for (Map.Entry<String, Double> value : values.entrySet()) {
      checkArgument(
          value.getValue() >= 0 && value.getValue() <= 1,
          "%s must be in [0, 1]: %s",
          value.getKey(),
          value.getValue());
    }
  }

  /** A score made without a judge. */
  public Score(
      ImmutableMap<String, Double> values,
      Extraction answer,
      String explanation,
      ImmutableMap<String, String> metadata) {
    this(values, answer, explanation, metadata, ImmutableList.of(), ImmutableMap.of());
  }

  /** A score of one value. */
  public static Score of(String name, double value, Extraction answer, String explanation) {
    return new Score(ImmutableMap.of(name, value), answer, explanation, ImmutableMap.of());
  }
}
