package io.leadline.scoring;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MGSM (multilingual grade-school math) under GPT-Fathom's rule ({@code
 * evals/elsuite/basic/math_problem.py} {@code check_match} for dataset "mgsm", then {@code
 * evals/api.py} {@code record_and_check_match}): the last number-like run of the completion, scored
 * by prefix against the gold answer string.
 */
public final class Mgsm {
  /**
   * The reference's {@code (-?\d[\d,]*\.?\d*)(?![\d-])}. Python's {@code \d} on {@code str} is any
   * Unicode decimal digit (Bengali, Thai, Devanagari... answers count), hence the flag.
   */
  private static final Pattern NUMBER =
      Pattern.compile("(-?\\d[\\d,]*\\.?\\d*)(?![\\d-])", Pattern.UNICODE_CHARACTER_CLASS);

  /** GPT-Fathom: the last match of its number pattern over the whole completion, as matched. */
  public static final Extractor GPT_FATHOM =
      Conventions.extractor(
          "mgsm/gpt-fathom",
          "GPT-Fathom math_problem.check_match (mgsm): last match of"
              + " '(-?\\d[\\d,]*\\.?\\d*)(?![\\d-])', Unicode digits",
          Mgsm::extractGptFathom);

  /** GPT-Fathom's prefix match of the raw completion against the gold answer string. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "mgsm/gpt-fathom-accuracy",
          "GPT-Fathom MGSM with record_and_check_match: the last number (else the completion)"
              + " startswith(gold)",
          (completion, gold) -> isGptFathomCorrect(completion, gold) ? 1.0 : 0.0);

  private Mgsm() {}

  static Extraction extractGptFathom(String completion) {
    Matcher matcher = NUMBER.matcher(completion);
    String last = null;
    while (matcher.find()) {
      last = matcher.group(1);
    }
    return last == null
        ? Extraction.noAnswer("no number in the completion")
        : Extraction.answer(last);
  }

  /**
   * GPT-Fathom's verdict: the {@link #GPT_FATHOM} number, kept as matched (commas, a trailing
   * period), or the raw completion when there is none, starts with the gold. So {@code 18.} and
   * {@code 180} are right for {@code 18}, and {@code 1,000} is wrong for {@code 1000}.
   */
  public static boolean isGptFathomCorrect(String completion, String gold) {
    return extractGptFathom(completion).orElse(completion).startsWith(gold);
  }
}
