package io.leadline.engine;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.leadline.api.LeadlineException;
import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import io.leadline.models.ModelSpec;
import io.leadline.models.ModelsFile;
import io.leadline.models.Provider;
import io.leadline.records.MetricRow;
import io.leadline.records.RunManifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code leadline sweep}: plan models × benchmarks (and subsets) × settings × examples, send what
 * the result store does not have yet on Spark, score every item, and write the run folder.
 *
 * <p>Everything that can be checked is checked before the first request: benchmarks, settings,
 * models file, data, endpoints, the sandbox. The records are a function of the store's responses
 * only, so a rerun, a resumed run and an uninterrupted run write the same samples and metrics.
 */
public final class Sweep {
  private static final StructType REQUEST =
      new StructType()
          .add("item", DataTypes.LongType, false)
          .add("model", DataTypes.IntegerType, false)
          .add("hash", DataTypes.StringType, false)
          .add("likelihood", DataTypes.IntegerType, false);
  private static final StructType STORED =
      new StructType()
          .add("hash", DataTypes.StringType, false)
          .add("status", DataTypes.StringType, false)
          .add("run", DataTypes.StringType, false)
          .add("line", DataTypes.StringType, false);

  private Sweep() {}

  /**
   * Runs {@code spec}, using the active Spark session if there is one (and leaving it running),
   * else starting one on {@code spec.master()} and stopping it at the end.
   *
   * @throws LeadlineException for anything wrong with the input, before any request is sent
   */
  public static SweepResult run(SweepSpec spec, SweepListener listener) {
    boolean owned = SparkSession.getActiveSession().isEmpty();
    // Spark takes seconds to come up, tens on a loaded machine: a session of the sweep's own comes
    // up while the sweep is checked and its data loaded (its master checked first, as before).
    Sparks.Starting starting = owned ? Sparks.start(spec.master()) : null;
    SparkSession spark = null;
    try (Prepared prepared = Prepared.of(spec, listener)) {
      if (owned) {
        // Said where it was said before the start overlapped the checks: the wait, if any, follows.
        listener.message("starting Spark " + spec.master() + "…");
        spark = starting.session();
      } else {
        spark = Sparks.session(spec.master());
      }
      try {
        return execute(spark, prepared, listener);
      } catch (Exception e) { // Spark's SparkException is checked in Scala only
        if (!(e instanceof io.leadline.api.LeadlineException) && Disk.isFull(e)) {
          // Spark's Parquet writers fail with Hadoop's FSError deep inside a task.
          throw Disk.full(prepared.folder().partialPath());
        }
        throw e;
      } finally {
        WorkerContext.release(prepared.runId());
        Requester.release(prepared.runId());
        LiveProgress.release(prepared.runId());
        if (owned) {
          spark.stop();
        }
      }
    } finally {
      if (starting != null && spark == null) {
        // Refused before it needed Spark: the session started for the sweep stops.
        starting.stop();
      }
    }
  }

  private static SweepResult execute(
      SparkSession spark, Prepared prepared, SweepListener listener) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int executors = Sparks.executors(spark);
    int partitions = Math.max(2, jsc.defaultParallelism() * 2);
    spark.conf().set("spark.sql.shuffle.partitions", partitions);
    Job job =
        prepared.job(
            executors,
            Runtime.getRuntime().availableProcessors(),
            Locations.serialize(spark.sparkContext().hadoopConfiguration()));
    Plan plan = job.plan();
    if (prepared.needsSandbox()) {
      // Fails now, with one line, if bubblewrap is missing; warms the sandbox for local runs.
      WorkerContext.of(job).sandbox();
    }
    long started = System.nanoTime();

