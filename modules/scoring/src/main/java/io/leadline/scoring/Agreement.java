package io.leadline.scoring;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Inter-rater agreement of judges that grade the same items: Krippendorff's alpha for any number of
 * judges with missing grades, Cohen's kappa for two judges' labels, and plain shares of units the
 * judges disagree on. {@code data[u][c]} is the grade judge (coder) c gave unit (item) u, with
 * {@link Double#NaN} for a missing grade; every row has the same length. Every sum is taken in a
 * fixed order (by unit, then coder, then sorted value), so the results are identical on every
 * machine.
 */
public final class Agreement {
  /** The level of measurement of the grades, which chooses alpha's difference function. */
  public enum Level {
    NOMINAL,
    ORDINAL,
    INTERVAL,
    RATIO
  }

  private Agreement() {}

  /**
   * Krippendorff's alpha of {@code data} at {@code level}, by the coincidence-matrix computation of
   * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": units with fewer than two
   * grades are not pairable and left out; each pairable unit u with m_u grades adds 1/(m_u − 1) to
   * o_ck for every ordered pair of its grades (c, k) by different coders; n_c counts the pairable
   * grades c and n their total; and
   *
   * <pre>α = 1 − (n − 1) Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck</pre>
   *
   * over the distinct pairable grades in ascending order, with δ²_ck nominal 0 if c = k else 1,
   * ordinal (Σ_{g=c..k} n_g − (n_c + n_k)/2)², interval (c − k)², ratio ((c − k)/(c + k))² (ratio
   * grades must be ≥ 0). Empty when alpha is undefined: no pairable grades, or no expected
   * disagreement (a single distinct grade). A single pairable unit gives 0 unless its grades agree.
   */
  public static OptionalDouble krippendorffAlpha(double[][] data, Level level) {
    checkNotNull(level, "no level");
    checkData(data);
    double[] values = pairableValues(data);
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    if (level == Level.RATIO) {
      checkArgument(values[0] >= 0, "ratio grades must be >= 0: %s", values[0]);
    }
    int v = values.length;
    double[][] coincidences = new double[v][v];
    long[] marginals = new long[v];
    int[] counts = new int[v];
    for (double[] unit : data) {
      int m = gradesIn(unit);
      if (m < 2) {
        continue;
      }
      Arrays.fill(counts, 0);
      for (double grade : unit) {
        if (!Double.isNaN(grade)) {
          counts[Arrays.binarySearch(values, grade + 0.0)]++;
        }
      }
      for (int c = 0; c < v; c++) {
        if (counts[c] == 0) {
          continue;
        }
        marginals[c] += counts[c];
        for (int k = 0; k < v; k++) {
          if (counts[k] == 0) {
            continue;
          }
          long pairs = (long) counts[c] * (c == k ? counts[k] - 1 : counts[k]);
          coincidences[c][k] += (double) pairs / (m - 1);
        }
      }
    }
    long n = 0;
    for (long marginal : marginals) {
      n += marginal;
    }
    double[][] delta = differences(values, marginals, level);
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < v; c++) {
      for (int k = 0; k < v; k++) {
        observed += coincidences[c][k] * delta[c][k];
        expected += (double) (marginals[c] * marginals[k]) * delta[c][k];
      }
    }
    if (expected == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(1 - (n - 1) * observed / expected);
  }

  /**
   * Cohen's kappa of two raters' labels of the same items, Cohen (1960), "A coefficient of
   * agreement for nominal scales": κ = (p_o − p_e) / (1 − p_e), with p_o the share of items both
   * label alike and p_e = Σ_k (n_ak / n)(n_bk / n) the agreement expected from each rater's own
   * label frequencies. Items where either label is null are left out. Computed from integer counts
   * as (n·agreed − Σ_k n_ak n_bk) / (n² − Σ_k n_ak n_bk). Empty when no items remain or p_e = 1
   * (both raters give one and the same label throughout).
   */
  public static OptionalDouble cohenKappa(List<String> a, List<String> b) {
    checkNotNull(a, "no labels a");
    checkNotNull(b, "no labels b");
    checkArgument(a.size() == b.size(), "label lists differ in size: %s vs %s", a.size(), b.size());
    Map<String, long[]> marginals = new TreeMap<>();
    long n = 0;
    long agreed = 0;
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      if (x == null || y == null) {
        continue;
      }
      n++;
      if (x.equals(y)) {
        agreed++;
      }
      marginals.computeIfAbsent(x, key -> new long[2])[0]++;
      marginals.computeIfAbsent(y, key -> new long[2])[1]++;
    }
    if (n == 0) {
      return OptionalDouble.empty();
    }
    long chance = 0;
    for (long[] counts : marginals.values()) {
      chance += counts[0] * counts[1];
    }
    long total = n * n;
    if (chance == total) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((double) (n * agreed - chance) / (total - chance));
  }

  /**
   * The share of pairable units (at least two grades) whose range max − min is strictly greater
   * than {@code points}: #{u : m_u ≥ 2 and max_u − min_u > points} / #{u : m_u ≥ 2}. Empty when no
   * unit is pairable.
   */
  public static OptionalDouble shareDisagreeingBy(double[][] data, double points) {
    checkData(data);
    checkArgument(
        points >= 0 && Double.isFinite(points), "points must be finite, >= 0: %s", points);
    int pairable = 0;
    int disagreeing = 0;
    for (double[] unit : data) {
      if (gradesIn(unit) < 2) {
        continue;
      }
      pairable++;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double grade : unit) {
        if (!Double.isNaN(grade)) {
          min = Math.min(min, grade);
          max = Math.max(max, grade);
        }
      }
      if (max - min > points) {
        disagreeing++;
      }
    }
    return pairable == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of((double) disagreeing / pairable);
  }

  /**
   * The number of pairable units: those with at least two grades (m_u ≥ 2), the units
   * Krippendorff's alpha is computed from.
   */
  public static int pairableUnits(double[][] data) {
    checkData(data);
    int pairable = 0;
    for (double[] unit : data) {
      if (gradesIn(unit) >= 2) {
        pairable++;
      }
    }
    return pairable;
  }

  private static void checkData(double[][] data) {
    checkNotNull(data, "no data");
    for (int u = 0; u < data.length; u++) {
      checkArgument(data[u] != null, "unit %s is null", u);
      checkArgument(
          data[u].length == data[0].length,
          "unit %s has %s coders, unit 0 has %s",
          u,
          data[u].length,
          data[0].length);
      for (double grade : data[u]) {
        checkArgument(!Double.isInfinite(grade), "unit %s has an infinite grade", u);
      }
    }
  }

  private static int gradesIn(double[] unit) {
    int m = 0;
    for (double grade : unit) {
      if (!Double.isNaN(grade)) {
        m++;
      }
    }
    return m;
  }

  /** The distinct grades of the pairable units, ascending, with −0.0 taken as 0.0. */
  private static double[] pairableValues(double[][] data) {
    int size = 0;
    for (double[] unit : data) {
      if (gradesIn(unit) >= 2) {
        size += unit.length;
      }
    }
    double[] grades = new double[size];
    int filled = 0;
    for (double[] unit : data) {
      if (gradesIn(unit) >= 2) {
        for (double grade : unit) {
          if (!Double.isNaN(grade)) {
            grades[filled++] = grade + 0.0;
          }
        }
      }
    }
    return Arrays.stream(grades, 0, filled).sorted().distinct().toArray();
  }

  /** δ²_ck of Krippendorff (2011) for the ascending distinct {@code values}. */
  private static double[][] differences(double[] values, long[] marginals, Level level) {
    int v = values.length;
    double[][] delta = new double[v][v];
    for (int c = 0; c < v; c++) {
      long between = 0;
      for (int k = c; k < v; k++) {
        between += marginals[k];
        double d =
            switch (level) {
              case NOMINAL -> c == k ? 0 : 1;
              case ORDINAL -> {
                double rank = between - (marginals[c] + marginals[k]) / 2.0;
                yield c == k ? 0 : rank * rank;
              }
              case INTERVAL -> (values[c] - values[k]) * (values[c] - values[k]);
              case RATIO -> {
                double sum = values[c] + values[k];
                double ratio = sum == 0 ? 0 : (values[c] - values[k]) / sum;
                yield ratio * ratio;
              }
            };
        delta[c][k] = d;
        delta[k][c] = d;
      }
    }
    return delta;
  }
}
