package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * One benchmark item the simulator knows the answer to.
 *
 * @param benchmark the benchmark's name (a profile's accuracies are per benchmark)
 * @param style how an answer to it is written
 * @param key identifies the item across runs: benchmark, subset and the row's id
 * @param needle the text a prompt about this item contains (question, passage, code prompt)
 * @param gold the right answer (a number, option text, span, target or function body); empty for a
 *     story beginning, which has no one right ending
 * @param wrong a plausible wrong answer of the same kind, empty for a story beginning
 * @param work a math item's worked solution without its final line, else empty
 * @param choices a multiple-choice item's options in dataset order, else empty
 */
public record SimItem(
    String benchmark,
    Style style,
    String key,
    String needle,
    String gold,
    String wrong,
    String work,
    List<String> choices) {
  /**
   * How an answer is written: a worked solution ending {@code The answer is N.}, one ending in a
   * {@code \boxed{}} answer (MATH), an option letter, a BBH target (after reasoning when asked to
   * think), a function body, a whole program written bare for chat and completion APIs alike (MBPP,
   * whose completion runs as it is), a span of a passage, a short text, or the continuation of a
   * story whose beginning is the needle (TinyStories: no gold, graded by a judge).
   */
  public enum Style {
    MATH,
    BOXED,
    OPTION,
    BBH,
    CODE,
    PROGRAM,
    SPAN,
    TEXT,
    STORY
  }

  /**
   * What a benchmark's format adapter reads from one row for the simulator; the key and a wrong
   * answer are made from it. A {@link Style#STORY} draft has the story's beginning as its needle,
   * an empty gold, no choices and a {@code goldIndex} of -1.
   *
   * @param id the row's own id, or empty to use its position
   * @param goldIndex the correct option's index in {@code choices}, or -1
   */
  public record Draft(
      Style style,
      Optional<String> id,
      String needle,
      String gold,
      int goldIndex,
      String work,
      List<String> choices) {
    public Draft {
      requireNonNull(style, "style is null");
      requireNonNull(id, "id is null");
      requireNonNull(needle, "needle is null");
      requireNonNull(gold, "gold is null");
      requireNonNull(work, "work is null");
      choices = ImmutableList.copyOf(choices);
    }
  }

  public SimItem {
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(style, "style is null");
    requireNonNull(key, "key is null");
    requireNonNull(needle, "needle is null");
    requireNonNull(gold, "gold is null");
    requireNonNull(wrong, "wrong is null");
    requireNonNull(work, "work is null");
    choices = ImmutableList.copyOf(choices);
  }
}
