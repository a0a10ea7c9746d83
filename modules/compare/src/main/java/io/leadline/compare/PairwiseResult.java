package io.leadline.compare;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.leadline.api.Defaults;
import io.leadline.scoring.Bootstrap;
import java.util.List;
import java.util.Optional;

/**
 * A judge's pairwise verdicts on one benchmark of a diff: every pair of A's and B's completions of
 * an item judged in both orders. A verdict that changes with the order is a tie (the order's effect
 * cancelled); how often that happens measures the judge's position bias.
 *
 * @param pairs the item samples both runs have
 * @param graded the pairs whose two replies both gave a verdict
 * @param winsA pairs A won in both orders
 * @param winsB pairs B won in both orders
 * @param ties pairs tied in both orders, or whose verdict flipped with the order
 * @param flips pairs whose verdict changed with the order
 * @param firstShownShare of the graded replies, the share that preferred the completion shown first
 *     (0.5 for a judge without position bias)
 * @param winRateB B's win rate, a tie counting half, over the graded pairs, with its 95% bootstrap
 *     interval
 */
public record PairwiseResult(
    String benchmark,
    String setting,
    String template,
    String judge,
    long pairs,
    long graded,
    long winsA,
    long winsB,
    long ties,
    long flips,
    double firstShownShare,
    double winRateB,
    double ciLow,
    double ciHigh,
    long sentRequests,
    List<Pair> verdicts) {
  /**
   * One pair's verdicts, each {@code A}, {@code B} or {@code TIE}, empty where the reply gave none.
   *
   * @param firstShown how many of the two replies preferred the completion shown first
   */
  public record Pair(
      String exampleId, Optional<String> inOrder, Optional<String> swapped, int firstShown) {
    public Pair {
      requireNonNull(exampleId, "exampleId is null");
      requireNonNull(inOrder, "inOrder is null");
      requireNonNull(swapped, "swapped is null");
    }

    /** Whether both orders gave a verdict. */
    public boolean graded() {
      return inOrder.isPresent() && swapped.isPresent();
    }

    /** The cancelled verdict: the orders' verdict where they agree, else a tie. */
    public String winner() {
      return inOrder.get().equals(swapped.get()) ? inOrder.get() : "TIE";
    }
  }

  public PairwiseResult {
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(setting, "setting is null");
    requireNonNull(template, "template is null");
    requireNonNull(judge, "judge is null");
    verdicts = ImmutableList.copyOf(verdicts);
  }

  /** The share of graded pairs whose verdict flipped with the order. */
  public double flipShare() {
    return graded == 0 ? 0 : flips / (double) graded;
  }

  /** The result of {@code pairs} (in item order), {@code sent} requests having been sent. */
  public static PairwiseResult of(
      String benchmark,
      String setting,
      String template,
      String judge,
      List<Pair> pairs,
      long sent) {
    long winsA = 0;
    long winsB = 0;
    long ties = 0;
    long flips = 0;
    long first = 0;
    List<Pair> graded = pairs.stream().filter(Pair::graded).toList();
    double[] values = new double[graded.size()];
    for (int i = 0; i < graded.size(); i++) {
      Pair pair = graded.get(i);
      String winner = pair.winner();
      winsA += winner.equals("A") ? 1 : 0;
      winsB += winner.equals("B") ? 1 : 0;
      ties += winner.equals("TIE") ? 1 : 0;
      flips += pair.inOrder().get().equals(pair.swapped().get()) ? 0 : 1;
      first += pair.firstShown();
      values[i] = winner.equals("B") ? 1 : winner.equals("TIE") ? 0.5 : 0;
    }
    double rate = values.length == 0 ? 0.5 : Bootstrap.mean(values);
    double[] interval =
        values.length == 0
            ? new double[] {0, 1}
            : Bootstrap.interval95(
                Bootstrap.replicates(
                    values,
                    Bootstrap.seed(
                        "pairwise\u0000" + benchmark + "\u0000" + setting + "\u0000" + judge),
                    Defaults.METRIC_RESAMPLES));
    return new PairwiseResult(
        benchmark,
        setting,
        template,
        judge,
        pairs.size(),
        graded.size(),
        winsA,
        winsB,
        ties,
        flips,
        graded.isEmpty() ? 0 : first / (2.0 * graded.size()),
        rate,
        Math.min(interval[0], rate),
        Math.max(interval[1], rate),
        sent,
        pairs);
  }
}
