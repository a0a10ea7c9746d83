package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;

/** Which metrics each format can compute. */
final class Scorer {
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

  private Scorer() {}

  static boolean supports(Format format, String metric) {
    return METRICS.get(format).contains(metric);
  }

  static List<String> metricsOf(Format format) {
    return METRICS.get(format);
  }
}
