package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;

/**
 * One few-shot exemplar: a stable id (recorded in the setting hash) and its template fields with
 * chain of thought ({@code cot}) and answer-only ({@code answerOnly}).
 */
record Exemplar(
    String id, ImmutableMap<String, String> cot, ImmutableMap<String, String> answerOnly) {
  ImmutableMap<String, String> fields(boolean chainOfThought) {
    return chainOfThought ? cot : answerOnly;
  }
}
