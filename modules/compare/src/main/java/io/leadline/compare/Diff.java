package io.leadline.compare;

import io.leadline.api.Defaults;
import io.leadline.scoring.Bootstrap;
import io.leadline.scoring.PairedTests;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code leadline diff}: two runs aligned by (benchmark, subset, setting hash, example), compared
 * per benchmark and subset with a paired bootstrap interval of the delta, a paired test (exact
 * McNemar for right/wrong metrics, a sign-flip permutation test otherwise), Holm's correction
 * (across the benchmarks' overall rows; subset rows within their benchmark), the smallest delta the
 * pairs could detect, flips, and the seesaw verdict.
 *
 * <p>Deterministic: every resampling is seeded from {@link Defaults#SEED} and the row's name.
 */
public final class Diff {
  /** The significance level of {@code direction} and the seesaw. */
  static final double ALPHA = Defaults.ALPHA;

  private Diff() {}

  /** A group of problems: one benchmark subset under one setting. */
  private record Group(String benchmark, Optional<String> subset, String settingHash) {
    String name() {
      return benchmark + subset.map(s -> "/" + s).orElse("") + "@" + settingHash;
    }
  }

  /**
   * Compares {@code a} with {@code b}. Where they are not comparable (setting hashes, dataset
   * revisions or example sets differ) the result lists every mismatch and, unless {@code
   * allowMismatch}, no rows.
   */
  public static DiffResult compute(RunSide a, RunSide b, boolean allowMismatch) {
    return compute(a, b, allowMismatch, false);
  }

  /**
   * As {@link #compute(RunSide, RunSide, boolean)}; with {@code acrossScoring}, a benchmark that
   * one side scores by generation and the other by log-likelihood is compared item by item (each
   * side must then hold one setting of it), where otherwise its differing setting hashes refuse it.
   */
  public static DiffResult compute(
      RunSide a, RunSide b, boolean allowMismatch, boolean acrossScoring) {
    Map<Group, Map<String, Item>> left = groups(a, acrossScoring);
    Map<Group, Map<String, Item>> right = groups(b, acrossScoring);
    List<String> mismatches = mismatches(a, b, left, right, acrossScoring);
    boolean compatible = mismatches.isEmpty();
    if (!compatible && !allowMismatch) {
      return new DiffResult(false, false, mismatches, a, b, List.of(), List.of());
    }
    // Rows per (benchmark, setting), overall first, then subsets in name order.
    Map<String, List<Group>> byBenchmark = new TreeMap<>();
    for (Group group : left.keySet()) {
      if (right.containsKey(group)) {
        byBenchmark
            .computeIfAbsent(group.benchmark() + "@" + group.settingHash(), k -> new ArrayList<>())
            .add(group);
      }
    }
    // Each row's resampling is seeded by its own name, so rows are computed side by side.
    record Task(String key, List<Paired> paired, Optional<String> subset) {}
    List<Task> tasks = new ArrayList<>();
    for (Map.Entry<String, List<Group>> entry : byBenchmark.entrySet()) {
      List<Group> groups = new ArrayList<>(entry.getValue());
      groups.sort(Comparator.comparing(g -> g.subset().orElse("")));
      List<Paired> paired = new ArrayList<>();
      for (Group group : groups) {
        Paired pair = Paired.of(group, left.get(group), right.get(group));
        if (pair.size() > 0) {
          paired.add(pair);
        }
      }
      if (paired.isEmpty()) {
        continue;
      }
      tasks.add(new Task(entry.getKey(), paired, Optional.empty()));
      if (groups.get(0).subset().isPresent()) {
        for (Paired pair : paired) {
          tasks.add(new Task(entry.getKey(), List.of(pair), pair.group().subset()));
        }
      }
    }
    List<BenchmarkDelta> computed =
        tasks.parallelStream().map(task -> row(task.paired(), task.subset())).toList();
    List<BenchmarkDelta> overall = new ArrayList<>();
    List<String> overallKeys = new ArrayList<>();
    Map<String, List<BenchmarkDelta>> subsetRows = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      if (task.subset().isEmpty()) {
        overall.add(computed.get(i));
        overallKeys.add(task.key());
      } else {
        subsetRows.computeIfAbsent(task.key(), k -> new ArrayList<>()).add(computed.get(i));
      }
    }
    Map<String, List<BenchmarkDelta>> subsets = new LinkedHashMap<>();
    subsetRows.forEach((key, rows) -> subsets.put(key, adjust(rows)));
    List<BenchmarkDelta> adjustedOverall = adjust(overall);
    List<BenchmarkDelta> rows = new ArrayList<>();
    for (int i = 0; i < adjustedOverall.size(); i++) {
      rows.add(adjustedOverall.get(i));
      rows.addAll(subsets.getOrDefault(overallKeys.get(i), List.of()));
    }
    return new DiffResult(compatible, true, mismatches, a, b, rows, List.of());
  }

  private static List<BenchmarkDelta> adjust(List<BenchmarkDelta> rows) {
    double[] p = rows.stream().mapToDouble(BenchmarkDelta::pValue).toArray();
    double[] adjusted = PairedTests.holm(p);
    List<BenchmarkDelta> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(rows.get(i).withAdjusted(adjusted[i]));
    }
    return out;
  }

  private static Map<Group, Map<String, Item>> groups(RunSide side, boolean acrossScoring) {
    Map<Group, Map<String, Item>> groups = new LinkedHashMap<>();
    for (Item item : side.items()) {
      groups
          .computeIfAbsent(
              new Group(item.benchmark(), item.subset(), acrossScoring ? "" : item.settingHash()),
              k -> new LinkedHashMap<>())
          .put(item.exampleId(), item);
    }
    return groups;
  }

  private static List<String> mismatches(
      RunSide a,
      RunSide b,
      Map<Group, Map<String, Item>> left,
      Map<Group, Map<String, Item>> right,
      boolean acrossScoring) {
    List<String> mismatches = new ArrayList<>();
    Set<String> benchmarks = new java.util.TreeSet<>(a.revisions().keySet());
    benchmarks.addAll(b.revisions().keySet());
    for (String benchmark : benchmarks) {
      String revisionA = a.revisions().get(benchmark);
      String revisionB = b.revisions().get(benchmark);
      if (revisionA == null || revisionB == null) {
        mismatches.add(String.format("%s: only in %s", benchmark, revisionA == null ? "B" : "A"));
      } else if (!revisionA.equals(revisionB)) {
        mismatches.add(
            String.format(
                "%s: dataset revisions differ (A %s, B %s)", benchmark, revisionA, revisionB));
      }
    }
    Map<String, Set<String>> hashesA = hashesByBenchmark(a);
    Map<String, Set<String>> hashesB = hashesByBenchmark(b);
    for (String benchmark : benchmarks) {
      Set<String> inA = hashesA.getOrDefault(benchmark, Set.of());
      Set<String> inB = hashesB.getOrDefault(benchmark, Set.of());
      Set<Boolean> scoredA = scorings(a, benchmark);
      Set<Boolean> scoredB = scorings(b, benchmark);
      boolean scoredApart = scoredA.size() == 1 && scoredB.size() == 1 && !scoredA.equals(scoredB);
      if (acrossScoring) {
        if (inA.size() == 1 && inB.size() == 1 && !inA.equals(inB) && !scoredApart) {
          mismatches.add(
              String.format(
                  "%s: setting hashes differ (A %s, B %s), and not by how they score",
                  benchmark, describe(a, benchmark), describe(b, benchmark)));
        }
        for (RunSide side : List.of(a, b)) {
          Set<String> hashes = (side == a ? hashesA : hashesB).getOrDefault(benchmark, Set.of());
          if (hashes.size() > 1) {
            mismatches.add(
                String.format(
                    "%s: %s has several settings of it (%s); keep one with --setting-%s",
                    benchmark,
                    side == a ? "A" : "B",
                    describe(side, benchmark),
                    side == a ? "a" : "b"));
          }
        }
      } else if (!inA.isEmpty() && !inB.isEmpty() && !inA.equals(inB)) {
        if (scoredApart) {
          mismatches.add(
              String.format(
                  "%s: A scores it by %s (%s), B by %s (%s); a generative score and a"
                      + " log-likelihood one are not the same measure (--across-scoring compares"
                      + " them item by item)",
                  benchmark,
                  scoring(scoredA),
                  describe(a, benchmark),
                  scoring(scoredB),
                  describe(b, benchmark)));
        } else {
          mismatches.add(
              String.format(
                  "%s: setting hashes differ (A %s, B %s)",
                  benchmark, describe(a, benchmark), describe(b, benchmark)));
        }
      }
    }
    Set<Group> all = new LinkedHashSet<>(left.keySet());
    all.addAll(right.keySet());
    for (Group group : all) {
      Map<String, Item> inA = left.getOrDefault(group, Map.of());
      Map<String, Item> inB = right.getOrDefault(group, Map.of());
      if (inA.isEmpty() || inB.isEmpty()) {
        continue;
      }
      List<String> onlyA = inA.keySet().stream().filter(id -> !inB.containsKey(id)).toList();
      List<String> onlyB = inB.keySet().stream().filter(id -> !inA.containsKey(id)).toList();
      String where = group.benchmark() + group.subset().map(s -> "/" + s).orElse("");
      if (!onlyA.isEmpty()) {
        mismatches.add(
            String.format(
                "%s: %d examples only in A (first: %s)", where, onlyA.size(), onlyA.get(0)));
      }
      if (!onlyB.isEmpty()) {
        mismatches.add(
            String.format(
                "%s: %d examples only in B (first: %s)", where, onlyB.size(), onlyB.get(0)));
      }
    }
    return mismatches;
  }

  private static Map<String, Set<String>> hashesByBenchmark(RunSide side) {
    Map<String, Set<String>> hashes = new TreeMap<>();
    side.items()
        .forEach(
            item ->
                hashes
                    .computeIfAbsent(item.benchmark(), k -> new java.util.TreeSet<>())
                    .add(item.settingHash()));
    return hashes;
  }

  /** Whether {@code side} scores {@code benchmark}'s items by log-likelihood, item by item. */
  private static Set<Boolean> scorings(RunSide side, String benchmark) {
    Set<Boolean> scorings = new java.util.TreeSet<>();
    side.items().stream()
        .filter(item -> item.benchmark().equals(benchmark))
        .forEach(item -> scorings.add(item.byLikelihood()));
    return scorings;
  }

  private static String scoring(Set<Boolean> byLikelihood) {
    return byLikelihood.contains(true) ? "log-likelihood" : "generation";
  }

  private static String describe(RunSide side, String benchmark) {
    Map<String, String> settings = new TreeMap<>();
    side.items().stream()
        .filter(item -> item.benchmark().equals(benchmark))
        .forEach(item -> settings.put(item.settingHash(), item.setting()));
    List<String> parts = new ArrayList<>();
    settings.forEach((hash, setting) -> parts.add(setting + " " + hash.substring(0, 12)));
    return String.join(", ", parts);
  }

  /** The problems of one group that both runs have, in example order. */
  private record Paired(Group group, List<Item> a, List<Item> b) {
    static Paired of(Group group, Map<String, Item> left, Map<String, Item> right) {
      List<Item> a = new ArrayList<>();
      List<Item> b = new ArrayList<>();
      left.values().stream()
          .filter(item -> right.containsKey(item.exampleId()))
          .sorted(Comparator.comparingInt(Item::exampleIndex).thenComparing(Item::exampleId))
          .forEach(
              item -> {
                a.add(item);
                b.add(right.get(item.exampleId()));
              });
      return new Paired(group, a, b);
    }

    int size() {
      return a.size();
    }

    double[] values(List<Item> items) {
      return items.stream().mapToDouble(Item::value).toArray();
    }
  }

  /** The row of one subset, or the macro-mean row of several. */
  private static BenchmarkDelta row(List<Paired> paired, Optional<String> subset) {
    Item first = paired.get(0).a().get(0);
    String name =
        first.benchmark() + subset.map(s -> "/" + s).orElse("") + "@" + first.settingHash();
    long seed = Bootstrap.seed(name);
    int n = 0;
    double scoreA = 0;
    double scoreB = 0;
    List<Double> allA = new ArrayList<>();
    List<Double> allB = new ArrayList<>();
    for (Paired pair : paired) {
      n += pair.size();
      scoreA += PairedTests.sum(pair.values(pair.a())) / pair.size();
      scoreB += PairedTests.sum(pair.values(pair.b())) / pair.size();
      pair.a().forEach(item -> allA.add(item.value()));
      pair.b().forEach(item -> allB.add(item.value()));
    }
    scoreA /= paired.size();
    scoreB /= paired.size();
    double[] a = allA.stream().mapToDouble(Double::doubleValue).toArray();
    double[] b = allB.stream().mapToDouble(Double::doubleValue).toArray();

    // Paired bootstrap of the (macro) delta, resampling problems within each subset.
    List<double[]> differences = new ArrayList<>();
    for (Paired pair : paired) {
      double[] va = pair.values(pair.a());
      double[] vb = pair.values(pair.b());
      double[] d = new double[va.length];
      for (int i = 0; i < va.length; i++) {
        d[i] = vb[i] - va[i];
      }
      differences.add(d);
    }
    double[] replicates = Bootstrap.macroReplicates(differences, seed, Defaults.DIFF_RESAMPLES);
    double[] interval = Bootstrap.interval95(replicates);

    boolean binary = true;
    for (int i = 0; i < a.length; i++) {
      binary &= (a[i] == 0 || a[i] == 1) && (b[i] == 0 || b[i] == 1);
    }
    double p;
    String test;
    if (binary) {
      int onlyA = 0;
      int onlyB = 0;
      for (int i = 0; i < a.length; i++) {
        onlyA += a[i] == 1 && b[i] == 0 ? 1 : 0;
        onlyB += a[i] == 0 && b[i] == 1 ? 1 : 0;
      }
      p = PairedTests.mcnemarExact(onlyA, onlyB);
      test = "mcnemar";
    } else {
      double[] d = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        d[i] = b[i] - a[i];
      }
      p = PairedTests.signFlip(d, seed, Defaults.PERMUTATIONS);
      test = "sign-flip permutation";
    }

    List<Flip> up = new ArrayList<>();
    List<Flip> down = new ArrayList<>();
    for (Paired pair : paired) {
      for (int i = 0; i < pair.size(); i++) {
        Item x = pair.a().get(i);
        Item y = pair.b().get(i);
        boolean rightA = x.value() >= 0.5;
        boolean rightB = y.value() >= 0.5;
        if (rightA != rightB) {
          Flip flip =
              new Flip(x.subset(), x.exampleId(), x.question(), x.answer(), y.answer(), x.gold());
          (rightB ? up : down).add(flip);
        }
      }
    }
    double delta = scoreB - scoreA;
    // Across scorings the two sides' settings and metrics differ: the row names both.
    Item second = paired.get(0).b().get(0);
    return new BenchmarkDelta(
        first.benchmark(),
        subset,
        first.setting().equals(second.setting())
            ? first.setting()
            : first.setting() + " vs " + second.setting(),
        first.metric().equals(second.metric())
            ? first.metric()
            : first.metric() + " vs " + second.metric(),
        n,
        scoreA,
        scoreB,
        delta,
        Math.min(interval[0], delta),
        Math.max(interval[1], delta),
        test,
        p,
        p,
        "flat",
        PairedTests.minimumDetectable(a, b),
        up,
        down);
  }
}
