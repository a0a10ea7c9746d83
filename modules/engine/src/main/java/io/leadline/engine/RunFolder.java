package io.leadline.engine;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadline.api.Defaults;
import io.leadline.api.LeadlineException;
import io.leadline.api.Usage;
import io.leadline.api.Version;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Setting;
import io.leadline.models.ModelSpec;
import io.leadline.records.Hashes;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolderWriter;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A run folder (DESIGN §4): {@code manifest.json}, {@code samples.parquet} and {@code
 * metrics.json}. It is built in {@code <folder>.partial} and renamed into place when complete, so a
 * folder under its own name is always whole; a killed run leaves only a {@code .partial} folder,
 * which the next run with the same {@code --out} replaces.
 */
final class RunFolder {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final FileSystem fs;
  private final Path target;
  private final Path partial;

  private RunFolder(FileSystem fs, Path target, Path partial) {
    this.fs = fs;
    this.target = target;
    this.partial = partial;
  }

  static String newRunId() {
    return STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The folder to write: {@code out} if given (a path or Hadoop URI; it must not exist), else a new
   * one in {@code runs}.
   */
  static Path choose(
      Optional<String> out, java.nio.file.Path runs, String planHash, Configuration conf) {
    try {
      if (out.isPresent()) {
        Path dir = Locations.path(out.get());
        if (Locations.fileSystem(dir, conf).exists(dir)) {
          throw LeadlineException.userInput(
              "--out: %s already exists; name a new folder, or remove it", out.get());
        }
        return dir;
      }
      String name = STAMP.format(Instant.now()) + "-" + planHash.substring(0, 12);
      java.nio.file.Path dir = runs.resolve(name).toAbsolutePath();
      for (int i = 2; Files.exists(dir); i++) {
        dir = runs.resolve(name + "-" + i).toAbsolutePath();
      }
      return new Path(dir.toUri());
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "--out: cannot check %s (%s)", out.orElse(""), e.getMessage());
    }
  }

  static RunFolder create(Path target, Configuration conf) {
    FileSystem fs = Locations.fileSystem(target, conf);
    Path partial = new Path(target.getParent(), target.getName() + ".partial");
    try {
      fs.delete(partial, true);
      fs.mkdirs(new Path(partial, ".staging"));
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot create (%s)", partial, e.getMessage());
    }
    return new RunFolder(fs, target, partial);
  }

  /** Where Spark writes the intermediate data, as a URI. */
  String staging(String name) {
    return new Path(new Path(partial, ".staging"), name).toUri().toString();
  }

