package io.leadline.scoring;

import static org.testng.Assert.assertEquals;

import java.util.SplittableRandom;
import org.testng.annotations.Test;

/** {@link Draws} is {@link SplittableRandom}, draw for draw. */
public class DrawsTest {
  @Test
  public void boundedDrawsAreSplittableRandomsForEveryKindOfBound() {
    // Small, odd, powers of two and their neighbours, and bounds where the rejection loop is
    // taken often (just above 2^30) or the reciprocal is widest (just below 2^31).
    int[] bounds = {
      1,
      2,
      3,
      5,
      7,
      10,
      57,
      100,
      164,
      1000,
      1023,
      1024,
      1025,
      9552,
      65_535,
      65_537,
      1 << 20,
      (1 << 30) + 1,
      (1 << 30) + 12_345,
      Integer.MAX_VALUE - 1,
      Integer.MAX_VALUE
    };
    long[] seeds = {0, 1, -1, 42, Bootstrap.seed("mmlu@abc"), Long.MIN_VALUE, Long.MAX_VALUE};
    for (long seed : seeds) {
      SplittableRandom expected = new SplittableRandom(seed);
      Draws draws = new Draws(seed);
      Draws.Bound[] each = new Draws.Bound[bounds.length];
      for (int b = 0; b < bounds.length; b++) {
        each[b] = new Draws.Bound(bounds[b]);
      }
      // One stream across bounds, as the stratified bootstrap draws.
      for (int i = 0; i < 200_000; i++) {
        int b = i % bounds.length;
        assertEquals(
            draws.below(each[b]),
            expected.nextInt(bounds[b]),
            "seed " + seed + ", draw " + i + ", bound " + bounds[b]);
      }
      assertEquals(draws.nextInt(), expected.nextInt(), "the streams stay in step");
      assertEquals(draws.nextInt() < 0, expected.nextBoolean(), "nextBoolean is nextInt() < 0");
    }
  }

  @Test
  public void theRemainderIsExactForEveryThirtyOneBitNumber() {
    // The reciprocal's remainder against %, at the edges of u and of every bit length of bound.
    for (int bits = 1; bits <= 31; bits++) {
      long top = bits == 31 ? Integer.MAX_VALUE : (1L << bits);
      for (long bound : new long[] {(top >> 1) + 1, top - 1, top, (top >> 1) + 3}) {
        if (bound < 1 || bound > Integer.MAX_VALUE) {
          continue;
        }
        Draws.Bound b = new Draws.Bound((int) bound);
        for (int u :
            new int[] {
              0, 1, (int) bound - 1, (int) bound, Integer.MAX_VALUE, Integer.MAX_VALUE - 1
            }) {
          if (u < 0) {
            continue;
          }
          int q = (int) ((u * b.reciprocal) >>> b.shift);
          assertEquals(u - q * (int) bound, u % (int) bound, "u " + u + ", bound " + bound);
        }
      }
    }
  }

  @Test
  public void theWrittenOutLoopsDrawWhatSplittableRandomDraws() {
    // Sizes a power of two or not, one resample of each after another as the bootstrap draws.
    int[] sizes = {1, 2, 3, 7, 64, 164, 1000, 1025, 9552};
    for (long seed : new long[] {0, 42, Bootstrap.seed("humaneval@abc"), Long.MIN_VALUE}) {
      SplittableRandom expected = new SplittableRandom(seed);
      Draws draws = new Draws(seed);
      for (int round = 0; round < 50; round++) {
        for (int size : sizes) {
          double[] values = new double[size];
          for (int i = 0; i < size; i++) {
            values[i] = (i * 7919 % 13) / 3.0;
          }
          double sum = 0;
          for (int i = 0; i < size; i++) {
            sum += values[expected.nextInt(size)];
          }
          assertEquals(draws.resampleSum(values, new Draws.Bound(size)), sum, "size " + size);
          double flipped = 0;
          for (double value : values) {
            flipped += expected.nextBoolean() ? value : -value;
          }
          assertEquals(draws.signFlipSum(values), flipped, "size " + size);
        }
      }
      assertEquals(draws.nextInt(), expected.nextInt(), "the streams stay in step");
    }
    // A large size, whose draws are rejected often enough (2^31 mod 999,983 of every 2^31) that
    // five resamples take the rejection loop hundreds of times.
    int size = 999_983;
    double[] values = new double[size];
    for (int i = 0; i < size; i++) {
      values[i] = i % 10;
    }
    SplittableRandom expected = new SplittableRandom(7);
    Draws draws = new Draws(7);
    for (int round = 0; round < 5; round++) {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += values[expected.nextInt(size)];
      }
      assertEquals(draws.resampleSum(values, new Draws.Bound(size)), sum, "round " + round);
    }
    assertEquals(draws.nextInt(), expected.nextInt(), "the streams stay in step");
  }
}
