package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;

import io.leadline.scoring.Agreement.Level;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.testng.annotations.Test;

public class AgreementTest {
  private static final double X = Double.NaN;

  /**
   * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", C. Nominal data, any number
   * of observers, missing data: observers A to D (columns) by units 1 to 12 (rows).
   */
  private static final double[][] KRIPPENDORFF_C = {
    {1, 1, X, 1},
    {2, 2, 3, 2},
    {3, 3, 3, 3},
    {3, 3, 3, 3},
    {2, 2, 2, 2},
    {1, 2, 3, 4},
    {4, 4, 4, 4},
    {1, 1, 2, 1},
    {2, 2, 2, 2},
    {X, 5, 5, 5},
    {X, X, 1, 1},
    {X, 3, X, X},
  };

  private static double alpha(double[][] data, Level level) {
    OptionalDouble alpha = Agreement.krippendorffAlpha(data, level);
    assertFalse(alpha.isEmpty(), level + " alpha undefined");
    return alpha.getAsDouble();
  }

  @Test
  public void krippendorffsWorkedExampleWithMissingDataAtEveryLevel() {
    assertEquals(alpha(KRIPPENDORFF_C, Level.NOMINAL), 0.743, 0.0005);
    assertEquals(alpha(KRIPPENDORFF_C, Level.ORDINAL), 0.815, 0.0005);
    assertEquals(alpha(KRIPPENDORFF_C, Level.INTERVAL), 0.849, 0.0005);
    assertEquals(alpha(KRIPPENDORFF_C, Level.RATIO), 0.797, 0.0005);
    // Unit 12 has one value only: 11 pairable units, 40 pairable values.
    assertEquals(Agreement.pairableUnits(KRIPPENDORFF_C), 11);
  }

  @Test
  public void krippendorffsNominalExampleIsExactlyItsClosedForm() {
    // o_cc for values 1 to 5: 7, 10, 8, 4, 3 (unit 6 adds 1/3 off the diagonal only);
    // n_c = 9, 13, 10, 5, 3 of n = 40; alpha = 1 - (n - 1)(n - sum o_cc) / (n^2 - sum n_c^2).
    double agreed = 7 + 10 + 8 + 4 + 3;
    double expected = 1 - 39 * (40 - agreed) / (40 * 40 - (81 + 169 + 100 + 25 + 9));
    assertEquals(alpha(KRIPPENDORFF_C, Level.NOMINAL), expected, 1e-12);
  }

  @Test
  public void krippendorffsBinaryTwoObserverExample() {
    // Krippendorff (2011), A. Binary data, two observers, no missing data:
    // o_01 = 4, n_0 = 14, n_1 = 6, n = 20, alpha = 1 - 19 * 4 / (14 * 6) = 0.095.
    double[] a = {0, 1, 0, 0, 0, 0, 0, 0, 1, 0};
    double[] b = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
    double[][] data = new double[a.length][];
    for (int u = 0; u < a.length; u++) {
      data[u] = new double[] {a[u], b[u]};
    }
    assertEquals(alpha(data, Level.NOMINAL), 1 - 19.0 * 4 / (14 * 6), 1e-12);
    assertEquals(alpha(data, Level.NOMINAL), 0.095, 0.0005);
    // With two values every metric is proportional to nominal's: alpha is the same.
    assertEquals(alpha(data, Level.INTERVAL), alpha(data, Level.NOMINAL), 1e-12);
    assertEquals(alpha(data, Level.ORDINAL), alpha(data, Level.NOMINAL), 1e-12);
  }

  @Test
  public void ordinalAlphaOfTwoUnitsByHand() {
    // Units {1, 2} and {1, 3}: n_1 = 2, n_2 = 1, n_3 = 1, n = 4; o_12 = o_21 = o_13 = o_31 = 1.
    // delta_12 = (2 + 1 - 3/2)^2 = 2.25, delta_13 = (2 + 1 + 1 - 3/2)^2 = 6.25,
    // delta_23 = (1 + 1 - 1)^2 = 1. Observed 2 (2.25 + 6.25) = 17,
    // expected 2 (2 * 1 * 2.25 + 2 * 1 * 6.25 + 1 * 1 * 1) = 36, alpha = 1 - 3 * 17 / 36.
    double[][] data = {{1, 2}, {1, 3}};
    assertEquals(alpha(data, Level.ORDINAL), 1 - 3 * 17.0 / 36, 1e-12);
    // Interval: observed 2 (1 + 4) = 10, expected 2 (2 * 1 + 2 * 4 + 1) = 22.
    assertEquals(alpha(data, Level.INTERVAL), 1 - 3 * 10.0 / 22, 1e-12);
    // Ratio: (1/3)^2 and (2/4)^2 and (1/5)^2.
    double d12 = 1 / 9.0;
    double d13 = 1 / 4.0;
    double d23 = 1 / 25.0;
    double ratio = 1 - 3 * (2 * (d12 + d13)) / (2 * (2 * d12 + 2 * d13 + d23));
    assertEquals(alpha(data, Level.RATIO), ratio, 1e-12);
  }

