package io.leadline.scoring;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;

/**
 * LAMBADA under GPT-Fathom's rule ({@code evals/elsuite/dataset_specific/lambada.py} {@code
 * post_process} and {@code extract_first_word}, then {@code evals/api.py} {@code
 * record_and_check_match}): the completion stripped, one leading {@code "A:"} dropped, then the
 * first {@code \b[a-zA-Z]+\b}, scored by a case-sensitive prefix match.
 */
public final class Lambada {
  private static final String ANSWER_PREFIX = "A:";

  /** GPT-Fathom: the first whole word of ASCII letters after an optional leading {@code "A:"}. */
  public static final Extractor GPT_FATHOM =
      Conventions.extractor(
          "lambada/gpt-fathom",
          "GPT-Fathom lambada.extract_first_word: strip, drop a leading 'A:', first"
              + " '\\b[a-zA-Z]+\\b' (Unicode \\b)",
          Lambada::extractGptFathom);

  /** GPT-Fathom's prefix match of the raw completion against the target word. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "lambada/gpt-fathom-accuracy",
          "GPT-Fathom Lambada with record_and_check_match: the first word (else the stripped"
              + " text) startswith(target), case-sensitive",
          (completion, target) -> isGptFathomCorrect(completion, target) ? 1.0 : 0.0);

  private Lambada() {}

  /**
   * The text the reference searches: the completion stripped ({@code lstrip}, then {@code strip}),
   * less one leading {@code "A:"}, which leaves any space after it.
   */
  static String answerText(String completion) {
    String text = PythonText.strip(completion);
    return text.startsWith(ANSWER_PREFIX) ? text.substring(ANSWER_PREFIX.length()) : text;
  }

  static Extraction extractGptFathom(String completion) {
    String text = answerText(completion);
    int length = text.length();
    int i = 0;
    while (i < length) {
      int c = text.codePointAt(i);
      if (!PythonText.isWordChar(c)) {
        i += Character.charCount(c);
        continue;
      }
      // A match of \b[a-zA-Z]+\b is a whole run of Python word characters that are all ASCII
      // letters: inside a run there is no \b, and a digit, '_' or 'é' ends the letters early.
      int start = i;
      boolean asciiLetters = true;
      while (i < length && PythonText.isWordChar(text.codePointAt(i))) {
        int d = text.codePointAt(i);
        asciiLetters &= (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z');
        i += Character.charCount(d);
      }
      if (asciiLetters) {
        return Extraction.answer(text.substring(start, i));
      }
    }
    return Extraction.noAnswer("no word of ASCII letters in the completion");
  }

  /**
   * GPT-Fathom's verdict: the {@link #GPT_FATHOM} word, or where there is none the whole {@link
   * #answerText} (as {@code extract_first_word} returns it), starts with the target, case included.
   */
  public static boolean isGptFathomCorrect(String completion, String target) {
    return extractGptFathom(completion).orElse(answerText(completion)).startsWith(target);
  }
}
