package io.leadline.compare;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.leadline.api.LeadlineException;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One side of a diff: a model's problems in one run folder.
 *
 * @param summary what the report shows of the run's manifest (run folder, run id, model, versions)
 * @param revisions each benchmark's dataset revision
 * @param titles each benchmark's display title
 */
public record RunSide(
    ObjectNode summary,
    Map<String, String> revisions,
    Map<String, String> titles,
    List<Item> items) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The columns of {@code samples.parquet} a side's values are made of. */
  private static final Set<String> VALUE_COLUMNS =
      Set.of(
          SampleColumns.MODEL,
          SampleColumns.BENCHMARK,
          SampleColumns.SUBSET,
          SampleColumns.SETTING,
          SampleColumns.SETTING_HASH,
          SampleColumns.EXAMPLE_ID,
          SampleColumns.EXAMPLE_INDEX,
          SampleColumns.SAMPLE_INDEX,
          SampleColumns.ERROR,
          SampleColumns.PROBLEM_SCORES);

  /** And those of what a reader of its flips sees: the question, the answer, the gold. */
  private static final Set<String> COLUMNS =
      ImmutableSet.<String>builder()
          .addAll(VALUE_COLUMNS)
          .add(SampleColumns.PROMPT, SampleColumns.EXTRACTED, SampleColumns.GOLD)
          .build();

  public RunSide {
    requireNonNull(summary, "summary is null");
    revisions = ImmutableMap.copyOf(revisions);
    titles = ImmutableMap.copyOf(titles);
    items = ImmutableList.copyOf(items);
  }

  /**
   * The problems of one model of {@code run} at their primary metric: the first sample of every
   * request that did not fail.
   *
   * @param model the model to take; may be empty when the run has only one
   * @param argument the argument that named the run, for errors ({@code RUN_A})
   * @param flag the option that names the model, for errors ({@code --model-a})
   * @throws LeadlineException if the model is not in the run, or is needed and not given
   */
  public static RunSide of(
      RunFolders.Run run, Optional<String> model, String argument, String flag) {
    return of(run, model, argument, flag, Optional.empty(), "");
  }

  /**
   * As {@link #of(RunFolders.Run, Optional, String, String)}, keeping only the problems of {@code
   * setting} where one is given (named by {@code settingFlag} in errors).
   */
  public static RunSide of(
      RunFolders.Run run,
      Optional<String> model,
      String argument,
      String flag,
      Optional<String> setting,
      String settingFlag) {
    String chosen = chosen(run, model, argument, flag);
    checkSetting(run, setting, settingFlag);
    return sides(run, List.of(chosen), setting, COLUMNS).get(0);
  }

  /**
   * The sides of two models of one run, as {@link #of(RunFolders.Run, Optional, String, String,
   * Optional, String)} gives each, under the same setting filter, read in one pass: a diff of two
   * models of one run.
   */
  public static List<RunSide> of(
      RunFolders.Run run,
      Optional<String> modelA,
      String argumentA,
      String flagA,
      Optional<String> modelB,
      String argumentB,
      String flagB,
      Optional<String> setting,
      String settingFlag) {
    String a = chosen(run, modelA, argumentA, flagA);
    String b = chosen(run, modelB, argumentB, flagB);
    checkSetting(run, setting, settingFlag);
    if (a.equals(b)) {
      RunSide side = sides(run, List.of(a), setting, COLUMNS).get(0);
      return List.of(side, side);
    }
    return sides(run, List.of(a, b), setting, COLUMNS);
  }

  private static String chosen(
      RunFolders.Run run, Optional<String> model, String argument, String flag) {
    List<String> models = run.manifest().modelNames();
    if (model.isEmpty()) {
      if (models.size() != 1) {
        throw LeadlineException.userInput(
            "%s: %s has the models %s; name one with %s",
            argument, run.location(), String.join(", ", models), flag);
      }
      return models.get(0);
    }
    if (!models.contains(model.get())) {
      throw LeadlineException.userInput(
          "%s: no model '%s' in %s; it has %s",
          flag, model.get(), run.location(), String.join(", ", models));
    }
    return model.get();
  }

  private static void checkSetting(
      RunFolders.Run run, Optional<String> setting, String settingFlag) {
    RunManifest manifest = run.manifest();
    if (setting.isPresent()
        && manifest.settings().stream().noneMatch(s -> s.name().equals(setting.get()))) {
      throw LeadlineException.userInput(
          "%s: no setting '%s' in %s; it has %s",
          settingFlag,
          setting.get(),
          run.location(),
          String.join(", ", manifest.settings().stream().map(RunManifest.Setting::name).toList()));
    }
  }

  /**
   * The values of each model of {@code run}, in the manifest's order, read in one pass over its
   * samples without the texts a flip shows: each item's question and gold are empty and its answer
   * is absent. For deltas alone (the leaderboard's seesaw), where reading every few-shot prompt
   * would be most of the read.
   */
  public static List<RunSide> valuesOfEach(RunFolders.Run run) {
    return sides(run, run.manifest().modelNames(), Optional.empty(), VALUE_COLUMNS);
  }

  /** The sides of {@code models}, read with {@code columns}. */
  private static List<RunSide> sides(
      RunFolders.Run run, List<String> models, Optional<String> setting, Set<String> columns) {
    RunManifest manifest = run.manifest();
    Map<String, String> revisions = new LinkedHashMap<>();
    Map<String, String> titles = new LinkedHashMap<>();
    for (RunManifest.Benchmark benchmark : manifest.benchmarks()) {
      revisions.put(benchmark.name(), benchmark.revision());
      titles.put(benchmark.name(), benchmark.title());
    }
    Map<String, List<Item>> itemsOf = new LinkedHashMap<>();
    models.forEach(model -> itemsOf.put(model, new ArrayList<>()));
    Map<String, Boolean> byLikelihood = new LinkedHashMap<>();
    // A run held in memory gives its rows whole: the texts are left out here, not by the read.
    boolean texts = columns.contains(SampleColumns.PROMPT);
    // Parquet skips the pages of the run's other models.
    run.forEachSampleOfModels(
        itemsOf.keySet(),
        columns,
        sample ->
            itemsOf.containsKey(sample.model())
                && sample.sampleIndex() == 0
                && sample.error().isEmpty()
                && (setting.isEmpty() || sample.setting().equals(setting.get())),
        sample -> {
          Optional<RunManifest.SettingBenchmark> resolved =
              manifest.setting(sample.setting(), sample.benchmark());
          Optional<String> metric = resolved.map(RunManifest.SettingBenchmark::primaryMetric);
          Double value = metric.map(m -> sample.problemScores().get(m)).orElse(null);
          if (value == null) {
            return;
          }
          itemsOf
              .get(sample.model())
              .add(
                  new Item(
                      sample.benchmark(),
                      sample.subset(),
                      sample.setting(),
                      sample.settingHash(),
                      metric.get(),
                      sample.exampleId(),
                      sample.exampleIndex(),
                      value,
                      texts ? excerpt(sample.prompt()) : "",
                      texts ? sample.extracted() : Optional.empty(),
                      texts ? sample.gold() : "",
                      byLikelihood.computeIfAbsent(
                          sample.setting() + "/" + sample.benchmark(),
                          k -> resolved.get().byLikelihood())));
        });
    List<RunSide> sides = new ArrayList<>();
    for (String chosen : models) {
      RunManifest.Model picked = manifest.model(chosen).orElseThrow();
      ObjectNode summary = MAPPER.createObjectNode();
      summary.put("run", run.location());
      summary.put("run_id", manifest.runId());
      summary.put("created", manifest.created().toString());
      summary.put("model", chosen);
      summary.put("model_id", picked.model());
      summary.put("simulated", picked.simulated());
      picked.released().ifPresent(date -> summary.put("released", date));
      picked.params().ifPresent(params -> summary.put("params", params));
      picked.family().ifPresent(family -> summary.put("family", family));
      ArrayNode reported = summary.putArray("reported_models");
      picked.reportedModels().forEach(reported::add);
      summary.put("leadline_version", manifest.leadline().version());
      summary.put("commit", manifest.leadline().commit());
      sides.add(new RunSide(summary, revisions, titles, itemsOf.get(chosen)));
    }
    return sides;
  }

  /** The model's name. */
  public String model() {
    return summary.path("model").asText();
  }

  /** The models file's release date of the model, if its run recorded one. */
  public Optional<java.time.LocalDate> released() {
    return summary.has("released")
        ? Optional.of(java.time.LocalDate.parse(summary.get("released").asText()))
        : Optional.empty();
  }

  /** The models file's parameter count of the model, if its run recorded one. */
  public java.util.OptionalLong params() {
    return summary.has("params")
        ? java.util.OptionalLong.of(summary.get("params").asLong())
        : java.util.OptionalLong.empty();
  }

  /** The models file's family of the model, if its run recorded one. */
  public Optional<String> family() {
    return summary.has("family") ? Optional.of(summary.get("family").asText()) : Optional.empty();
  }

  /** This side keeping only the problems of {@code setting}. */
  public RunSide only(String setting) {
    return new RunSide(
        summary,
        revisions,
        titles,
        items.stream().filter(item -> item.setting().equals(setting)).toList());
  }

  /**
   * This model's problems in this run and in {@code other} (another run of the same model): for a
   * model whose settings or benchmarks were swept in separate runs. The summary is this run's, with
   * the other's run folder added under {@code also_runs}.
   *
   * @throws LeadlineException if both runs hold a benchmark under the same setting, or disagree on
   *     a benchmark's dataset revision
   */
  public RunSide merged(RunSide other) {
    java.util.Set<String> held = new java.util.TreeSet<>();
    items.forEach(item -> held.add(item.benchmark() + "@" + item.settingHash()));
    for (Item item : other.items) {
      if (held.contains(item.benchmark() + "@" + item.settingHash())) {
        throw LeadlineException.userInput(
            "model %s: %s and %s both hold %s under %s; keep one of the runs",
            model(),
            summary.path("run").asText(),
            other.summary.path("run").asText(),
            item.benchmark(),
            item.setting());
      }
    }
    Map<String, String> allRevisions = new java.util.TreeMap<>(revisions);
    other.revisions.forEach(
        (benchmark, revision) -> {
          String mine = allRevisions.putIfAbsent(benchmark, revision);
          if (mine != null && !mine.equals(revision)) {
            throw LeadlineException.userInput(
                "model %s: %s and %s read %s at different dataset revisions (%s, %s)",
                model(),
                summary.path("run").asText(),
                other.summary.path("run").asText(),
                benchmark,
                mine,
                revision);
          }
        });
    Map<String, String> allTitles = new java.util.TreeMap<>(titles);
    other.titles.forEach(allTitles::putIfAbsent);
    ObjectNode joined = summary.deepCopy();
    ArrayNode also =
        joined.has("also_runs")
            ? (ArrayNode) joined.get("also_runs")
            : joined.putArray("also_runs");
    also.add(other.summary.path("run").asText());
    List<Item> all = new ArrayList<>(items);
    all.addAll(other.items);
    return new RunSide(joined, allRevisions, allTitles, all);
  }

  /** The end of the prompt, where the question is, on one line. */
  static String excerpt(String prompt) {
    // Only the end is shown: flatten the last 1,024 characters when they hold more than the shown
    // part once flattened, not a few-shot prompt's every exemplar.
    String end = prompt.length() > 1024 ? flatten(prompt.substring(prompt.length() - 1024)) : "";
    String flat = end.length() > 201 ? end : flatten(prompt);
    if (flat.length() <= 200) {
      return flat;
    }
    String tail = flat.substring(flat.length() - 200);
    int space = tail.indexOf(' ');
    return "…" + (space >= 0 ? tail.substring(space + 1) : tail);
  }

  /** {@code text} with each run of whitespace ({@code \s+}) one space, then stripped. */
  static String flatten(String text) {
    char[] flat = new char[text.length()];
    int length = 0;
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // \s: space, tab, newline, vertical tab, form feed, carriage return.
      boolean whitespace = c == ' ' || (c >= '\t' && c <= '\r');
      if (!whitespace || !space) {
        flat[length++] = whitespace ? ' ' : c;
      }
      space = whitespace;
    }
    return new String(flat, 0, length).strip();
  }
}
