package io.leadline.scoring;

import java.util.List;

/** Token-overlap arithmetic shared by the SQuAD-style F1 metrics. */
final class TokenBags {
  private TokenBags() {}

  /**
   * The size of the multiset intersection of two token lists ({@code sum((Counter(a) &
   * Counter(b)).values())}).
   */
  static int multisetOverlap(List<String> a, List<String> b) {
    int bSize = b.size();
    if (a.isEmpty() || bSize == 0) {
      return 0;
    }
    boolean[] used = new boolean[bSize];
    int overlap = 0;
    for (String token : a) {
      for (int j = 0; j < bSize; j++) {
        if (!used[j] && b.get(j).equals(token)) {
          used[j] = true;
          overlap++;
          break;
        }
      }
    }
    return overlap;
  }

  /**
   * SQuAD-style F1 from the overlap and the two token counts: 0 when nothing is shared (even when
   * both are empty), else {@code 2PR / (P + R)}, computed in the reference's order.
   */
  static double f1(int overlap, int predictionTokens, int goldTokens) {
    if (overlap == 0) {
      return 0.0;
    }
    double precision = 1.0 * overlap / predictionTokens;
    double recall = 1.0 * overlap / goldTokens;
    return (2 * precision * recall) / (precision + recall);
  }
}
