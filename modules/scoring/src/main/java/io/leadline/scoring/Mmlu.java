package io.leadline.scoring;

import com.google.common.collect.ImmutableList;
import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multiple-choice letter extraction under openai/simple-evals' conventions (the current
 * multilingual MMLU rule, {@code ANSWER_PATTERN_MULTICHOICE}, and the 2024 MMLU pattern) and
 * GPT-Fathom's rule (the first {@code (X)} in A→Z order, else the completion itself, scored by
 * prefix).
 */
public final class Mmlu {
  /** Python's Unicode {@code \s} ({@code str.isspace}), spelled out for Java's regex engine. */
  private static final String PY_SPACE =
      "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F"
          + "\\u205F\\u3000]";

  private static final String LETTER = "([A-D]|[أ-د]|[অ]|[ব]|[ড]|[ঢ]|[Ａ]|[Ｂ]|[Ｃ]|[Ｄ])";

  /**
   * simple-evals {@code MULTILINGUAL_ANSWER_REGEXES}, in the reference's order. The second entry
   * carries the invisible Hangul filler (U+3164) the reference notes as a "Korean invisible
   * character".
   */
  private static final ImmutableList<String> MULTILINGUAL_ANSWER_REGEXES =
      ImmutableList.of(
          "Answer\\s*:",
          "Answer\\s*\u3164:",
          "উত্তর\\s*:",
          "उत्तर\\s*:",
          "উত্তরঃ",
          "উত্তর\\s*:",
          "Antwort\\s*:",
          "답변\\s*:",
          "정답\\s*:",
          "답\\s*:",
          "答案\\s*：",
          "答案\\s*:",
          "答\\s*：",
          "答\\s*:",
          "答复\\s*：",
          "答曰\\s*：",
          "الإجابة:",
          "الجواب:",
          "إجابة:",
          "الإجابة النهائية:",
          "الإجابة الصحيحة:",
          "الإجابة الصحيحة هي:",
          "الإجابة هي:",
          "الجواب النهائي:",
          "Respuesta\\s*:",
          "Risposta\\s*:",
          "答え\\s*:",
          "答え\\s*：",
          "回答\\s*:",
          "回答\\s*：",
          "解答\\s*:",
          "Jawaban\\s*:",
          "Réponse\\s*:",
          "Resposta\\s*:",
          "Jibu\\s*:",
          "Idahun\\s*:",
          "Ìdáhùn\\s*:",
          "Idáhùn\\s*:",
          "Àmọ̀nà\\s*:",
          "Àdáhùn\\s*:",
          "Ànúgọ\\s*:",
          "Àṣàyàn\\s*:");

  private static final ImmutableList<Pattern> MULTILINGUAL_PATTERNS =
      MULTILINGUAL_ANSWER_REGEXES.stream()
          .map(entry -> pythonPattern(entry + "[ \\t]*" + LETTER))
          .collect(ImmutableList.toImmutableList());

  private static final Pattern ANSWER_PATTERN_MULTICHOICE =
      pythonPattern("Answer[ \\t]*:[ \\t]*\\$?([A-D])\\$?");

  private static final Pattern LEGACY_2024_PATTERN = pythonPattern("ANSWER\\s*:\\s*([A-D])");

  /** simple-evals MMLU: normalise markdown/LaTeX, then the first multilingual pattern to match. */
  public static final Extractor SIMPLE_EVALS =
      Conventions.extractor(
          "mmlu/simple-evals",
          "openai/simple-evals mmlu_eval: normalize_response, MULTILINGUAL_ANSWER_REGEXES in order,"
              + " normalize_extracted_answer",
          Mmlu::extractSimpleEvals);

  /**
   * simple-evals {@code ANSWER_PATTERN_MULTICHOICE} on the raw completion (as gpqa_eval uses it).
   */
  public static final Extractor SIMPLE_EVALS_MULTICHOICE =
      Conventions.extractor(
          "mmlu/simple-evals-answer-pattern",
          "openai/simple-evals ANSWER_PATTERN_MULTICHOICE '(?i)Answer[ \\t]*:[ \\t]*\\$?([A-D])\\$?'",
          completion -> search(ANSWER_PATTERN_MULTICHOICE, completion));

