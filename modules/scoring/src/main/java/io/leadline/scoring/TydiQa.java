package io.leadline.scoring;

import io.leadline.api.Metric;
import java.util.List;

/** TyDi QA closed book as GPT-Fathom scores it: the token F1 it reports (reference §0, §2.2). */
public final class TydiQa {
  /**
   * GPT-Fathom's {@code f1_score} (openai/evals {@code evals/elsuite/utils.py}) of the whole
   * completion, the best over the answers: the same function as DROP's {@code drop/gpt-fathom-f1},
   * named for the benchmark that reports it.
   */
  public static final Metric<List<String>> GPT_FATHOM_F1 =
      Conventions.metric(
          "tydiqa/gpt-fathom-f1",
          "GPT-Fathom fuzzy_match's f1_score (openai/evals utils): token F1 of the whole completion,"
              + " max over answers",
          FuzzyMatch::tokenF1);

  private TydiQa() {}
}