  @Test
  public void valuesOfUnpairableUnitsAreLeftOut() {
    double[][] extended = Arrays.copyOf(KRIPPENDORFF_C, KRIPPENDORFF_C.length + 2);
    extended[KRIPPENDORFF_C.length] = new double[] {X, 99, X, X};
    extended[KRIPPENDORFF_C.length + 1] = new double[] {X, X, X, X};
    for (Level level : Level.values()) {
      assertEquals(alpha(extended, level), alpha(KRIPPENDORFF_C, level), level.toString());
    }
    assertEquals(Agreement.pairableUnits(extended), 11);
  }

  @Test
  public void alphaIsInvariantToTheTransformsItsLevelAllows() {
    double[][] affine = map(KRIPPENDORFF_C, x -> 2.5 * x - 7);
    assertEquals(alpha(affine, Level.INTERVAL), alpha(KRIPPENDORFF_C, Level.INTERVAL), 1e-12);
    // Ordinal alpha sees only the ranks and their frequencies: bit for bit the same.
    double[][] monotone = map(KRIPPENDORFF_C, Math::exp);
    assertEquals(alpha(monotone, Level.ORDINAL), alpha(KRIPPENDORFF_C, Level.ORDINAL));
    assertEquals(alpha(monotone, Level.NOMINAL), alpha(KRIPPENDORFF_C, Level.NOMINAL));
    double[][] scaled = map(KRIPPENDORFF_C, x -> 3 * x);
    assertEquals(alpha(scaled, Level.RATIO), alpha(KRIPPENDORFF_C, Level.RATIO), 1e-12);
    // Judges' order does not matter at all.
    double[][] reversed = new double[KRIPPENDORFF_C.length][];
    for (int u = 0; u < reversed.length; u++) {
      double[] row = KRIPPENDORFF_C[u];
      reversed[u] = new double[] {row[3], row[2], row[1], row[0]};
    }
    for (Level level : Level.values()) {
      assertEquals(alpha(reversed, level), alpha(KRIPPENDORFF_C, level), level.toString());
    }
  }

  @Test
  public void alphaIsOneForPerfectAgreementAndUndefinedWithoutVariation() {
    double[][] perfect = {{1, 1, X}, {3, 3, 3}, {X, 2, 2}};
    for (Level level : Level.values()) {
      assertEquals(alpha(perfect, level), 1.0, level.toString());
    }
    double[][] identical = {{4, 4, 4}, {4, X, 4}, {4, 4, X}};
    for (Level level : Level.values()) {
      assertEquals(Agreement.krippendorffAlpha(identical, level), OptionalDouble.empty());
    }
  }

  @Test
  public void alphaIsUndefinedWithoutPairableValues() {
    assertEquals(
        Agreement.krippendorffAlpha(new double[0][], Level.NOMINAL), OptionalDouble.empty());
    double[][] oneUnitOneValue = {{2, X, X}};
    assertEquals(
        Agreement.krippendorffAlpha(oneUnitOneValue, Level.INTERVAL), OptionalDouble.empty());
    double[][] noUnitPairable = {{1, X}, {X, 2}, {X, X}};
    assertEquals(
        Agreement.krippendorffAlpha(noUnitPairable, Level.ORDINAL), OptionalDouble.empty());
    assertEquals(Agreement.pairableUnits(noUnitPairable), 0);
  }

  @Test
  public void aSingleDisagreeingUnitHasAlphaZero() {
    // With one unit the observed coincidences are the expected ones: D_o = D_e.
    double[][] one = {{1, 1, 2}};
    for (Level level : Level.values()) {
      assertEquals(alpha(one, level), 0.0, 1e-15, level.toString());
    }
  }