  /** One row per sample, in a fixed order, as one Parquet file. */
  void writeSamples(SparkSession spark, Dataset<Row> items) {
    List<Column> columns = new ArrayList<>();
    for (String name :
        List.of(
            SampleColumns.MODEL,
            SampleColumns.BENCHMARK,
            SampleColumns.SUBSET,
            SampleColumns.SETTING,
            SampleColumns.SETTING_HASH,
            SampleColumns.PERTURBATION,
            SampleColumns.EXAMPLE_ID,
            SampleColumns.EXAMPLE_INDEX)) {
      columns.add(col(name));
    }
    columns.add(col("sample.sample_index").as(SampleColumns.SAMPLE_INDEX));
    columns.add(col("request_hash").as(SampleColumns.REQUEST_HASH));
    columns.add(col("prompt").as(SampleColumns.PROMPT));
    columns.add(col("gold").as(SampleColumns.GOLD));
    columns.add(col("shots_used").as(SampleColumns.SHOTS_USED));
    columns.add(col("sample.completion").as(SampleColumns.COMPLETION));
    columns.add(col("sample.extracted").as(SampleColumns.EXTRACTED));
    columns.add(col("sample.no_answer_reason").as(SampleColumns.NO_ANSWER_REASON));
    columns.add(col("sample.explanation").as(SampleColumns.EXPLANATION));
    columns.add(col("sample.scores").as(SampleColumns.SCORES));
    columns.add(col("metrics").as(SampleColumns.PROBLEM_SCORES));
    columns.add(col("sample.passed").as(SampleColumns.PASSED));
    columns.add(col("sample.exec_result").as(SampleColumns.EXEC_RESULT));
    columns.add(col("sample.finish_reason").as(SampleColumns.FINISH_REASON));
    columns.add(col("sample.truncated").as(SampleColumns.TRUNCATED));
    columns.add(col("error").as(SampleColumns.ERROR));
    columns.add(col("request_latency_ms").as(SampleColumns.REQUEST_LATENCY_MS));
    columns.add(col("request_prompt_tokens").as(SampleColumns.REQUEST_PROMPT_TOKENS));
    columns.add(col("request_completion_tokens").as(SampleColumns.REQUEST_COMPLETION_TOKENS));
    columns.add(col("request_attempts").as(SampleColumns.REQUEST_ATTEMPTS));
    columns.add(col("reported_model").as(SampleColumns.REPORTED_MODEL));
    columns.add(col("sample.judgements").as(SampleColumns.JUDGEMENTS));
    columns.add(col("sample.options").as(SampleColumns.OPTIONS));
    Dataset<Row> samples =
        items
            .withColumn("sample", explode(col("samples")))
            .select(columns.toArray(Column[]::new))
            .orderBy(SampleColumns.ORDER.stream().map(functions::col).toArray(Column[]::new));
    String written = staging("samples");
    // Sorted partitions concatenated in order: one file in the global order.
    samples.coalesce(1).write().parquet(written);
    try {
      Path part = null;
      for (FileStatus status : fs.listStatus(new Path(written))) {
        if (status.getPath().getName().endsWith(".parquet")) {
          part = status.getPath();
        }
      }
      if (part == null) {
        throw new IllegalStateException("Spark wrote no Parquet file under " + written);
      }
      ParquetFooters.copyCanonical(fs, part, new Path(partial, "samples.parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeAgreement(List<io.leadline.records.AgreementRow> rows) {
    new RunFolderWriter(fs, partial).writeAgreement(rows);
  }

  /**
   * The judges' entries of the manifest: identity, the replies the records hold and how many gave
   * no grade, and what this run sent each (counted on every executor).
   */
  static List<RunManifest.Judge> judges(
      Dataset<Row> items,
      JudgeTally tally,
      List<String> judges,
      Map<String, ModelIdentity> identities) {
    if (judges.isEmpty()) {
      return List.of();
    }
    List<Row> counted =
        items
            .select(org.apache.spark.sql.functions.explode(col("samples")).as("sample"))
            .select(org.apache.spark.sql.functions.explode(col("sample.judgements")).as("j"))
            .groupBy(col("j.judge"))
            .agg(count(lit(1)), sum(when(col("j.no_grade").isNotNull(), 1).otherwise(0)))
            .collectAsList();
    List<RunManifest.Judge> out = new ArrayList<>();
    for (String judge : judges) {
      ModelIdentity identity = identities.get(judge);
      Row row = counted.stream().filter(r -> r.getString(0).equals(judge)).findFirst().orElse(null);
      out.add(
          new RunManifest.Judge(
              judge,
              identity.provider(),
              identity.model(),
              identity.api(),
              identity.provider().equals(io.leadline.models.Provider.SIM.id()),
              identity.profileSha256().isEmpty()
                  ? Optional.empty()
                  : Optional.of(identity.profileSha256()),
              List.copyOf(tally.reportedModels(judge)),
              row == null ? 0 : row.getLong(1),
              row == null ? 0 : row.getLong(2),
              tally.sent(judge),
              tally.failed(judge),
              tally.promptTokens(judge),
              tally.completionTokens(judge)));
    }
    return out;
  }

  void writeMetrics(List<MetricRow> metrics) {
    new RunFolderWriter(fs, partial).writeMetrics(metrics);
  }

  void writeManifest(RunManifest manifest) {
    new RunFolderWriter(fs, partial).writeManifest(manifest);
  }

  /**
   * Removes the staging data and renames the folder into place; returns it, as a local path where
   * it is local, else as a URI.
   */
  String commit() {
    try {
      fs.delete(new Path(partial, ".staging"), true);
      if (!fs.rename(partial, target)) {
        throw LeadlineException.userInput("%s: cannot rename %s to it", target, partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "file".equals(target.toUri().getScheme())
        ? java.nio.file.Path.of(target.toUri()).toString()
        : target.toUri().toString();
  }

  /** What one model's records add up to. */
  record ModelUsage(
      String model,
      long items,
      long failedItems,
      long promptTokens,
      long completionTokens,
      long attempts,
      List<String> reportedModels) {}

  static List<ModelUsage> usage(Dataset<Row> items, List<String> models) {
    List<Row> rows =
        items
            .groupBy("model")
            .agg(
                count(lit(1)),
                sum(when(col("error").isNotNull(), 1).otherwise(0)),
                sum(col("request_prompt_tokens")),
                sum(col("request_completion_tokens")),
                sum(col("request_attempts")),
                collect_set(col("reported_model")))
            .collectAsList();
    List<ModelUsage> usage = new ArrayList<>();
    for (String model : models) {
      Row row = rows.stream().filter(r -> r.getString(0).equals(model)).findFirst().orElse(null);
      if (row == null) {
        usage.add(new ModelUsage(model, 0, 0, 0, 0, 0, List.of()));
        continue;
      }
      List<String> reported = new ArrayList<>(row.getList(6));
      reported.sort(null);
      usage.add(
          new ModelUsage(
              model,
              row.getLong(1),
              row.getLong(2),
              row.isNullAt(3) ? 0 : row.getLong(3),
              row.isNullAt(4) ? 0 : row.getLong(4),
              row.isNullAt(5) ? 0 : row.getLong(5),
              reported));
    }
    return usage;
  }

  /** sha256 of what decides the run's records: models, cells, settings, examples. */
  static String planHash(
      Plan plan,
      Map<String, ModelIdentity> identities,
      List<DataPlan.BenchmarkData> data,
      Map<String, Setting> settings) {
    Hashes.Sha256 hasher = Hashes.sha256();
    identities.values().forEach(i -> hasher.line(i.canonical().toString()));
    for (DataPlan.BenchmarkData benchmark : data) {
      hasher.line(
          benchmark.benchmark().name() + "@" + benchmark.revision() + "=" + benchmark.sha256());
      for (Setting setting : settings.values()) {
        setting
            .find(benchmark.benchmark().name())
            .ifPresent(resolved -> hasher.line(setting.name() + "=" + resolved.hash()));
      }
    }
    return hasher.number(plan.items()).hex();
  }

  static RunManifest manifest(
      SweepSpec spec,
      Job job,
      List<ModelSpec> models,
      Map<String, ModelIdentity> identities,
      List<DataPlan.BenchmarkData> data,
      Map<String, Setting> settings,
      List<ModelUsage> usage,
      List<RunManifest.Judge> judges,
      Progress progress,
      SparkSession spark,
      int partitions,
      int executors) {
    List<RunManifest.Model> modelRecords = new ArrayList<>();
    List<RunManifest.Usage> usageRecords = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      ModelSpec model = models.get(i);
      ModelUsage used = usage.get(i);
      String fingerprint = identities.get(model.name()).profileSha256();
      modelRecords.add(
          new RunManifest.Model(
              model.name(),
              model.provider().id(),
              model.model(),
              model.api().id(),
              Sweep.isSimulated(model) ? "in-process (simulated)" : model.endpointHost(),
              Sweep.isSimulated(model),
              fingerprint.isEmpty() ? Optional.empty() : Optional.of(model.profile().orElse("")),
              fingerprint.isEmpty() ? Optional.empty() : Optional.of(fingerprint),
              used.reportedModels()));
      Progress.Model counted = progress.models().get(i);
      Optional<BigDecimal> cost =
          model
              .pricing()
              .map(p -> p.cost(new Usage(used.promptTokens(), used.completionTokens(), 0)));
      usageRecords.add(
          new RunManifest.Usage(
              model.name(),
              used.items(),
              used.failedItems(),
              used.promptTokens(),
              used.completionTokens(),
              used.attempts(),
              cost.map(BigDecimal::toPlainString),
              new RunManifest.ThisRun(
                  counted.cached() + counted.shared(),
                  counted.done(),
                  counted.failed(),
                  counted.requests(),
                  counted.tokens())));
    }
    List<RunManifest.Benchmark> benchmarks = new ArrayList<>();
    for (DataPlan.BenchmarkData benchmark : data) {
      benchmarks.add(
          new RunManifest.Benchmark(
              benchmark.benchmark().name(),
              benchmark.benchmark().title(),
              benchmark.benchmark().category().label(),
              benchmark.benchmark().hub(),
              benchmark.benchmark().split(),
              benchmark.revision(),
              benchmark.benchmark().revision(),
              benchmark.source(),
              benchmark.examples(),
              benchmark.sha256(),
              benchmark.subsets().stream()
                  .map(s -> new RunManifest.Subset(s.config(), s.examples(), s.sha256()))
                  .toList()));
    }
    List<RunManifest.Setting> settingRecords = new ArrayList<>();
    for (Setting setting : settings.values()) {
      List<RunManifest.SettingBenchmark> per = new ArrayList<>();
      for (DataPlan.BenchmarkData benchmark : data) {
        if (setting.find(benchmark.benchmark().name()).isEmpty()) {
          continue;
        }
        BenchmarkSetting resolved = setting.of(benchmark.benchmark().name());
        per.add(
            new RunManifest.SettingBenchmark(
                benchmark.benchmark().name(),
                resolved.label(),
                resolved.hash(),
                Scoring.primaryMetric(resolved),
                resolved.canonicalJson()));
      }
      settingRecords.add(new RunManifest.Setting(setting.name(), per));
    }
    return new RunManifest(
        RunManifest.SCHEMA_VERSION,
        new RunManifest.Leadline(
            Version.version(), System.getProperty("leadline.commit", "unknown")),
        job.runId(),
        Instant.now(),
        planHash(job.plan(), identities, data, settings),
        new RunManifest.Command(
            spec.data().id(),
            spec.limit().isPresent() ? Optional.of(spec.limit().getAsInt()) : Optional.empty(),
            spec.modelsFile(),
            spec.perturbations(),
            spec.concurrency().isPresent()
                ? Optional.of(spec.concurrency().getAsInt())
                : Optional.empty()),
        modelRecords,
        benchmarks,
        settingRecords,
        new RunManifest.Seeds(Defaults.SEED, Defaults.METRIC_RESAMPLES),
        new RunManifest.Sandbox(
            !spec.unsafeNoSandbox(),
            spec.unsafeNoSandbox(),
            data.stream()
                .map(DataPlan.BenchmarkData::benchmark)
                .filter(b -> b.format().executesCode())
                .mapToDouble(b -> b.format().executionTimeoutSeconds())
                .max()
                .orElse(3.0)),
        new RunManifest.Counts(
            job.plan().items(), usage.stream().mapToLong(ModelUsage::failedItems).sum()),
        usageRecords,
        new RunManifest.Spark(
            spark.sparkContext().master(), spark.version(), executors, partitions),
        judges);
  }
}
