package io.leadline.scoring;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hashing;
import io.leadline.api.Defaults;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Percentile bootstrap of means, reproducible to the last digit: the resamples come from a {@code
 * SplittableRandom} seeded from {@link Defaults#SEED} and the name of what is measured, and every
 * sum is taken in the order of the values given. The sweep's intervals, the diff's paired intervals
 * and the sensitivity report's intervals all come from here.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** The seed of the draws for {@code what}: {@link Defaults#SEED} mixed with its sha256. */
  public static long seed(String what) {
    return Defaults.SEED ^ Hashing.sha256().hashString(what, StandardCharsets.UTF_8).asLong();
  }

  /** The mean of {@code values}, summed in order. */
  public static double mean(double[] values) {
    checkArgument(values.length > 0, "no values");
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  /** The means of {@code resamples} resamples (with replacement) of {@code values}. */
  public static double[] replicates(double[] values, long seed, int resamples) {
    checkArgument(values.length > 0, "no values");
    int n = values.length;
    Draws random = new Draws(seed);
    Draws.Bound bound = new Draws.Bound(n);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      means[r] = random.resampleSum(values, bound) / n;
    }
    return means;
  }

  /**
   * The macro means of {@code resamples} stratified resamples: each resample draws (with
   * replacement) within every stratum, in order, and averages the strata's means. For paired values
   * the strata hold the per-item differences, which makes this the paired bootstrap.
   */
  public static double[] macroReplicates(List<double[]> strata, long seed, int resamples) {
    checkArgument(!strata.isEmpty(), "no strata");
    strata.forEach(s -> checkArgument(s.length > 0, "an empty stratum"));
    Draws random = new Draws(seed);
    Draws.Bound[] bounds =
        strata.stream().map(s -> new Draws.Bound(s.length)).toArray(Draws.Bound[]::new);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double macro = 0;
      for (int k = 0; k < bounds.length; k++) {
        double[] stratum = strata.get(k);
        macro += random.resampleSum(stratum, bounds[k]) / stratum.length;
      }
      means[r] = macro / strata.size();
    }
    return means;
  }

  /** The 2.5th and 97.5th percentiles of {@code replicates}. */
  public static double[] interval95(double[] replicates) {
    double[] sorted = replicates.clone();
    Arrays.sort(sorted);
    return new double[] {percentile(sorted, 0.025), percentile(sorted, 0.975)};
  }

  /**
   * The {@code q} quantile of {@code sorted} (ascending) by linear interpolation between the
   * closest ranks, as NumPy's default {@code percentile(..., 100 q)}.
   */
  public static double percentile(double[] sorted, double q) {
    checkArgument(sorted.length > 0, "no values");
    checkArgument(q >= 0 && q <= 1, "q must be in [0, 1]: %s", q);
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  }
}
