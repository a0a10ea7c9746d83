package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Test;

public class BootstrapTest {
  @Test
  public void percentilesInterpolateAsNumPy() {
    // numpy.percentile(range(1, 11), [2.5, 97.5]) == [1.225, 9.775]
    double[] values = {7, 1, 3, 9, 5, 2, 8, 10, 4, 6};
    double[] interval = Bootstrap.interval95(values);
    assertEquals(interval[0], 1.225, 1e-12);
    assertEquals(interval[1], 9.775, 1e-12);
    // numpy.percentile([1, 2, 3, 4], [0, 50, 100]) == [1, 2.5, 4]
    double[] sorted = {1, 2, 3, 4};
    assertEquals(Bootstrap.percentile(sorted, 0), 1.0);
    assertEquals(Bootstrap.percentile(sorted, 0.5), 2.5);
    assertEquals(Bootstrap.percentile(sorted, 1), 4.0);
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(sorted, 1.5));
  }

  @Test
  public void replicatesAreAFunctionOfValuesAndName() {
    double[] values = new double[200];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 3 == 0 ? 1 : 0;
    }
    double[] once = Bootstrap.replicates(values, Bootstrap.seed("sim-v1/gsm8k"), 1000);
    assertTrue(
        Arrays.equals(once, Bootstrap.replicates(values, Bootstrap.seed("sim-v1/gsm8k"), 1000)));
    assertNotEquals(once, Bootstrap.replicates(values, Bootstrap.seed("sim-v2/gsm8k"), 1000));
    double[] interval = Bootstrap.interval95(once);
    double mean = Bootstrap.mean(values);
    // The normal approximation's half-width is 1.96 * sqrt(p(1-p)/n) ~= 0.065.
    assertTrue(interval[0] < mean && mean < interval[1]);
    assertEquals(interval[1] - interval[0], 2 * 0.065, 0.02);
  }

  @Test
  public void seedsAreDerivedFromTheDefaultSeedAndTheName() {
    // 47 ^ the first eight bytes (little-endian) of sha256("sim-v1/gsm8k"): pinned, since every
    // interval a run reports depends on it.
    assertEquals(Bootstrap.seed("sim-v1/gsm8k"), PINNED_SEED);
  }

  @Test
  public void constantValuesHaveAPointInterval() {
    double[] ones = {1, 1, 1, 1};
    double[] interval = Bootstrap.interval95(Bootstrap.replicates(ones, Bootstrap.seed("x"), 100));
    assertEquals(interval[0], 1.0);
    assertEquals(interval[1], 1.0);
  }

  @Test
  public void macroReplicatesOfOneStratumAreItsReplicates() {
    double[] values = {0.25, 1, 0, 0.5, 1, 1, 0};
    long seed = Bootstrap.seed("one");
    assertEquals(
        Bootstrap.macroReplicates(List.of(values), seed, 500),
        Bootstrap.replicates(values, seed, 500));
  }

  @Test
  public void macroReplicatesAverageTheStrataAndDrawWithinEach() {
    // Two constant strata: every resample's macro mean is (0 + 1) / 2, whatever is drawn.
    double[] replicates =
        Bootstrap.macroReplicates(
            List.of(new double[] {0, 0, 0}, new double[] {1, 1}), Bootstrap.seed("two"), 50);
    for (double replicate : replicates) {
      assertEquals(replicate, 0.5);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Bootstrap.macroReplicates(List.of(new double[0]), 1, 10));
  }

  private static final long PINNED_SEED = -4754882038503254564L;
}