    List<long[]> ranges = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      long from = plan.items() * p / partitions;
      long to = plan.items() * (p + 1) / partitions;
      if (to > from) {
        ranges.add(new long[] {from, to});
      }
    }
    boolean even =
        java.util.stream.IntStream.range(0, plan.models().size())
            .allMatch(m -> plan.itemsOf(m) == plan.itemsOf(0));
    // A model that answers some benchmarks only (benchmarks: in its entry) has fewer items.
    String perModel =
        even
            ? String.format("%d models × %,d per model", plan.models().size(), plan.itemsOf(0))
            : String.join(
                ", ",
                java.util.stream.IntStream.range(0, plan.models().size())
                    .mapToObj(m -> String.format("%s %,d", plan.models().get(m), plan.itemsOf(m)))
                    .toList());
    listener.message(
        String.format(
            "planned %,d items (%s) in %d partitions on %s (%d executors)",
            plan.items(),
            perModel,
            Math.max(1, ranges.size()),
            spark.sparkContext().master(),
            executors));
    JavaRDD<Row> rendered =
        jsc.parallelize(ranges, Math.max(1, ranges.size()))
            .flatMap(
                range -> {
                  WorkerContext context = WorkerContext.of(job);
                  return java.util.stream.LongStream.range(range[0], range[1])
                      .mapToObj(
                          item -> {
                            WorkerContext.Request request = context.request(item);
                            return RowFactory.create(
                                item,
                                request.modelIndex(),
                                request.hash(),
                                request.likelihood().isPresent() ? 1 : 0);
                          })
                      .iterator();
                });
    Dataset<Row> requests =
        spark.createDataFrame(rendered, REQUEST).persist(StorageLevel.DISK_ONLY());

    // Phase one: send what the store has no answer to.
    ResultStore store = ResultStore.at(job.store(), spark.sparkContext().hadoopConfiguration());
    // Taken before the store is read: anything appended after it is looked for under a lease.
    java.util.HashMap<String, Long> seen = new java.util.HashMap<>(store.lengths());
    LongAccumulator malformed = jsc.sc().longAccumulator();
    // A prompt found too long for the model's context is answered too: a rerun asks the same.
    // Kept: where nothing is sent, phase two scores from these same lines.
    Dataset<Row> lines =
        lines(stored(spark, store, malformed), job.runId()).persist(StorageLevel.DISK_ONLY());
    Dataset<Row> answered = lines.filter(col("line").isNotNull()).select("hash");
    Dataset<Row> unanswered =
        requests
            .join(answered, requests.col("hash").equalTo(answered.col("hash")), "left_anti")
            .persist(StorageLevel.DISK_ONLY());
    long[] unansweredPerModel = new long[plan.models().size()];
    for (Row row : unanswered.groupBy("model").count().collectAsList()) {
      unansweredPerModel[row.getInt(0)] = row.getLong(1);
    }
    if (malformed.value() > 0) {
      listener.message(
          String.format(
              "%s: ignored %,d malformed records (a field of the wrong type); their requests are"
                  + " sent again",
              store.dir(), malformed.value()));
    }
    Dataset<Row> pending =
        unanswered
            .groupBy("hash")
            .agg(
                min("item").as("item"),
                min("model").as("model"),
                max("likelihood").as("likelihood"))
            .select("item", "model", "likelihood")
            .persist(StorageLevel.DISK_ONLY());
    long[] pendingPerModel = new long[plan.models().size()];
    List<Integer> probed = new ArrayList<>();
    for (Row row : pending.groupBy("model", "likelihood").count().collectAsList()) {
      pendingPerModel[row.getInt(0)] += row.getLong(2);
      if (row.getInt(1) == 1) {
        probed.add(row.getInt(0));
      }
    }
    if (prepared.spec().dryRun()) {
      // The items the store answers tell the mean completion tokens of their cells.
      Dataset<Row> answeredLines =
          requests
              .join(unanswered, requests.col("item").equalTo(unanswered.col("item")), "left_anti")
              .join(
                  stored(spark, store, null)
                      .filter(col("status").equalTo(ResultStore.COMPLETED))
                      .groupBy("hash")
                      .agg(min("line").as("line")),
                  "hash")
              .select("item", "line");
      Estimate estimate = Estimates.of(job, pending, answeredLines, prepared.spec().runsDir());
      Progress planned =
          progress(
              plan,
              unansweredPerModel,
              pendingPerModel,
              LiveProgress.of(job.runId(), plan.models().size()),
              new Requester.Counters(zeros(jsc, plan.models().size() * 4)),
              started);
      pending.unpersist();
      unanswered.unpersist();
      lines.unpersist();
      requests.unpersist();
      return new SweepResult(
          "", List.of(), planned, 0, List.of(), 0, java.util.Optional.of(estimate));
    }
    // Before a model is sent an item to score by log-likelihood, one request shows that its
    // server echoes the prompt's log-probabilities; one that does not would score chance.
    probed.sort(null);
    for (int model : probed) {
      WorkerContext context = WorkerContext.of(job);
      java.util.Optional<String> problem = context.httpClient(model).likelihoodProblem();
      if (problem.isPresent()) {
        throw LeadlineException.userInput("%s; nothing else was sent to it", problem.get());
      }
      listener.message(
          String.format(
              "%s: echoes prompt log-probabilities (1 probe request)", plan.models().get(model)));
    }
    Requester.Counters counters = new Requester.Counters(zeros(jsc, plan.models().size() * 4));
    List<LongAccumulator> judgeCounts = new ArrayList<>();
    for (int i = 0; i < JudgeTally.counters(job.judges()); i++) {
      judgeCounts.add(jsc.sc().longAccumulator());
    }
    JudgeTally tally = new JudgeTally(job.judges(), judgeCounts, jsc.sc().collectionAccumulator());
    // Models sent through their provider's batch API: submitted, watched and stored by a driver
    // thread while the other models' requests go out on Spark; phase two scores their answers
    // from the store like any stored answer.
    List<Integer> batchModels = new ArrayList<>();
    for (int m = 0; m < plan.models().size(); m++) {
      if (WorkerContext.of(job).model(m).batch().isPresent()) {
        batchModels.add(m);
      }
    }
    Dataset<Row> direct = pending;
    long[] directPerModel = pendingPerModel.clone();
    java.util.concurrent.ExecutorService batchThread = null;
    java.util.concurrent.Future<BatchPhase.Outcome> batches = null;
    if (!batchModels.isEmpty()) {
      Object[] batched = batchModels.toArray();
      List<long[]> items = new ArrayList<>();
      for (Row row :
          pending.filter(col("model").isin(batched)).select("item", "model").collectAsList()) {
        items.add(new long[] {row.getLong(0), row.getInt(1)});
      }
      items.sort(java.util.Comparator.comparingLong(item -> item[0]));
      batchThread =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "leadline-batches");
                thread.setDaemon(true);
                return thread;
              });
      SweepListener batchListener = listener;
      boolean wait = !prepared.spec().noWait();
      batches = batchThread.submit(() -> BatchPhase.run(job, store, items, batchListener, wait));
      direct =
          pending
              .filter(functions.not(col("model").isin(batched)))
              .persist(StorageLevel.DISK_ONLY());
      for (int m : batchModels) {
        directPerModel[m] = 0;
      }
    }
    LiveProgress live = LiveProgress.of(job.runId(), plan.models().size());
    listener.requestsStarted(
        progress(plan, unansweredPerModel, pendingPerModel, live, counters, started));
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "leadline-progress");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(
        () ->
            listener.progress(
                progress(plan, unansweredPerModel, pendingPerModel, live, counters, started)),
        250,
        250,
        TimeUnit.MILLISECONDS);
    RunFolder folder = prepared.folder();
    String sent = folder.staging("sent");
    // With nothing to send (a rerun the store answers), no sending job: phase two scores it all.
    boolean sending = java.util.Arrays.stream(directPerModel).sum() > 0;
    try {
      if (sending) {
        spark
            .createDataFrame(
                direct
                    .select("item")
                    .javaRDD()
                    .mapPartitions(rows -> Requester.run(job, counters, tally, seen, rows)),
                Scoring.ITEM)
            .write()
            .parquet(sent);
      }
    } finally {
      ticker.shutdownNow();
      if (batchThread != null) {
        batchThread.shutdown();
      }
    }
    if (batches != null) {
      BatchPhase.Outcome outcome = joined(batches, batchThread);
      if (outcome.inFlight() > 0) {
        direct.unpersist();
        pending.unpersist();
        unanswered.unpersist();
        lines.unpersist();
        requests.unpersist();
        return new SweepResult(
            "",
            List.of(),
            progress(plan, unansweredPerModel, pendingPerModel, live, counters, started),
            0,
            List.of(),
            outcome.inFlight(),
            java.util.Optional.empty());
      }
    }
    listener.requestsFinished(
        progress(plan, unansweredPerModel, pendingPerModel, live, counters, started));
    // Said once per run, after the live progress: what the clients changed about how they send.
    WorkerContext.of(job).notices().forEach(listener::message);

    List<String> scored = new ArrayList<>(sending ? List.of(sent) : List.of());
    String cached = folder.staging("cached");
    if (java.util.Arrays.stream(directPerModel).sum() < plan.items()) {
      // Phase two: score the items the store answered; the model under test is not called from
      // here on (a judge a scorer asks answers from the store where it can).
      listener.message("scoring the stored answers");
      // The store is read again only if this sweep's items added to it (sent or batched).
      Dataset<Row> scoredLines =
          sending || batches != null ? lines(stored(spark, store, null), job.runId()) : lines;
      Dataset<Row> unsent =
          sending
              ? requests.join(direct, requests.col("item").equalTo(direct.col("item")), "left_anti")
              : requests;
      Dataset<Row> joined =
          unsent.join(scoredLines, "hash", "left").select("item", "hash", "line", "failed_line");
      spark
          .createDataFrame(
              joined.javaRDD().mapPartitions(rows -> Scoring.run(job, tally, rows)), Scoring.ITEM)
          .write()
          .parquet(cached);
      scored.add(cached);
    }
    direct.unpersist();
    pending.unpersist();
    unanswered.unpersist();
    lines.unpersist();
    requests.unpersist();

    listener.message("writing the run folder");
    Dataset<Row> items = spark.read().schema(Scoring.ITEM).parquet(scored.toArray(String[]::new));
    // The outputs read the staged items side by side, each its own scan: cheaper than building
    // Spark's columnar cache of them for a few reads.
    var metricsJob =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                Aggregation.metrics(
                    items, prepared.primaryMetrics(), prepared.benchmarksWithSubsets()));
    var usageJob =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> RunFolder.usage(items, plan.models()));
    var costsJob =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> RunFolder.costs(items, prepared.models(), job.runId()));
    var agreementJob =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> Agreements.rows(items, prepared.settings()));
    folder.writeSamples(spark, items);
    List<MetricRow> metrics = metricsJob.join();
    List<RunManifest.Judge> judges = RunFolder.judges(items, tally, job.judges(), job.identities());
    folder.writeAgreement(agreementJob.join());
    List<RunFolder.ModelUsage> usage = usageJob.join();
    List<RunManifest.Cost> costs = costsJob.join();
    long failedItems = usage.stream().mapToLong(RunFolder.ModelUsage::failedItems).sum();
    Progress done = progress(plan, unansweredPerModel, pendingPerModel, live, counters, started);
    folder.writeMetrics(metrics);
    folder.writeManifest(
        prepared.manifest(job, usage, judges, costs, done, spark, partitions, executors));
    String runDir = folder.commit();
    return new SweepResult(
        runDir, metrics, done, failedItems, judges, 0, java.util.Optional.empty());
  }

  /** The batch thread's outcome, its failure rethrown as it was (a one-line LeadlineException). */
  private static BatchPhase.Outcome joined(
      java.util.concurrent.Future<BatchPhase.Outcome> batches,
      java.util.concurrent.ExecutorService thread) {
    try {
      return batches.get();
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
      throw LeadlineException.userInput(
          "interrupted while batches run; rerun the same command to reattach to them");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static List<LongAccumulator> zeros(JavaSparkContext jsc, int count) {
    List<LongAccumulator> accumulators = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      accumulators.add(jsc.sc().longAccumulator());
    }
    return accumulators;
  }

  private static Progress progress(
      Plan plan,
      long[] unanswered,
      long[] pending,
      LiveProgress live,
      Requester.Counters counters,
      long started) {
    List<Progress.Model> models = new ArrayList<>();
    for (int m = 0; m < plan.models().size(); m++) {
      long total = plan.itemsOf(m);
      models.add(
          new Progress.Model(
              plan.models().get(m),
              total,
              total - unanswered[m],
              unanswered[m] - pending[m],
              Math.max(live.get(m, LiveProgress.DONE), counters.get(m, LiveProgress.DONE)),
              Math.max(live.get(m, LiveProgress.FAILED), counters.get(m, LiveProgress.FAILED)),
              Math.max(live.get(m, LiveProgress.REQUESTS), counters.get(m, LiveProgress.REQUESTS)),
              Math.max(live.get(m, LiveProgress.TOKENS), counters.get(m, LiveProgress.TOKENS))));
    }
    return new Progress(models, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Per request hash of {@code stored}, its first final answer ({@code line}) and its first failure
   * in run {@code runId} ({@code failed_line}), each null if it has none.
   */
  private static Dataset<Row> lines(Dataset<Row> stored, String runId) {
    org.apache.spark.sql.Column answer = col("status").isin((Object[]) ResultStore.FINAL);
    org.apache.spark.sql.Column failure =
        col("status").equalTo(ResultStore.FAILED).and(col("run").equalTo(runId));
    return stored
        .filter(answer.or(failure))
        .groupBy("hash")
        .agg(
            min(functions.when(answer, col("line"))).as("line"),
            min(functions.when(failure, col("line"))).as("failed_line"));
  }

  /**
   * Every whole, well-typed record in the store, as (hash, status, run, line); malformed ones are
   * counted in {@code malformed} if given.
   */
  private static Dataset<Row> stored(
      SparkSession spark, ResultStore store, LongAccumulator malformed) {
    List<String> segments = store.segments();
    if (segments.isEmpty()) {
      return spark.createDataFrame(List.of(), STORED);
    }
    return spark
        .read()
        .textFile(segments.toArray(String[]::new))
        .flatMap(
            (org.apache.spark.api.java.function.FlatMapFunction<String, Row>)
                line -> {
                  java.util.Optional<ResultStore.Stored> stored = ResultStore.decode(line);
                  if (stored.isEmpty() && malformed != null && ResultStore.isMalformed(line)) {
                    malformed.add(1);
                  }
                  return stored.stream()
                      .map(s -> RowFactory.create(s.hash(), s.status(), s.run(), line))
                      .iterator();
                },
            Encoders.row(STORED));
  }

  /** A sweep checked and planned, with its simulated servers running. */
  static final class Prepared implements AutoCloseable {
    private final SweepSpec spec;
    private final Plan plan;
    private final String runId;
    private final RunFolder out;
    private final Suite suite;
    private final List<ModelSpec> models;
    private final Map<String, ModelIdentity> identities;
    private final List<String> judges;
    private final SimServers servers;
    private final List<DataPlan.BenchmarkData> data;
    private final Map<String, Setting> settings;

    private Prepared(
        SweepSpec spec,
        Plan plan,
        String runId,
        RunFolder out,
        Suite suite,
        List<ModelSpec> models,
        Map<String, ModelIdentity> identities,
        List<String> judges,
        SimServers servers,
        List<DataPlan.BenchmarkData> data,
        Map<String, Setting> settings) {
      this.spec = spec;
      this.plan = plan;
      this.runId = runId;
      this.out = out;
      this.suite = suite;
      this.models = models;
      this.identities = identities;
      this.judges = judges;
      this.servers = servers;
      this.data = data;
      this.settings = settings;
    }

    /** Every key a model needs is set, checked before Spark starts rather than in a task. */
    static void checkKeys(List<ModelSpec> models, SweepSpec spec) {
      for (ModelSpec model : models) {
        if (model.apiKeyEnv().isPresent()) {
          String variable = model.apiKeyEnv().get();
          // The executors read the process environment; the spec's may be a test's own.
          String value = spec.environment().getOrDefault(variable, System.getenv(variable));
          if (value == null || value.isBlank()) {
            throw LeadlineException.userInput(
                "%s: model %s: the environment variable %s (api_key_env) is not set; export it"
                    + " or change api_key_env",
                spec.modelsFile(), model.name(), variable);
          }
        }
      }
    }

    static Prepared of(SweepSpec spec, SweepListener listener) {
      Suite suite = Suite.load(spec.benchmarksDir());
      ModelsFile file =
          ModelsFile.parse(spec.modelsFile(), spec.modelsYaml(), spec.modelsFolder())
              .resolved(
                  io.leadline.models.Prices.load(spec.settingsDir()),
                  spec.batch(),
                  spec.budgetUsd());
      Planner.Selection selection = Planner.select(spec, suite, file);
      selection.notes().forEach(listener::message);
      List<ModelSpec> models = selection.models();
      models.forEach(model -> notSent(model).ifPresent(listener::message));
      Map<String, Setting> settings = selection.settings();
      checkKeys(models, spec);
      Reachability.check(models, spec.modelsFile());
      List<DataPlan.BenchmarkData> data =
          DataPlan.load(suite, selection.benchmarks(), spec, settings.values(), listener);
      io.leadline.benchmarks.SplitSource source =
          SplitSources.of(spec.data(), spec.benchmarksDir(), spec.home(), suite);
      // Reads every exemplar file here, on the driver: a malformed few-shot file is then one
      // line naming its file and line, not a task failure inside Spark.
      for (DataPlan.BenchmarkData benchmark : data) {
        String name = benchmark.benchmark().name();
        for (Setting setting : settings.values()) {
          if (setting.find(name).isPresent()) {
            for (DataPlan.SubsetData subset : benchmark.subsets()) {
              io.leadline.benchmarks.Prompts.of(setting.of(name), subset.config(), source);
            }
          }
        }
      }
      Plan plan =
          Planner.plan(
              selection.modelNames(),
              data,
              settings,
              selection.kinds(),
              (setting, subset) ->
                  io.leadline.benchmarks.Prompts.of(setting, subset, source).exemplarsAvailable(),
              io.leadline.benchmarks.Perturbations.paraphrases(spec.benchmarksDir()),
              (model, benchmark) -> models.get(model).answers(benchmark));
      String runId = RunFolder.newRunId();
      // Judges (models a scorer asks) are reached and keyed like the models under test.
      List<String> judges = selection.judges();
      List<ModelSpec> asked = new ArrayList<>(models);
      for (String judge : judges) {
        ModelSpec judgeSpec = file.model(judge);
        if (!asked.contains(judgeSpec)) {
          asked.add(judgeSpec);
        }
      }
      if (asked.size() > models.size()) {
        Reachability.check(asked.subList(models.size(), asked.size()), spec.modelsFile());
      }
      checkKeys(asked, spec);
      if (file.maxCostUsd().isPresent()) {
        for (ModelSpec model : asked) {
          if (model.pricing().isEmpty()) {
            throw LeadlineException.userInput(
                "%s: a cost budget needs every model's price, and model %s has none: add"
                    + " price_per_million to it in %s or an entry '%s/%s' to %s",
                spec.budgetUsd().isPresent() ? "--budget" : spec.modelsFile() + ": budget",
                model.name(),
                spec.modelsFile(),
                model.provider().id(),
                model.model(),
                spec.settingsDir().resolve(io.leadline.models.Prices.FILE));
          }
        }
      }
      SimServers servers = SimServers.start(asked, spec.settingsDir(), spec.benchmarksDir());
      try {
        Map<String, ModelIdentity> identities = new LinkedHashMap<>();
        for (ModelSpec model : asked) {
          identities.put(model.name(), ModelIdentity.of(model, servers));
        }
        // Each judged setting's hash records its judges' identities.
        Map<String, Setting> identified = new LinkedHashMap<>();
        settings.forEach(
            (name, setting) ->
                identified.put(name, setting.withJudgeIdentities(ModelIdentity.texts(identities))));
        settings = identified;
        String planHash = RunFolder.planHash(plan, identities, data, settings);
        // A dry run writes nothing: no run folder is claimed.
        RunFolder out =
            spec.dryRun()
                ? null
                : RunFolder.claim(
                    spec.out(),
                    spec.runsDir(),
                    planHash,
                    spec.existing(),
                    org.apache.spark.deploy.SparkHadoopUtil.get()
                        .newConfiguration(new org.apache.spark.SparkConf()),
                    listener);
        return new Prepared(
            spec, plan, runId, out, suite, models, identities, judges, servers, data, settings);
      } catch (RuntimeException e) {
        servers.close();
        throw e;
      }
    }

    String runId() {
      return runId;
    }

    SweepSpec spec() {
      return spec;
    }

    List<ModelSpec> models() {
      return models;
    }

    Job job(int executors, int sandboxWorkers, byte[] hadoopConf) {
      return Job.builder()
          .runId(runId)
          .benchmarksDir(spec.benchmarksDir().toAbsolutePath().toString())
          .settingsDir(spec.settingsDir().toAbsolutePath().toString())
          .data(spec.data())
          .home(spec.home().toAbsolutePath().toString())
          .store(spec.storeLocation())
          .hadoopConf(hadoopConf)
          .modelsFile(spec.modelsFile(), spec.modelsYaml())
          .modelsFolder(spec.modelsFolder().toString())
          .baseUrls(servers.baseUrls())
          .identities(identities)
          .judges(judges)
          .concurrency(spec.concurrency().orElse(0))
          .executors(executors)
          .unsafeSandbox(spec.unsafeNoSandbox())
          .batch(spec.batch())
          .maxCostUsd(spec.budgetUsd())
          .sandboxWorkers(Math.max(1, sandboxWorkers))
          .plan(plan)
          .build();
    }

    RunFolder folder() {
      return out;
    }

    boolean needsSandbox() {
      return data.stream().anyMatch(b -> b.benchmark().format().executesCode());
    }

    /** The primary metric of each cell, keyed {@code benchmark/setting/perturbation}. */
    Map<String, String> primaryMetrics() {
      Map<String, String> primary = new LinkedHashMap<>();
      for (Plan.Cell cell : plan.cells()) {
        String metric =
            Scoring.primaryMetric(
                settings.get(cell.setting()).of(cell.benchmark()), cell.perturbation());
        primary.put(cell.benchmark() + "/" + cell.setting() + "/" + cell.perturbation(), metric);
        // The same setting as a completions model's records name it.
        primary.put(
            cell.benchmark()
                + "/"
                + cell.setting()
                + io.leadline.benchmarks.BenchmarkSetting.COMPLETIONS_SUFFIX
                + "/"
                + cell.perturbation(),
            metric);
      }
      return primary;
    }

    Set<String> benchmarksWithSubsets() {
      Set<String> names = new LinkedHashSet<>();
      data.stream()
          .map(DataPlan.BenchmarkData::benchmark)
          .filter(Benchmark::hasSubsets)
          .forEach(b -> names.add(b.name()));
      return names;
    }

    Map<String, Setting> settings() {
      return settings;
    }

    RunManifest manifest(
        Job job,
        List<RunFolder.ModelUsage> usage,
        List<RunManifest.Judge> judges,
        List<RunManifest.Cost> costs,
        Progress progress,
        SparkSession spark,
        int partitions,
        int executors) {
      return RunFolder.manifest(
          spec,
          job,
          models,
          identities,
          data,
          settings,
          usage,
          judges,
          costs,
          progress,
          spark,
          partitions,
          executors);
    }

    @Override
    public void close() {
      if (out != null) {
        out.abandon();
      }
      servers.close();
    }
  }

  /** What of the settings' requests {@code model} is never sent, in one line; empty if all is. */
  static Optional<String> notSent(ModelSpec model) {
    List<String> fields = model.request().notSent();
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    String listed =
        fields.size() == 1
            ? fields.get(0)
            : String.join(", ", fields.subList(0, fields.size() - 1))
                + " and "
                + fields.get(fields.size() - 1);
    return Optional.of(
        String.format(
            "model %s: %s, so the settings' %s are not sent%s (the manifest's not_sent says so)",
            model.name(),
            model.request().reasoningEffort().isPresent()
                ? "a reasoning model (reasoning_effort) takes only its default temperature and"
                    + " top_p and no stop sequences"
                : "extended thinking takes temperature 1 only",
            listed,
            fields.contains("stop") ? "; the client still cuts at the stop sequences" : ""));
  }

  static boolean isSimulated(ModelSpec model) {
    return model.provider() == Provider.SIM;
  }
}