  /** The original 2024 simple-evals MMLU pattern on the raw completion. */
  public static final Extractor SIMPLE_EVALS_LEGACY_2024 =
      Conventions.extractor(
          "mmlu/simple-evals-2024",
          "openai/simple-evals mmlu_eval.py at fea8034: '(?i)ANSWER\\s*:\\s*([A-D])'",
          completion -> search(LEGACY_2024_PATTERN, completion));

  /** GPT-Fathom: the first of {@code (A)}…{@code (Z)} present in the completion. */
  public static final Extractor GPT_FATHOM =
      Conventions.extractor(
          "mmlu/gpt-fathom",
          "GPT-Fathom MultipleChoice.post_process: first '(X)' in A..Z order",
          Mmlu::extractGptFathom);

  /** Exact equality of the extracted letter and the gold letter (simple-evals' scoring). */
  public static final Metric<String> EXACT_LETTER =
      Conventions.metric(
          "mmlu/exact-letter",
          "openai/simple-evals: extracted_answer == correct_answer",
          (extracted, gold) -> extracted.equals(gold) ? 1.0 : 0.0);

  /** GPT-Fathom's verdict on a raw completion; see {@link #isGptFathomCorrect}. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "mmlu/gpt-fathom-accuracy",
          "GPT-Fathom MultipleChoice with record_and_check_match: post_process(sampled)"
              + ".startswith(gold letter)",
          (completion, gold) -> isGptFathomCorrect(completion, gold) ? 1.0 : 0.0);

  private Mmlu() {}

  static Extraction extractSimpleEvals(String completion) {
    String normalized = normalizeResponse(completion);
    for (Pattern pattern : MULTILINGUAL_PATTERNS) {
      Matcher matcher = pattern.matcher(normalized);
      if (matcher.find()) {
        return Extraction.answer(normalizeExtractedAnswer(matcher.group(1)));
      }
    }
    return Extraction.noAnswer("no 'Answer: X' line in any of the reference's languages");
  }

  static Extraction extractGptFathom(String completion) {
    for (char letter = 'A'; letter <= 'Z'; letter++) {
      if (completion.contains("(" + letter + ")")) {
        return Extraction.answer(String.valueOf(letter));
      }
    }
    return Extraction.noAnswer("no option '(X)' in the completion");
  }

  /**
   * GPT-Fathom's verdict: the {@link #GPT_FATHOM} letter, or the left-stripped completion where
   * there is none, starts with the gold letter.
   */
  public static boolean isGptFathomCorrect(String completion, String goldLetter) {
    return extractGptFathom(completion)
        .orElse(PythonText.lstrip(completion))
        .startsWith(goldLetter);
  }

  /** simple-evals {@code normalize_response}: removes markdown and LaTeX wrappers, in order. */
  static String normalizeResponse(String response) {
    return response
        .replace("**", "")
        .replace("$\\boxed{", "")
        .replace("}$", "")
        .replace("\\$", "")
        .replace("$\\text{", "")
        .replace("$", "")
        .replace("\\mathrm{", "")
        .replace("\\{", "")
        .replace("\\text", "")
        .replace("\\(", "")
        .replace("\\mathbf{", "")
        .replace("{", "")
        .replace("\\boxed", "");
  }

  /**
   * simple-evals {@code normalize_extracted_answer}: Arabic, Bengali, full-width letters to A–D.
   */
  static String normalizeExtractedAnswer(String extracted) {
    return PythonText.strip(
        extracted
            .replace("أ", " A")
            .replace("ب", " B")
            .replace("ج", " C")
            .replace("د", " D")
            .replace("অ", " A")
            .replace("ব", " B")
            .replace("ড", " C")
            .replace("ঢ", " D")
            .replace("Ａ", " A")
            .replace("Ｂ", " B")
            .replace("Ｃ", " C")
            .replace("Ｄ", " D"));
  }

  private static Extraction search(Pattern pattern, String completion) {
    Matcher matcher = pattern.matcher(completion);
    return matcher.find()
        ? Extraction.answer(matcher.group(1))
        : Extraction.noAnswer("no match for " + pattern.pattern());
  }

  /** A case-insensitive pattern with Python's Unicode {@code \s} and single-line {@code .}. */
  private static Pattern pythonPattern(String regex) {
    return Pattern.compile(
        regex.replace("\\s", PY_SPACE),
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNIX_LINES);
  }
}
