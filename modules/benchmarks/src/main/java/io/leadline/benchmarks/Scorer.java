package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.Extraction;
import io.leadline.sandbox.Programs;
import io.leadline.scoring.Bbh;
import io.leadline.scoring.Catalog;
import io.leadline.scoring.Drop;
import io.leadline.scoring.Gsm8k;
import io.leadline.scoring.Mmlu;
import io.leadline.scoring.TriviaQa;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extraction and metrics of one completion, by the benchmark's named conventions. GPT-Fathom's
 * metrics read the whole completion, as it does; the strict ones beside them read its first line.
 * HumanEval is scored by executing {@link #program} in the sandbox; its pass@k is aggregated per
 * problem.
 */
public final class Scorer {
  private static final ImmutableMap<Format, ImmutableList<String>> METRICS =
      ImmutableMap.of(
          Format.MATH_COT, ImmutableList.of("gsm8k/gpt-fathom-accuracy", "gsm8k/exact-number"),
          Format.MULTIPLE_CHOICE, ImmutableList.of("mmlu/gpt-fathom-accuracy"),
          Format.CLOSED_QA,
              ImmutableList.of(
                  "triviaqa/gpt-fathom-fuzzy-match",
                  "triviaqa/official-em",
                  "triviaqa/official-f1"),
          Format.READING,
              ImmutableList.of("drop/gpt-fathom-f1", "drop/official-f1", "drop/official-em"),
          Format.BBH, ImmutableList.of("bbh/gpt-fathom-accuracy"),
          Format.CODE, ImmutableList.of("humaneval/pass-at-k"));

  /**
   * What one completion scored.
   *
   * @param extraction the answer the setting's extractor found, or why there is none
   * @param metrics each metric's value in [0, 1], in the benchmark's order (empty for code)
   */
  public record Score(Extraction extraction, ImmutableMap<String, Double> metrics) {}

  private Scorer() {}

  static boolean supports(Format format, String metric) {
    return METRICS.get(format).contains(metric);
  }

  static List<String> metricsOf(Format format) {
    return METRICS.get(format);
  }

  /** Scores {@code completion} of {@code example} under {@code setting}. */
  public static Score score(BenchmarkSetting setting, Example example, String completion) {
    Benchmark benchmark = setting.benchmark();
    String extractorName =
        setting.cot() ? benchmark.extractorCot().orElseThrow() : benchmark.extractorAnswerOnly();
    Extraction extraction =
        switch (extractorName) {
          case "whole-completion" -> Extraction.answer(completion);
          case "code" -> Extraction.answer(code(completion));
          default -> Catalog.extractor(extractorName).extract(completion);
        };
    Map<String, Double> values = new LinkedHashMap<>();
    String firstLine = completion.strip().lines().findFirst().orElse("");
    for (String metric : benchmark.metrics()) {
      switch (metric) {
        case "gsm8k/gpt-fathom-accuracy" ->
            values.put(metric, Gsm8k.GPT_FATHOM_ACCURACY.score(completion, example.text("answer")));
        case "gsm8k/exact-number" ->
            values.put(
                metric,
                extraction
                        .answer()
                        .filter(a -> a.equals(Gsm8k.openAiGold(example.text("answer"))))
                        .isPresent()
                    ? 1.0
                    : 0.0);
        case "mmlu/gpt-fathom-accuracy" ->
            values.put(
                metric,
                Mmlu.GPT_FATHOM_ACCURACY.score(completion, Prompts.choice(example).goldLetter()));
        case "triviaqa/gpt-fathom-fuzzy-match" ->
            values.put(metric, TriviaQa.GPT_FATHOM_FUZZY_MATCH.score(completion, aliases(example)));
        case "triviaqa/official-em" ->
            values.put(metric, TriviaQa.OFFICIAL_EM.score(firstLine, aliases(example)));
        case "triviaqa/official-f1" ->
            values.put(metric, TriviaQa.OFFICIAL_F1.score(firstLine, aliases(example)));
        case "drop/gpt-fathom-f1" ->
            values.put(metric, Drop.GPT_FATHOM_F1.score(completion, spans(example)));
        case "drop/official-f1" ->
            values.put(metric, Drop.OFFICIAL_F1.score(firstLine, spanAlternatives(example)));
        case "drop/official-em" ->
            values.put(metric, Drop.OFFICIAL_EM.score(firstLine, spanAlternatives(example)));
        case "bbh/gpt-fathom-accuracy" ->
            values.put(
                metric,
                (setting.cot() ? Bbh.GPT_FATHOM_COT_ACCURACY : Bbh.GPT_FATHOM_ANSWER_ONLY_ACCURACY)
                    .score(completion, example.text("target")));
        case "humaneval/pass-at-k" -> {
          // Aggregated from execution verdicts per problem.
        }
        default -> throw new IllegalStateException("metric without a scorer: " + metric);
      }
    }
    return new Score(extraction, ImmutableMap.copyOf(values));
  }

  /**
   * maj@k self-consistency (Wang et al.): the answer most of the first {@code k} completions'
   * extractions agree on (ties go to the one reached first; completions without an answer do not
   * vote), scored through the first completion that gave it. With no answer at all, the first
   * completion is scored as it is.
   */
  public static Score majority(
      BenchmarkSetting setting, Example example, List<String> completions, int k) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    Map<String, String> firstCompletion = new LinkedHashMap<>();
    for (String completion : completions.subList(0, Math.min(k, completions.size()))) {
      score(setting, example, completion)
          .extraction()
          .answer()
          .ifPresent(
              answer -> {
                votes.merge(answer, 1, Integer::sum);
                firstCompletion.putIfAbsent(answer, completion);
              });
    }
    String winner = null;
    for (Map.Entry<String, Integer> vote : votes.entrySet()) {
      if (winner == null || vote.getValue() > votes.get(winner)) {
        winner = vote.getKey();
      }
    }
    return score(
        setting, example, winner == null ? completions.get(0) : firstCompletion.get(winner));
  }

  /**
   * The HumanEval program to execute: for a completion API, {@code prompt + completion}; for a chat
   * API, the completion alone (the model re-emits the signature), its code taken from a {@code ```}
   * fence when there is one; then the test and {@code check(entry_point)}.
   */
  public static String program(Example example, String completion, boolean chat) {
    return chat
        ? Programs.humanEval(
            "", code(completion), example.text("test"), example.text("entry_point"))
        : Programs.humanEval(
            example.text("prompt"), completion, example.text("test"), example.text("entry_point"));
  }

  /**
   * The gold answer of {@code example} as a reader would want it in a record: GSM8K's final number,
   * MMLU's letter and option, TriviaQA's first alias, DROP's spans, BBH's target; for HumanEval,
   * that its tests decide.
   */
  public static String gold(BenchmarkSetting setting, Example example) {
    return switch (setting.benchmark().format()) {
      case MATH_COT -> Gsm8k.openAiGold(example.text("answer"));
      case MULTIPLE_CHOICE -> {
        MultipleChoice choice = Prompts.choice(example);
        yield "(" + choice.goldLetter() + ") " + choice.goldText();
      }
      case CLOSED_QA -> example.row().path("answer").path("value").asText(aliases(example).get(0));
      case READING -> String.join(" | ", spans(example));
      case BBH -> example.text("target");
      case CODE -> "(passes check(" + example.text("entry_point") + "))";
    };
  }

  /**
   * GPT-Fathom's fence extraction, {@code item.split("```")[1][7:]}: the text after the first fence
   * minus its first 7 characters (the {@code python\n} of a tagged fence), or the whole completion
   * when there is no fence.
   */
  static String code(String completion) {
    int open = completion.indexOf("```");
    if (open < 0) {
      return completion;
    }
    int close = completion.indexOf("```", open + 3);
    String inside = completion.substring(open + 3, close < 0 ? completion.length() : close);
    return inside.length() <= 7 ? "" : inside.substring(7);
  }

  private static List<String> aliases(Example example) {
    List<String> golds = new ArrayList<>();
    JsonNode answer = example.row().path("answer");
    answer.path("aliases").forEach(a -> golds.add(a.asText()));
    answer.path("normalized_aliases").forEach(a -> golds.add(a.asText()));
    return golds;
  }

  private static List<String> spans(Example example) {
    List<String> spans = new ArrayList<>();
    example.row().path("answers_spans").path("spans").forEach(s -> spans.add(s.asText()));
    return spans;
  }

  /** Each gold span as a one-span alternative answer. */
  private static List<List<String>> spanAlternatives(Example example) {
    return spans(example).stream().map(List::of).toList();
  }
}
