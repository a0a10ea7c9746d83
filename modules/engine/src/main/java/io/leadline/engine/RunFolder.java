package io.leadline.engine;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.leadline.api.LeadlineException;
import io.leadline.api.PrettyJson;
import io.leadline.api.Usage;
import io.leadline.api.Version;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Setting;
import io.leadline.models.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run folder (DESIGN §4): {@code manifest.json}, {@code samples.parquet} and {@code
 * metrics.json}. It is built in {@code <folder>.partial} and renamed into place when complete, so a
 * folder under its own name is always whole; a killed run leaves only a {@code .partial} folder,
 * which the next run with the same {@code --out} replaces.
 */
final class RunFolder {
  static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();
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
    Dataset<Row> samples =
        items
            .withColumn("sample", explode(col("samples")))
            .select(
                col("model"),
                col("benchmark"),
                col("subset"),
                col("setting"),
                col("setting_hash"),
                col("perturbation"),
                col("example_id"),
                col("example_index"),
                col("sample.sample_index").as("sample_index"),
                col("request_hash"),
                col("prompt"),
                col("gold"),
                col("shots_used"),
                col("sample.completion").as("completion"),
                col("sample.extracted").as("extracted"),
                col("sample.no_answer_reason").as("no_answer_reason"),
                col("sample.scores").as("scores"),
                col("metrics").as("problem_scores"),
                col("sample.passed").as("passed"),
                col("sample.exec_result").as("exec_result"),
                col("sample.finish_reason").as("finish_reason"),
                col("sample.truncated").as("truncated"),
                col("error"),
                col("request_latency_ms"),
                col("request_prompt_tokens"),
                col("request_completion_tokens"),
                col("request_attempts"),
                col("reported_model"))
            .orderBy(
                "model",
                "benchmark",
                "subset",
                "setting",
                "perturbation",
                "example_index",
                "sample_index");
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

  void writeMetrics(List<MetricRow> metrics) {
    ArrayNode rows = MAPPER.createArrayNode();
    for (MetricRow metric : metrics) {
      ObjectNode row = rows.addObject();
      row.put("model", metric.model());
      row.put("benchmark", metric.benchmark());
      row.put("subset", metric.subset().orElse(null));
      row.put("setting", metric.setting());
      row.put("setting_hash", metric.settingHash());
      row.put("perturbation", metric.perturbation().orElse(null));
      row.put("metric", metric.metric());
      row.put("primary", metric.primary());
      row.put("value", metric.value());
      row.put("ci_low", metric.ciLow());
      row.put("ci_high", metric.ciHigh());
      row.put("n", metric.n());
      row.put("no_answer_rate", metric.noAnswerRate());
    }
    write("metrics.json", rows);
  }

  void writeManifest(ObjectNode manifest) {
    write("manifest.json", manifest);
  }

