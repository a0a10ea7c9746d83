package io.leadline.scoring;

import com.google.common.collect.ImmutableList;
import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIG-Bench Hard answer extraction under lm-evaluation-harness's {@code bbh_cot_fewshot} convention
 * and GPT-Fathom's ({@code "So the answer is "} for chain-of-thought, {@code "The answer is "} for
 * answer-only prompts, scored by prefix).
 */
public final class Bbh {
  /** lm-eval {@code bbh_cot_fewshot}'s {@code until} list, applied in this order. */
  public static final ImmutableList<String> LM_EVAL_STOP_SEQUENCES =
      ImmutableList.of("</s>", "Q", "\n\n");

  // UNIX_LINES: like Python, '.' excludes only '\n' (it matches '\r', U+0085, U+2028, U+2029).
  private static final Pattern LM_EVAL_ANSWER =
      Pattern.compile("(?<=the answer is )(.*)(?=.)", Pattern.UNIX_LINES);

  /**
   * lm-eval {@code get-answer} filter: {@code (?<=the answer is )(.*)(?=.)}, first match, stripped.
   */
  public static final Extractor LM_EVAL =
      Conventions.extractor(
          "bbh/lm-eval",
          "lm-evaluation-harness bbh cot_fewshot get-answer: '(?<=the answer is )(.*)(?=.)',"
              + " take_first, strip",
          Bbh::extractLmEval);

  /**
   * GPT-Fathom CoT: the text between the first and second {@code "So the answer is "}, stripped.
   */
  public static final Extractor GPT_FATHOM_COT =
      Conventions.extractor(
          "bbh/gpt-fathom-cot",
          "GPT-Fathom BBH.post_process (CoT): split on 'So the answer is ', part [1], strip",
          completion -> extractGptFathom(completion, "So the answer is "));

  /** GPT-Fathom answer-only: the text after the first {@code "The answer is "}, stripped. */
  public static final Extractor GPT_FATHOM_ANSWER_ONLY =
      Conventions.extractor(
          "bbh/gpt-fathom-answer-only",
          "GPT-Fathom BBH.post_process (no CoT): split on 'The answer is ', part [1], strip",
          completion -> extractGptFathom(completion, "The answer is "));

  /** lm-eval {@code exact_match} without options: case- and whitespace-sensitive equality. */
  public static final Metric<String> EXACT_MATCH =
      Conventions.metric(
          "bbh/lm-eval-exact-match",
          "lm-evaluation-harness exact_match with no options",
          (extracted, target) -> extracted.equals(target) ? 1.0 : 0.0);

  /**
   * GPT-Fathom's chain-of-thought verdict on a raw completion: the {@link #GPT_FATHOM_COT}
   * extraction, or the whole stripped completion when it has none, starts with the target.
   */
  public static final Metric<String> GPT_FATHOM_COT_ACCURACY =
      Conventions.metric(
          "bbh/gpt-fathom-cot-accuracy",
          "GPT-Fathom BBH (CoT) with record_and_check_match: post_process(sampled)"
              + ".startswith(target)",
          (completion, target) ->
              isGptFathomCorrect(completion, target, GPT_FATHOM_COT) ? 1.0 : 0.0);

  /** As {@link #GPT_FATHOM_COT_ACCURACY} for answer-only prompts ({@code "The answer is "}). */
  public static final Metric<String> GPT_FATHOM_ANSWER_ONLY_ACCURACY =
      Conventions.metric(
          "bbh/gpt-fathom-answer-only-accuracy",
          "GPT-Fathom BBH (no CoT) with record_and_check_match: post_process(sampled)"
              + ".startswith(target)",
          (completion, target) ->
              isGptFathomCorrect(completion, target, GPT_FATHOM_ANSWER_ONLY) ? 1.0 : 0.0);

  private Bbh() {}

  static Extraction extractLmEval(String completion) {
    Matcher matcher = LM_EVAL_ANSWER.matcher(completion);
    if (!matcher.find()) {
      return Extraction.noAnswer("no 'the answer is ' followed by text on its line");
    }
    return Extraction.answer(PythonText.strip(matcher.group(1)));
  }

  static Extraction extractGptFathom(String completion, String phrase) {
    int at = completion.indexOf(phrase);
    if (at < 0) {
      return Extraction.noAnswer("no '" + phrase.strip() + "' in the completion");
    }
    int start = at + phrase.length();
    int next = completion.indexOf(phrase, start);
    return Extraction.answer(
        PythonText.strip(completion.substring(start, next < 0 ? completion.length() : next)));
  }

  /**
   * GPT-Fathom's verdict: {@code extractor}'s answer, or the whole stripped completion where it
   * finds none (the reference then keeps the completion), starts with {@code target}.
   */
  public static boolean isGptFathomCorrect(String completion, String target, Extractor extractor) {
    return extractor.extract(completion).orElse(PythonText.strip(completion)).startsWith(target);
  }

  /**
   * Cuts {@code completion} at each stop sequence in turn ({@code s.split(term)[0]}), as lm-eval's
   * {@code postprocess_generated_text} does with a task's {@code until} list.
   */
  public static String applyStopSequences(String completion, List<String> stopSequences) {
    String text = completion;
    for (String stop : stopSequences) {
      int at = text.indexOf(stop);
      if (at >= 0) {
        text = text.substring(0, at);
      }
    }
    return text;
  }
}
