package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import io.leadline.api.Defaults;
import io.leadline.records.MetricRow;
import io.leadline.scoring.Bootstrap;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * {@code metrics.json} from the scored items: per group (model, benchmark, subset, setting, metric)
 * the mean of the per-problem values in example order with its bootstrap interval, computed on the
 * executors; on the driver, the macro means over subsets (each replicate the macro mean of the
 * subsets' replicates, so the interval of an overall row reflects every subset's sampling).
 */
final class Aggregation {
  private Aggregation() {}

  record GroupKey(
      String model,
      String benchmark,
      String subset,
      String setting,
      String settingHash,
      String perturbation,
      String metric)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    String describe() {
      return String.join(
          "\u0000", model, benchmark, subset == null ? "" : subset, setting, perturbation, metric);
    }
  }

  /**
   * @param noGradeRate for a judged metric, the share of its judge replies without a grade; NaN for
   *     the others
   * @param judgedItems the items the no-grade rate is over (those without a value too)
   * @param reasoningTruncatedRate the share of samples whose reasoning never closed; NaN where no
   *     item gave reasoning
   */
  record GroupStats(
      GroupKey key,
      long n,
      double value,
      double noAnswerRate,
      double noGradeRate,
      long judgedItems,
      double[] replicates,
      double reasoningTruncatedRate)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The metric rows of {@code items} (the scored items; failed ones are left out), sorted as {@link
   * MetricRow#ORDER}.
   *
   * @param primary the primary metric of each cell, keyed {@code benchmark/setting/perturbation}
   * @param withSubsets benchmarks whose subsets are macro-averaged into an overall row
   */
  static List<MetricRow> metrics(
      Dataset<Row> items, Map<String, String> primary, Set<String> withSubsets) {
    JavaPairRDD<GroupKey, double[]> values =
        items
            .filter("error IS NULL")
            .select(
                "model",
                "benchmark",
                "subset",
                "setting",
                "setting_hash",
                "example_index",
                "metrics",
                "no_answer",
                "perturbation",
                "no_grade",
                "reasoning_truncated")
            .javaRDD()
            .flatMapToPair(
                row -> {
                  List<Tuple2<GroupKey, double[]>> out = new ArrayList<>();
                  Map<String, Double> metrics = row.getJavaMap(6);
                  Map<String, Double> noGrade = row.isNullAt(9) ? Map.of() : row.getJavaMap(9);
                  // A judged metric no judge graded on this item has no value, but its no-grade
                  // share counts.
                  java.util.Set<String> names = new java.util.LinkedHashSet<>(metrics.keySet());
                  names.addAll(noGrade.keySet());
                  for (String name : names) {
                    Double value = metrics.get(name);
                    Double unread = noGrade.get(name);
                    out.add(
                        new Tuple2<>(
                            new GroupKey(
                                row.getString(0),
                                row.getString(1),
                                row.isNullAt(2) ? null : row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                row.isNullAt(8) ? "" : row.getString(8),
                                name),
                            new double[] {
                              row.getInt(5),
                              value == null ? Double.NaN : value,
                              row.getDouble(7),
                              unread == null ? Double.NaN : unread,
                              row.isNullAt(10) ? Double.NaN : row.getDouble(10)
                            }));
                  }
                  return out.iterator();
                });
    List<GroupStats> groups =
        values
            .groupByKey()
            .map(group -> stats(group._1(), group._2()))
            .filter(java.util.Objects::nonNull)
            .collect();
    return rows(groups, primary, withSubsets);
  }

  /** The group's statistics; null for a judged metric that no judge graded on any item. */
  private static GroupStats stats(GroupKey key, Iterable<double[]> problems) {
    List<double[]> sorted = new ArrayList<>();
    problems.forEach(sorted::add);
    sorted.sort(Comparator.comparingDouble(p -> p[0]));
    double[] values = new double[sorted.size()];
    int n = 0;
    double noAnswer = 0;
    double noGrade = 0;
    boolean judged = false;
    double truncated = 0;
    boolean reasoned = false;
    for (double[] problem : sorted) {
      if (!Double.isNaN(problem[1])) {
        values[n++] = problem[1];
        noAnswer += problem[2];
        if (!Double.isNaN(problem[4])) {
          reasoned = true;
          truncated += problem[4];
        }
      }
      if (!Double.isNaN(problem[3])) {
        judged = true;
        noGrade += problem[3];
      }
    }
    if (n == 0) {
      return null;
    }
    values = java.util.Arrays.copyOf(values, n);
    return new GroupStats(
        key,
        n,
        Bootstrap.mean(values),
        noAnswer / n,
        judged ? noGrade / sorted.size() : Double.NaN,
        sorted.size(),
        Bootstrap.replicates(values, Bootstrap.seed(key.describe()), Defaults.METRIC_RESAMPLES),
        reasoned ? truncated / n : Double.NaN);
  }

  static List<MetricRow> rows(
      List<GroupStats> groups, Map<String, String> primary, Set<String> withSubsets) {
    List<GroupStats> ordered = new ArrayList<>(groups);
    ordered.sort(Comparator.comparing(g -> g.key().describe()));
    List<MetricRow> rows = new ArrayList<>();
    Map<GroupKey, List<GroupStats>> overall = new LinkedHashMap<>();
    for (GroupStats group : ordered) {
      rows.add(row(group.key(), group, primary));
      GroupKey key = group.key();
      if (key.subset() != null && withSubsets.contains(key.benchmark())) {
        overall
            .computeIfAbsent(
                new GroupKey(
                    key.model(),
                    key.benchmark(),
                    null,
                    key.setting(),
                    key.settingHash(),
                    key.perturbation(),
                    key.metric()),
                k -> new ArrayList<>())
            .add(group);
      }
    }
    for (Map.Entry<GroupKey, List<GroupStats>> entry : overall.entrySet()) {
      rows.add(row(entry.getKey(), macro(entry.getKey(), entry.getValue()), primary));
    }
    rows.sort(MetricRow.ORDER);
    return ImmutableList.copyOf(rows);
  }

  /** The macro mean of subsets (given in subset order). */
  private static GroupStats macro(GroupKey key, List<GroupStats> subsets) {
    int resamples = subsets.get(0).replicates().length;
    double[] replicates = new double[resamples];
    double value = 0;
    long n = 0;
    double noAnswers = 0;
    double noGrades = 0;
    long judgedItems = 0;
    double truncated = 0;
    boolean reasoned = false;
    for (GroupStats subset : subsets) {
      value += subset.value();
      n += subset.n();
      noAnswers += subset.noAnswerRate() * subset.n();
      if (!Double.isNaN(subset.reasoningTruncatedRate())) {
        reasoned = true;
        truncated += subset.reasoningTruncatedRate() * subset.n();
      }
      noGrades += subset.noGradeRate() * subset.judgedItems();
      judgedItems += subset.judgedItems();
      for (int r = 0; r < resamples; r++) {
        replicates[r] += subset.replicates()[r];
      }
    }
    for (int r = 0; r < resamples; r++) {
      replicates[r] /= subsets.size();
    }
    return new GroupStats(
        key,
        n,
        value / subsets.size(),
        noAnswers / n,
        judgedItems == 0 ? Double.NaN : noGrades / judgedItems,
        judgedItems,
        replicates,
        reasoned ? truncated / n : Double.NaN);
  }

  private static MetricRow row(GroupKey key, GroupStats stats, Map<String, String> primary) {
    double[] interval = Bootstrap.interval95(stats.replicates());
    // The percentile interval of a constant is that constant; rounding must not put it outside.
    double low = Math.min(interval[0], stats.value());
    double high = Math.max(interval[1], stats.value());
    return new MetricRow(
        key.model(),
        key.benchmark(),
        Optional.ofNullable(key.subset()),
        key.setting(),
        key.settingHash(),
        key.perturbation().isEmpty() ? Optional.empty() : Optional.of(key.perturbation()),
        key.metric(),
        key.metric()
            .equals(primary.get(key.benchmark() + "/" + key.setting() + "/" + key.perturbation())),
        stats.value(),
        low,
        high,
        stats.n(),
        stats.noAnswerRate(),
        Double.isNaN(stats.noGradeRate())
            ? Optional.empty()
            : Optional.of(Math.min(1, Math.max(0, stats.noGradeRate()))),
        Double.isNaN(stats.reasoningTruncatedRate())
            ? Optional.empty()
            : Optional.of(Math.min(stats.noAnswerRate(), stats.reasoningTruncatedRate())));
  }
}
