package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.datasets.HubSettings;
import io.leadline.engine.DataMode;
import io.leadline.engine.Sweep;
import io.leadline.engine.SweepResult;
import io.leadline.engine.SweepSpec;
import io.leadline.records.MetricRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code leadline sweep}: models × benchmarks × settings on Spark, into a run folder. With no
 * arguments, the main job: bundled samples, {@code gpt-fathom} and {@code loglikelihood}, two
 * simulated snapshots, and the real stories260K model on TinyStories.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Run benchmarks against models under fixed settings on Apache Spark, and write a run folder"
          + " (manifest.json, samples.parquet, metrics.json). Responses are kept in the result store"
          + " under LEADLINE_HOME: a rerun sends no request, and a killed sweep resumes where it"
          + " stopped.",
      "With no arguments: the bundled samples of every benchmark under the gpt-fathom setting"
          + " (and the multiple-choice ones scored by log-likelihood too, the loglikelihood"
          + " setting), and the simulated snapshots sim-v1 and sim-v2 served in-process, with"
          + " TinyStories also answered by the real stories260K model run in-process by llama.cpp"
          + " (no network, no keys).",
      "The run folder's path is printed on the last line."
    })
final class SweepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Leadline leadline;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "NAME",
      description = "Models of the models file to ask (default: all of them).")
  List<String> models = List.of();

  @Option(
      names = "--models-file",
      paramLabel = "FILE",
      description =
          "The models file (YAML, see README); default: the simulated sim-v1 and sim-v2, and the"
              + " real stories260k on TinyStories.")
  Path modelsFile;

  @Option(
      names = "--benchmarks",
      split = ",",
      paramLabel = "NAME",
      description = "Benchmarks to run (default: all; see 'leadline benchmarks').")
  List<String> benchmarks = List.of();

  @Option(
      names = "--settings",
      split = ",",
      paramLabel = "NAME",
      description =
          "Settings to run (default: gpt-fathom, and loglikelihood beside it for the simulated"
              + " models; see 'leadline settings').")
  List<String> settings;

  @Option(
      names = "--perturbations",
      split = ",",
      paramLabel = "NAME",
      description =
          "Prompt perturbations whose variants run beside each setting: instruction, qa-labels,"
              + " format, shots-order, shots-count, options, typos, numbers, cot, temperature"
              + " (see 'leadline sensitivity').")
  List<String> perturbations = List.of();

  @Option(
      names = "--limit",
      paramLabel = "N|FRACTION",
      description =
          "Only the first N examples of each benchmark or subset, or a fraction of them: 0.1 asks"
              + " the first ⌈10%%⌉ (scores on part of a benchmark are not comparable with scores"
              + " on all of it).")
  String limit;

  /** {@code --model} and the flags that follow each, in command-line order. */
  private final List<java.util.Map.Entry<String, String>> modelFlags = new java.util.ArrayList<>();

  /**
   * Picocli calls a list option's setter with the values so far each time the option is matched, in
   * command-line order: the newest value is the one just given.
   */
  private void given(String flag, List<String> values) {
    if (!values.isEmpty()) {
      modelFlags.add(java.util.Map.entry(flag, values.get(values.size() - 1)));
    }
  }

  @Option(
      names = "--model",
      paramLabel = "PROVIDER/MODEL",
      description =
          "A model to ask, without a models file: openai-compatible/MODEL_ID (with --base-url),"
              + " openai/gpt-4o-mini, anthropic/claude-…, sim/sim-v1. Repeatable; each takes the"
              + " --base-url, --api-key-env, --api and --name that follow it. Its name in records"
              + " is --name, else the model id's last part.")
  void model(List<String> values) {
    given("--model", values);
  }

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description = "The API root of the --model before it, e.g. http://127.0.0.1:8000/v1.")
  void baseUrl(List<String> values) {
    given("--base-url", values);
  }

  @Option(
      names = "--api-key-env",
      paramLabel = "VAR",
      description =
          "The environment variable holding the key of the --model before it (default for openai"
              + " and anthropic: OPENAI_API_KEY, ANTHROPIC_API_KEY).")
  void apiKeyEnv(List<String> values) {
    given("--api-key-env", values);
  }

  @Option(
      names = "--api",
      paramLabel = "chat|completions",
      description = "The API of the --model before it (default: chat).")
  void api(List<String> values) {
    given("--api", values);
  }

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The name records and reports give the --model before it.")
  void name(List<String> values) {
    given("--name", values);
  }

  @Option(
      names = "--num-fewshot",
      paramLabel = "N",
      description =
          "Run each setting with N exemplars (0 for zero-shot) wherever a benchmark has them: a"
              + " derived setting, named and hashed apart from its base.")
  Integer numFewshot;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "Run each setting at temperature T, as a derived setting.")
  String temperature;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "Run each setting with at most N completion tokens, as a derived setting.")
  Integer maxTokens;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Send seed N with every request, as a derived setting of each setting.")
  Long seed;

  @Option(
      names = "--data",
      defaultValue = "bundled",
      paramLabel = "bundled|hub",
      description =
          "bundled: the samples in benchmarks/*/data (default); hub: the full splits from the"
              + " Hugging Face Hub, through the dataset cache.")
  String data;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "The run folder to write, a path or a Hadoop URI such as hdfs://…"
              + " (default: runs/<timestamp>-<plan hash>).")
  String outDir;

  @Option(
      names = "--resume",
      description =
          "Continue into the --out folder, finished or not, if it holds this sweep's plan (same"
              + " models, benchmarks, settings and examples); answers come from the result store.")
  boolean resume;

  @Option(
      names = "--overwrite",
      description =
          "Replace the --out folder: the new run is built beside it and swapped in when whole.")
  boolean overwrite;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description =
          "The result store, a path or a Hadoop URI (file:, hdfs:, s3a:) that every executor"
              + " reaches (default: LEADLINE_HOME/results).")
  String store;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "The Spark master, e.g. spark://host:7077 (default: spark-submit's --master, else"
              + " local[*]).")
  String master;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Requests in flight per model, overriding max_concurrency in the models file.")
  Integer concurrency;

  @Option(
      names = "--unsafe-no-sandbox",
      description =
          "Run HumanEval programs without bubblewrap isolation (recorded in the manifest). Only"
              + " for models you trust on a machine you can lose.")
  boolean unsafeNoSandbox;

  @Option(
      names = "--batch",
      description =
          "Send every model's items through its provider's batch API (OpenAI Batch API, Anthropic"
              + " Message Batches: half the price, answers within 24 h), as batch: true in the"
              + " models file does for one model.")
  boolean batch;

  @Option(
      names = "--no-wait",
      description =
          "Submit the batches and exit (code 3) while they run; rerun the same command to collect"
              + " them.")
  boolean noWait;

  @Option(
      names = "--dry-run",
      description =
          "Plan the sweep and print its items, requests, estimated tokens and cost range; send"
              + " nothing, write nothing.")
  boolean dryRun;

  @Option(
      names = "--budget",
      paramLabel = "USD",
      description =
          "Stop sending before the spend would pass this many US dollars (every model needs a"
              + " price); a rerun with a larger budget continues.")
  String budget;

  /** Exit code of a sweep that left batches running ({@code --no-wait}). */
  static final int BATCHES_RUNNING = 3;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DataMode dataMode =
        switch (data) {
          case "bundled" -> DataMode.BUNDLED;
          case "hub" -> DataMode.HUB;
          default ->
              throw LeadlineException.userInput("--data: expected bundled or hub, got '%s'", data);
        };
    Path root = Checkout.root();
    Path home = HubSettings.fromEnvironment(leadline.environment).home();
    if (Files.exists(home) && !Files.isDirectory(home)) {
      throw LeadlineException.userInput(
          "LEADLINE_HOME: %s is a file; expected a folder (or a path to create one at)", home);
    }
    SweepSpec.Builder sweep =
        SweepSpec.builder().checkout(root).home(home).environment(leadline.environment);
    CommandLineModels named = CommandLineModels.of(modelFlags);
    if (named.isEmpty() && modelsFile == null) {
      sweep.modelsFile(SweepSpec.MAIN_JOB_MODELS_FILE, SweepSpec.MAIN_JOB_MODELS);
    }
    if (!named.isEmpty()) {
      if (modelsFile != null || !models.isEmpty()) {
        throw LeadlineException.userInput(
            "--model and %s: choose one (name every model with --model, or put them in a models"
                + " file)",
            modelsFile != null ? "--models-file" : "--models");
      }
      sweep.modelsFile(CommandLineModels.FILE, named.yaml());
    } else if (modelsFile != null) {
      if (!Files.isRegularFile(modelsFile)) {
        throw LeadlineException.userInput("--models-file: %s does not exist", modelsFile);
      }
      try {
        sweep.modelsFile(modelsFile.toString(), Files.readString(modelsFile));
      } catch (IOException e) {
        throw LeadlineException.userInput(
            "--models-file: cannot read %s (%s)", modelsFile, e.getMessage());
      }
    }
    List<String> chosen =
        settings != null
            ? settings
            : modelsFile == null && named.isEmpty()
                ? List.of("gpt-fathom", "loglikelihood")
                : List.of("gpt-fathom");
    Limit parsed = Limit.parse(limit);
    sweep
        .models(models)
        .benchmarks(benchmarks)
        .settings(derived(chosen))
        .perturbations(perturbations)
        .limit(parsed.count())
        .limitFraction(parsed.fraction())
        .data(dataMode)
        .store(Optional.ofNullable(store))
        .out(Optional.ofNullable(outDir))
        .concurrency(concurrency == null ? OptionalInt.empty() : OptionalInt.of(concurrency))
        .unsafeNoSandbox(unsafeNoSandbox)
        .batch(batch)
        .noWait(noWait)
        .dryRun(dryRun)
        .budgetUsd(budget())
        .existing(existing());
    // spark-submit's --master arrives as a system property.
    Optional.ofNullable(master)
        .or(() -> Optional.ofNullable(System.getProperty("spark.master")))
        .ifPresent(sweep::master);
    SweepSpec checked = sweep.build();
    if (unsafeNoSandbox) {
      err.println(
          "leadline sweep: warning: --unsafe-no-sandbox: HumanEval programs run without isolation");
    }
    named.describe().forEach(line -> err.println("leadline sweep: " + line));
    for (String setting : checked.settings()) {
      io.leadline.benchmarks.DerivedSetting.parse(setting)
          .filter(d -> !chosen.contains(setting))
          .ifPresent(
              d ->
                  err.printf(
                      "leadline sweep: setting %s: %s (a derived setting, hashed apart from %s)%n",
                      setting, d.description(), d.base()));
    }
    parsed
        .fraction()
        .ifPresent(
            fraction ->
                err.printf(
                    "leadline sweep: warning: --limit %s: only the first %s%% of each benchmark's"
                        + " items; these scores are not comparable with scores on whole"
                        + " benchmarks%n",
                    limit.strip(),
                    fraction.movePointRight(2).stripTrailingZeros().toPlainString()));
    SweepResult result;
    // Ctrl-C: one line, then nothing (Spark's shutdown makes the sweep's threads fail noisily);
    // the JVM exits 130, and the answers stored so far are what the rerun resumes from.
    Thread interrupted =
        new Thread(
            () -> {
              err.println("leadline sweep: interrupted; rerun the same command to resume");
              err.flush();
              err.close();
            },
            "leadline-interrupted");
    Runtime.getRuntime().addShutdownHook(interrupted);
    try (SweepDisplay display = SweepDisplay.of(err, leadline.environment)) {
      display.status("planning the sweep…");
      result = Sweep.run(checked, display);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(interrupted);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook has the last word.
      }
    }
    if (result.estimate().isPresent()) {
      printEstimate(out, result.estimate().get());
      return 0;
    }
    if (result.batchesInFlight() > 0) {
      err.printf(
          "leadline sweep: %d batch%s still running; rerun the same command to collect %s%n",
          result.batchesInFlight(),
          result.batchesInFlight() == 1 ? "" : "es",
          result.batchesInFlight() == 1 ? "it" : "them");
      return BATCHES_RUNNING;
    }
    printMetrics(out, result.metrics());
    reasoningTruncated(result.metrics()).forEach(line -> err.println("leadline sweep: " + line));
    boolean unfit = result.metrics().stream().anyMatch(m -> m.outOfContext().orElse(0L) > 0);
    if (result.failedItems() > 0 || unfit) {
      // Why, per model: a rerun retries timeouts and 5xx, never a wrong key, a request the server
      // rejects as asked, or a prompt too long for the context.
      boolean rerunHelps = true;
      if (!result.runDir().contains("://")) {
        io.leadline.records.RunFolders.Run run =
            io.leadline.records.RunFolders.read(result.runDir(), "--out");
        SweepFailures failures = SweepFailures.of(run);
        failures.lines().forEach(line -> err.println("leadline sweep: " + line));
        rerunHelps = failures.rerunHelps();
        budgetLine(run).ifPresent(line -> err.println("leadline sweep: " + line));
      }
      if (result.failedItems() > 0) {
        err.printf(
            "leadline sweep: %,d items failed (recorded in samples.parquet with their error)%s%n",
            result.failedItems(),
            rerunHelps
                ? "; rerun the same sweep to retry the transient ones"
                : "; a rerun would fail the same way: change what the reasons above name");
      }
    }
    int exitCode = 0;
    if (!result.runDir().contains("://")) {
      Path report = Path.of(result.runDir()).resolve("report");
      try {
        ReportCommand.write(List.of(Path.of(result.runDir())), report);
        err.printf("leadline sweep: report: %s%n", report.resolve("index.html"));
        nextSteps(result.runDir()).forEach(line -> err.println("leadline sweep: " + line));
      } catch (LeadlineException e) {
        // The run folder is kept, with why each model failed; there is just nothing to rank.
        err.printf("leadline sweep: no report: %s%n", e.getMessage());
        exitCode = result.failedItems() > 0 ? 1 : 0;
      }
    }
    for (io.leadline.records.RunManifest.Judge judge : result.judges()) {
      err.printf(
          "leadline sweep: judge %s: %,d replies, %,d without a grade; %,d requests sent (%,d"
              + " failed), the others answered from the result store%n",
          judge.name(),
          judge.calls(),
          judge.noGrade(),
          judge.sentRequests(),
          judge.failedRequests());
    }
    out.println(result.runDir());
    out.flush();
    // Nothing answered at all (a wrong key, a wrong model id): scripts must see it failed.
    return exitCode;
  }

  /**
   * {@code chosen} as the setting shorthands change them: each setting's derived setting ({@code
   * gpt-fathom+shots=0+temperature=0.7}), or the settings themselves without shorthands.
   */
  private List<String> derived(List<String> chosen) {
    Optional<java.math.BigDecimal> newTemperature = Optional.empty();
    if (temperature != null) {
      try {
        newTemperature = Optional.of(new java.math.BigDecimal(temperature.strip()));
      } catch (NumberFormatException e) {
        throw LeadlineException.userInput(
            "--temperature: expected a number such as 0 or 0.7, got '%s'", temperature);
      }
    }
    if (numFewshot == null && newTemperature.isEmpty() && maxTokens == null && seed == null) {
      return chosen;
    }
    List<String> derived = new java.util.ArrayList<>();
    for (String name : chosen) {
      // A derived setting named in --settings keeps its changes; the flags change it further.
      io.leadline.benchmarks.DerivedSetting base =
          io.leadline.benchmarks.DerivedSetting.parse(name)
              .orElse(
                  new io.leadline.benchmarks.DerivedSetting(
                      name,
                      OptionalInt.empty(),
                      Optional.empty(),
                      OptionalInt.empty(),
                      java.util.OptionalLong.empty()));
      derived.add(
          new io.leadline.benchmarks.DerivedSetting(
                  base.base(),
                  numFewshot == null ? base.shots() : OptionalInt.of(numFewshot),
                  newTemperature.or(base::temperature),
                  maxTokens == null ? base.maxTokens() : OptionalInt.of(maxTokens),
                  seed == null ? base.seed() : java.util.OptionalLong.of(seed))
              .name());
    }
    return derived;
  }

  /** {@code --limit}: a count of examples, or a fraction of them. */
  record Limit(OptionalInt count, Optional<java.math.BigDecimal> fraction) {
    static Limit parse(String text) {
      if (text == null) {
        return new Limit(OptionalInt.empty(), Optional.empty());
      }
      String value = text.strip();
      if (value.matches("-?\\d{1,9}")) {
        return new Limit(OptionalInt.of(Integer.parseInt(value)), Optional.empty());
      }
      try {
        java.math.BigDecimal fraction = new java.math.BigDecimal(value);
        if (fraction.signum() > 0 && fraction.compareTo(java.math.BigDecimal.ONE) < 0) {
          return new Limit(OptionalInt.empty(), Optional.of(fraction));
        }
      } catch (NumberFormatException e) {
        // Said below.
      }
      throw LeadlineException.userInput(
          "--limit: expected a whole number >= 1 or a fraction in (0, 1) such as 0.1, got '%s'",
          text);
    }
  }

  /** What to run next on the run folder {@code run}: the viewer, a diff, and sensitivity. */
  private List<String> nextSteps(String run) {
    List<String> steps = new java.util.ArrayList<>();
    if (!perturbations.isEmpty()) {
      steps.add("next: leadline sensitivity " + run + " (how far the perturbations move scores)");
    }
    steps.add("next: leadline view " + run + " (the samples, answer by answer)");
    steps.add("next: leadline diff OTHER_RUN " + run + " (what changed from another run)");
    return steps;
  }

  private Optional<java.math.BigDecimal> budget() {
    if (budget == null) {
      return Optional.empty();
    }
    try {
      java.math.BigDecimal dollars = new java.math.BigDecimal(budget.strip());
      if (dollars.signum() <= 0) {
        throw LeadlineException.userInput("--budget: expected US dollars > 0, got '%s'", budget);
      }
      return Optional.of(dollars);
    } catch (NumberFormatException e) {
      throw LeadlineException.userInput(
          "--budget: expected US dollars, a decimal such as 25 or 2.50, got '%s'", budget);
    }
  }

  /** How far a sweep its budget stopped got, in one line; empty if the budget did not stop it. */
  static Optional<String> budgetLine(io.leadline.records.RunFolders.Run run) {
    java.util.Set<String> notSent = new java.util.HashSet<>();
    String[] first = {null};
    run.forEachSample(
        SweepFailures.COLUMNS,
        sample -> sample.error().isPresent(),
        sample -> {
          String error = sample.error().get();
          if (error.contains(": not sent: the next request")) {
            notSent.add(sample.model() + "\u0000" + sample.requestHash());
            if (first[0] == null) {
              first[0] = error.substring(error.indexOf(": not sent: ") + 12);
            }
          }
        });
    String reason = first[0];

    if (reason == null) {
      return Optional.empty();
    }
    long items = run.manifest().usage().stream().mapToLong(u -> u.items()).sum();
    long failed = run.manifest().usage().stream().mapToLong(u -> u.failedItems()).sum();
    return Optional.of(
        String.format(
            Locale.ROOT,
            "budget: %,d of %,d items answered, %,d not sent: %s",
            items - failed,
            items,
            notSent.size(),
            reason));
  }

  /** The dry run's plan: per model, benchmark and setting, then the totals. */
  static void printEstimate(PrintWriter out, io.leadline.engine.Estimate estimate) {
    out.printf(
        "%-14s %-12s %-14s %8s %8s %9s %12s %14s %s%n",
        "model",
        "benchmark",
        "setting",
        "items",
        "to send",
        "requests",
        "prompt tok",
        "output tok",
        "cost (USD)");
    for (io.leadline.engine.Estimate.Row row : estimate.rows()) {
      out.printf(
          Locale.ROOT,
          "%-14s %-12s %-14s %,8d %,8d %,9d %,12d %14s %s%n",
          row.model() + (row.batched() ? "*" : ""),
          row.benchmark(),
          row.setting(),
          row.items(),
          row.toSend(),
          row.requests(),
          row.promptTokens(),
          row.expectedCompletionTokens().isPresent()
              ? String.format(
                  Locale.ROOT,
                  "~%,d (≤%,d)",
                  row.expectedCompletionTokens().getAsLong(),
                  row.maxCompletionTokens())
              : String.format(Locale.ROOT, "≤%,d", row.maxCompletionTokens()),
          row.costHigh().isEmpty()
              ? "no price"
              : range(row.costLow().orElseThrow(), row.costHigh().get()));
    }
    long items = estimate.rows().stream().mapToLong(io.leadline.engine.Estimate.Row::items).sum();
    long toSend = estimate.rows().stream().mapToLong(io.leadline.engine.Estimate.Row::toSend).sum();
    out.printf(
        Locale.ROOT,
        "dry run: %,d items, %,d to send in %,d requests; ~%,d prompt tokens, ~%,d output tokens"
            + " (at most %,d); cost %s%s; nothing was sent%n",
        items,
        toSend,
        estimate.requests(),
        estimate.promptTokens(),
        estimate.expectedCompletionTokens(),
        estimate.maxCompletionTokens(),
        range(estimate.costLow(), estimate.costHigh()),
        estimate.priced() ? "" : " (models without a price not counted)");
    if (estimate.rows().stream().anyMatch(io.leadline.engine.Estimate.Row::batched)) {
      out.println("* through the provider's batch API, at its batch price");
    }
  }

  private static String range(java.math.BigDecimal low, java.math.BigDecimal high) {
    return "$"
        + low.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString()
        + " to $"
        + high.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private SweepSpec.Existing existing() {
    if (resume && overwrite) {
      throw LeadlineException.userInput(
          "--resume and --overwrite: choose one (continue the folder, or replace it)");
    }
    return resume
        ? SweepSpec.Existing.RESUME
        : overwrite ? SweepSpec.Existing.OVERWRITE : SweepSpec.Existing.REFUSE;
  }

  /**
   * Per model and benchmark whose reasoning was cut off by the token limit, how many answers that
   * left without one (from the primary overall rows).
   */
  static List<String> reasoningTruncated(List<MetricRow> metrics) {
    List<String> lines = new java.util.ArrayList<>();
    for (MetricRow row : metrics) {
      if (row.primary()
          && row.subset().isEmpty()
          && row.perturbation().isEmpty()
          && row.reasoningTruncatedRate().orElse(0.0) > 0) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%s on %s (%s): %.1f%% of the answers' reasoning never closed (the token limit was"
                    + " reached inside it): recorded as no_answer 'reasoning truncated' and scored 0,"
                    + " never graded on the reasoning",
                row.model(),
                row.benchmark(),
                row.setting(),
                row.reasoningTruncatedRate().get() * 100));
      }
    }
    return lines;
  }

  /** The primary metric of every benchmark's overall row, per model, in %. */
  static void printMetrics(PrintWriter out, List<MetricRow> metrics) {
    List<MetricRow> primary =
        metrics.stream()
            .filter(m -> m.primary() && m.subset().isEmpty() && m.perturbation().isEmpty())
            .toList();
    // Columns as wide as their longest entry (at least as wide as round 1's table).
    int model = width(primary, MetricRow::model, 10);
    int benchmark = width(primary, MetricRow::benchmark, 10);
    int setting = width(primary, MetricRow::setting, 12);
    int metric = width(primary, MetricRow::metric, 32);
    String columns = "%-" + model + "s %-" + benchmark + "s %-" + setting + "s %-" + metric + "s";
    out.printf(
        columns + " %8s  %-15s %6s%n",
        "model",
        "benchmark",
        "setting",
        "metric",
        "score",
        "95% CI",
        "n");
    for (MetricRow row : primary) {
      if (!row.scored()) {
        out.printf(
            Locale.ROOT,
            columns + " %8s  %-15s %6d%s%n",
            row.model(),
            row.benchmark(),
            row.setting(),
            row.metric(),
            "-",
            "",
            row.n(),
            partial(row));
        continue;
      }
      out.printf(
          Locale.ROOT,
          columns + " %7.1f%%  [%5.1f, %5.1f] %6d%s%n",
          row.model(),
          row.benchmark(),
          row.setting(),
          row.metric(),
          row.value() * 100,
          row.ciLow() * 100,
          row.ciHigh() * 100,
          row.n(),
          partial(row));
    }
  }

  /**
   * The mark of a score over part of its items: {@code * 28 of 40 items: 12 failed, 0 out of
   * context}; nothing for a score over every item.
   */
  static String partial(MetricRow row) {
    if (!row.partial()) {
      return "";
    }
    long items = row.items().orElseThrow();
    long failed = row.failed().orElseThrow();
    long outOfContext = row.outOfContext().orElseThrow();
    return String.format(
        Locale.ROOT,
        " * %d of %d items answered: %d failed, %d out of context",
        items - failed - outOfContext,
        items,
        failed,
        outOfContext);
  }

  private static int width(
      List<MetricRow> rows, java.util.function.Function<MetricRow, String> column, int least) {
    return Math.max(least, rows.stream().mapToInt(r -> column.apply(r).length()).max().orElse(0));
  }
}
