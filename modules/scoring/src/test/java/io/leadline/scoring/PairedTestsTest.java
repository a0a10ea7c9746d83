package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Defaults;
import org.testng.annotations.Test;

public class PairedTestsTest {
  @Test
  public void mcnemarExactMatchesTheBinomialTail() {
    // 2 * P(X <= 1), X ~ Bin(10, 1/2) = 2 * 11 / 1024
    assertEquals(PairedTests.mcnemarExact(1, 9), 0.021484375, 1e-15);
    assertEquals(PairedTests.mcnemarExact(9, 1), 0.021484375, 1e-15);
    // 2 * sum_{i<=10} C(35, i) / 2^35 (scipy.stats.binomtest(10, 35).pvalue)
    assertEquals(PairedTests.mcnemarExact(10, 25), 0.01667384780012071, 1e-13);
    assertEquals(PairedTests.mcnemarExact(5, 5), 1.0);
    assertEquals(PairedTests.mcnemarExact(0, 0), 1.0);
    // All 20 discordant pairs one way: 2 / 2^20.
    assertEquals(PairedTests.mcnemarExact(0, 20), 2.0 / (1 << 20), 1e-18);
  }

  @Test
  public void holmAdjustsStepDownAndKeepsTheOrder() {
    double[] adjusted = PairedTests.holm(new double[] {0.01, 0.04, 0.03, 0.005});
    assertEquals(adjusted[0], 0.03, 1e-15);
    assertEquals(adjusted[1], 0.06, 1e-15);
    assertEquals(adjusted[2], 0.06, 1e-15);
    assertEquals(adjusted[3], 0.02, 1e-15);
    assertEquals(PairedTests.holm(new double[] {0.6, 0.9})[0], 1.0);
  }

  @Test
  public void signFlipIsExactForSmallSamplesAndSeededForLarge() {
    // Only the all-plus and all-minus patterns reach |sum| = 6: 2 of 8.
    assertEquals(PairedTests.signFlip(new double[] {1, 2, 3}, 1, 100), 0.25);
    assertEquals(PairedTests.signFlip(new double[] {0, 0, 0}, 1, 100), 1.0);
    double[] shifted = new double[40];
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] = 0.2 + (i % 5) * 0.01;
    }
    double p = PairedTests.signFlip(shifted, 7, 10_000);
    assertEquals(p, 1.0 / 10_001, 1e-12);
    assertEquals(PairedTests.signFlip(shifted, 7, 10_000), p);
  }

  @Test
  public void minimumDetectableDeltaFollowsThePowerFormula() {
    double[] a = {1, 0, 1, 0, 1, 0, 1, 0};
    double[] b = {1, 1, 1, 0, 0, 0, 1, 1};
    // d = 0,1,0,0,-1,0,0,1: mean 1/8, sd = sqrt((3 * (7/8)^2 ... ) / 7)
    double mean = 1.0 / 8;
    double squares = 0;
    for (double d : new double[] {0, 1, 0, 0, -1, 0, 0, 1}) {
      squares += (d - mean) * (d - mean);
    }
    double expected =
        (1.959963984540054 + 0.8416212335729143) * Math.sqrt(squares / 7) / Math.sqrt(8);
    assertEquals(PairedTests.minimumDetectable(a, b), expected, 1e-12);
    // A run against itself: the planning value, not zero.
    assertTrue(PairedTests.minimumDetectable(a, a) > 0.5);
  }

  @Test
  public void signFlipEnumeratesUpToTheExactLimitAndSamplesBeyond() {
    double[] exact = new double[Defaults.SIGN_FLIP_EXACT_LIMIT];
    java.util.Arrays.fill(exact, 1);
    // All plus or all minus: 2 of 2^16 patterns, whatever the resamples.
    assertEquals(PairedTests.signFlip(exact, 1, 100), 2.0 / (1 << exact.length));
    double[] sampled = new double[Defaults.SIGN_FLIP_EXACT_LIMIT + 1];
    java.util.Arrays.fill(sampled, 1);
    assertEquals(PairedTests.signFlip(sampled, 1, 100), 1.0 / 101);
  }

  @Test
  public void zQuantilesAreThoseOfTheDefaultAlphaAndPower() {
    assertEquals(normalCdf(PairedTests.Z_ALPHA), 1 - Defaults.ALPHA / 2, 1e-12);
    assertEquals(normalCdf(PairedTests.Z_POWER), Defaults.POWER, 1e-12);
  }

  /** Φ(z) for z >= 0 by Simpson's rule over the density: accurate to ~1e-15 here. */
  private static double normalCdf(double z) {
    int steps = 100_000;
    double h = z / steps;
    double sum = density(0) + density(z);
    for (int i = 1; i < steps; i++) {
      sum += (i % 2 == 1 ? 4 : 2) * density(i * h);
    }
    return 0.5 + sum * h / 3;
  }

  private static double density(double x) {
    return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }
}
