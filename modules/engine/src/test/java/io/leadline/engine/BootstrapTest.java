package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import org.testng.annotations.Test;

public class BootstrapTest {
  @Test
  public void percentilesInterpolateAsNumPy() {
    // numpy.percentile(range(1, 11), [2.5, 97.5]) == [1.225, 9.775]
    double[] values = {7, 1, 3, 9, 5, 2, 8, 10, 4, 6};
    double[] interval = Bootstrap.interval95(values);
    assertEquals(interval[0], 1.225, 1e-12);
    assertEquals(interval[1], 9.775, 1e-12);
  }

  @Test
  public void replicatesAreAFunctionOfValuesAndName() {
    double[] values = new double[200];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 3 == 0 ? 1 : 0;
    }
    double[] once = Bootstrap.replicates(values, "sim-v1/gsm8k", 1000);
    assertTrue(Arrays.equals(once, Bootstrap.replicates(values, "sim-v1/gsm8k", 1000)));
    assertNotEquals(once, Bootstrap.replicates(values, "sim-v2/gsm8k", 1000));
    double[] interval = Bootstrap.interval95(once);
    double mean = Bootstrap.mean(values);
    // The normal approximation's half-width is 1.96 * sqrt(p(1-p)/n) ~= 0.065.
    assertTrue(interval[0] < mean && mean < interval[1]);
    assertEquals(interval[1] - interval[0], 2 * 0.065, 0.02);
  }

  @Test
  public void constantValuesHaveAPointInterval() {
    double[] ones = {1, 1, 1, 1};
    double[] interval = Bootstrap.interval95(Bootstrap.replicates(ones, "x", 100));
    assertEquals(interval[0], 1.0);
    assertEquals(interval[1], 1.0);
  }
}
