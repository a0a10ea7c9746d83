package io.leadline.engine;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of a mean, reproducible to the last digit: the resamples come from a {@link
 * SplittableRandom} seeded from the sweep's seed and the name of what is measured, and every sum is
 * taken in the order of the values given.
 */
final class Bootstrap {
  /** The seed every sweep's intervals start from (GPT-Fathom's seed). */
  static final long SEED = 47;

  /** Resamples per interval. */
  static final int RESAMPLES = 1000;

  private Bootstrap() {}

  /** The mean of {@code values}, summed in order. */
  static double mean(double[] values) {
    checkArgument(values.length > 0, "no values");
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  /** The means of {@code resamples} resamples (with replacement) of {@code values}. */
  static double[] replicates(double[] values, String what, int resamples) {
    checkArgument(values.length > 0, "no values");
    SplittableRandom random = new SplittableRandom(seed(what));
    double[] means = new double[resamples];
    int n = values.length;
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[r] = sum / n;
    }
    return means;
  }

  /** The 2.5th and 97.5th percentiles of {@code replicates} (linear interpolation, as NumPy). */
  static double[] interval95(double[] replicates) {
    double[] sorted = replicates.clone();
    Arrays.sort(sorted);
    return new double[] {percentile(sorted, 0.025), percentile(sorted, 0.975)};
  }

  private static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
  }

  private static long seed(String what) {
    return SEED ^ Hashing.sha256().hashString(what, StandardCharsets.UTF_8).asLong();
  }
}
