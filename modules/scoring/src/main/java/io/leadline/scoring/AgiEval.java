package io.leadline.scoring;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;

/**
 * AGIEval under GPT-Fathom's rule ({@code evals/elsuite/dataset_specific/agieval.py} {@code
 * post_process}, then {@code evals/api.py} {@code record_and_check_match}) for its multiple-choice
 * tasks and its cloze task ({@code math}), answer-only and chain-of-thought.
 *
 * <p>Multiple choice: the first of {@code (A)}…{@code (Z)} in alphabetical order that occurs
 * anywhere wins; otherwise the text is compared as it is, <em>not</em> left-stripped as
 * GPT-Fathom's MMLU does, so {@code " B"} is wrong for {@code B}. Cloze: the text itself. With
 * chain of thought the text is first cut to what lies between the first {@code "So the answer is "}
 * and the next (else {@code "所以答案是"}, for the Chinese prompts), as {@code split(phrase)[1]} does.
 * The verdict is {@code text.startswith(gold)}, without any normalisation.
 */
public final class AgiEval {
  private static final String COT_PHRASE = "So the answer is ";
  private static final String COT_PHRASE_CHINESE = "所以答案是";

  /** Answer-only multiple choice: the first {@code (X)} in A→Z order. */
  public static final Extractor GPT_FATHOM =
      Conventions.extractor(
          "agieval/gpt-fathom",
          "GPT-Fathom AGIEVAL.post_process (MC, no CoT): first '(X)' in A..Z order",
          AgiEval::extractOption);

  /** Answer-only cloze: the completion exactly as it is. */
  public static final Extractor GPT_FATHOM_CLOZE =
      Conventions.extractor(
          "agieval/gpt-fathom-cloze",
          "GPT-Fathom AGIEVAL.post_process (Cloze, no CoT): the completion unchanged",
          Extraction::answer);

  /** Chain-of-thought multiple choice: the first {@code (X)} in the answer span. */
  public static final Extractor GPT_FATHOM_COT =
      Conventions.extractor(
          "agieval/gpt-fathom-cot",
          "GPT-Fathom AGIEVAL.post_process (MC, CoT): split on 'So the answer is ' (else"
              + " '所以答案是'), part [1], first '(X)' in A..Z order",
          completion -> extractOption(cotAnswerSpan(completion)));

  /** Chain-of-thought cloze: the answer span, unstripped. */
  public static final Extractor GPT_FATHOM_COT_CLOZE =
      Conventions.extractor(
          "agieval/gpt-fathom-cot-cloze",
          "GPT-Fathom AGIEVAL.post_process (Cloze, CoT): split on 'So the answer is ' (else"
              + " '所以答案是'), part [1]",
          AgiEval::extractCotCloze);

  /** GPT-Fathom's answer-only multiple-choice verdict on a raw completion; gold is the label. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "agieval/gpt-fathom-accuracy",
          "GPT-Fathom AGIEVAL (MC, no CoT) with record_and_check_match: the '(X)' letter, else the"
              + " unstripped completion, startswith(label)",
          (completion, label) ->
              gptFathomSampled(completion, true, false).startsWith(label) ? 1.0 : 0.0);

  /** GPT-Fathom's answer-only cloze verdict on a raw completion; gold is the answer string. */
  public static final Metric<String> GPT_FATHOM_CLOZE_ACCURACY =
      Conventions.metric(
          "agieval/gpt-fathom-cloze-accuracy",
          "GPT-Fathom AGIEVAL (Cloze, no CoT) with record_and_check_match: the unstripped"
              + " completion startswith(answer)",
          (completion, answer) ->
              gptFathomSampled(completion, false, false).startsWith(answer) ? 1.0 : 0.0);

  /** As {@link #GPT_FATHOM_ACCURACY} for chain-of-thought prompts. */
  public static final Metric<String> GPT_FATHOM_COT_ACCURACY =
      Conventions.metric(
          "agieval/gpt-fathom-cot-accuracy",
          "GPT-Fathom AGIEVAL (MC, CoT) with record_and_check_match: the '(X)' letter of the"
              + " answer span, else the span, startswith(label)",
          (completion, label) ->
              gptFathomSampled(completion, true, true).startsWith(label) ? 1.0 : 0.0);

  /** As {@link #GPT_FATHOM_CLOZE_ACCURACY} for chain-of-thought prompts. */
  public static final Metric<String> GPT_FATHOM_COT_CLOZE_ACCURACY =
      Conventions.metric(
          "agieval/gpt-fathom-cot-cloze-accuracy",
          "GPT-Fathom AGIEVAL (Cloze, CoT) with record_and_check_match: the answer span (else the"
              + " completion) startswith(answer)",
          (completion, answer) ->
              gptFathomSampled(completion, false, true).startsWith(answer) ? 1.0 : 0.0);

  private AgiEval() {}

  /**
   * GPT-Fathom's {@code sampled}, the string it compares with the gold by {@code startswith}.
   *
   * @param multipleChoice the task type {@code MC} (else {@code Cloze})
   * @param chainOfThought the eval's {@code CoT} argument
   */
  public static String gptFathomSampled(
      String completion, boolean multipleChoice, boolean chainOfThought) {
    String text = chainOfThought ? cotAnswerSpan(completion) : completion;
    return multipleChoice ? extractOption(text).orElse(text) : text;
  }

  /**
   * The text between the first {@code "So the answer is "} and the next one (or the end), else the
   * same for {@code "所以答案是"}, else the whole completion.
   */
  static String cotAnswerSpan(String completion) {
    for (String phrase : new String[] {COT_PHRASE, COT_PHRASE_CHINESE}) {
      int at = completion.indexOf(phrase);
      if (at >= 0) {
        int start = at + phrase.length();
        int next = completion.indexOf(phrase, start);
        return completion.substring(start, next < 0 ? completion.length() : next);
      }
    }
    return completion;
  }

  static Extraction extractOption(String text) {
    for (char letter = 'A'; letter <= 'Z'; letter++) {
      if (text.contains("(" + letter + ")")) {
        return Extraction.answer(String.valueOf(letter));
      }
    }
    return Extraction.noAnswer("no option '(X)' in the answer text");
  }

  private static Extraction extractCotCloze(String completion) {
    if (!completion.contains(COT_PHRASE) && !completion.contains(COT_PHRASE_CHINESE)) {
      return Extraction.noAnswer("no 'So the answer is ' (or '所以答案是') in the completion");
    }
    return Extraction.answer(cotAnswerSpan(completion));
  }
}
