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
 * metrics.json}. It is built in {@code <folder>.partial}, which one sweep at a time holds (see
 * {@link #claim}), and renamed into place when complete, so a folder under its own name is always
 * whole; a killed run leaves only a {@code .partial} folder, which the next run of the same plan
 * with the same {@code --out} continues.
 */
final class RunFolder {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final FileSystem fs;
  private final Path target;
  private final Path partial;
  private final boolean replace;
  private boolean committed;

  private RunFolder(FileSystem fs, Path target, Path partial, boolean replace) {
    this.fs = fs;
    this.target = target;
    this.partial = partial;
    this.replace = replace;
  }

  static String newRunId() {
    return STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Takes the folder to write, exclusively: {@code out} if given (a path or Hadoop URI), else a new
   * one in {@code runs}. The claim is the atomic creation of {@code <folder>.partial} holding a
   * lease (this process) and the plan hash; a second sweep into the same folder is refused at once.
   * A {@code .partial} left by a sweep that is no longer running is continued when its plan is this
   * one (the store holds its answers), else replaced only with {@code --overwrite}. A finished
   * folder is refused unless {@code existing} says to resume it (same plan hash) or overwrite it.
   */
  static RunFolder claim(
      Optional<String> out,
      java.nio.file.Path runs,
      String planHash,
      SweepSpec.Existing existing,
      Configuration conf,
      SweepListener listener) {
    if (out.isEmpty()) {
      String name = STAMP.format(Instant.now()) + "-" + planHash.substring(0, 12);
      for (int i = 1; ; i++) {
        java.nio.file.Path dir = runs.resolve(i == 1 ? name : name + "-" + i).toAbsolutePath();
        Path target = new Path(dir.toUri());
        FileSystem fs = Locations.fileSystem(target, conf);
        if (!exists(fs, target) && createPartial(fs, partialOf(target))) {
          return claimed(fs, target, planHash, false);
        }
      }
    }
    String flag = out.get();
    // An existing folder's URI ends with '/', whose name would be empty.
    String uri = Locations.path(flag).toUri().toString();
    Path target =
        new Path(uri.length() > 1 && uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
    FileSystem fs = Locations.fileSystem(target, conf);
    Path partial = partialOf(target);
    boolean replace = false;
    if (exists(fs, target)) {
      switch (existing) {
        case REFUSE ->
            throw LeadlineException.userInput(
                "--out: %s already exists (a finished run); add --resume to continue it (same"
                    + " plan), --overwrite to replace it, or name a new folder",
                flag);
        case RESUME -> {
          Optional<String> theirs = manifestPlanHash(fs, target);
          if (theirs.isEmpty()) {
            throw LeadlineException.userInput(
                "--resume: %s has no readable manifest.json, so it is not a run folder to"
                    + " continue; use --overwrite to replace it, or name a new folder",
                flag);
          }
          if (!theirs.get().equals(planHash)) {
            throw differentPlan("--resume", flag, theirs.get(), planHash);
          }
          listener.message(String.format("--resume: %s has this plan; rewriting it", flag));
        }
        case OVERWRITE -> {}
      }
      replace = true;
    }
    if (createPartial(fs, partial)) {
      return claimed(fs, target, planHash, replace);
    }
    // The .partial exists: a sweep writing it, or one that stopped before finishing.
    Optional<String> holder = read(fs, new Path(partial, LEASE));
    if (holder.isEmpty() && read(fs, new Path(partial, PLAN)).isEmpty() && young(fs, partial)) {
      holder = Optional.of("");
    }
    if (holder.isPresent()) {
      Optional<Leases.Holder> parsed = Leases.Holder.parse(holder.get());
      if (parsed.isEmpty() || !stale(parsed.get())) {
        throw LeadlineException.userInput(
            "--out: %s is being written by another sweep (%s; %s exists); wait for it to finish,"
                + " or choose another --out",
            flag,
            parsed.map(h -> "pid " + h.pid() + " on " + h.host()).orElse("just started"),
            partial);
      }
    }
    Optional<String> theirs = read(fs, new Path(partial, PLAN));
    boolean samePlan = theirs.isPresent() && theirs.get().equals(planHash);
    if (!samePlan && existing != SweepSpec.Existing.OVERWRITE) {
      throw LeadlineException.userInput(
          "--out: %s was left by an earlier sweep that stopped before finishing, with another"
              + " plan (plan hash %s, this sweep's %s); add --overwrite to replace it, or name a"
              + " new folder",
          partial,
          theirs.map(h -> h.substring(0, Math.min(12, h.length()))).orElse("unknown"),
          planHash.substring(0, 12));
    }
    // Moved aside before it is deleted, so of two sweeps taking it over only one succeeds.
    Path aside = new Path(target.getParent(), target.getName() + ".stale-" + UUID.randomUUID());
    try {
      if (!fs.rename(partial, aside)) {
        throw LeadlineException.userInput(
            "--out: %s is being taken over by another sweep; choose another --out", flag);
      }
      fs.delete(aside, true);
    } catch (IOException e) {
      throw Disk.writeFailure(partial.toString(), e, "cannot replace the unfinished folder");
    }
    if (!createPartial(fs, partial)) {
      throw LeadlineException.userInput(
          "--out: %s is being written by another sweep (%s exists); choose another --out",
          flag, partial);
    }
    listener.message(
        samePlan
            ? String.format(
                "%s: continuing the unfinished run of an earlier sweep of this plan", flag)
            : String.format("--overwrite: replacing the unfinished %s", partial));
    return claimed(fs, target, planHash, replace);
  }

  private static final String LEASE = ".lease";
  private static final String PLAN = ".plan";

  private static Path partialOf(Path target) {
    return new Path(target.getParent(), target.getName() + ".partial");
  }

  private static boolean stale(Leases.Holder holder) {
    return holder.host().equals(Leases.Holder.current("").host()) && !holder.running();
  }

  private static LeadlineException differentPlan(
      String flag, String folder, String theirs, String ours) {
    return LeadlineException.userInput(
        "%s: %s holds another plan (plan hash %s, this sweep's %s: its models, benchmarks,"
            + " settings or examples differ); use --overwrite to replace it, or name a new folder",
        flag, folder, theirs.substring(0, Math.min(12, theirs.length())), ours.substring(0, 12));
  }

  /** Made in the last ten seconds: a claim whose lease is being written. */
  private static boolean young(FileSystem fs, Path path) {
    try {
      return System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime() < 10_000;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean exists(FileSystem fs, Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw LeadlineException.userInput("--out: cannot check %s (%s)", path, e.getMessage());
    }
  }

  /** Creates {@code partial} if it does not exist, atomically; false if it exists. */
  private static boolean createPartial(FileSystem fs, Path partial) {
    try {
      if ("file".equals(partial.toUri().getScheme())) {
        java.nio.file.Path local = java.nio.file.Path.of(partial.toUri());
        Files.createDirectories(local.getParent());
        try {
          Files.createDirectory(local);
          return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
          return false;
        }
      }
      // Elsewhere the claim is the lease, created if absent (atomic on HDFS).
      fs.mkdirs(partial);
      try (var lease = fs.create(new Path(partial, LEASE), false)) {
        return true;
      }
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw Disk.writeFailure(partial.toString(), e, "cannot create the run folder");
    }
  }

  private static RunFolder claimed(FileSystem fs, Path target, String planHash, boolean replace) {
    Path partial = partialOf(target);
    write(fs, new Path(partial, LEASE), Leases.Holder.current("").text());
    write(fs, new Path(partial, PLAN), planHash);
    try {
      fs.mkdirs(new Path(partial, ".staging"));
    } catch (IOException e) {
      throw Disk.writeFailure(partial.toString(), e, "cannot create the run folder");
    }
    return new RunFolder(fs, target, partial, replace);
  }

  private static void write(FileSystem fs, Path path, String text) {
    try (var out = fs.create(path, true)) {
      out.write((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw Disk.writeFailure(path.toString(), e, "cannot write");
    }
  }

  private static Optional<String> read(FileSystem fs, Path path) {
    try (var in = fs.open(path)) {
      return Optional.of(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> manifestPlanHash(FileSystem fs, Path target) {
    return read(fs, new Path(target, "manifest.json"))
        .flatMap(
            text -> {
              try {
                com.fasterxml.jackson.databind.JsonNode hash =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(text)
                        .path("plan_hash");
                return hash.isTextual() ? Optional.of(hash.textValue()) : Optional.empty();
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }

  /** The folder this run writes (its final name). */
  Path target() {
    return target;
  }

  /**
   * Gives up the claim of a run that did not finish: its {@code .partial} stays, without a holder,
   * for the next sweep of the plan to continue.
   */
  void abandon() {
    if (committed) {
      return;
    }
    try {
      fs.delete(new Path(partial, LEASE), false);
    } catch (IOException e) {
      // A lease whose process is gone is broken by the next sweep anyway.
    }
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
    // A sample asked by a request of its own (n split) has that request's tokens, not the item's.
    columns.add(
        functions
            .coalesce(col("sample.prompt_tokens"), col("request_prompt_tokens"))
            .as(SampleColumns.REQUEST_PROMPT_TOKENS));
    columns.add(
        functions
            .coalesce(col("sample.completion_tokens"), col("request_completion_tokens"))
            .as(SampleColumns.REQUEST_COMPLETION_TOKENS));
    columns.add(col("request_attempts").as(SampleColumns.REQUEST_ATTEMPTS));
    columns.add(col("reported_model").as(SampleColumns.REPORTED_MODEL));
    columns.add(col("sample.judgements").as(SampleColumns.JUDGEMENTS));
    columns.add(col("sample.options").as(SampleColumns.OPTIONS));
    columns.add(col("sample.reasoning").as(SampleColumns.REASONING));
    columns.add(col("request_reasoning_tokens").as(SampleColumns.REQUEST_REASONING_TOKENS));
    columns.add(col("system_fingerprint").as(SampleColumns.SYSTEM_FINGERPRINT));
    Dataset<Row> samples =
        items
            .withColumn("sample", explode(col("samples")))
            .select(columns.toArray(Column[]::new))
            // One partition, sorted: one file in the global order. A global sort (orderBy) would
            // first scan the samples once more to sample its range bounds, and the one task
            // writing the file sorted its partitions anyway.
            .repartition(1)
            .sortWithinPartitions(
                SampleColumns.ORDER.stream().map(functions::col).toArray(Column[]::new));
    String written = staging("samples");
    samples.write().parquet(written);
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
  /** The folder being written, as the user can find it. */
  String partialPath() {
    java.net.URI uri = partial.toUri();
    return uri.getScheme() == null || uri.getScheme().equals("file")
        ? uri.getPath()
        : partial.toString();
  }

  String commit() {
    try {
      fs.delete(new Path(partial, ".staging"), true);
      Path replaced = null;
      if (replace && fs.exists(target)) {
        // The new folder is whole before the old one goes: swapped, then the old one deleted.
        replaced =
            new Path(target.getParent(), target.getName() + ".replaced-" + UUID.randomUUID());
        if (!fs.rename(target, replaced)) {
          throw LeadlineException.userInput("%s: cannot move it aside to replace it", target);
        }
      }
      if (fs.exists(target)) {
        // Renaming onto a folder would move the run inside it.
        throw LeadlineException.userInput(
            "%s: appeared while this sweep ran; the run is left in %s", target, partial);
      }
      if (!fs.rename(partial, target)) {
        throw LeadlineException.userInput("%s: cannot rename %s to it", target, partial);
      }
      committed = true;
      fs.delete(new Path(target, LEASE), false);
      fs.delete(new Path(target, PLAN), false);
      if (replaced != null) {
        fs.delete(replaced, true);
      }
    } catch (IOException e) {
      throw Disk.writeFailure(partial.toString(), e, "cannot finish the run folder");
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
      List<String> reportedModels,
      Optional<Long> reasoningTokens,
      Optional<Long> reasoningTruncated,
      boolean simulated,
      long outOfContextItems,
      List<String> systemFingerprints) {}

  /** Whether an item's recorded error says its prompt did not fit the model's context. */
  static Column outOfContext() {
    return col("error").startsWith(ResultStore.OUT_OF_CONTEXT + ":");
  }

  static List<ModelUsage> usage(Dataset<Row> items, List<String> models) {
    List<Row> rows =
        items
            .groupBy("model")
            .agg(
                count(lit(1)),
                sum(
                    when(col("error").isNotNull().and(functions.not(outOfContext())), 1)
                        .otherwise(0)),
                sum(col("request_prompt_tokens")),
                sum(col("request_completion_tokens")),
                sum(col("request_attempts")),
                collect_set(col("reported_model")),
                functions.coalesce(sum(col("request_reasoning_tokens")), lit(0L)),
                count(col("reasoning_truncated")),
                functions.coalesce(
                    sum(col("reasoning_truncated").multiply(functions.size(col("samples")))),
                    lit(0.0)),
                functions.max(functions.coalesce(col("request_simulated"), lit(false))),
                sum(when(outOfContext(), 1).otherwise(0)),
                collect_set(col("system_fingerprint")))
            .collectAsList();
    List<ModelUsage> usage = new ArrayList<>();
    for (String model : models) {
      Row row = rows.stream().filter(r -> r.getString(0).equals(model)).findFirst().orElse(null);
      if (row == null) {
        usage.add(
            new ModelUsage(
                model,
                0,
                0,
                0,
                0,
                0,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                false,
                0,
                List.of()));
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
              reported,
              // Anthropic counts thinking within output tokens only: nothing to report apart.
              row.getLong(7) > 0 ? Optional.of(row.getLong(7)) : Optional.empty(),
              // Items that gave reasoning: how many of their samples' reasoning never closed.
              row.getLong(8) > 0 ? Optional.of(Math.round(row.getDouble(9))) : Optional.empty(),
              !row.isNullAt(10) && row.getBoolean(10),
              row.isNullAt(11) ? 0 : row.getLong(11),
              row.<String>getList(12).stream().sorted().toList()));
    }
    return usage;
  }

  /**
   * The tokens and cost of each model's items per benchmark and setting, in plan order: of every
   * answer the records hold, and of those this run's own requests got back (batch prices for
   * batched answers).
   */
  static List<RunManifest.Cost> costs(Dataset<Row> items, List<ModelSpec> models, String runId) {
    List<Row> rows =
        items
            .groupBy(
                col("model"),
                col("benchmark"),
                col("setting"),
                col("setting_hash"),
                col("request_batch").isNotNull().as("batched"),
                functions.coalesce(col("request_run").equalTo(lit(runId)), lit(false)).as("fresh"))
            .agg(
                count(lit(1)),
                sum(when(col("error").isNull(), 1).otherwise(0)),
                functions.coalesce(sum(col("request_prompt_tokens")), lit(0L)),
                functions.coalesce(sum(col("request_cached_prompt_tokens")), lit(0L)),
                functions.coalesce(sum(col("request_completion_tokens")), lit(0L)))
            .collectAsList();
    // Keyed model/benchmark/setting, in the order the items come in the plan's models and rows.
    Map<String, long[]> totals = new java.util.TreeMap<>();
    Map<String, BigDecimal[]> dollars = new java.util.HashMap<>();
    Map<String, String[]> keys = new java.util.HashMap<>();
    for (Row row : rows) {
      String model = row.getString(0);
      int index = -1;
      for (int i = 0; i < models.size(); i++) {
        if (models.get(i).name().equals(model)) {
          index = i;
        }
      }
      String key =
          String.format("%04d", Math.max(0, index))
              + "\u0000"
              + row.getString(1)
              + "\u0000"
              + row.getString(2);
      keys.put(key, new String[] {model, row.getString(1), row.getString(2), row.getString(3)});
      long[] total = totals.computeIfAbsent(key, k -> new long[8]);
      boolean batched = row.getBoolean(4);
      boolean fresh = row.getBoolean(5);
      long answered = row.getLong(7);
      long prompt = row.getLong(8);
      long cached = row.getLong(9);
      long completion = row.getLong(10);
      total[0] += row.getLong(6);
      total[1] += answered;
      total[2] += batched ? answered : 0;
      total[3] += fresh ? answered : 0;
      total[4] += prompt;
      total[5] += cached;
      total[6] += completion;
      Optional<io.leadline.models.Pricing> pricing =
          index < 0 ? Optional.empty() : models.get(index).pricing();
      if (pricing.isPresent()) {
        BigDecimal cost = pricing.get().cost(prompt - cached, cached, completion, batched);
        BigDecimal[] sums =
            dollars.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        sums[0] = sums[0].add(cost);
        if (fresh) {
          sums[1] = sums[1].add(cost);
        }
      }
    }
    List<RunManifest.Cost> costs = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : totals.entrySet()) {
      String[] key = keys.get(entry.getKey());
      long[] total = entry.getValue();
      BigDecimal[] sums = dollars.get(entry.getKey());
      Optional<io.leadline.models.Pricing> pricing =
          models.stream()
              .filter(m -> m.name().equals(key[0]))
              .findFirst()
              .flatMap(ModelSpec::pricing);
      costs.add(
          new RunManifest.Cost(
              key[0],
              key[1],
              key[2],
              key[3],
              total[0],
              total[1],
              total[2],
              total[3],
              total[4],
              total[5],
              total[6],
              sums == null ? Optional.empty() : Optional.of(dollarsText(sums[0])),
              sums == null ? Optional.empty() : Optional.of(dollarsText(sums[1])),
              pricing.map(io.leadline.models.Pricing::describe)));
    }
    return costs;
  }

  /** A cost as the manifest writes it: plain decimal, no trailing zeros. */
  static String dollarsText(BigDecimal cost) {
    return cost.signum() == 0 ? "0" : cost.stripTrailingZeros().toPlainString();
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

  /** The manifest's account of a model run in-process: its GGUF file's facts. */
  static RunManifest.LocalModel localModel(io.leadline.models.LocalModel local) {
    java.nio.file.Path path = java.nio.file.Path.of(local.modelFile());
    io.leadline.models.GgufFile file = io.leadline.models.GgufFile.of(path);
    return new RunManifest.LocalModel(
        path.getFileName().toString(),
        file.sha256(),
        file.architecture(),
        file.parameters(),
        file.vocabulary(),
        file.trainedContext(),
        io.leadline.models.LlamaEngine.contextSize(local, file));
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
      List<RunManifest.Cost> costs,
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
      boolean simulatedProfile = !fingerprint.isEmpty() && model.local().isEmpty();
      modelRecords.add(
          new RunManifest.Model(
              model.name(),
              model.provider().id(),
              model.model(),
              model.api().id(),
              Sweep.isSimulated(model) ? "in-process (simulated)" : model.endpointHost(),
              // A serve-sim server behind a models file says so in every response.
              Sweep.isSimulated(model) || used.simulated(),
              simulatedProfile ? Optional.of(model.profile().orElse("")) : Optional.empty(),
              simulatedProfile ? Optional.of(fingerprint) : Optional.empty(),
              used.reportedModels(),
              model.request().describe(),
              model.request().notSent(),
              model.facts().released().map(java.time.LocalDate::toString),
              model.facts().params().isPresent()
                  ? Optional.of(model.facts().params().getAsLong())
                  : Optional.empty(),
              model.facts().family(),
              used.systemFingerprints(),
              model.local().map(RunFolder::localModel)));
      Progress.Model counted = progress.models().get(i);
      // The sum of its rows of the cost ledger: batched answers at the batch price.
      Optional<BigDecimal> cost =
          model
              .pricing()
              .map(
                  p ->
                      costs.stream()
                          .filter(c -> c.model().equals(model.name()))
                          .map(c -> new BigDecimal(c.costUsd().orElse("0")))
                          .reduce(BigDecimal.ZERO, BigDecimal::add));
      usageRecords.add(
          new RunManifest.Usage(
              model.name(),
              used.items(),
              used.failedItems(),
              used.promptTokens(),
              used.completionTokens(),
              used.attempts(),
              cost.map(RunFolder::dollarsText),
              new RunManifest.ThisRun(
                  counted.cached() + counted.shared(),
                  counted.done(),
                  counted.failed(),
                  counted.requests(),
                  counted.tokens()),
              used.reasoningTokens(),
              used.reasoningTruncated(),
              used.outOfContextItems() > 0
                  ? Optional.of(used.outOfContextItems())
                  : Optional.empty()));
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
                setting.label(benchmark.benchmark().name()),
                resolved.hash(),
                Scoring.primaryMetric(resolved),
                resolved.canonicalJson()));
      }
      settingRecords.add(new RunManifest.Setting(setting.name(), per));
      // A completions model's records name the setting apart where its system message was not
      // sent: the manifest says what that setting is.
      List<RunManifest.SettingBenchmark> sent = new ArrayList<>();
      if (models.stream().anyMatch(m -> m.api() == io.leadline.models.ApiStyle.COMPLETIONS)) {
        for (DataPlan.BenchmarkData benchmark : data) {
          if (setting.find(benchmark.benchmark().name()).isEmpty()) {
            continue;
          }
          BenchmarkSetting resolved = setting.of(benchmark.benchmark().name());
          BenchmarkSetting completions = resolved.asSentToCompletions();
          if (completions != resolved) {
            sent.add(
                new RunManifest.SettingBenchmark(
                    benchmark.benchmark().name(),
                    setting.label(benchmark.benchmark().name()) + ", no system message",
                    completions.hash(),
                    Scoring.primaryMetric(completions),
                    completions.canonicalJson()));
          }
        }
      }
      if (!sent.isEmpty()) {
        settingRecords.add(
            new RunManifest.Setting(setting.name() + BenchmarkSetting.COMPLETIONS_SUFFIX, sent));
      }
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
                : Optional.empty(),
            spec.limitFraction().map(f -> f.stripTrailingZeros().toPlainString())),
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
        judges,
        costs);
  }
}
