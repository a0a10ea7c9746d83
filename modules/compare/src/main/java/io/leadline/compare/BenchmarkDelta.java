package io.leadline.compare;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * One row of a diff: a benchmark (or one of its subsets) under one setting, A against B.
 *
 * @param subset empty for the benchmark's overall row (a macro mean over subsets where it has them)
 * @param test {@code mcnemar} for right/wrong metrics, {@code sign-flip permutation} otherwise
 * @param direction {@code up}, {@code down} or {@code flat} (flat unless {@code pAdjusted < 0.05})
 */
public record BenchmarkDelta(
    String benchmark,
    Optional<String> subset,
    String setting,
    String metric,
    int nPaired,
    double a,
    double b,
    double delta,
    double ciLow,
    double ciHigh,
    String test,
    double pValue,
    double pAdjusted,
    String direction,
    double minDetectableDelta,
    List<Flip> flipsUp,
    List<Flip> flipsDown) {
  public BenchmarkDelta {
    flipsUp = ImmutableList.copyOf(flipsUp);
    flipsDown = ImmutableList.copyOf(flipsDown);
  }

  BenchmarkDelta withAdjusted(double adjusted) {
    String moved =
        adjusted < Diff.ALPHA ? (delta > 0 ? "up" : delta < 0 ? "down" : "flat") : "flat";
    return new BenchmarkDelta(
        benchmark,
        subset,
        setting,
        metric,
        nPaired,
        a,
        b,
        delta,
        ciLow,
        ciHigh,
        test,
        pValue,
        adjusted,
        moved,
        minDetectableDelta,
        flipsUp,
        flipsDown);
  }
}
