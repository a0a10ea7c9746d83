package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;

import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class PassAtKTest {
  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("passk");
  }

  @Test(dataProvider = "golden")
  public void reproducesReferenceBitForBit(GoldenRow row) {
    int n = row.json().get("n").asInt();
    int c = row.json().get("c").asInt();
    int k = row.json().get("k").asInt();
    double expected = row.json().get("expected").asDouble();
    assertEquals(
        Double.doubleToLongBits(PassAtK.referenceEstimate(n, c, k)),
        Double.doubleToLongBits(expected),
        row.toString());
    if (n >= 1 && k >= 1 && k <= n) {
      assertEquals(PassAtK.estimate(n, c, k), expected, 1e-12, row.toString());
    }
  }

  @Test(dataProvider = "golden")
  public void agreesWithExactRationalWithinRounding(GoldenRow row) {
    if (!row.json().has("exact_rational_as_float") || row.json().get("k").asInt() == 0) {
      return;
    }
    int n = row.json().get("n").asInt();
    int c = row.json().get("c").asInt();
    int k = row.json().get("k").asInt();
    assertEquals(
        PassAtK.estimate(n, c, k),
        row.json().get("exact_rational_as_float").asDouble(),
        1e-12,
        row.toString());
  }

  @Test
  public void isZeroWithNoCorrectSampleAndOneWithAllCorrect() {
    assertEquals(PassAtK.estimate(200, 0, 100), 0.0);
    assertEquals(PassAtK.estimate(200, 200, 1), 1.0);
    assertEquals(PassAtK.estimate(1, 1, 1), 1.0);
  }

  @Test
  public void passAtOneIsTheShareCorrect() {
    assertEquals(PassAtK.estimate(100, 37, 1), 0.37, 1e-15);
  }

  @Test
  public void rejectsArgumentsOutsideTheEstimatorsDomain() {
    assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(5, 6, 1));
    assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(5, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(5, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(5, 0, 10));
  }

  @Test
  public void referenceEstimateKeepsTheReferencesOutOfDomainAnswers() {
    assertEquals(PassAtK.referenceEstimate(5, 0, 10), 1.0);
    assertEquals(PassAtK.referenceEstimate(10, 0, 0), 0.0);
  }
}
