package io.leadline.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.PrettyJson;
import io.leadline.compare.BenchmarkDelta;
import io.leadline.compare.DiffResult;
import io.leadline.records.MetricRow;
import io.leadline.records.RunManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code leadline report}: GPT-Fathom's leaderboard layout over one or more runs — rows grouped by
 * capability, one per benchmark and setting, a column per model, scores in % with their 95%
 * intervals — as {@code leaderboard.md}, {@code leaderboard.csv}, {@code leaderboard.json} and a
 * self-contained {@code index.html} with charts (Chart.js, inlined). Where judges graded, a
 * model-graded section follows ({@link ModelGraded}).
 */
public final class Leaderboard {
  static final String DEFAULT_SETTING = "gpt-fathom";

  /** GPT-Fathom's capability categories, in its table's order; any other comes last. */
  static final List<String> CATEGORIES =
      List.of(
          "Knowledge",
          "Reasoning",
          "Comprehension",
          "Math",
          "Coding",
          "Multilingual",
          "Safety",
          "Generation");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A score with its interval; {@code partial} says how many of its items it is over where some
   * failed or did not fit the context (else empty).
   */
  record Cell(double value, double ciLow, double ciHigh, long n, String partial) {
    Cell(double value, double ciLow, double ciHigh, long n) {
      this(value, ciLow, ciHigh, n, "");
    }
  }

  /** The mark of a score over part of its cell's items. */
  static final String PARTIAL_MARK = "‡";

  /** Why a planned cell has no score at all, by model, benchmark, subset and setting. */
  private final Map<String, String> unscored;

  private static String cellKey(
      String model, String benchmark, Optional<String> subset, String setting) {
    return String.join("\u0000", model, benchmark, subset.orElse(""), setting);
  }

  /** {@code 28 of 40 items answered: 12 failed, 0 out of context}, for a partial row. */
  static String partialNote(MetricRow metric) {
    long items = metric.items().orElseThrow();
    long failed = metric.failed().orElseThrow();
    long outOfContext = metric.outOfContext().orElseThrow();
    return String.format(
        Locale.ROOT,
        "%d of %d items answered: %d failed, %d out of context",
        items - failed - outOfContext,
        items,
        failed,
        outOfContext);
  }

  /** One row: a benchmark (or one of its subsets) under one setting. */
  record Row(
      String category,
      String benchmark,
      String title,
      Optional<String> subset,
      String setting,
      String label,
      String metric,
      Map<String, Cell> cells) {
    boolean isDefault() {
      return setting.equals(DEFAULT_SETTING);
    }
  }

  /**
   * A model column: one model's scores, from one run or, merged, from several.
   *
   * @param model the model's name in its runs
   * @param runs the runs whose scores the column shows, oldest first; a later run's score of the
   *     same benchmark, subset and setting replaces an earlier one's
   */
  record Column(String key, String label, boolean simulated, String model, List<RunData> runs) {
    Column(String key, String label, boolean simulated) {
      this(key, label, simulated, key, List.of());
    }
  }

  /** A perturbation kind's spread: its lowest and highest variant score. */
  record Spread(String model, String benchmark, String kind, double low, double high) {}

  private final List<RunData> runs;
  private final List<Column> columns;
  private final List<Row> rows;
  private final List<Row> subsets;
  private final List<Spread> spreads;
  private final Optional<DiffResult> diff;
  private final ModelGraded modelGraded;
  private final List<String> replaced;

  private Leaderboard(
      List<RunData> runs,
      List<Column> columns,
      List<Row> rows,
      List<Row> subsets,
      List<Spread> spreads,
      Optional<DiffResult> diff,
      ModelGraded modelGraded,
      List<String> replaced,
      Map<String, String> unscored) {
    this.unscored = unscored;
    this.runs = runs;
    this.columns = columns;
    this.rows = rows;
    this.subsets = subsets;
    this.spreads = spreads;
    this.diff = diff;
    this.modelGraded = modelGraded;
    this.replaced = replaced;
  }

