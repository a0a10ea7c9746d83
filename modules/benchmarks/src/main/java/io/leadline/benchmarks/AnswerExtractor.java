package io.leadline.benchmarks;

import io.leadline.api.Extraction;
import io.leadline.scoring.Catalog;
import java.util.Optional;
import java.util.Set;

/**
 * A benchmark's extractors, one for chain-of-thought completions and one for answer-only ones: a
 * named extractor of the scoring catalog, the completion as it is ({@code whole-completion}), its
 * code ({@code code}), or the answer the primary scorer read ({@code scorer}: AGIEval's, whose rule
 * depends on the item's task).
 */
record AnswerExtractor(Optional<String> cot, String answerOnly) {
  /** Extractors that are not in the scoring catalog: the completion as it is, or its code. */
  static final Set<String> SPECIAL = Set.of("whole-completion", "code", "scorer");

  /** Whether the primary scorer's reading is the extraction (the {@code scorer} extractor). */
  boolean byScorer(boolean chainOfThought) {
    return (chainOfThought ? cot.orElseThrow() : answerOnly).equals("scorer");
  }

  static AnswerExtractor of(Benchmark benchmark) {
    return new AnswerExtractor(benchmark.extractorCot(), benchmark.extractorAnswerOnly());
  }

  /** The answer in {@code completion} under the extractor the setting's CoT choice names. */
  Extraction extract(String completion, boolean chainOfThought) {
    String name = chainOfThought ? cot.orElseThrow() : answerOnly;
    return switch (name) {
      case "whole-completion" -> Extraction.answer(completion);
      case "code" -> Extraction.answer(CodeFormat.code(completion));
      case "scorer" -> throw new IllegalStateException("the scorer extracts: " + name);
      default -> Catalog.extractor(name).extract(completion);
    };
  }
}
