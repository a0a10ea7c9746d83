package io.leadline.scoring;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;

/**
 * RACE as GPT-Fathom scores it ({@code evals/elsuite/basic/reading_comprehension.py}, MC=True,
 * {@code eval_sample}): for the letters A to Z in order, the first {@code (X)} anywhere in the
 * completion is the answer; with none, the completion as it is (not stripped, unlike MMLU's
 * multiple-choice rule); right when it starts with the gold letter.
 */
public final class Race {
  /** The first {@code (X)} in letter order, else the whole completion. */
  public static final Extractor GPT_FATHOM =
      Conventions.extractor(
          "race/gpt-fathom",
          "GPT-Fathom reading_comprehension (MC): the first (A)..(Z) in letter order, else the"
              + " completion unstripped",
          Race::extract);

  /** GPT-Fathom's record_and_check_match: the extraction starts with the gold letter. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "race/gpt-fathom-accuracy",
          "GPT-Fathom reading_comprehension (MC) + record_and_check_match: startswith the letter",
          (completion, letter) -> sampled(completion).startsWith(letter) ? 1.0 : 0.0);

  private Race() {}

  static Extraction extract(String completion) {
    String letter = letter(completion);
    return letter != null
        ? Extraction.answer(letter)
        : Extraction.noAnswer("no (A)..(Z) in the completion");
  }

  /** What GPT-Fathom compares: the first letter in parentheses, else the completion. */
  static String sampled(String completion) {
    String letter = letter(completion);
    return letter != null ? letter : completion;
  }

  private static String letter(String completion) {
    for (char c = 'A'; c <= 'Z'; c++) {
      if (completion.contains("(" + c + ")")) {
        return String.valueOf(c);
      }
    }
    return null;
  }
}
