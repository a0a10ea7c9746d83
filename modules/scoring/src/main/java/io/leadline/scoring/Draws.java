package io.leadline.scoring;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;

/**
 * The draws {@code new SplittableRandom(seed).nextInt(bound)} makes, the same numbers in the same
 * order, without its integer division: the bootstrap makes hundreds of millions of them, and the
 * division was most of their cost. The generator is SplitMix64 as {@link SplittableRandom}
 * specifies it (seed advanced by the golden gamma, each value mixed by {@code mix32}); the bound is
 * applied by the rejection loop of {@code RandomSupport.boundedNextInt}, its remainder {@code u %
 * bound} taken by multiplying by a rounded-up reciprocal, exact for every {@code u} below
 * 2<sup>31</sup> (Granlund and Montgomery, "Division by invariant integers using multiplication",
 * 1994). {@code DrawsTest} holds it to {@link SplittableRandom} draw for draw.
 */
final class Draws {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long seed;

  /** The draws of {@code new SplittableRandom(seed)}. */
  Draws(long seed) {
    this.seed = seed;
  }

  /** A bound of draws, with its reciprocal. */
  static final class Bound {
    final int bound;
    final int mask;
    final boolean powerOfTwo;
    final long reciprocal;
    final int shift;

    Bound(int bound) {
      checkArgument(bound > 0, "bound must be positive: %s", bound);
      this.bound = bound;
      this.mask = bound - 1;
      this.powerOfTwo = (bound & mask) == 0;
      // ceil(log2 bound) bits; a 31-bit u times the reciprocal stays below 2^63.
      int bits = 32 - Integer.numberOfLeadingZeros(bound - 1);
      this.shift = 31 + bits;
      this.reciprocal = ((1L << shift) + bound - 1) / bound;
    }
  }

  /**
   * The next {@code nextInt(bound.bound)}, one draw: the form {@link #resampleSum} writes out, held
   * to {@link SplittableRandom} at every size of bound by {@code DrawsTest}.
   */
  int below(Bound bound) {
    int r = nextInt();
    if (bound.powerOfTwo) {
      return r & bound.mask;
    }
    int m = bound.mask;
    int d = bound.bound;
    long reciprocal = bound.reciprocal;
    int shift = bound.shift;
    int u = r >>> 1;
    while (u + m - (r = u - (int) ((u * reciprocal) >>> shift) * d) < 0) {
      u = nextInt() >>> 1;
    }
    return r;
  }

  /**
   * The sum, in draw order, of {@code values[below(bound)]} over {@code values.length} draws: one
   * resample's total. The loop is the bootstrap's whole cost, so it is written out here, with the
   * generator's state in a local, rather than as calls of {@link #below}: the first-tier JIT the
   * short commands run with does not inline a method this long (1.7 times faster there).
   */
  double resampleSum(double[] values, Bound bound) {
    int n = values.length;
    long s = seed;
    double sum = 0;
    if (bound.powerOfTwo) {
      int mask = bound.mask;
      for (int i = 0; i < n; i++) {
        long z = s += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        sum += values[(int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32) & mask];
      }
    } else {
      int m = bound.mask;
      int d = bound.bound;
      long reciprocal = bound.reciprocal;
      int shift = bound.shift;
      for (int i = 0; i < n; i++) {
        long z = s += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        int u = (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 33);
        int r;
        while (u + m - (r = u - (int) ((u * reciprocal) >>> shift) * d) < 0) {
          z = s += GOLDEN_GAMMA;
          z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
          u = (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 33);
        }
        sum += values[r];
      }
    }
    seed = s;
    return sum;
  }

  /**
   * The sum, in order, of {@code values[i]} or {@code -values[i]} as each draw's {@code
   * nextBoolean()} ({@code nextInt() < 0}) says: one sign-flip permutation's total, written out as
   * {@link #resampleSum} is.
   */
  double signFlipSum(double[] values) {
    long s = seed;
    double total = 0;
    for (double value : values) {
      long z = s += GOLDEN_GAMMA;
      z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
      total += (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32) < 0 ? value : -value;
    }
    seed = s;
    return total;
  }

  /** The next {@code nextInt()}. */
  int nextInt() {
    long z = seed += GOLDEN_GAMMA;
    z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
    return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
  }
}
