package io.leadline.benchmarks;

import io.leadline.api.Extraction;
import io.leadline.scoring.Catalog;
import java.util.Optional;
import java.util.Set;

/**
 * A benchmark's extractors, one for chain-of-thought completions and one for answer-only ones: a
 * named extractor of the scoring catalog, the completion as it is ({@code whole-completion}), or
 * its code ({@code code}).
 */
record AnswerExtractor(Optional<String> cot, String answerOnly) {
  /** Extractors that are not in the scoring catalog: the completion as it is, or its code. */
  static final Set<String> SPECIAL = Set.of("whole-completion", "code");

  static AnswerExtractor of(Benchmark benchmark) {
    return new AnswerExtractor(benchmark.extractorCot(), benchmark.extractorAnswerOnly());
  }

  /** The answer in {@code completion} under the extractor the setting's CoT choice names. */
  Extraction extract(String completion, boolean chainOfThought) {
    String name = chainOfThought ? cot.orElseThrow() : answerOnly;
    return switch (name) {
      case "whole-completion" -> Extraction.answer(completion);
      case "code" -> Extraction.answer(CodeFormat.code(completion));
      default -> Catalog.extractor(name).extract(completion);
    };
  }
}
