package io.leadline.scoring;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GSM8K answer extraction and scoring under three conventions: lm-evaluation-harness's {@code
 * strict-match} and {@code flexible-extract} filters with its {@code exact_match} metric,
 * openai/grade-school-math's gold {@code extract_answer}, and GPT-Fathom's rule.
 */
public final class Gsm8k {
  /** The reference's sentinel for "nothing extracted", used where its output format needs it. */
  public static final String INVALID = "[invalid]";

  private static final Pattern STRICT = Pattern.compile("#### (-?[0-9.,]+)");
  private static final Pattern FLEXIBLE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");
  private static final String GPT_FATHOM_PHRASE = "The answer is ";

  /** lm-eval {@code strict-match}: the first {@code #### N}, stripped. */
  public static final Extractor LM_EVAL_STRICT =
      Conventions.extractor(
          "gsm8k/lm-eval-strict",
          "lm-evaluation-harness gsm8k strict-match: first match of '#### (-?[0-9.,]+)'",
          Gsm8k::extractStrict);

  /** lm-eval {@code flexible-extract}: the last number-like run, stripped. */
  public static final Extractor LM_EVAL_FLEXIBLE =
      Conventions.extractor(
          "gsm8k/lm-eval-flexible",
          "lm-evaluation-harness gsm8k flexible-extract: last match of"
              + " '(-?[$0-9.,]{2,})|(-?[0-9]+)'",
          Gsm8k::extractFlexible);

  /**
   * GPT-Fathom's rule: the first digit run after the first {@code "The answer is "} (up to a second
   * one), else the last digit run of the whole completion.
   */
  public static final Extractor GPT_FATHOM =
      Conventions.extractor(
          "gsm8k/gpt-fathom",
          "GPT-Fathom math_problem.check_match (gsm8k, LOOSE): first number after 'The answer is ',"
              + " else the last number",
          Gsm8k::extractGptFathom);

  /** lm-eval {@code exact_match} of a strict or flexible extraction against the answer field. */
  public static final Metric<String> LM_EVAL_EXACT_MATCH =
      Conventions.metric(
          "gsm8k/lm-eval-exact-match",
          "lm-evaluation-harness exact_match with gsm8k's regexes_to_ignore and ignore_case",
          (prediction, answerField) -> isLmEvalMatch(prediction, answerField) ? 1.0 : 0.0);

  /** GPT-Fathom's prefix match of the raw completion against the answer field. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "gsm8k/gpt-fathom-accuracy",
          "GPT-Fathom record_and_check_match: extracted number startswith a gold digit run",
          (completion, answerField) -> isGptFathomCorrect(completion, answerField) ? 1.0 : 0.0);

  private Gsm8k() {}

  static Extraction extractStrict(String completion) {
    Matcher matcher = STRICT.matcher(completion);
    if (!matcher.find()) {
      return Extraction.noAnswer("no '#### N' answer line");
    }
    return Extraction.answer(PythonText.strip(matcher.group(1)));
  }

  static Extraction extractFlexible(String completion) {
    Matcher matcher = FLEXIBLE.matcher(completion);
    String last = null;
    while (matcher.find()) {
      last = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    }
    if (last == null) {
      return Extraction.noAnswer("no number in the completion");
    }
    return Extraction.answer(PythonText.strip(last));
  }

  static Extraction extractGptFathom(String completion) {
    int phrase = completion.indexOf(GPT_FATHOM_PHRASE);
    if (phrase < 0) {
      List<String> runs = digitRuns(completion);
      return runs.isEmpty()
          ? Extraction.noAnswer("no number in the completion")
          : Extraction.answer(runs.get(runs.size() - 1));
    }
    int start = phrase + GPT_FATHOM_PHRASE.length();
    int next = completion.indexOf(GPT_FATHOM_PHRASE, start);
    List<String> runs =
        digitRuns(completion.substring(start, next < 0 ? completion.length() : next));
    return runs.isEmpty()
        ? Extraction.noAnswer("no number after the first 'The answer is '")
        : Extraction.answer(runs.get(0));
  }

  /**
   * The text lm-eval compares: commas and dollar signs removed, everything up to the last {@code
   * "#### "} removed, one final period removed (also before a final newline, as Python's {@code $}
   * matches there), then lower-cased. Applied to predictions and to the gold answer field alike.
   */
  public static String lmEvalNormalize(String text) {
    String s = text.replace(",", "").replace("$", "");
    int marker = s.lastIndexOf("#### ");
    if (marker >= 0) {
      s = s.substring(marker + 5);
    }
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith(".\n")) {
      s = s.substring(0, s.length() - 2) + "\n";
    }
    return PythonText.lower(s);
  }

  /** lm-eval's exact match of {@code prediction} ({@code [invalid]} included) and the gold. */
  public static boolean isLmEvalMatch(String prediction, String answerField) {
    return lmEvalNormalize(prediction).equals(lmEvalNormalize(answerField));
  }

  /**
   * openai/grade-school-math {@code extract_answer}: the first {@code #### N} of the answer field
   * with commas removed, or {@link #INVALID}.
   */
  public static String openAiGold(String answerField) {
    Matcher matcher = STRICT.matcher(answerField);
    if (!matcher.find()) {
      return INVALID;
    }
    return PythonText.strip(matcher.group(1)).replace(",", "");
  }

  /**
   * GPT-Fathom's verdict. The gold is every digit run after the first {@code ####} of the answer
   * field; the prediction is the {@link #GPT_FATHOM} extraction, or, when that finds nothing, the
   * raw completion compared with the whole stripped gold text (as the reference does).
   *
   * @throws IllegalArgumentException if the answer field has no {@code ####} (the reference fails
   *     on such a gold)
   */
  public static boolean isGptFathomCorrect(String completion, String answerField) {
    int marker = answerField.indexOf("####");
    if (marker < 0) {
      throw new IllegalArgumentException("GSM8K answer field has no '####': " + answerField);
    }
    int next = answerField.indexOf("####", marker + 4);
    String reference =
        PythonText.strip(answerField.substring(marker + 4, next < 0 ? answerField.length() : next));
    Extraction extraction = extractGptFathom(completion);
    if (extraction instanceof Extraction.Answer answer) {
      for (String gold : digitRuns(reference)) {
        if (answer.text().startsWith(gold)) {
          return true;
        }
      }
      return false;
    }
    return completion.startsWith(reference);
  }

  /** {@code re.findall(r"\d+", text)} with Python's Unicode {@code \d}. */
  static List<String> digitRuns(String text) {
    List<String> runs = new ArrayList<>();
    int length = text.length();
    int i = 0;
    while (i < length) {
      int c = text.codePointAt(i);
      if (!PythonText.isDecimal(c)) {
        i += Character.charCount(c);
        continue;
      }
      int start = i;
      while (i < length && PythonText.isDecimal(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      runs.add(text.substring(start, i));
    }
    return runs;
  }
}
