package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * What the simulator needs to answer one item, as its format adapter reads it from the row.
 *
 * @param style how an answer is written (a worked number, an option, a BBH target, code, a span, a
 *     short text)
 * @param id the row's own id, if the format has one; else the simulator uses the row's position
 * @param needle the text a prompt about this item contains (question, passage, code prompt)
 * @param gold the right answer (a number, option text, span, target or function body)
 * @param goldIndex the correct option's index in {@code choices}, or -1
 * @param work the worked solution without its final line, or empty
 * @param choices the options in dataset order, or empty
 */
public record SimFacts(
    Style style,
    Optional<String> id,
    String needle,
    String gold,
    int goldIndex,
    String work,
    List<String> choices) {
  /** How an answer is written. */
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

  public SimFacts {
    requireNonNull(style, "style is null");
    requireNonNull(id, "id is null");
    requireNonNull(needle, "needle is null");
    requireNonNull(gold, "gold is null");
    requireNonNull(work, "work is null");
    choices = ImmutableList.copyOf(choices);
  }
}
