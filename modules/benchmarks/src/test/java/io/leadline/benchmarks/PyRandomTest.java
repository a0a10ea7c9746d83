package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

/** Values printed by CPython 3.11's {@code random.Random}. */
public class PyRandomTest {
  @Test
  public void shufflesAsRandom47DoesForEveryOptionCount() {
    int[][] expected = {
      {0, 1},
      {2, 0, 1},
      {3, 1, 0, 2},
      {3, 4, 1, 0, 2},
      {4, 1, 5, 3, 0, 2},
      {5, 1, 6, 4, 3, 0, 2},
    };
    for (int[] permutation : expected) {
      assertEquals(new PyRandom(47).permutation(permutation.length), permutation);
    }
    assertEquals(new PyRandom(47).permutation(10), new int[] {0, 9, 8, 2, 7, 3, 4, 6, 1, 5});
  }

  @Test
  public void oneGeneratorShuffledInSequenceGivesTheExemplarPermutations() {
    PyRandom random = new PyRandom(47);
    int[][] expected = {{3, 1, 0, 2}, {0, 1, 2, 3}, {0, 1, 3, 2}, {1, 0, 2, 3}, {1, 0, 2, 3}};
    for (int[] permutation : expected) {
      assertEquals(random.permutation(4), permutation);
    }
  }

  @Test
  public void drawsTheSameBitsAndRangesAsCPython() {
    long[][] seeds = {
      {0, 3626764237L, 1654615998L, 3255389356L, 911, 430, 41},
      {1, 577090037L, 2444712010L, 3639700191L, 821, 782, 64},
      {12345, 1789368711L, 3146859322L, 43676229L, 839, 845, 822},
      {4294967295L, 2728839433L, 2661025012L, 872737089L, 220, 621, 534},
    };
    for (long[] row : seeds) {
      PyRandom random = new PyRandom(row[0]);
      for (int i = 1; i <= 3; i++) {
        assertEquals(random.getrandbits(32), row[i], "seed " + row[0]);
      }
      for (int i = 4; i <= 6; i++) {
        assertEquals(random.randbelow(1000), row[i], "seed " + row[0]);
      }
    }
  }
}
