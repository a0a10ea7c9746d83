package io.leadline.scoring;

import static com.google.common.base.Preconditions.checkArgument;

import io.leadline.api.Defaults;
import java.util.Arrays;

/**
 * Paired tests and corrections for comparing two sets of scores on the same items (diffs,
 * sensitivity), each reproducible from its seed.
 */
public final class PairedTests {
  /** z_(1 - α/2) for {@link Defaults#ALPHA} (two-sided); a test ties it to the default. */
  static final double Z_ALPHA = 1.959963984540054;

  /** z_(power) for {@link Defaults#POWER}; a test ties it to the default. */
  static final double Z_POWER = 0.8416212335729143;

  private PairedTests() {}

  /**
   * Exact two-sided McNemar test: {@code b} pairs right only in A, {@code c} right only in B; the
   * p-value is {@code min(1, 2 P(X <= min(b, c)))} for X ~ Binomial(b + c, 1/2).
   */
  public static double mcnemarExact(int b, int c) {
    checkArgument(b >= 0 && c >= 0, "counts must be >= 0");
    int n = b + c;
    if (n == 0) {
      return 1.0;
    }
    int k = Math.min(b, c);
    // Sum binomial probabilities in log space: exact enough for thousands of discordant pairs.
    double logHalfN = n * Math.log(0.5);
    double tail = 0;
    double logChoose = 0;
    for (int i = 0; i <= k; i++) {
      if (i > 0) {
        logChoose += Math.log(n - i + 1) - Math.log(i);
      }
      tail += Math.exp(logChoose + logHalfN);
    }
    return Math.min(1.0, 2 * tail);
  }

  /**
   * Two-sided paired sign-flip permutation test of the mean difference: exact over all 2^n sign
   * patterns up to n = {@link Defaults#SIGN_FLIP_EXACT_LIMIT}, else {@code resamples} random
   * patterns (seeded) with the usual +1 correction.
   */
  public static double signFlip(double[] differences, long seed, int resamples) {
    int n = differences.length;
    double observed = Math.abs(sum(differences));
    if (observed == 0) {
      return 1.0;
    }
    double tolerance = 1e-12 * Math.max(1, observed);
    if (n <= Defaults.SIGN_FLIP_EXACT_LIMIT) {
      long extreme = 0;
      for (int mask = 0; mask < (1 << n); mask++) {
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += (mask & (1 << i)) != 0 ? -differences[i] : differences[i];
        }
        if (Math.abs(total) >= observed - tolerance) {
          extreme++;
        }
      }
      return (double) extreme / (1 << n);
    }
    Draws random = new Draws(seed);
    long extreme = 0;
    for (int r = 0; r < resamples; r++) {
      double total = random.signFlipSum(differences);
      if (Math.abs(total) >= observed - tolerance) {
        extreme++;
      }
    }
    return (extreme + 1.0) / (resamples + 1.0);
  }

  /** Holm's step-down adjustment of {@code p}, returned in the input order. */
  public static double[] holm(double[] p) {
    int m = p.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, (x, y) -> Double.compare(p[x], p[y]) != 0 ? Double.compare(p[x], p[y]) : x - y);
    double[] adjusted = new double[m];
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      int i = order[rank];
      running = Math.max(running, Math.min(1.0, (m - rank) * p[i]));
      adjusted[i] = running;
    }
    return adjusted;
  }

  /**
   * The smallest mean difference n paired items detect with {@link Defaults#POWER} power in a
   * two-sided test at {@link Defaults#ALPHA}: (z_0.975 + z_0.8) × sd / √n, with sd the differences'
   * standard deviation, or where they do not vary (a run against itself) the planning value √(2
   * p̄(1 − p̄)) of two independent scores.
   */
  public static double minimumDetectable(double[] a, double[] b) {
    int n = a.length;
    if (n < 2) {
      return 1.0;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = b[i] - a[i];
    }
    double mean = sum(d) / n;
    double squares = 0;
    for (double x : d) {
      squares += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(squares / (n - 1));
    if (sd == 0) {
      double pooled = (sum(a) + sum(b)) / (2.0 * n);
      pooled = Math.min(Math.max(pooled, 1.0 / n), 1 - 1.0 / n);
      sd = Math.sqrt(2 * pooled * (1 - pooled));
    }
    return Math.min(1.0, (Z_ALPHA + Z_POWER) * sd / Math.sqrt(n));
  }

  /** The sum of {@code values}, in order. */
  public static double sum(double[] values) {
    double total = 0;
    for (double value : values) {
      total += value;
    }
    return total;
  }
}
