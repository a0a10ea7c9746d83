package io.leadline.scoring;

import com.google.common.collect.ImmutableList;
import io.leadline.api.Extractor;
import io.leadline.api.LeadlineException;
import io.leadline.api.Metric;
import java.util.stream.Collectors;

/** Every named extractor and metric Leadline has, in a fixed order, looked up by name. */
public final class Catalog {
  private static final ImmutableList<Extractor> EXTRACTORS =
      ImmutableList.of(
          Gsm8k.LM_EVAL_STRICT,
          Gsm8k.LM_EVAL_FLEXIBLE,
          Gsm8k.GPT_FATHOM,
          Mmlu.SIMPLE_EVALS,
          Mmlu.SIMPLE_EVALS_MULTICHOICE,
          Mmlu.SIMPLE_EVALS_LEGACY_2024,
          Mmlu.GPT_FATHOM,
          Bbh.LM_EVAL,
          Bbh.GPT_FATHOM_COT,
          Bbh.GPT_FATHOM_ANSWER_ONLY,
          MathAnswers.LAST_BOXED,
          Mgsm.GPT_FATHOM,
          Lambada.GPT_FATHOM,
          AgiEval.GPT_FATHOM,
          AgiEval.GPT_FATHOM_CLOZE,
          AgiEval.GPT_FATHOM_COT,
          AgiEval.GPT_FATHOM_COT_CLOZE,
          Race.GPT_FATHOM);

  private static final ImmutableList<Metric<?>> METRICS =
      ImmutableList.of(
          Gsm8k.LM_EVAL_EXACT_MATCH,
          Gsm8k.GPT_FATHOM_ACCURACY,
          Mmlu.EXACT_LETTER,
          Mmlu.GPT_FATHOM_ACCURACY,
          Bbh.EXACT_MATCH,
          Bbh.GPT_FATHOM_COT_ACCURACY,
          Bbh.GPT_FATHOM_ANSWER_ONLY_ACCURACY,
          TriviaQa.OFFICIAL_EM,
          TriviaQa.OFFICIAL_F1,
          TriviaQa.GPT_FATHOM_FUZZY_MATCH,
          Drop.OFFICIAL_EM,
          Drop.OFFICIAL_F1,
          Drop.GPT_FATHOM_F1,
          MathAnswers.HENDRYCKS_EQUIV,
          MathAnswers.GPT_FATHOM_ACCURACY,
          Mgsm.GPT_FATHOM_ACCURACY,
          Lambada.GPT_FATHOM_ACCURACY,
          AgiEval.GPT_FATHOM_ACCURACY,
          AgiEval.GPT_FATHOM_CLOZE_ACCURACY,
          AgiEval.GPT_FATHOM_COT_ACCURACY,
          AgiEval.GPT_FATHOM_COT_CLOZE_ACCURACY,
          Race.GPT_FATHOM_ACCURACY,
          TydiQa.GPT_FATHOM_F1);

  private Catalog() {}

  public static ImmutableList<Extractor> extractors() {
    return EXTRACTORS;
  }

  public static ImmutableList<Metric<?>> metrics() {
    return METRICS;
  }

  /**
   * The extractor called {@code name}.
   *
   * @throws LeadlineException naming the known extractors if there is none
   */
  public static Extractor extractor(String name) {
    return EXTRACTORS.stream()
        .filter(extractor -> extractor.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                LeadlineException.userInput(
                    "unknown extractor '%s'; known: %s",
                    name,
                    EXTRACTORS.stream().map(Extractor::name).collect(Collectors.joining(", "))));
  }

  /**
   * The metric called {@code name}.
   *
   * @throws LeadlineException naming the known metrics if there is none
   */
  public static Metric<?> metric(String name) {
    return METRICS.stream()
        .filter(metric -> metric.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                LeadlineException.userInput(
                    "unknown metric '%s'; known: %s",
                    name, METRICS.stream().map(Metric::name).collect(Collectors.joining(", "))));
  }
}