  @Test
  public void alphaRejectsBadData() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Agreement.krippendorffAlpha(new double[][] {{1, 2}, {1}}, Level.NOMINAL));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Agreement.krippendorffAlpha(
                new double[][] {{1, Double.POSITIVE_INFINITY}}, Level.INTERVAL));
    assertThrows(
        IllegalArgumentException.class,
        () -> Agreement.krippendorffAlpha(new double[][] {{-1, 2}, {1, 2}}, Level.RATIO));
    assertThrows(
        IllegalArgumentException.class, () -> Agreement.pairableUnits(new double[][] {null}));
    // Negative grades are fine where the level allows them.
    assertEquals(alpha(new double[][] {{-1, -1}, {2, 2}}, Level.INTERVAL), 1.0);
  }

  @Test
  public void negativeZeroIsTheSameGradeAsZero() {
    assertEquals(alpha(new double[][] {{0.0, -0.0}, {1, 1}}, Level.NOMINAL), 1.0);
  }

  @Test
  public void cohenKappaOfWikipediasProposals() {
    // 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    // p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    List<String> a = repeat(new String[] {"yes", "yes", "no", "no"}, 20, 5, 10, 15);
    List<String> b = repeat(new String[] {"yes", "no", "yes", "no"}, 20, 5, 10, 15);
    assertEquals(Agreement.cohenKappa(a, b).getAsDouble(), 0.4, 1e-12);
    assertEquals(Agreement.cohenKappa(b, a).getAsDouble(), 0.4, 1e-12);
  }

  @Test
  public void cohenKappaOfThreeLabelsByHand() {
    // 10 items, 7 agreements: p_o = 0.7; both raters give x 4, y 3, z 3 times:
    // p_e = (16 + 9 + 9) / 100 = 0.34; kappa = 0.36 / 0.66 = 6 / 11.
    List<String> a = List.of("x", "x", "x", "x", "y", "y", "y", "z", "z", "z");
    List<String> b = List.of("x", "x", "x", "y", "y", "y", "z", "z", "z", "x");
    assertEquals(Agreement.cohenKappa(a, b).getAsDouble(), 6.0 / 11, 1e-15);
    // Complete disagreement on balanced labels: p_o = 0, p_e = 0.5, kappa = -1.
    assertEquals(
        Agreement.cohenKappa(List.of("x", "y"), List.of("y", "x")).getAsDouble(), -1.0, 1e-15);
  }

  @Test
  public void cohenKappaLeavesOutItemsEitherRaterSkipped() {
    List<String> a = Arrays.asList("x", null, "x", "x", "x", "y", "y", "y", "z", "z", "z", "q");
    List<String> b = Arrays.asList("x", "z", "x", "x", "y", "y", "y", "z", "z", "z", "x", null);
    assertEquals(Agreement.cohenKappa(a, b).getAsDouble(), 6.0 / 11, 1e-15);
    List<String> none = Arrays.asList(null, "x");
    List<String> other = Arrays.asList("y", null);
    assertEquals(Agreement.cohenKappa(none, other), OptionalDouble.empty());
    assertEquals(Agreement.cohenKappa(List.of(), List.of()), OptionalDouble.empty());
  }

  @Test
  public void cohenKappaIsUndefinedWhenChanceAgreementIsCertain() {
    List<String> same = List.of("pass", "pass", "pass");
    assertEquals(Agreement.cohenKappa(same, same), OptionalDouble.empty());
    // Each constant but different: p_e = 0, kappa = 0.
    assertEquals(
        Agreement.cohenKappa(same, List.of("fail", "fail", "fail")).getAsDouble(), 0.0, 1e-15);
  }

  @Test
  public void cohenKappaRejectsListsOfDifferentSizes() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Agreement.cohenKappa(List.of("a", "b"), List.of("a")));
  }

  @Test
  public void shareDisagreeingByCountsRangesStrictlyAboveThePoints() {
    double[][] data = {
      {1, 2, X}, // range 1
      {1, 4, 2}, // range 3
      {5, X, X}, // not pairable
      {3, 3, 3}, // range 0
      {0, 2, X}, // range 2
    };
    assertEquals(Agreement.pairableUnits(data), 4);
    assertEquals(Agreement.shareDisagreeingBy(data, 0).getAsDouble(), 0.75);
    assertEquals(Agreement.shareDisagreeingBy(data, 1).getAsDouble(), 0.5);
    assertEquals(Agreement.shareDisagreeingBy(data, 1.5).getAsDouble(), 0.5);
    assertEquals(Agreement.shareDisagreeingBy(data, 2).getAsDouble(), 0.25);
    assertEquals(Agreement.shareDisagreeingBy(data, 3).getAsDouble(), 0.0);
  }

  @Test
  public void shareDisagreeingByIsUndefinedWithoutPairableUnits() {
    double[][] data = {{1, X}, {X, X}};
    assertEquals(Agreement.shareDisagreeingBy(data, 0), OptionalDouble.empty());
    assertEquals(Agreement.shareDisagreeingBy(new double[0][], 0), OptionalDouble.empty());
    assertThrows(IllegalArgumentException.class, () -> Agreement.shareDisagreeingBy(data, -1));
    assertThrows(IllegalArgumentException.class, () -> Agreement.shareDisagreeingBy(data, X));
  }

  private static double[][] map(double[][] data, java.util.function.DoubleUnaryOperator f) {
    double[][] mapped = new double[data.length][];
    for (int u = 0; u < data.length; u++) {
      mapped[u] = Arrays.stream(data[u]).map(f).toArray();
    }
    return mapped;
  }

  private static List<String> repeat(String[] labels, int... times) {
    List<String> list = new java.util.ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      for (int t = 0; t < times[i]; t++) {
        list.add(labels[i]);
      }
    }
    return list;
  }
}
