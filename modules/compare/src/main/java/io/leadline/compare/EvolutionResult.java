package io.leadline.compare;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import io.leadline.api.PrettyJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of {@link Evolution#compute}, rendered as JSON (in the diff's field names) and
 * Markdown (the report module renders it as a page).
 *
 * @param path the snapshots in the order walked
 * @param compared whether rows were computed (false when a step's snapshots were not comparable)
 * @param mismatches every step's mismatches, each named by its step
 * @param steps one diff per consecutive pair, its overall rows Holm-corrected across all steps
 * @param tracks per benchmark (and subset) and setting, the path of scores and deltas
 */
public record EvolutionResult(
    List<RunSide> path,
    boolean compared,
    List<String> mismatches,
    List<DiffResult> steps,
    List<Track> tracks) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int EXAMPLES_SHOWN = 3;

  public EvolutionResult {
    path = ImmutableList.copyOf(path);
    mismatches = ImmutableList.copyOf(mismatches);
    steps = ImmutableList.copyOf(steps);
    tracks = ImmutableList.copyOf(tracks);
  }

  /**
   * A benchmark (or one of its subsets) under one setting along the path.
   *
   * @param scores one per snapshot
   * @param deltas one per step, in the diff's row form
   * @param paths for an overall row, how its items moved along the path
   */
  public record Track(
      String benchmark,
      Optional<String> subset,
      String setting,
      String metric,
      List<Score> scores,
      List<BenchmarkDelta> deltas,
      Optional<Paths> paths) {
    public Track {
      requireNonNull(benchmark, "benchmark is null");
      scores = ImmutableList.copyOf(scores);
      deltas = ImmutableList.copyOf(deltas);
      requireNonNull(paths, "paths is null");
    }
  }

  /**
   * How a benchmark's items (those every snapshot has) moved along the path: right or wrong
   * throughout, flipped once and stayed flipped ({@code stayedUp}: wrong to right), or flipped back
   * and forth; with the first {@value Evolution#EXAMPLES} examples of each kind that moved.
   */
  public record Paths(
      int stableRight,
      int stableWrong,
      int stayedUp,
      int stayedDown,
      int oscillating,
      List<PathItem> stayedUpExamples,
      List<PathItem> stayedDownExamples,
      List<PathItem> oscillatingExamples) {
    public Paths {
      stayedUpExamples = ImmutableList.copyOf(stayedUpExamples);
      stayedDownExamples = ImmutableList.copyOf(stayedDownExamples);
      oscillatingExamples = ImmutableList.copyOf(oscillatingExamples);
    }

    /** Items every snapshot has. */
    public int items() {
      return stableRight + stableWrong + stayedUp + stayedDown + oscillating;
    }
  }

  /**
   * One item's path.
   *
   * @param right per snapshot, whether it was right
   * @param answers per snapshot, the extracted answer, empty where there was none
   */
  public record PathItem(
      Optional<String> subset,
      String exampleId,
      String question,
      List<Boolean> right,
      List<Optional<String>> answers,
      String gold) {
    public PathItem {
      right = ImmutableList.copyOf(right);
      answers = ImmutableList.copyOf(answers);
    }

    /** The path as marks, {@code ✗✓✗✓✓}. */
    public String marks() {
      StringBuilder marks = new StringBuilder();
      right.forEach(r -> marks.append(r ? '✓' : '✗'));
      return marks.toString();
    }
  }

  /** The benchmark's display title, as the runs name it. */
  public String title(String benchmark) {
    for (RunSide side : path) {
      String title = side.titles().get(benchmark);
      if (title != null) {
        return title;
      }
    }
    return benchmark;
  }

  /** The overall rows' tracks (no subsets). */
  public List<Track> overall() {
    return tracks.stream().filter(t -> t.subset().isEmpty()).toList();
  }

  /** The tests Holm's correction is taken over: every step's overall rows. */
  public int tests() {
    return steps.stream()
        .mapToInt(s -> (int) s.rows().stream().filter(r -> r.subset().isEmpty()).count())
        .sum();
  }

  /** The steps where some ability rose significantly while another fell. */
  public List<Integer> seesawSteps() {
    List<Integer> seesaws = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).seesaw()) {
        seesaws.add(i + 1);
      }
    }
    return seesaws;
  }

  /** The path's names joined by arrows. */
  public String pathText() {
    return String.join(" → ", path.stream().map(RunSide::model).toList());
  }

  /** One sentence: which steps are seesaws, and what rose and fell there. */
  public String headline() {
    if (!compared) {
      return "Not compared: the snapshots differ (" + mismatches.size() + " mismatches).";
    }
    List<Integer> seesaws = seesawSteps();
    List<String> moved = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      DiffResult step = steps.get(i);
      if (!step.gains().isEmpty() || !step.regressions().isEmpty()) {
        moved.add(String.format(Locale.ROOT, "step %d: %s", i + 1, stepText(step)));
      }
    }
    if (moved.isEmpty()) {
      return "No benchmark moved significantly at any step (Holm across "
          + tests()
          + " tests, p < 0.05).";
    }
    String seesawText =
        seesaws.isEmpty()
            ? "No step is a seesaw"
            : (seesaws.size() == 1 ? "Step " : "Steps ")
                + String.join(", ", seesaws.stream().map(String::valueOf).toList())
                + (seesaws.size() == 1 ? " is a seesaw" : " are seesaws");
    return seesawText + " (" + String.join("; ", moved) + ").";
  }

  /** What rose and fell at one step, by title: {@code GSM8K up; ARC-Easy down}. */
  public String stepText(DiffResult step) {
    List<String> parts = new ArrayList<>();
    if (!step.gains().isEmpty()) {
      parts.add(String.join(", ", step.gains().stream().map(this::title).toList()) + " up");
    }
    if (!step.regressions().isEmpty()) {
      parts.add(String.join(", ", step.regressions().stream().map(this::title).toList()) + " down");
    }
    return parts.isEmpty() ? "nothing moved" : String.join(" while ", parts);
  }

  /** The JSON of {@code leadline evolution --format json}. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("compatible", compared);
    ArrayNode mismatchList = root.putArray("mismatches");
    mismatches.forEach(mismatchList::add);
    ArrayNode snapshots = root.putArray("snapshots");
    path.forEach(side -> snapshots.add(side.summary()));
    root.put("holm_tests", tests());
    ArrayNode benchmarks = root.putArray("benchmarks");
    for (Track track : tracks) {
      ObjectNode node = benchmarks.addObject();
      node.put("benchmark", track.benchmark());
      node.put("subset", track.subset().orElse(null));
      node.put("setting", track.setting());
      node.put("metric", track.metric());
      ArrayNode scores = node.putArray("scores");
      for (int i = 0; i < path.size(); i++) {
        scoreJson(scores.addObject().put("model", path.get(i).model()), track.scores().get(i));
      }
      ArrayNode deltas = node.putArray("steps");
      for (int i = 0; i < track.deltas().size(); i++) {
        ObjectNode step = deltas.addObject();
        step.put("step", i + 1);
        step.put("model_a", path.get(i).model());
        step.put("model_b", path.get(i + 1).model());
        DiffResult.deltaJson(step, track.deltas().get(i));
      }
      if (track.paths().isPresent()) {
        Paths paths = track.paths().get();
        ObjectNode items = node.putObject("items");
        items.put("paired", paths.items());
        items.put("stable_right", paths.stableRight());
        items.put("stable_wrong", paths.stableWrong());
        items.put("stayed_up", paths.stayedUp());
        items.put("stayed_down", paths.stayedDown());
        items.put("oscillating", paths.oscillating());
        ObjectNode examples = items.putObject("examples");
        pathsJson(examples.putArray("stayed_up"), paths.stayedUpExamples());
        pathsJson(examples.putArray("stayed_down"), paths.stayedDownExamples());
        pathsJson(examples.putArray("oscillating"), paths.oscillatingExamples());
      }
    }
    ArrayNode stepList = root.putArray("steps");
    for (int i = 0; i < steps.size(); i++) {
      DiffResult step = steps.get(i);
      ObjectNode node = stepList.addObject();
      node.put("step", i + 1);
      node.put("model_a", path.get(i).model());
      node.put("model_b", path.get(i + 1).model());
      node.put("seesaw", step.seesaw());
      ArrayNode gains = node.putArray("gains");
      step.gains().forEach(gains::add);
      ArrayNode regressions = node.putArray("regressions");
      step.regressions().forEach(regressions::add);
      node.put("headline", step.headline());
    }
    ArrayNode seesaws = root.putArray("seesaw_steps");
    seesawSteps().forEach(seesaws::add);
    root.put("headline", headline());
    return PrettyJson.write(root);
  }

  static void scoreJson(ObjectNode node, Score score) {
    node.put("score", score.value());
    node.put("ci_low", score.ciLow());
    node.put("ci_high", score.ciHigh());
    node.put("n", score.n());
  }

  private static void pathsJson(ArrayNode array, List<PathItem> items) {
    for (PathItem item : items) {
      ObjectNode node = array.addObject();
      node.put("subset", item.subset().orElse(null));
      node.put("example_id", item.exampleId());
      node.put("question", item.question());
      ArrayNode right = node.putArray("right");
      item.right().forEach(right::add);
      ArrayNode answers = node.putArray("answers");
      item.answers().forEach(a -> answers.add(a.orElse(null)));
      node.put("gold", item.gold());
    }
  }

  /** A score as the Markdown shows it: {@code 56.0 [42.0, 70.0]}, a dagger if a small sample. */
  static String scoreText(Score score) {
    return String.format(
        Locale.ROOT,
        "%.1f [%.1f, %.1f]%s",
        score.value() * 100,
        score.ciLow() * 100,
        score.ciHigh() * 100,
        score.n() < Score.SMALL_SAMPLE ? "†" : "");
  }

  /** The Markdown report: headline, scores, steps, the seesaw along the path, item paths. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(pathText()).append("\n\n").append(headline()).append("\n\n");
    if (!compared) {
      mismatches.forEach(m -> md.append("- ").append(m).append("\n"));
      return md.toString();
    }
    md.append("## Scores\n\n");
    md.append("95% bootstrap intervals; n items per snapshot; † fewer than ")
        .append(Score.SMALL_SAMPLE)
        .append(" items (a small sample). Subsets are in `--format json`.\n\n");
    md.append("| benchmark | setting | n |");
    path.forEach(side -> md.append(' ').append(side.model()).append(" |"));
    md.append("\n|---|---|---|");
    path.forEach(side -> md.append("---|"));
    md.append("\n");
    for (Track track : overall()) {
      md.append("| ")
          .append(title(track.benchmark()))
          .append(" | ")
          .append(track.setting())
          .append(" | ")
          .append(track.scores().get(0).n())
          .append(" |");
      double best = track.scores().stream().mapToDouble(Score::value).max().orElse(0);
      for (Score score : track.scores()) {
        String text = scoreText(score);
        md.append(' ').append(score.value() == best ? "**" + text + "**" : text).append(" |");
      }
      md.append("\n");
    }
    md.append("\n## Steps\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Paired Δ of each step as `leadline diff` computes it; p-values Holm-corrected across"
                + " all %d steps × benchmarks (%d tests).%n%n",
            steps.size(),
            tests()));
    md.append(
        "| benchmark | setting | step | n | Δ | 95% CI | p (Holm) | direction | flips ↑/↓ |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Track track : overall()) {
      for (int i = 0; i < track.deltas().size(); i++) {
        BenchmarkDelta row = track.deltas().get(i);
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d: %s → %s | %d | %+.1f | [%+.1f, %+.1f] | %s | %s | %d/%d |%n",
                title(track.benchmark()),
                track.setting(),
                i + 1,
                path.get(i).model(),
                path.get(i + 1).model(),
                row.nPaired(),
                row.delta() * 100,
                row.ciLow() * 100,
                row.ciHigh() * 100,
                DiffResult.pText(row.pAdjusted()),
                row.direction(),
                row.flipsUp().size(),
                row.flipsDown().size()));
      }
    }
    md.append("\n## Seesaw along the path\n\n");
    for (int i = 0; i < steps.size(); i++) {
      DiffResult step = steps.get(i);
      md.append(
          String.format(
              Locale.ROOT,
              "- step %d, %s → %s: %s%s%n",
              i + 1,
              path.get(i).model(),
              path.get(i + 1).model(),
              stepText(step),
              step.seesaw() ? " — **a seesaw**" : ""));
    }
    md.append("\n## Items along the path\n\n");
    md.append(
        "Items every snapshot has, by their path of right (✓) and wrong (✗): the same"
            + " throughout, flipped once and stayed flipped, or flipped back and forth.\n\n");
    md.append(
        "| benchmark | setting | items | right throughout | wrong throughout | ✗→✓ stayed | ✓→✗"
            + " stayed | oscillated |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Track track : overall()) {
      Paths paths = track.paths().orElseThrow();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %d | %d | %d | %d |%n",
              title(track.benchmark()),
              track.setting(),
              paths.items(),
              paths.stableRight(),
              paths.stableWrong(),
              paths.stayedUp(),
              paths.stayedDown(),
              paths.oscillating()));
    }
    for (Track track : overall()) {
      Paths paths = track.paths().orElseThrow();
      if (paths.stayedUp() + paths.stayedDown() + paths.oscillating() == 0) {
        continue;
      }
      md.append("\n### ")
          .append(title(track.benchmark()))
          .append(" (")
          .append(track.setting())
          .append(")\n\n");
      examples(md, "oscillated", paths.oscillating(), paths.oscillatingExamples());
      examples(md, "✗→✓ and stayed", paths.stayedUp(), paths.stayedUpExamples());
      examples(md, "✓→✗ and stayed", paths.stayedDown(), paths.stayedDownExamples());
    }
    return md.toString();
  }

  private static void examples(StringBuilder md, String label, int count, List<PathItem> items) {
    if (count == 0) {
      return;
    }
    md.append(label).append(": ").append(count);
    md.append(count > EXAMPLES_SHOWN ? " (first " + EXAMPLES_SHOWN + ")\n\n" : "\n\n");
    for (PathItem item : items.subList(0, Math.min(EXAMPLES_SHOWN, items.size()))) {
      md.append(
          String.format(
              "- %s `%s`: %s — answers %s, gold: %s%n",
              item.marks(),
              item.exampleId(),
              DiffResult.oneLine(item.question()),
              String.join(
                  " / ",
                  item.answers().stream()
                      .map(a -> a.map(DiffResult::oneLine).orElse("(none)"))
                      .toList()),
              DiffResult.oneLine(item.gold())));
    }
    md.append("\n");
  }
}
