package io.leadline.api;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

/** Pins every default: a change here changes the numbers every run reports. */
public class DefaultsTest {
  @Test
  public void seedIsGptFathoms() {
    assertEquals(Defaults.SEED, 47L);
  }

  @Test
  public void resampleCountsArePinned() {
    assertEquals(Defaults.METRIC_RESAMPLES, 1_000);
    assertEquals(Defaults.DIFF_RESAMPLES, 10_000);
    assertEquals(Defaults.SENSITIVITY_RESAMPLES, 2_000);
    assertEquals(Defaults.PERMUTATIONS, 10_000);
  }

  @Test
  public void signFlipEnumeratesUpToSixteenPairs() {
    assertEquals(Defaults.SIGN_FLIP_EXACT_LIMIT, 16);
  }

  @Test
  public void testsAreAtFivePercentWithEightyPercentPower() {
    assertEquals(Defaults.ALPHA, 0.05);
    assertEquals(Defaults.POWER, 0.8);
  }
}