  /**
   * The leaderboard of {@code runs}; {@code diff}, where given (two snapshots of one family), adds
   * the seesaw chart.
   *
   * <p>The runs are taken oldest first (by their manifests' creation time; runs created at the same
   * instant in the order given). A model in several runs has one column where the runs agree on
   * what it is (provider, model id, simulator profile) and on every setting hash of the benchmarks
   * and settings they share — e.g. one run swept GSM8K and another MMLU under the same setting; a
   * score that two runs both hold (the same benchmark, setting and setting hash) is the later
   * run's, and the report says so. Where the runs disagree, the model has a column per run ({@code
   * model @ run id}).
   */
  public static Leaderboard build(List<RunData> given, Optional<DiffResult> diff) {
    List<RunData> runs = new ArrayList<>(given);
    runs.sort(Comparator.comparing(r -> r.manifest().created()));
    Map<String, List<RunData>> appearances = new LinkedHashMap<>();
    for (RunData run : runs) {
      for (RunManifest.Model model : run.manifest().models()) {
        appearances.computeIfAbsent(model.name(), k -> new ArrayList<>()).add(run);
      }
    }
    List<Column> columns = new ArrayList<>();
    Map<String, String> columnOf = new LinkedHashMap<>();
    Map<String, String> categories = new LinkedHashMap<>();
    Map<String, String> titles = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (RunData run : runs) {
      String runId = run.manifest().runId();
      for (RunManifest.Model model : run.manifest().models()) {
        String name = model.name();
        List<RunData> of = appearances.get(name);
        boolean merged = of.size() == 1 || mergeable(name, of);
        String key = merged ? name : name + " @ " + runId;
        if (!merged || columnOf.values().stream().noneMatch(key::equals)) {
          boolean simulated = model.simulated();
          columns.add(
              new Column(
                  key,
                  label(key, model),
                  simulated,
                  name,
                  merged ? ImmutableList.copyOf(of) : List.of(run)));
        }
        columnOf.put(runId + "\u0000" + name, key);
      }
      for (RunManifest.Benchmark benchmark : run.manifest().benchmarks()) {
        categories.putIfAbsent(benchmark.name(), benchmark.category());
        titles.putIfAbsent(benchmark.name(), benchmark.title());
      }
      for (RunManifest.Setting setting : run.manifest().settings()) {
        for (RunManifest.SettingBenchmark benchmark : setting.benchmarks()) {
          labels.putIfAbsent(setting.name() + "/" + benchmark.benchmark(), benchmark.label());
        }
      }
    }
    Map<String, Row> rows = new TreeMap<>();
    Map<String, Row> subsetRows = new TreeMap<>();
    Map<String, double[]> spreads = new TreeMap<>();
    Map<String, String> cellRun = new LinkedHashMap<>();
    Set<String> replaced = new TreeSet<>();
    Map<String, String> unscored = new TreeMap<>();
    for (RunData run : runs) {
      String runId = run.manifest().runId();
      for (MetricRow metric : run.metrics()) {
        if (!metric.primary()) {
          continue;
        }
        String model = columnOf.get(runId + "\u0000" + metric.model());
        String benchmark = metric.benchmark();
        String setting = metric.setting();
        Optional<String> subset = metric.subset();
        Cell cell =
            metric.scored()
                ? new Cell(
                    metric.value(),
                    metric.ciLow(),
                    metric.ciHigh(),
                    metric.n(),
                    metric.partial() ? partialNote(metric) : "")
                : null;
        if (metric.perturbation().isPresent()) {
          if (cell == null) {
            continue;
          }
          if (subset.isEmpty()) {
            String kind = metric.perturbation().get().split(":")[0];
            spreads.merge(
                model + "\u0000" + benchmark + "\u0000" + kind,
                new double[] {cell.value(), cell.value()},
                (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
          }
          continue;
        }
        String category = categories.getOrDefault(benchmark, "");
        String sortKey =
            String.format(
                "%d\u0000%s\u0000%s\u0000%s",
                CATEGORIES.contains(category) ? CATEGORIES.indexOf(category) : CATEGORIES.size(),
                titles.getOrDefault(benchmark, benchmark),
                setting.equals(DEFAULT_SETTING) ? "" : setting,
                subset.orElse(""));
        Map<String, Row> target = subset.isEmpty() ? rows : subsetRows;
        Row row =
            target.computeIfAbsent(
                sortKey,
                k ->
                    new Row(
                        category,
                        benchmark,
                        titles.getOrDefault(benchmark, benchmark),
                        subset,
                        setting,
                        labels.getOrDefault(setting + "/" + benchmark, setting),
                        metric.metric(),
                        new LinkedHashMap<>()));
        String earlier = cellRun.put(sortKey + "\u0000" + model, runId);
        if (earlier != null && !earlier.equals(runId) && subset.isEmpty()) {
          replaced.add(
              String.format(
                  "%s, %s, setting %s: runs %s and %s both hold it (the same setting hash); the"
                      + " later run's (%s) is shown",
                  model, row.title(), setting, earlier, runId, runId));
        }
        if (cell == null) {
          // The row stays, its cell empty with why: a planned cell never vanishes.
          unscored.put(cellKey(model, benchmark, subset, setting), partialNote(metric));
          continue;
        }
        row.cells().put(model, cell);
      }
    }
    List<Spread> spreadList = new ArrayList<>();
    spreads.forEach(
        (key, range) -> {
          String[] parts = key.split("\u0000");
          spreadList.add(new Spread(parts[0], parts[1], parts[2], range[0], range[1]));
        });
    // Rows of cells that kept no score (every item failed) are not a report on their own.
    if (runs.stream().flatMap(r -> r.metrics().stream()).noneMatch(MetricRow::scored)) {
      List<String> failed = new ArrayList<>();
      for (RunData run : runs) {
        for (RunManifest.Usage usage : run.manifest().usage()) {
          if (usage.items() > 0 && usage.failedItems() == usage.items()) {
            failed.add(usage.model());
          }
        }
      }
      if (!failed.isEmpty()) {
        throw LeadlineException.userInput(
            "nothing to report: every item of %s failed (samples.parquet's error column says"
                + " why)",
            String.join(", ", failed));
      }
      throw LeadlineException.userInput(
          "the runs have no primary metric rows to report (are they run folders of leadline sweep?)");
    }
    ModelGraded modelGraded =
        ModelGraded.of(
            runs,
            ImmutableList.copyOf(columns),
            (runId, model) -> columnOf.get(runId + "\u0000" + model),
            categories,
            titles,
            labels);
    return new Leaderboard(
        ImmutableList.copyOf(runs),
        ImmutableList.copyOf(columns),
        ImmutableList.copyOf(rows.values()),
        ImmutableList.copyOf(subsetRows.values()),
        ImmutableList.copyOf(spreadList),
        diff,
        modelGraded,
        ImmutableList.copyOf(replaced),
        ImmutableMap.copyOf(unscored));
  }

  /** A column's heading: its key, and whether it is simulated and asked to reason, in brackets. */
  private static String label(String key, RunManifest.Model model) {
    List<String> marks = new ArrayList<>();
    if (model.simulated()) {
      marks.add("simulated");
    }
    model.localLabel().ifPresent(marks::add);
    model.reasoning().ifPresent(marks::add);
    return marks.isEmpty() ? key : key + " (" + String.join(", ", marks) + ")";
  }

  /**
   * Whether the runs of model {@code name} make one column: they agree on what the model is, and on
   * the hash of every setting and benchmark that more than one of them swept.
   */
  private static boolean mergeable(String name, List<RunData> runs) {
    Set<List<Object>> identities = new LinkedHashSet<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (RunData run : runs) {
      RunManifest.Model model = run.manifest().model(name).orElseThrow();
      identities.add(
          List.of(
              model.provider(),
              model.model(),
              model.profileFingerprint().orElse(""),
              // Options of its own (reasoning effort, a thinking budget) reach its requests.
              new java.util.TreeMap<>(model.requestOptions())));
      for (RunManifest.Setting setting : run.manifest().settings()) {
        for (RunManifest.SettingBenchmark benchmark : setting.benchmarks()) {
          String earlier =
              hashes.putIfAbsent(setting.name() + "/" + benchmark.benchmark(), benchmark.hash());
          if (earlier != null && !earlier.equals(benchmark.hash())) {
            return false;
          }
        }
      }
    }
    return identities.size() == 1;
  }

  /**
   * Why {@code column} has no score in {@code row}: every request failed (the reason), some did, it
   * has no score, or its runs did not sweep the benchmark under the setting.
   */
  String whyEmpty(Column column, Row row) {
    // The failed requests' own reason first (it says what to mend), else the cell's counts; a cell
    // with prompts out of context says its counts (those are answers about the model, not
    // failures).
    String none = unscored.get(cellKey(column.key(), row.benchmark(), row.subset(), row.setting()));
    if (none != null && !none.endsWith(" 0 out of context")) {
      return "no score: " + none;
    }
    List<RunData> sources = column.runs();
    for (int i = sources.size() - 1; i >= 0; i--) {
      RunData run = sources.get(i);
      if (!run.swept(row.benchmark(), row.setting())) {
        continue;
      }
      Optional<RunData.Failure> failure =
          run.failure(column.model(), row.benchmark(), row.setting());
      if (failure.isPresent()) {
        RunData.Failure f = failure.get();
        return f.all()
            ? String.format(Locale.ROOT, "all %d requests failed: %s", f.samples(), f.reason())
            : String.format(
                Locale.ROOT,
                "no score: %d of %d requests failed: %s",
                f.failed(),
                f.samples(),
                f.reason());
      }
      if (none != null) {
        return "no score: " + none;
      }
      for (RunManifest.Usage usage : run.manifest().usage()) {
        if (usage.model().equals(column.model())
            && usage.items() > 0
            && usage.failedItems() == usage.items()) {
          return "every request of the model failed (samples.parquet's error column says why)";
        }
      }
      return "no score in metrics.json";
    }
    return "not run";
  }

  /** {@code whyEmpty} as a Markdown cell says it: briefly, the reason in a note below. */
  private String emptyMarkdown(Column column, Row row) {
    String why = whyEmpty(column, row);
    if (why.startsWith("all ")) {
      return "— (all failed)";
    }
    if (why.startsWith("no score: 0 of ")) {
      return why.endsWith(" 0 out of context") ? "— (all failed)" : "— (not answered)";
    }
    if (why.startsWith("no score: ")) {
      return "— (some failed)";
    }
    return "—";
  }

  /**
   * The columns without any score in the main table, each with why: the most frequent failure of
   * its model, else that its runs swept none of the report's benchmarks.
   */
  private Map<String, String> emptyColumns() {
    Map<String, String> empty = new LinkedHashMap<>();
    for (Column column : columns) {
      if (rows.stream().anyMatch(r -> r.cells().containsKey(column.key()))) {
        continue;
      }
      Optional<RunData.Failure> worst =
          column.runs().stream()
              .flatMap(r -> r.failures().stream())
              .filter(f -> f.model().equals(column.model()))
              .max(Comparator.comparingLong(RunData.Failure::failed));
      empty.put(
          column.label(),
          worst
              .map(
                  f ->
                      String.format(
                          Locale.ROOT,
                          "no score: %s requests failed (%s on %s, setting %s: %s)",
                          column.runs().stream()
                                  .flatMap(r -> r.failures().stream())
                                  .filter(g -> g.model().equals(column.model()))
                                  .allMatch(RunData.Failure::all)
                              ? "all its"
                              : "some of its",
                          f.all() ? "all " + f.samples() : f.failed() + " of " + f.samples(),
                          f.benchmark(),
                          f.setting(),
                          f.reason()))
              .orElse(
                  "no score: its runs swept none of these benchmarks, or it has no metric row"));
    }
    return empty;
  }

  /** Writes the four files into {@code dir}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("leaderboard.md"), markdown(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("leaderboard.csv"), csv(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("leaderboard.json"), json(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("index.html"), html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LeadlineException.userInput("--out: cannot write %s (%s)", dir, e.getMessage());
    }
  }

  private static String percent(Cell cell) {
    return String.format(
            Locale.ROOT,
            "%.1f [%.1f, %.1f]",
            cell.value() * 100,
            cell.ciLow() * 100,
            cell.ciHigh() * 100)
        + (cell.partial().isEmpty() ? "" : " " + PARTIAL_MARK);
  }

  /** The note under a table with partial scores; empty if it has none. */
  private static final String PARTIAL_NOTE =
      PARTIAL_MARK
          + " over the answered items only: some of the cell's items failed or did not fit the"
          + " model's context (metrics.json: items, failed, out_of_context).";

  private boolean anyPartial() {
    return java.util.stream.Stream.concat(rows.stream(), subsets.stream())
        .anyMatch(r -> r.cells().values().stream().anyMatch(c -> !c.partial().isEmpty()));
  }

  private String settingText(Row row) {
    String judged = judges(row).map(names -> ", judged by " + String.join(", ", names)).orElse("");
    return row.label() + judged + (row.isDefault() ? "" : " †");
  }

  /** The judges of a row whose primary metric they graded. */
  private Optional<List<String>> judges(Row row) {
    return modelGraded
        .group(row.benchmark(), row.setting())
        .filter(g -> g.metrics().stream().anyMatch(m -> m.name().equals(row.metric())))
        .map(ModelGraded.Group::judgeNames);
  }

  /** GPT-Fathom's table in Markdown, then the per-subset tables and the footer. */
  public String markdown() {
    StringBuilder md = new StringBuilder("# Leaderboard\n\n");
    md.append("Scores in % with 95% bootstrap intervals; primary metric of each benchmark.\n\n");
    md.append("| Capability | Benchmark | Setting |");
    columns.forEach(c -> md.append(' ').append(c.label()).append(" |"));
    md.append("\n|---|---|---|").append("---|".repeat(columns.size())).append('\n');
    String category = null;
    for (Row row : rows) {
      md.append("| ")
          .append(row.category().equals(category) ? "" : row.category())
          .append(" | ")
          .append(row.title())
          .append(" | ")
          .append(settingText(row))
          .append(" |");
      category = row.category();
      for (Column column : columns) {
        Cell cell = row.cells().get(column.key());
        md.append(' ')
            .append(cell == null ? emptyMarkdown(column, row) : percent(cell))
            .append(" |");
      }
      md.append('\n');
    }
    if (rows.stream().anyMatch(r -> !r.isDefault())) {
      md.append("\n† not GPT-Fathom's default setting (`gpt-fathom`).\n");
    }
    if (anyPartial()) {
      md.append('\n').append(PARTIAL_NOTE).append('\n');
    }
    notesMarkdown(md);
    Map<String, List<Row>> byBenchmark = subsetsByBenchmark();
    byBenchmark.forEach(
        (title, list) -> {
          md.append("\n## ").append(title).append(" by subset\n\n| Subset |");
          columns.forEach(c -> md.append(' ').append(c.label()).append(" |"));
          md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
          for (Row row : list) {
            md.append("| ").append(row.subset().orElse("")).append(" |");
            for (Column column : columns) {
              Cell cell = row.cells().get(column.key());
              md.append(' ')
                  .append(cell == null ? emptyMarkdown(column, row) : percent(cell))
                  .append(" |");
            }
            md.append('\n');
          }
        });
    if (!modelGraded.isEmpty()) {
      md.append(modelGraded.markdown());
    }
    List<String[]> costs = costRows();
    if (!costs.isEmpty()) {
      md.append("\n## Cost\n\n");
      md.append("| ").append(String.join(" | ", COST_HEADER)).append(" |\n");
      md.append("|---".repeat(COST_HEADER.length)).append("|\n");
      for (String[] row : costs) {
        md.append("| ").append(String.join(" | ", row)).append(" |\n");
      }
      md.append(COST_NOTE).append('\n');
    }
    md.append("\n## Reproducibility\n\n").append(footerMarkdown());
    return md.toString();
  }

  private static final String[] COST_HEADER = {
    "model",
    "benchmark",
    "setting",
    "items",
    "batched",
    "prompt tokens",
    "completion tokens",
    "cost (USD)",
    "this run (USD)"
  };

  private static final String COST_NOTE =
      "\nCosts are of every answer the run's records hold, at the model's prices (batched answers at"
          + " the batch price); \"this run\" is what the run's own requests got back, the rest"
          + " came from the result store.";

  /**
   * The runs' cost ledgers: per priced model, benchmark and setting, then a total per model; empty
   * when no model of the runs has a price.
   */
  private List<String[]> costRows() {
    List<String[]> rows = new ArrayList<>();
    for (RunData run : runs) {
      Map<String, java.math.BigDecimal[]> totals = new LinkedHashMap<>();
      for (RunManifest.Cost cost : run.manifest().costs()) {
        if (cost.costUsd().isEmpty()) {
          continue;
        }
        rows.add(
            new String[] {
              cost.model(),
              cost.benchmark(),
              cost.setting(),
              String.format(Locale.ROOT, "%,d", cost.items()),
              String.format(Locale.ROOT, "%,d", cost.batchedItems()),
              String.format(Locale.ROOT, "%,d", cost.promptTokens()),
              String.format(Locale.ROOT, "%,d", cost.completionTokens()),
              dollars(new java.math.BigDecimal(cost.costUsd().get())),
              dollars(new java.math.BigDecimal(cost.thisRunCostUsd().orElse("0")))
            });
        java.math.BigDecimal[] total =
            totals.computeIfAbsent(
                cost.model(),
                m ->
                    new java.math.BigDecimal[] {
                      java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO
                    });
        total[0] = total[0].add(new java.math.BigDecimal(cost.costUsd().get()));
        total[1] = total[1].add(new java.math.BigDecimal(cost.thisRunCostUsd().orElse("0")));
      }
      totals.forEach(
          (model, total) ->
              rows.add(
                  new String[] {
                    model, "all", "", "", "", "", "", dollars(total[0]), dollars(total[1])
                  }));
    }
    return rows;
  }

  private static String dollars(java.math.BigDecimal cost) {
    return "$" + cost.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  /** Why cells are empty, and which scores a later run replaced, below the main table. */
  private void notesMarkdown(StringBuilder md) {
    List<String> failures = failureNotes();
    Map<String, String> empty = emptyColumns();
    if (!empty.isEmpty() || !failures.isEmpty() || !replaced.isEmpty()) {
      md.append('\n');
    }
    empty.forEach(
        (label, why) -> md.append("- ").append(label).append(": ").append(why).append('\n'));
    failures.forEach(line -> md.append("- ").append(line).append('\n'));
    replaced.forEach(line -> md.append("- ").append(line).append('\n'));
  }

  /** One line per main-table cell whose requests failed, all or some: the model, where, why. */
  private List<String> failureNotes() {
    List<String> notes = new ArrayList<>();
    Set<String> empty = emptyColumns().keySet();
    for (Row row : rows) {
      for (Column column : columns) {
        if (row.cells().containsKey(column.key()) || empty.contains(column.label())) {
          continue;
        }
        String why = whyEmpty(column, row);
        if (why.startsWith("all ") || why.startsWith("no score: ")) {
          notes.add(column.label() + ", " + row.title() + " (" + row.label() + "): " + why);
        }
      }
    }
    return notes;
  }

  private String footerMarkdown() {
    StringBuilder md = new StringBuilder();
    for (RunData run : runs) {
      RunManifest manifest = run.manifest();
      md.append(
          String.format(
              "- run `%s` (%s), Leadline %s, commit %s, Spark master %s%n",
              manifest.runId(),
              manifest.created(),
              manifest.leadline().version(),
              manifest.leadline().commit(),
              manifest.spark().master()));
      for (RunManifest.Benchmark benchmark : manifest.benchmarks()) {
        md.append(
            String.format(
                "  - %s: %s, split %s, revision %s, %d examples (sha256 %s)%n",
                benchmark.name(),
                benchmark.dataset(),
                benchmark.split(),
                benchmark.revision(),
                benchmark.examples(),
                benchmark.examplesSha256().substring(0, 12)));
      }
      for (RunManifest.Setting setting : manifest.settings()) {
        for (RunManifest.SettingBenchmark benchmark : setting.benchmarks()) {
          md.append(
              String.format(
                  "  - setting %s for %s: %s, hash %s%n",
                  setting.name(), benchmark.benchmark(), benchmark.label(), benchmark.hash()));
        }
      }
      for (RunManifest.Judge judge : manifest.judges()) {
        md.append(
            String.format(
                Locale.ROOT,
                "  - judge %s: %s/%s (%s API%s), reported %s; %d replies, %d without a grade;"
                    + " %d requests sent, %d failed; %d prompt and %d completion tokens%n",
                judge.name(),
                judge.provider(),
                judge.model(),
                judge.api(),
                judge.simulated() ? ", simulated" : "",
                judge.reportedModels().isEmpty()
                    ? "no model version"
                    : String.join(", ", judge.reportedModels()),
                judge.calls(),
                judge.noGrade(),
                judge.sentRequests(),
                judge.failedRequests(),
                judge.promptTokens(),
                judge.completionTokens()));
      }
    }
    return md.toString();
  }

  /** The subset rows, grouped under "Title — setting label", in row order. */
  private Map<String, List<Row>> subsetsByBenchmark() {
    Map<String, List<Row>> byBenchmark = new LinkedHashMap<>();
    for (Row row : subsets) {
      byBenchmark
          .computeIfAbsent(row.title() + " — " + row.label(), k -> new ArrayList<>())
          .add(row);
    }
    return byBenchmark;
  }

  /** One line per (row, model): the data behind every table. */
  public String csv() {
    CsvSchema schema =
        CsvSchema.builder()
            .addColumn("category")
            .addColumn("benchmark")
            .addColumn("subset")
            .addColumn("setting")
            .addColumn("setting_label")
            .addColumn("metric")
            .addColumn("model")
            .addColumn("simulated")
            .addColumn("value")
            .addColumn("ci_low")
            .addColumn("ci_high")
            .addColumn("n")
            .setUseHeader(true)
            .build();
    List<List<Object>> lines = new ArrayList<>();
    List<Row> all = new ArrayList<>(rows);
    all.addAll(subsets);
    for (Row row : all) {
      for (Column column : columns) {
        Cell cell = row.cells().get(column.key());
        if (cell == null) {
          continue;
        }
        lines.add(
            List.of(
                row.category(),
                row.benchmark(),
                row.subset().orElse(""),
                row.setting(),
                row.label(),
                row.metric(),
                column.key(),
                column.simulated(),
                cell.value(),
                cell.ciLow(),
                cell.ciHigh(),
                cell.n()));
      }
    }
    try {
      return new CsvMapper().writer(schema).writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The leaderboard as data. */
  public String json() {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode models = root.putArray("models");
    for (Column column : columns) {
      models.addObject().put("name", column.key()).put("simulated", column.simulated());
    }
    ArrayNode rowsNode = root.putArray("rows");
    List<Row> all = new ArrayList<>(rows);
    all.addAll(subsets);
    for (Row row : all) {
      ObjectNode node = rowsNode.addObject();
      node.put("category", row.category());
      node.put("benchmark", row.benchmark());
      node.put("title", row.title());
      node.put("subset", row.subset().orElse(null));
      node.put("setting", row.setting());
      node.put("setting_label", row.label());
      node.put("default_setting", row.isDefault());
      node.put("metric", row.metric());
      judges(row).ifPresent(names -> names.forEach(node.putArray("judges")::add));
      ObjectNode cells = node.putObject("scores");
      row.cells()
          .forEach(
              (model, cell) -> {
                ObjectNode score =
                    cells
                        .putObject(model)
                        .put("value", cell.value())
                        .put("ci_low", cell.ciLow())
                        .put("ci_high", cell.ciHigh())
                        .put("n", cell.n());
                if (!cell.partial().isEmpty()) {
                  score.put("partial", cell.partial());
                }
              });
    }
    if (!modelGraded.isEmpty()) {
      modelGraded.json(root);
    }
    ArrayNode costList = root.putArray("costs");
    for (RunData run : runs) {
      for (RunManifest.Cost cost : run.manifest().costs()) {
        ObjectNode node =
            costList
                .addObject()
                .put("model", cost.model())
                .put("benchmark", cost.benchmark())
                .put("setting", cost.setting())
                .put("items", cost.items())
                .put("answered_items", cost.answeredItems())
                .put("batched_items", cost.batchedItems())
                .put("this_run_items", cost.thisRunItems())
                .put("prompt_tokens", cost.promptTokens())
                .put("cached_prompt_tokens", cost.cachedPromptTokens())
                .put("completion_tokens", cost.completionTokens());
        node.put("cost_usd", cost.costUsd().orElse(null));
        node.put("this_run_cost_usd", cost.thisRunCostUsd().orElse(null));
      }
    }
    if (costList.isEmpty()) {
      root.remove("costs");
    }
    ArrayNode runList = root.putArray("runs");
    for (RunData run : runs) {
      ObjectNode node = runList.addObject();
      node.put("run", run.location());
      node.put("run_id", run.manifest().runId());
      node.putObject("leadline")
          .put("version", run.manifest().leadline().version())
          .put("commit", run.manifest().leadline().commit());
      ObjectNode revisions = node.putObject("dataset_revisions");
      run.manifest().benchmarks().forEach(b -> revisions.put(b.name(), b.revision()));
    }
    diff.ifPresent(d -> root.put("headline", d.headline()));
    return pretty(root);
  }

  private static String pretty(JsonNode node) {
    return PrettyJson.write(node);
  }

  /** The charts' data: capability means per model, the seesaw, the sensitivity spreads. */
  private ObjectNode chartData() {
    ObjectNode data = MAPPER.createObjectNode();
    ArrayNode capabilities = data.putArray("capabilities");
    Set<String> present = new LinkedHashSet<>();
    rows.stream().filter(Row::isDefault).forEach(r -> present.add(r.category()));
    present.forEach(capabilities::add);
    ArrayNode series = data.putArray("models");
    for (Column column : columns) {
      ObjectNode model = series.addObject().put("label", column.label());
      ArrayNode values = model.putArray("values");
      for (String category : present) {
        double sum = 0;
        int count = 0;
        for (Row row : rows) {
          Cell cell = row.cells().get(column.key());
          if (row.isDefault() && row.category().equals(category) && cell != null) {
            sum += cell.value();
            count++;
          }
        }
        if (count == 0) {
          values.addNull();
        } else {
          values.add(Math.round(sum / count * 1000) / 10.0);
        }
      }
    }
    if (diff.isPresent() && diff.get().compared()) {
      ObjectNode seesaw = data.putObject("seesaw");
      seesaw.put("title", diff.get().headline());
      ArrayNode items = seesaw.putArray("benchmarks");
      for (BenchmarkDelta row : diff.get().rows()) {
        if (row.subset().isEmpty()) {
          items
              .addObject()
              .put("benchmark", row.benchmark())
              .put("delta", Math.round(row.delta() * 1000) / 10.0)
              .put("low", Math.round(row.ciLow() * 1000) / 10.0)
              .put("high", Math.round(row.ciHigh() * 1000) / 10.0)
              .put("direction", row.direction());
        }
      }
    }
    if (!spreads.isEmpty()) {
      ArrayNode items = data.putArray("sensitivity");
      for (Spread spread : spreads) {
        items
            .addObject()
            .put("label", spread.model() + " · " + spread.benchmark() + " · " + spread.kind())
            .put("low", Math.round(spread.low() * 1000) / 10.0)
            .put("high", Math.round(spread.high() * 1000) / 10.0);
      }
    }
    return data;
  }

  /**
   * One self-contained page: the table (capabilities spanning their rows; sortable within them),
   * why cells are empty, charts, the per-subset tables, the model-graded section, costs, and what
   * reproduces each run.
   */
  public String html() {
    StringBuilder page = new StringBuilder();
    Page shell = Page.begin("Leadline leaderboard", "");
    page.append("<h1>Leaderboard</h1>\n<p class=\"lede\">Primary metric of each benchmark")
        .append(" (GPT-Fathom's). ")
        .append(Page.esc(Page.LEGEND))
        .append(" † marks a setting other than GPT-Fathom's default. A heading sorts the rows")
        .append(" by its column, within each capability.</p>\n");
    diff.filter(DiffResult::compared)
        .ifPresent(
            d ->
                page.append("<p><strong>")
                    .append(Page.esc(d.headline()))
                    .append("</strong></p>\n"));
    List<String> headings = new ArrayList<>(List.of("Capability", "Benchmark", "Setting"));
    columns.forEach(c -> headings.add(c.label()));
    // Past five models the table is too wide for a tablet: it stacks there as on a phone.
    String wide = columns.size() > 5 ? " wide" : "";
    page.append("<table id=\"leaderboard\" class=\"scores" + wide + " sortable\">")
        .append(
            Page.headerRow(headings, 3)
                .replaceFirst("<th class=\"text\">", "<th class=\"text group\">"))
        .append("<tbody>\n");
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      boolean first = i == 0 || !rows.get(i - 1).category().equals(row.category());
      page.append("<tr data-benchmark=\"")
          .append(Page.esc(row.benchmark()))
          .append("\" data-group=\"")
          .append(Page.esc(row.category()))
          .append("\">");
      if (first) {
        int span = 0;
        for (int j = i; j < rows.size() && rows.get(j).category().equals(row.category()); j++) {
          span++;
        }
        page.append("<td class=\"text group\" rowspan=\"")
            .append(span)
            .append("\" data-label=\"Capability\">")
            .append(Page.esc(row.category()))
            .append("</td>");
      }
      page.append(Page.textCell("Benchmark", row.title()))
          .append(Page.textCell("Setting", settingText(row)));
      scoreCells(page, row);
      page.append("</tr>\n");
    }
    page.append("</tbody></table>\n");
    if (anyPartial()) {
      page.append("<p class=\"note\">").append(Page.esc(PARTIAL_NOTE)).append("</p>\n");
    }
    notesHtml(page);
    page.append("<h2>Charts</h2>\n<div class=\"charts\">\n")
        .append("<div class=\"chart\"><canvas id=\"capabilities\"></canvas></div>\n");
    if (diff.isPresent() && diff.get().compared()) {
      page.append("<div class=\"chart\"><canvas id=\"seesaw\"></canvas></div>\n");
    }
    if (!spreads.isEmpty()) {
      page.append("<div class=\"chart\" style=\"height:")
          .append(Math.max(18, 4 + spreads.size() * 1.4))
          .append("rem\"><canvas id=\"sensitivity\"></canvas></div>\n");
    }
    page.append("</div>\n")
        .append("<p class=\"note\">Each capability's bar is the mean of its benchmarks' scores")
        .append(" under the default setting, every benchmark weighing the same within its group")
        .append(" (MMLU's 57 subjects count once, as HumanEval does). As in GPT-Fathom, there is")
        .append(" no overall score.")
        .append(
            diff.isPresent() && diff.get().compared()
                ? " The seesaw's whiskers are each delta's 95% paired bootstrap interval."
                : "")
        .append("</p>\n");
    Map<String, List<Row>> byBenchmark = subsetsByBenchmark();
    if (!byBenchmark.isEmpty()) {
      page.append("<h2>By subset</h2>\n");
    }
    byBenchmark.forEach(
        (title, list) -> {
          page.append("<details><summary>")
              .append(Page.esc(title))
              .append(" (")
              .append(list.size())
              .append(" subsets)</summary><table class=\"scores" + wide + " sortable subsets\">");
          List<String> subsetHeadings = new ArrayList<>(List.of("Subset"));
          columns.forEach(c -> subsetHeadings.add(c.label()));
          page.append(Page.headerRow(subsetHeadings, 1)).append("<tbody>\n");
          for (Row row : list) {
            page.append("<tr>").append(Page.textCell("Subset", row.subset().orElse("")));
            scoreCells(page, row);
            page.append("</tr>\n");
          }
          page.append("</tbody></table></details>\n");
        });
    if (!modelGraded.isEmpty()) {
      page.append(modelGraded.html());
    }
    List<String[]> costs = costRows();
    if (!costs.isEmpty()) {
      page.append("<h2>Cost</h2>\n<table class=\"scores wide costs\">")
          .append(Page.headerRow(List.of(COST_HEADER), 3))
          .append("<tbody>\n");
      for (String[] row : costs) {
        page.append("<tr>");
        for (int i = 0; i < row.length; i++) {
          page.append(
              i < 3
                  ? Page.textCell(COST_HEADER[i], row[i])
                  : Page.numberCell(COST_HEADER[i], row[i]));
        }
        page.append("</tr>\n");
      }
      page.append("</tbody></table>\n<p class=\"note\">")
          .append(Page.esc(COST_NOTE.strip()))
          .append("</p>\n");
    }
    page.append("<footer><h2>Reproducibility</h2>\n").append(footerHtml()).append("</footer>\n");
    return shell.raw(page.toString()).end(true, Optional.of(pretty(chartData())), PAGE_SCRIPT);
  }

  /** The score cells of {@code row}, one per column: the best bold, an empty one saying why. */
  private void scoreCells(StringBuilder page, Row row) {
    double best = row.cells().values().stream().mapToDouble(Cell::value).max().orElse(Double.NaN);
    for (Column column : columns) {
      Cell cell = row.cells().get(column.key());
      page.append(
          cell == null
              ? Page.emptyCell(column.label(), whyEmpty(column, row))
              : Page.scoreCell(
                  column.label(),
                  cell.value(),
                  cell.ciLow(),
                  cell.ciHigh(),
                  cell.n(),
                  cell.value() == best,
                  cell.partial().isEmpty()
                      ? ""
                      : " <span class=\"partial\" title=\""
                          + Page.esc(cell.partial())
                          + "\">"
                          + PARTIAL_MARK
                          + "</span>"));
    }
  }

  private void notesHtml(StringBuilder page) {
    Map<String, String> empty = emptyColumns();
    List<String> failures = failureNotes();
    if (empty.isEmpty() && failures.isEmpty() && replaced.isEmpty()) {
      return;
    }
    page.append("<ul class=\"notice empty-notes\">\n");
    empty.forEach(
        (label, why) ->
            page.append("<li><strong>")
                .append(Page.esc(label))
                .append("</strong>: ")
                .append(Page.esc(why))
                .append("</li>\n"));
    failures.forEach(line -> page.append("<li>").append(Page.esc(line)).append("</li>\n"));
    replaced.forEach(line -> page.append("<li>").append(Page.esc(line)).append("</li>\n"));
    page.append("</ul>\n");
  }

  /** The footer's lists as nested HTML lists, so that every line wraps on a phone. */
  private String footerHtml() {
    StringBuilder html = new StringBuilder("<ul class=\"runs\">");
    boolean item = false;
    boolean inner = false;
    for (String line : footerMarkdown().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String text = Page.esc(line.strip().substring(2).replace("`", ""));
      if (line.startsWith("  ")) {
        html.append(inner ? "" : "<ul>").append("<li>").append(text).append("</li>");
        inner = true;
        continue;
      }
      html.append(inner ? "</ul>" : "").append(item ? "</li>" : "").append("\n<li>").append(text);
      item = true;
      inner = false;
    }
    html.append(inner ? "</ul>" : "").append(item ? "</li>" : "").append("</ul>\n");
    return html.toString();
  }

  /** The charts; sets body[data-charts] to the number drawn (the browser tests read it). */
  private static final String PAGE_SCRIPT =
      """
      let drawn = 0;
      const options = {responsive: true, maintainAspectRatio: false, animation: false};
      new Chart(document.getElementById('capabilities'), {type: 'bar',
        data: {labels: DATA.capabilities,
               datasets: DATA.models.map(m => ({label: m.label, data: m.values}))},
        options: {...options, plugins: {title: {display: true, text: 'Mean score per capability (%), benchmarks weighted equally'}},
                  scales: {y: {min: 0, max: 100}}}});
      drawn++;
      if (DATA.seesaw) {
        leadline.seesaw(document.getElementById('seesaw'), DATA.seesaw);
        drawn++;
      }
      if (DATA.sensitivity) {
        new Chart(document.getElementById('sensitivity'), {type: 'bar',
          data: {labels: DATA.sensitivity.map(s => s.label), datasets: [
            {label: 'score range over variants (%)', data: DATA.sensitivity.map(s => [s.low, s.high])}]},
          options: {...options, indexAxis: 'y',
                    plugins: {title: {display: true, text: 'Sensitivity to the prompt'}}}});
        drawn++;
      }
      document.body.dataset.charts = drawn;
      """;

  List<Row> rows() {
    return rows;
  }
}
