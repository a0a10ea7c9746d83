package io.leadline.api;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * One judge's reply to one grading request, as a record keeps it: the reply exactly as it came, the
 * fields its parser read, or why it read none ({@code no_grade}: the reply is kept and the sample
 * counts in no grade's mean, never as 0).
 *
 * @param judge the judge's name in the models file
 * @param reply the judge's text, or the failure when the request failed
 * @param grades each field the parser read, as written (a whole number, a category), in the
 *     template's order; empty when {@code noGrade} is present
 * @param noGrade why the reply gave no grade (unreadable, or the request failed)
 */
public record Judgement(
    String judge, String reply, ImmutableMap<String, String> grades, Optional<String> noGrade) {
  public Judgement {
    requireNonNull(judge, "judge is null");
    requireNonNull(reply, "reply is null");
    requireNonNull(grades, "grades is null");
    requireNonNull(noGrade, "noGrade is null");
    if (noGrade.isPresent() && !grades.isEmpty()) {
      throw new IllegalArgumentException("a judgement with no grade has no grades: " + judge);
    }
  }

  /** Whether the parser read a grade from the reply. */
  public boolean graded() {
    return noGrade.isEmpty();
  }
}
