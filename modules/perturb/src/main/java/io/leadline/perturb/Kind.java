package io.leadline.perturb;

import io.leadline.api.LeadlineException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of prompt perturbation {@code leadline sweep --perturbations} takes. */
public enum Kind {
  /** The benchmark's instruction replaced by a paraphrase that keeps its meaning. */
  INSTRUCTION("instruction"),
  /** Other question/answer labels ("Q:/A:" ↔ "Question:/Answer:" …). */
  QA_LABELS("qa-labels"),
  /** Whitespace and layout: newlines between shots, trailing spaces, options inline. */
  FORMAT("format"),
  /** The exemplars in another (seeded) order. */
  SHOTS_ORDER("shots-order"),
  /** One exemplar fewer or one more. */
  SHOTS_COUNT("shots-count"),
  /** A multiple-choice item's options rotated so the gold sits under each letter in turn. */
  OPTIONS("options"),
  /** Seeded character noise in the question. */
  TYPOS("typos"),
  /** A math problem's numbers changed: scored for memorisation (the original answer). */
  NUMBERS("numbers"),
  /** Chain of thought switched on or off. */
  COT("cot"),
  /** Sampling at other temperatures. */
  TEMPERATURE("temperature");

  private final String id;

  Kind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * The kind called {@code id}.
   *
   * @throws LeadlineException listing the kinds if there is none such
   */
  public static Kind fromId(String id) {
    for (Kind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw LeadlineException.userInput(
        "--perturbations: unknown perturbation '%s'%s; known: %s",
        id,
        io.leadline.api.Suggestions.didYouMean(id, Arrays.stream(values()).map(Kind::id).toList()),
        Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", ")));
  }
}
