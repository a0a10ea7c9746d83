package io.leadline.scoring;

import static org.testng.Assert.assertEquals;

import java.util.Random;
import org.testng.annotations.Test;

public class AssignmentTest {
  @Test
  public void picksTheBestTotalNotTheGreedyOne() {
    double[][] scores = {{0.9, 0.8}, {0.85, 0.0}};
    assertEquals(Assignment.maximize(scores), new int[] {1, 0});
  }

  @Test
  public void leavesExtraRowsUnassigned() {
    double[][] scores = {{0.1}, {0.7}, {0.3}};
    assertEquals(Assignment.maximize(scores), new int[] {-1, 0, -1});
  }

  @Test
  public void matchesBruteForceOnRandomMatrices() {
    Random random = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      int rows = 1 + random.nextInt(5);
      int columns = 1 + random.nextInt(5);
      double[][] scores = new double[rows][columns];
      for (double[] row : scores) {
        for (int c = 0; c < columns; c++) {
          row[c] = random.nextInt(4) / 4.0;
        }
      }
      int[] assignment = Assignment.maximize(scores);
      double total = 0;
      boolean[] taken = new boolean[columns];
      for (int r = 0; r < rows; r++) {
        if (assignment[r] >= 0) {
          assertEquals(taken[assignment[r]], false, "column used twice");
          taken[assignment[r]] = true;
          total += scores[r][assignment[r]];
        }
      }
      assertEquals(total, best(scores, 0, new boolean[columns]), 1e-12);
    }
  }

  private static double best(double[][] scores, int row, boolean[] taken) {
    if (row == scores.length) {
      return 0;
    }
    double best = best(scores, row + 1, taken);
    for (int c = 0; c < taken.length; c++) {
      if (!taken[c]) {
        taken[c] = true;
        best = Math.max(best, scores[row][c] + best(scores, row + 1, taken));
        taken[c] = false;
      }
    }
    return best;
  }
}
