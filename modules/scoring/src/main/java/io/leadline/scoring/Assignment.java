package io.leadline.scoring;

import java.util.Arrays;

/**
 * The best one-to-one assignment of rows to columns (the Hungarian method, as {@code
 * scipy.optimize.linear_sum_assignment} solves it), maximising the total score of a rectangular
 * matrix.
 */
final class Assignment {
  private Assignment() {}

  /**
   * For each row, the column assigned to it, or -1 where there are more rows than columns and the
   * row is left out. The total of the assigned scores is the largest possible.
   */
  static int[] maximize(double[][] scores) {
    int rows = scores.length;
    int columns = rows == 0 ? 0 : scores[0].length;
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    if (rows == 0 || columns == 0) {
      return result;
    }
    if (rows == 1) {
      int best = 0;
      for (int c = 1; c < columns; c++) {
        if (scores[0][c] > scores[0][best]) {
          best = c;
        }
      }
      result[0] = best;
      return result;
    }
    if (rows <= columns) {
      return minimizeCost(scores, rows, columns, false);
    }
    int[] columnToRow = minimizeCost(scores, columns, rows, true);
    for (int c = 0; c < columns; c++) {
      result[columnToRow[c]] = c;
    }
    return result;
  }

  /**
   * The O(n²m) potentials form of the Hungarian method on cost = -score, for n ≤ m. Returns, for
   * each of the n "left" indices, its assigned "right" index.
   */
  private static int[] minimizeCost(double[][] scores, int n, int m, boolean transposed) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] match = new int[m + 1];
    int[] way = new int[m + 1];
    for (int i = 1; i <= n; i++) {
      match[0] = i;
      int j0 = 0;
      double[] minv = new double[m + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[m + 1];
      do {
        used[j0] = true;
        int i0 = match[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cost =
                -(transposed ? scores[j - 1][i0 - 1] : scores[i0 - 1][j - 1]) - u[i0] - v[j];
            if (cost < minv[j]) {
              minv[j] = cost;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[match[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (match[j0] != 0);
      do {
        int j1 = way[j0];
        match[j0] = match[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] assigned = new int[n];
    for (int j = 1; j <= m; j++) {
      if (match[j] != 0) {
        assigned[match[j] - 1] = j - 1;
      }
    }
    return assigned;
  }
}
