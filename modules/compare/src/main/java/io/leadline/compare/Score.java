package io.leadline.compare;

import io.leadline.api.Defaults;
import io.leadline.scoring.Bootstrap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's score on a benchmark (or one of its subsets) under one setting, with its 95%
 * bootstrap interval and the items behind it, computed as the sweep computes {@code metrics.json}:
 * the mean of each subset, resampled with the same seeds, and the macro mean of the subsets.
 *
 * @param n items scored (for an overall row, over all subsets)
 */
public record Score(double value, double ciLow, double ciHigh, int n) {
  /** Fewer items than this make a small sample, marked as such in reports. */
  public static final int SMALL_SAMPLE = 30;

  /**
   * The score of {@code items} (one benchmark and setting of {@code model}; one subset, or all of a
   * benchmark's subsets for its overall row).
   */
  static Score of(String model, List<Item> items) {
    Map<String, List<Item>> bySubset = new TreeMap<>();
    for (Item item : items) {
      bySubset.computeIfAbsent(item.subset().orElse(""), k -> new ArrayList<>()).add(item);
    }
    double value = 0;
    double[] replicates = new double[Defaults.METRIC_RESAMPLES];
    for (Map.Entry<String, List<Item>> subset : bySubset.entrySet()) {
      List<Item> sorted = new ArrayList<>(subset.getValue());
      sorted.sort(Comparator.comparingInt(Item::exampleIndex).thenComparing(Item::exampleId));
      double[] values = sorted.stream().mapToDouble(Item::value).toArray();
      Item first = sorted.get(0);
      // The seed of the sweep's own row (Aggregation), so the interval is metrics.json's.
      String key =
          String.join(
              "\u0000",
              model,
              first.benchmark(),
              subset.getKey(),
              first.setting(),
              "",
              first.metric());
      value += Bootstrap.mean(values);
      double[] own = Bootstrap.replicates(values, Bootstrap.seed(key), Defaults.METRIC_RESAMPLES);
      for (int r = 0; r < replicates.length; r++) {
        replicates[r] += own[r];
      }
    }
    int subsets = bySubset.size();
    value /= subsets;
    for (int r = 0; r < replicates.length; r++) {
      replicates[r] /= subsets;
    }
    double[] interval = Bootstrap.interval95(replicates);
    return new Score(
        value, Math.min(interval[0], value), Math.max(interval[1], value), items.size());
  }
}
