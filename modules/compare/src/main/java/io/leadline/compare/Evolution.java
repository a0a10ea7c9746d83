package io.leadline.compare;

import static com.google.common.base.Preconditions.checkArgument;

import io.leadline.scoring.PairedTests;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code leadline evolution}: a path of snapshots, each consecutive pair compared exactly as {@code
 * leadline diff} compares two ({@link Diff#compute}: alignment, comparability checks, paired
 * bootstrap interval, exact McNemar or sign-flip test), with Holm's correction taken across every
 * step and benchmark at once (subset rows stay corrected within their benchmark and step, as the
 * diff does), and each item's path classified: stayed right or wrong, flipped once and stayed, or
 * oscillated.
 *
 * <p>Deterministic: the diff's seeds, and every list in path or benchmark order.
 */
public final class Evolution {
  /** Examples of each kind of path an evolution keeps per benchmark. */
  static final int EXAMPLES = 10;

  private Evolution() {}

  /**
   * The evolution along {@code path} (at least two snapshots, in the order walked). Where a step's
   * snapshots are not comparable the result lists every mismatch, named by its step, and no rows.
   */
  public static EvolutionResult compute(List<RunSide> path) {
    checkArgument(path.size() >= 2, "an evolution needs at least two snapshots: %s", path.size());
    List<DiffResult> diffs = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      DiffResult diff = Diff.compute(path.get(i), path.get(i + 1), false);
      String step =
          String.format("step %d (%s → %s)", i + 1, path.get(i).model(), path.get(i + 1).model());
      diff.mismatches().forEach(m -> mismatches.add(step + ": " + m));
      diffs.add(diff);
    }
    if (!mismatches.isEmpty()) {
      return new EvolutionResult(path, false, mismatches, List.of(), List.of());
    }
    // Holm across every step's overall rows together: a path of k steps is k diffs' worth of tests.
    List<List<BenchmarkDelta>> adjusted = holmAcross(diffs);
    List<DiffResult> steps = new ArrayList<>();
    for (int i = 0; i < diffs.size(); i++) {
      DiffResult diff = diffs.get(i);
      steps.add(
          new DiffResult(true, true, List.of(), diff.a(), diff.b(), adjusted.get(i), List.of()));
    }
    return new EvolutionResult(path, true, List.of(), steps, tracks(path, steps));
  }

  /**
   * Each diff's rows with the overall rows' p-values Holm-adjusted across all the diffs together
   * (subset rows keep their diff's correction within their benchmark).
   */
  static List<List<BenchmarkDelta>> holmAcross(List<DiffResult> diffs) {
    List<BenchmarkDelta> overall = new ArrayList<>();
    diffs.forEach(d -> d.rows().stream().filter(r -> r.subset().isEmpty()).forEach(overall::add));
    double[] adjusted =
        PairedTests.holm(overall.stream().mapToDouble(BenchmarkDelta::pValue).toArray());
    List<List<BenchmarkDelta>> out = new ArrayList<>();
    int next = 0;
    for (DiffResult diff : diffs) {
      List<BenchmarkDelta> rows = new ArrayList<>();
      for (BenchmarkDelta row : diff.rows()) {
        rows.add(row.subset().isEmpty() ? row.withAdjusted(adjusted[next++]) : row);
      }
      out.add(rows);
    }
    return out;
  }

  /** Each row of the first step followed along the path: its scores, deltas and item paths. */
  private static List<EvolutionResult.Track> tracks(List<RunSide> path, List<DiffResult> steps) {
    Map<String, List<BenchmarkDelta>> deltas = new LinkedHashMap<>();
    for (DiffResult step : steps) {
      for (BenchmarkDelta row : step.rows()) {
        deltas.computeIfAbsent(key(row), k -> new ArrayList<>()).add(row);
      }
    }
    List<EvolutionResult.Track> tracks = new ArrayList<>();
    for (BenchmarkDelta row : steps.get(0).rows()) {
      List<BenchmarkDelta> along = deltas.get(key(row));
      if (along.size() != steps.size()) {
        continue; // A row some step lacks has no path to follow; the steps still list it.
      }
      Optional<String> hash = hashOf(path.get(0), row);
      if (hash.isEmpty()) {
        continue;
      }
      List<List<Item>> items = new ArrayList<>();
      for (RunSide snapshot : path) {
        items.add(
            snapshot.items().stream()
                .filter(
                    item ->
                        item.benchmark().equals(row.benchmark())
                            && item.settingHash().equals(hash.get())
                            && (row.subset().isEmpty() || item.subset().equals(row.subset())))
                .toList());
      }
      List<Score> scores = new ArrayList<>();
      for (int i = 0; i < path.size(); i++) {
        scores.add(Score.of(path.get(i).model(), items.get(i)));
      }
      tracks.add(
          new EvolutionResult.Track(
              row.benchmark(),
              row.subset(),
              row.setting(),
              row.metric(),
              scores,
              along,
              row.subset().isEmpty() ? Optional.of(paths(items)) : Optional.empty()));
    }
    return tracks;
  }

  private static String key(BenchmarkDelta row) {
    return row.benchmark() + "\u0000" + row.subset().orElse("") + "\u0000" + row.setting();
  }

  /** The setting hash of {@code row} in {@code snapshot} (the row names the setting). */
  private static Optional<String> hashOf(RunSide snapshot, BenchmarkDelta row) {
    String setting = row.setting().split(" vs ")[0];
    return snapshot.items().stream()
        .filter(i -> i.benchmark().equals(row.benchmark()) && i.setting().equals(setting))
        .map(Item::settingHash)
        .findFirst();
  }

  /**
   * Every item all snapshots have, classified by its path of right (value >= 0.5, as the diff's
   * flips) and wrong: never changed, changed once (and stayed), or changed more than once.
   */
  static EvolutionResult.Paths paths(List<List<Item>> snapshots) {
    List<Map<String, Item>> byId = new ArrayList<>();
    for (List<Item> items : snapshots) {
      Map<String, Item> ids = new LinkedHashMap<>();
      items.forEach(item -> ids.put(item.subset().orElse("") + "\u0000" + item.exampleId(), item));
      byId.add(ids);
    }
    List<Item> first = new ArrayList<>(snapshots.get(0));
    first.sort(
        Comparator.comparing((Item item) -> item.subset().orElse(""))
            .thenComparingInt(Item::exampleIndex)
            .thenComparing(Item::exampleId));
    int stableRight = 0;
    int stableWrong = 0;
    int stayedUp = 0;
    int stayedDown = 0;
    int oscillating = 0;
    List<EvolutionResult.PathItem> upExamples = new ArrayList<>();
    List<EvolutionResult.PathItem> downExamples = new ArrayList<>();
    List<EvolutionResult.PathItem> oscillatingExamples = new ArrayList<>();
    for (Item item : first) {
      String id = item.subset().orElse("") + "\u0000" + item.exampleId();
      List<Item> along = new ArrayList<>();
      for (Map<String, Item> ids : byId) {
        Item there = ids.get(id);
        if (there == null) {
          break;
        }
        along.add(there);
      }
      if (along.size() != snapshots.size()) {
        continue;
      }
      List<Boolean> right = along.stream().map(i -> i.value() >= 0.5).toList();
      int changes = 0;
      for (int i = 0; i + 1 < right.size(); i++) {
        changes += right.get(i).equals(right.get(i + 1)) ? 0 : 1;
      }
      EvolutionResult.PathItem path =
          new EvolutionResult.PathItem(
              item.subset(),
              item.exampleId(),
              item.question(),
              right,
              along.stream().map(Item::answer).toList(),
              item.gold());
      if (changes == 0) {
        if (right.get(0)) {
          stableRight++;
        } else {
          stableWrong++;
        }
      } else if (changes == 1) {
        boolean up = right.get(right.size() - 1);
        if (up) {
          stayedUp++;
        } else {
          stayedDown++;
        }
        List<EvolutionResult.PathItem> examples = up ? upExamples : downExamples;
        if (examples.size() < EXAMPLES) {
          examples.add(path);
        }
      } else {
        oscillating++;
        if (oscillatingExamples.size() < EXAMPLES) {
          oscillatingExamples.add(path);
        }
      }
    }
    return new EvolutionResult.Paths(
        stableRight,
        stableWrong,
        stayedUp,
        stayedDown,
        oscillating,
        upExamples,
        downExamples,
        oscillatingExamples);
  }
}
