package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.Set;

/**
 * How a benchmark's rows become template fields: the placeholders each template part may use.
 * Templates are data ({@code benchmark.yaml}); a format is the code that fills them.
 */
public enum Format {
  MATH_COT(
      "math-cot",
      ImmutableMap.of(
          "header", Set.of("instruction"),
          "shot", Set.of("question", "answer"),
          "query", Set.of("question", "trigger"))),
  MULTIPLE_CHOICE(
      "multiple-choice",
      ImmutableMap.of(
          "header", Set.of("subject"),
          "shot", Set.of("question", "options", "letter", "answer"),
          "query", Set.of("question", "options", "subject"))),
  CLOSED_QA(
      "closed-qa",
      ImmutableMap.of(
          "header", Set.of("instruction"),
          "shot", Set.of("question", "answer"),
          "query", Set.of("question"))),
  READING(
      "reading",
      ImmutableMap.of(
          "header", Set.of("instruction"),
          "shot", Set.of("passage", "question", "answer"),
          "query", Set.of("passage", "question"))),
  BBH(
      "bbh",
      ImmutableMap.of(
          "header", Set.of("description"),
          "shot", Set.of("exemplar"),
          "query", Set.of("input", "trigger"))),
  CODE("code", ImmutableMap.of("query", Set.of("prompt"), "chat_query", Set.of("prompt")));

  private final String id;
  private final ImmutableMap<String, Set<String>> placeholders;

  Format(String id, ImmutableMap<String, Set<String>> placeholders) {
    this.id = id;
    this.placeholders = placeholders;
  }

  public String id() {
    return id;
  }

  /** The template parts this format fills, each with the placeholders it may use. */
  ImmutableMap<String, Set<String>> placeholders() {
    return placeholders;
  }

  boolean hasShots() {
    return placeholders.containsKey("shot");
  }

  static Format fromId(String id) {
    for (Format format : values()) {
      if (format.id.equals(id)) {
        return format;
      }
    }
    return null;
  }

  static Set<String> ids() {
    ImmutableSet.Builder<String> ids = ImmutableSet.builder();
    for (Format format : values()) {
      ids.add(format.id);
    }
    return ids.build();
  }
}
