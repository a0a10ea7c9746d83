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
import org.apache.spark.sql.functions;
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

  /** One cell of the plan: a model's items of one benchmark (subset) under one setting. */
  record CellKey(
      String model,
      String benchmark,
      String subset,
      String setting,
      String settingHash,
      String perturbation) {
    static CellKey of(GroupKey key) {
      return new CellKey(
          key.model(),
          key.benchmark(),
          key.subset(),
          key.setting(),
          key.settingHash(),
          key.perturbation());
    }

    /** The cell of the benchmark's overall row this subset's cell belongs to. */
    CellKey overall() {
      return new CellKey(model, benchmark, null, setting, settingHash, perturbation);
    }
  }

  /** A cell's items: planned, failed, and out of the model's context. */
  record Counts(long items, long failed, long outOfContext) {
    Counts plus(Counts other) {
      return new Counts(
          items + other.items, failed + other.failed, outOfContext + other.outOfContext);
    }

    boolean complete() {
      return failed == 0 && outOfContext == 0;
    }
  }

  /**
   * The metric rows of {@code items} (the scored items; failed ones are left out), sorted as {@link
   * MetricRow#ORDER}. A cell some of whose items were not scored says how many of them failed or
   * did not fit the context; a cell none of whose items were scored has a row without a value for
   * its primary metric, so that no planned cell vanishes.
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
    return rows(groups, primary, withSubsets, counts(items));
  }

  /** Each cell's counts, from the items' recorded errors. */
  static Map<CellKey, Counts> counts(Dataset<Row> items) {
    Map<CellKey, Counts> counts = new java.util.TreeMap<>(CELL_ORDER);
    for (Row row :
        items
            .groupBy("model", "benchmark", "subset", "setting", "setting_hash", "perturbation")
            .agg(
                functions.count(functions.lit(1)),
                functions.sum(
                    functions
                        .when(
                            functions
                                .col("error")
                                .isNotNull()
                                .and(functions.not(RunFolder.outOfContext())),
                            1)
                        .otherwise(0)),
                functions.sum(functions.when(RunFolder.outOfContext(), 1).otherwise(0)))
            .collectAsList()) {
      counts.put(
          new CellKey(
              row.getString(0),
              row.getString(1),
              row.isNullAt(2) ? null : row.getString(2),
              row.getString(3),
              row.getString(4),
              row.isNullAt(5) ? "" : row.getString(5)),
          new Counts(row.getLong(6), row.getLong(7), row.getLong(8)));
    }
    return counts;
  }

  private static final Comparator<CellKey> CELL_ORDER =
      Comparator.comparing(CellKey::model)
          .thenComparing(CellKey::benchmark)
          .thenComparing(c -> c.subset() == null ? "" : c.subset())
          .thenComparing(CellKey::setting)
          .thenComparing(CellKey::settingHash)
          .thenComparing(CellKey::perturbation);

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
      List<GroupStats> groups,
      Map<String, String> primary,
      Set<String> withSubsets,
      Map<CellKey, Counts> counts) {
    List<GroupStats> ordered = new ArrayList<>(groups);
    ordered.sort(Comparator.comparing(g -> g.key().describe()));
    List<MetricRow> rows = new ArrayList<>();
    Map<GroupKey, List<GroupStats>> overall = new LinkedHashMap<>();
    // Every subset cell's counts add up to its benchmark's overall cell.
    Map<CellKey, Counts> overallCounts = new java.util.TreeMap<>(CELL_ORDER);
    for (Map.Entry<CellKey, Counts> cell : counts.entrySet()) {
      if (cell.getKey().subset() != null && withSubsets.contains(cell.getKey().benchmark())) {
        overallCounts.merge(cell.getKey().overall(), cell.getValue(), Counts::plus);
      }
    }
    java.util.Set<CellKey> scored = new java.util.HashSet<>();
    for (GroupStats group : ordered) {
      GroupKey key = group.key();
      rows.add(row(key, group, primary, counts.get(CellKey.of(key))));
      if (isPrimary(key, primary)) {
        scored.add(CellKey.of(key));
      }
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
      GroupKey key = entry.getKey();
      rows.add(row(key, macro(key, entry.getValue()), primary, overallCounts.get(CellKey.of(key))));
      if (isPrimary(key, primary)) {
        scored.add(CellKey.of(key));
      }
    }
    // A cell none of whose items was scored still has its row: no value, and why.
    Map<CellKey, Counts> every = new java.util.TreeMap<>(CELL_ORDER);
    every.putAll(counts);
    every.putAll(overallCounts);
    for (Map.Entry<CellKey, Counts> cell : every.entrySet()) {
      CellKey key = cell.getKey();
      String metric = primary.get(key.benchmark() + "/" + key.setting() + "/" + key.perturbation());
      if (metric != null && !scored.contains(key)) {
        rows.add(unscored(key, metric, cell.getValue()));
      }
    }
    rows.sort(MetricRow.ORDER);
    return ImmutableList.copyOf(rows);
  }

  private static boolean isPrimary(GroupKey key, Map<String, String> primary) {
    return key.metric()
        .equals(primary.get(key.benchmark() + "/" + key.setting() + "/" + key.perturbation()));
  }

  /** The row of a cell with no scored item: its primary metric, without a value. */
  private static MetricRow unscored(CellKey key, String metric, Counts counts) {
    return new MetricRow(
        key.model(),
        key.benchmark(),
        Optional.ofNullable(key.subset()),
        key.setting(),
        key.settingHash(),
        key.perturbation().isEmpty() ? Optional.empty() : Optional.of(key.perturbation()),
        metric,
        true,
        null,
        null,
        null,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.of(counts.items()),
        Optional.of(counts.failed()),
        Optional.of(counts.outOfContext()));
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

  private static MetricRow row(
      GroupKey key, GroupStats stats, Map<String, String> primary, Counts counts) {
    // Only a cell with unscored items says so: the rows of complete cells stay as they were.
    boolean partial = counts != null && !counts.complete();
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
            : Optional.of(Math.min(stats.noAnswerRate(), stats.reasoningTruncatedRate())),
        partial ? Optional.of(counts.items()) : Optional.empty(),
        partial ? Optional.of(counts.failed()) : Optional.empty(),
        partial ? Optional.of(counts.outOfContext()) : Optional.empty());
  }
}