  private void write(String name, com.fasterxml.jackson.databind.JsonNode json) {
    try (FSDataOutputStream out = fs.create(new Path(partial, name), true)) {
      out.write(PrettyJson.write(json).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    Hasher hasher = Hashing.sha256().newHasher();
    identities
        .values()
        .forEach(i -> hasher.putString(i.canonical().toString() + "\n", StandardCharsets.UTF_8));
    for (DataPlan.BenchmarkData benchmark : data) {
      hasher.putString(
          benchmark.benchmark().name()
              + "@"
              + benchmark.revision()
              + "="
              + benchmark.sha256()
              + "\n",
          StandardCharsets.UTF_8);
      for (Setting setting : settings.values()) {
        hasher.putString(
            setting.name() + "=" + setting.of(benchmark.benchmark().name()).hash() + "\n",
            StandardCharsets.UTF_8);
      }
    }
    hasher.putLong(plan.items());
    return hasher.hash().toString();
  }

  static ObjectNode manifest(
      SweepSpec spec,
      Job job,
      List<ModelSpec> models,
      Map<String, ModelIdentity> identities,
      List<DataPlan.BenchmarkData> data,
      Map<String, Setting> settings,
      List<ModelUsage> usage,
      Progress progress,
      SparkSession spark,
      int partitions,
      int executors) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema_version", SCHEMA_VERSION);
    root.putObject("leadline")
        .put("version", Version.version())
        .put("commit", System.getProperty("leadline.commit", "unknown"));
    root.put("run_id", job.runId());
    root.put("created", Instant.now().toString());
    root.put("plan_hash", planHash(job.plan(), identities, data, settings));
    ObjectNode command = root.putObject("command");
    command.put("data", spec.data().id());
    if (spec.limit().isPresent()) {
      command.put("limit", spec.limit().getAsInt());
    } else {
      command.putNull("limit");
    }
    command.put("models_file", spec.modelsFile());
    ArrayNode perturbations = command.putArray("perturbations");
    spec.perturbations().forEach(perturbations::add);
    if (spec.concurrency().isPresent()) {
      command.put("concurrency", spec.concurrency().getAsInt());
    } else {
      command.putNull("concurrency");
    }
    ArrayNode modelsNode = root.putArray("models");
    for (int i = 0; i < models.size(); i++) {
      ModelSpec model = models.get(i);
      ModelUsage used = usage.get(i);
      ObjectNode node = modelsNode.addObject();
      node.put("name", model.name());
      node.put("provider", model.provider().id());
      node.put("model", model.model());
      node.put("api", model.api().id());
      node.put(
          "endpoint_host",
          Sweep.isSimulated(model) ? "in-process (simulated)" : model.endpointHost());
      node.put("simulated", Sweep.isSimulated(model));
      String fingerprint = identities.get(model.name()).profileSha256();
      if (!fingerprint.isEmpty()) {
        node.put("profile", model.profile().orElse(""));
        node.put("profile_fingerprint", fingerprint);
      }
      ArrayNode reported = node.putArray("reported_models");
      used.reportedModels().forEach(reported::add);
    }
    ArrayNode benchmarks = root.putArray("benchmarks");
    for (DataPlan.BenchmarkData benchmark : data) {
      ObjectNode node = benchmarks.addObject();
      node.put("name", benchmark.benchmark().name());
      node.put("title", benchmark.benchmark().title());
      node.put("category", benchmark.benchmark().category().label());
      node.put("dataset", benchmark.benchmark().hub());
      node.put("split", benchmark.benchmark().split());
      node.put("revision", benchmark.revision());
      node.put("pinned_revision", benchmark.benchmark().revision().orElse(null));
      node.put("source", benchmark.source());
      node.put("examples", benchmark.examples());
      node.put("examples_sha256", benchmark.sha256());
      ArrayNode subsets = node.putArray("subsets");
      for (DataPlan.SubsetData subset : benchmark.subsets()) {
        subsets
            .addObject()
            .put("config", subset.config())
            .put("examples", subset.examples())
            .put("examples_sha256", subset.sha256());
      }
    }
    ArrayNode settingsNode = root.putArray("settings");
    for (Setting setting : settings.values()) {
      ObjectNode node = settingsNode.addObject();
      node.put("name", setting.name());
      ArrayNode per = node.putArray("benchmarks");
      for (DataPlan.BenchmarkData benchmark : data) {
        BenchmarkSetting resolved = setting.of(benchmark.benchmark().name());
        ObjectNode entry = per.addObject();
        entry.put("benchmark", benchmark.benchmark().name());
        entry.put("label", resolved.label());
        entry.put("hash", resolved.hash());
        entry.put("primary_metric", Scoring.primaryMetric(resolved));
        try {
          entry.set("canonical", MAPPER.readTree(resolved.canonicalJson()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    root.putObject("seeds")
        .put("bootstrap_seed", Bootstrap.SEED)
        .put("bootstrap_resamples", Bootstrap.RESAMPLES);
    root.putObject("sandbox")
        .put("isolated", !spec.unsafeNoSandbox())
        .put("unsafe_no_sandbox", spec.unsafeNoSandbox())
        .put("timeout_seconds", Scoring.HUMANEVAL_TIMEOUT_SECONDS);
    ObjectNode counts = root.putObject("counts");
    counts.put("items", job.plan().items());
    counts.put("failed_items", usage.stream().mapToLong(ModelUsage::failedItems).sum());
    ArrayNode usageNode = root.putArray("usage");
    for (int i = 0; i < models.size(); i++) {
      ModelSpec model = models.get(i);
      ModelUsage used = usage.get(i);
      Progress.Model counted = progress.models().get(i);
      ObjectNode node = usageNode.addObject();
      node.put("model", model.name());
      node.put("items", used.items());
      node.put("failed_items", used.failedItems());
      node.put("prompt_tokens", used.promptTokens());
      node.put("completion_tokens", used.completionTokens());
      node.put("attempts", used.attempts());
      Optional<BigDecimal> cost =
          model
              .pricing()
              .map(p -> p.cost(new Usage(used.promptTokens(), used.completionTokens(), 0)));
      node.put("cost_usd", cost.map(BigDecimal::toPlainString).orElse(null));
      node.putObject("this_run")
          .put("cached_items", counted.cached())
          .put("answered_items", counted.done())
          .put("failed_items", counted.failed())
          .put("http_requests", counted.requests())
          .put("tokens", counted.tokens());
    }
    root.putObject("spark")
        .put("master", spark.sparkContext().master())
        .put("version", spark.version())
        .put("executors", executors)
        .put("partitions", partitions);
    return root;
  }
}
