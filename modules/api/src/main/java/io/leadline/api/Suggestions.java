package io.leadline.api;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for a misspelt name (a benchmark, setting, model, perturbation): the known name
 * nearest by edit distance, if it is near enough to be a typo. Deterministic: of equally near names
 * the first in {@code known}'s order wins. Stateless and thread-safe.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The known name nearest {@code input}, ignoring case: one within a third of the input's length
   * (at most three edits; none below three characters), or one that starts with the input or the
   * input starts with, for at least three characters ({@code gsm} → {@code gsm8k}).
   */
  public static Optional<String> closest(String input, Collection<String> known) {
    requireNonNull(input, "input is null");
    requireNonNull(known, "known is null");
    String typed = input.toLowerCase(Locale.ROOT);
    int limit = Math.min(3, typed.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known) {
      String candidate = name.toLowerCase(Locale.ROOT);
      if (candidate.equals(typed)) {
        // Only the case differs: the nearest there can be.
        return Optional.of(name);
      }
      int distance = distance(typed, candidate);
      boolean prefix =
          Math.min(typed.length(), candidate.length()) >= 3
              && (candidate.startsWith(typed) || typed.startsWith(candidate));
      if ((distance <= limit || prefix) && distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * {@code " (did you mean NAME?)"} for the nearest known name, or the empty string: to follow the
   * quoted unknown name in an error line.
   */
  public static String didYouMean(String input, Collection<String> known) {
    return closest(input, known).map(name -> " (did you mean " + name + "?)").orElse("");
  }

  /** Levenshtein distance: insertions, deletions and substitutions, one each. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
