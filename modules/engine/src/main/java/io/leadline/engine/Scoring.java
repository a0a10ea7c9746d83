package io.leadline.engine;

import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.Extraction;
import io.leadline.api.ModelResult;
import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.ItemScoring;
import io.leadline.models.ApiStyle;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Limits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Phase two of a sweep: each item's stored response scored by its benchmark's scorers (code through
 * the sandbox), as one row per item holding its samples and its per-problem metric values. The
 * model under test is never called from here; a scorer that asks a judge does so through {@link
 * WorkerContext#modelCalls()}, which answers from the result store when it can.
 */
public final class Scoring {
  /** One judge's reply to a sample. */
  static final StructType JUDGEMENT =
      new StructType(
          new StructField[] {
            field("judge", DataTypes.StringType, false),
            field("reply", DataTypes.StringType, false),
            field(
                "grades",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false),
                false),
            field("no_grade", DataTypes.StringType, true),
          });

  /** One option's likelihood, under log-likelihood scoring. */
  static final StructType OPTION =
      new StructType(
          new StructField[] {
            field("letter", DataTypes.StringType, false),
            field("continuation", DataTypes.StringType, false),
            field("logprob", DataTypes.DoubleType, false),
            field("tokens", DataTypes.IntegerType, false),
            field("chars", DataTypes.IntegerType, false),
            field("greedy", DataTypes.BooleanType, true),
          });

  static final StructType SAMPLE =
      new StructType(
          new StructField[] {
            field("sample_index", DataTypes.IntegerType, false),
            field("completion", DataTypes.StringType, true),
            field("extracted", DataTypes.StringType, true),
            field("no_answer_reason", DataTypes.StringType, true),
            field("explanation", DataTypes.StringType, true),
            field(
                "scores",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
                false),
            field("passed", DataTypes.BooleanType, true),
            field("exec_result", DataTypes.StringType, true),
            field("finish_reason", DataTypes.StringType, true),
            field("truncated", DataTypes.BooleanType, true),
            field("judgements", DataTypes.createArrayType(JUDGEMENT, false), true),
            field("options", DataTypes.createArrayType(OPTION, false), true),
            field("reasoning", DataTypes.StringType, true),
            // The tokens of the sample's own request, where the item's n was split; else null.
            field("prompt_tokens", DataTypes.LongType, true),
            field("completion_tokens", DataTypes.LongType, true),
          });

  /** One scored item (request); samples inside. */
  static final StructType ITEM =
      new StructType(
          new StructField[] {
            field("model", DataTypes.StringType, false),
            field("benchmark", DataTypes.StringType, false),
            field("subset", DataTypes.StringType, true),
            field("setting", DataTypes.StringType, false),
            field("setting_hash", DataTypes.StringType, false),
            field("perturbation", DataTypes.StringType, true),
            field("example_id", DataTypes.StringType, false),
            field("example_index", DataTypes.IntegerType, false),
            field("request_hash", DataTypes.StringType, false),
            field("prompt", DataTypes.StringType, false),
            field("gold", DataTypes.StringType, false),
            field("shots_used", DataTypes.IntegerType, false),
            field("error", DataTypes.StringType, true),
            field("request_latency_ms", DataTypes.LongType, true),
            field("request_prompt_tokens", DataTypes.LongType, true),
            field("request_completion_tokens", DataTypes.LongType, true),
            field("request_attempts", DataTypes.IntegerType, true),
            field("reported_model", DataTypes.StringType, true),
            field("request_batch", DataTypes.StringType, true),
            field("request_cached_prompt_tokens", DataTypes.LongType, true),
            field("request_run", DataTypes.StringType, true),
            // Whether the server said it is Leadline's simulator (X-Leadline-Simulated).
            field("request_simulated", DataTypes.BooleanType, true),
            field(
                "metrics",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
                false),
            field("no_answer", DataTypes.DoubleType, true),
            field(
                "no_grade",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
                true),
            field("samples", DataTypes.createArrayType(SAMPLE, false), false),
            field("request_reasoning_tokens", DataTypes.LongType, true),
            // The share of the item's samples whose reasoning never closed; null if none reasoned.
            field("reasoning_truncated", DataTypes.DoubleType, true),
            // The server's system_fingerprint; null where it sent none.
            field("system_fingerprint", DataTypes.StringType, true),
          });

  private Scoring() {}

  private static StructField field(
      String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  /**
   * A system property that makes a task ask the judges of one item at a time, as before the window:
   * only for {@code leadline bench judges}, which measures both ways side by side.
   */
  public static final String JUDGE_ONE_ITEM_AT_A_TIME = "leadline.bench.judge-one-item-at-a-time";

  /** Items whose programs may run in the sandbox at once, per task: bounds memory, not speed. */
  private static final int WINDOW = 256;

  /**
   * Scores the rows {@code (item, hash, completed line or null, failed line or null)} of one
   * partition, lazily: at most {@link #WINDOW} items are held at a time.
   */
  static Iterator<Row> run(Job job, JudgeTally tally, Iterator<Row> rows) {
    WorkerContext context = WorkerContext.of(job);
    io.leadline.api.ModelCalls calls = context.modelCalls().counted(tally);
    java.util.ArrayDeque<Pending> window = new java.util.ArrayDeque<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        fill();
        return !window.isEmpty();
      }

      @Override
      public Row next() {
        fill();
        if (window.isEmpty()) {
          throw new java.util.NoSuchElementException();
        }
        return window.removeFirst().finish();
      }

      private void fill() {
        while (window.size() < WINDOW && rows.hasNext()) {
          window.addLast(start(context, calls, rows.next()));
        }
      }
    };
  }

  private static Pending start(WorkerContext context, io.leadline.api.ModelCalls calls, Row row) {
    WorkerContext.Request request = context.request(row.getLong(0), row.getString(1));
    Optional<ResultStore.Stored> completed =
        row.isNullAt(2) ? Optional.empty() : ResultStore.decode(row.getString(2));
    Optional<ResultStore.Stored> failed =
        row.isNullAt(3) ? Optional.empty() : ResultStore.decode(row.getString(3));
    Optional<ResultStore.Stored> stored = completed.or(() -> failed);
    ModelResult result =
        stored
            .map(ResultStore.Stored::result)
            .orElse(
                new ModelResult.Failed(
                    ModelResult.FailureReason.NOT_SENT,
                    "no response in the result store: the request was not sent",
                    0,
                    0));
    return start(context, calls, request, result, stored.map(ResultStore.Stored::run).orElse(null));
  }

  /**
   * The row of {@code request}, answered by {@code result} just now; blocks on the sandbox. A judge
   * the scorers ask is counted in {@code tally}.
   */
  static Row scoreNow(
      WorkerContext context,
      JudgeTally tally,
      WorkerContext.Request request,
      ResultStore.Stored stored) {
    return start(
            context, context.modelCalls().counted(tally), request, stored.result(), stored.run())
        .finish();
  }

  /** An item whose code may still be running in the sandbox. */
  private record Pending(
      WorkerContext context,
      io.leadline.api.ModelCalls calls,
      WorkerContext.Request request,
      String model,
      boolean chat,
      ModelResult result,
      String run,
      List<List<CompletableFuture<ExecResult>>> executions,
      CompletableFuture<ItemScoring.ItemScore> judged) {
    Row finish() {
      return row(this);
    }
  }

  private static Pending start(
      WorkerContext context,
      io.leadline.api.ModelCalls calls,
      WorkerContext.Request request,
      ModelResult result,
      String run) {
    List<List<CompletableFuture<ExecResult>>> executions = new ArrayList<>();
    Benchmark benchmark = request.setting().benchmark();
    if (result instanceof ModelResult.Completed completed && benchmark.format().executesCode()) {
      boolean chat = context.model(request.modelIndex()).api() == ApiStyle.CHAT;
      for (int check = 0; check < benchmark.format().checks().size(); check++) {
        executions.add(new ArrayList<>());
      }
      // Sampled completions repeat themselves; each distinct program of an item runs once.
      Map<String, CompletableFuture<ExecResult>> distinct = new LinkedHashMap<>();
      for (Choice choice : completed.completion().choices()) {
        if (choice.reasoningTruncated()) {
          // No answer, so no program: every check fails without running.
          for (int check = 0; check < executions.size(); check++) {
            executions.get(check).add(CompletableFuture.completedFuture(UNANSWERED));
          }
          continue;
        }
        List<String> programs =
            benchmark.format().programs(benchmark, request.example(), choice.text(), chat);
        for (int check = 0; check < programs.size(); check++) {
          executions
              .get(check)
              .add(
                  distinct.computeIfAbsent(
                      programs.get(check),
                      p ->
                          context
                              .sandbox()
                              .submit(
                                  p,
                                  benchmark.format().executionTimeoutSeconds(),
                                  Limits.DEFAULT)));
        }
      }
    }
    boolean chat = context.model(request.modelIndex()).api() == ApiStyle.CHAT;
    CompletableFuture<ItemScoring.ItemScore> judged = null;
    if (result instanceof ModelResult.Completed completed
        && !Boolean.getBoolean(JUDGE_ONE_ITEM_AT_A_TIME)
        && request.setting().judging().isPresent()
        && !benchmark.format().executesCode()) {
      // Judges are asked while the window fills, so a task keeps as many judge requests in flight
      // as the judge's client allows, instead of one item's at a time.
      List<String> texts = completed.completion().choices().stream().map(Choice::text).toList();
      List<Optional<String>> unanswered = unanswered(completed.completion());
      ItemScoring scoring = context.scoring(request.setting(), request.cell().perturbation());
      judged =
          CompletableFuture.supplyAsync(
              () ->
                  scoring.item(
                      request.example(),
                      request.prompt().text(),
                      texts,
                      unanswered,
                      chat,
                      List.of(),
                      calls),
              context.judging());
    }
    return new Pending(
        context,
        calls,
        request,
        context.model(request.modelIndex()).name(),
        chat,
        result,
        run,
        executions,
        judged);
  }

  private static Row row(Pending pending) {
    WorkerContext.Request request = pending.request();
    BenchmarkSetting setting = request.setting();
    Plan.Cell cell = request.cell();
    ItemScoring scoring = pending.context().scoring(setting, cell.perturbation());
    Map<String, Double> metrics = new LinkedHashMap<>();
    List<Row> samples = new ArrayList<>();
    String error = null;
    Long latency = null;
    Long promptTokens = null;
    Long completionTokens = null;
    Integer attempts = null;
    String reportedModel = null;
    String batch = null;
    Boolean simulated = null;
    Long cachedPromptTokens = null;
    Double noAnswer = null;
    scala.collection.Map<String, Double> noGrade = null;
    Long reasoningTokens = null;
    Double reasoningTruncated = null;
    String fingerprint = null;
    if (pending.result() instanceof ModelResult.Completed completed) {
      Completion completion = completed.completion();
      latency = completion.latency().toMillis();
      promptTokens = completion.usage().promptTokens();
      completionTokens = completion.usage().completionTokens();
      attempts = completion.attempts();
      reportedModel = completion.reportedModel();
      batch = completion.batched() ? completion.batch() : null;
      simulated = completion.simulated();
      fingerprint =
          completion.systemFingerprint().isEmpty() ? null : completion.systemFingerprint();
      cachedPromptTokens = completion.usage().cachedPromptTokens();
      // Absent, not 0, where the server reported none (most models).
      reasoningTokens =
          completion.usage().reasoningTokens() > 0 ? completion.usage().reasoningTokens() : null;
      reasoningTruncated = reasoningTruncated(completion);
      List<String> texts = completion.choices().stream().map(Choice::text).toList();
      List<List<Boolean>> verdicts = new ArrayList<>();
      List<List<String>> results = new ArrayList<>();
      for (List<CompletableFuture<ExecResult>> check : pending.executions()) {
        List<Boolean> passedCheck = new ArrayList<>();
        List<String> resultsCheck = new ArrayList<>();
        for (CompletableFuture<ExecResult> execution : check) {
          ExecResult exec = execution.join();
          passedCheck.add(exec.passed());
          resultsCheck.add(exec.result());
        }
        verdicts.add(passedCheck);
        results.add(resultsCheck);
      }
      // The sample records the first check's verdict (GPT-Fathom's); the others are explained.
      List<Boolean> passed = verdicts.isEmpty() ? List.of() : verdicts.get(0);
      List<String> execResults = results.isEmpty() ? List.of() : results.get(0);
      List<String> checks = request.setting().benchmark().format().checks();
      boolean chat = pending.chat();
      ItemScoring.ItemScore score =
          pending.judged() != null
              ? Joined.value(pending.judged())
              : request.likelihood().isPresent()
                  ? scoring.likelihoodItem(
                      request.example(),
                      completion.choices().stream()
                          .map(choice -> choice.likelihood().orElseThrow())
                          .toList())
                  : scoring.item(
                      request.example(),
                      request.prompt().text(),
                      texts,
                      unanswered(completion),
                      chat,
                      verdicts,
                      pending.calls());
      for (int i = 0; i < score.samples().size(); i++) {
        ItemScoring.SampleScore sample = score.samples().get(i);
        if (!sample.options().isEmpty()) {
          // Log-likelihood: one sample, its completion the likeliest option's continuation.
          samples.add(
              RowFactory.create(
                  i,
                  completion.choices().get(likeliest(sample)).text(),
                  sample.extraction().answer().orElse(null),
                  null,
                  sample.explanation(),
                  scalaMap(sample.values()),
                  null,
                  null,
                  null,
                  null,
                  null,
                  options(sample.options()),
                  null,
                  null,
                  null));
          continue;
        }
        Choice choice = completion.choices().get(i);
        boolean executed = i < execResults.size();
        samples.add(
            RowFactory.create(
                i,
                choice.text(),
                sample.extraction().answer().orElse(null),
                sample.extraction() instanceof Extraction.NoAnswer none ? none.reason() : null,
                executed
                    ? sample.explanation() + executions(checks, results, i)
                    : sample.explanation(),
                scalaMap(sample.values()),
                executed ? passed.get(i) : null,
                executed ? execResults.get(i) : null,
                choice.finishReason(),
                choice.truncated(),
                sample.judgements().isEmpty() ? null : judgements(sample.judgements()),
                null,
                choice.reasoning().isEmpty() ? null : choice.reasoning(),
                choice.usage().map(u -> u.promptTokens()).orElse(null),
                choice.usage().map(u -> u.completionTokens()).orElse(null)));
      }
      metrics.putAll(score.metrics());
      noAnswer = score.noAnswerRate();
      noGrade = score.noGrade().isEmpty() ? null : scalaMap(score.noGrade());
    } else {
      ModelResult.Failed failed = (ModelResult.Failed) pending.result();
      error = failed.reason().id() + ": " + failed.message();
      attempts = failed.attempts();
      for (int i = 0; i < setting.n(); i++) {
        samples.add(
            RowFactory.create(
                i,
                null,
                null,
                null,
                null,
                scalaMap(Map.of()),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
      }
    }
    return RowFactory.create(
        pending.model(),
        cell.benchmark(),
        cell.hasSubsets() ? cell.subset() : null,
        request.settingLabel(),
        request.settingHash(),
        cell.perturbation().isEmpty() ? null : cell.perturbation(),
        request.example().id(),
        request.exampleIndex(),
        request.hash(),
        request.prompt().text(),
        scoring.gold(request.example()),
        request.prompt().shotsUsed(),
        error,
        latency,
        promptTokens,
        completionTokens,
        attempts,
        reportedModel,
        batch,
        cachedPromptTokens,
        pending.run(),
        simulated,
        scalaMap(metrics),
        noAnswer,
        noGrade,
        CollectionConverters.asScala(samples).toSeq(),
        reasoningTokens,
        reasoningTruncated,
        fingerprint);
  }

  /** A failed verdict for a sample without an answer, whose program never runs. */
  private static final ExecResult UNANSWERED =
      new ExecResult("failed", "failed: " + Choice.REASONING_TRUNCATED, "", 0);

  /** Per choice, why it has no answer to grade: its reasoning never closed; else empty. */
  private static List<Optional<String>> unanswered(Completion completion) {
    return completion.choices().stream()
        .map(
            choice ->
                choice.reasoningTruncated()
                    ? Optional.of(Choice.REASONING_TRUNCATED)
                    : Optional.<String>empty())
        .toList();
  }

  /** The share of the choices whose reasoning never closed; null if none has reasoning. */
  private static Double reasoningTruncated(Completion completion) {
    List<Choice> choices = completion.choices();
    if (choices.stream().allMatch(choice -> choice.reasoning().isEmpty())) {
      return null;
    }
    return choices.stream().filter(Choice::reasoningTruncated).count() / (double) choices.size();
  }

  /** What sample {@code i}'s programs gave: {@code ; executed: passed}, one part per check. */
  private static String executions(List<String> checks, List<List<String>> results, int i) {
    StringBuilder text = new StringBuilder("; executed");
    for (int check = 0; check < results.size(); check++) {
      text.append(check == 0 ? "" : "; " + checks.get(check))
          .append(": ")
          .append(results.get(check).get(i));
    }
    return text.toString();
  }

  private static scala.collection.Seq<Row> judgements(List<io.leadline.api.Judgement> judgements) {
    List<Row> rows = new ArrayList<>();
    for (io.leadline.api.Judgement judgement : judgements) {
      rows.add(
          RowFactory.create(
              judgement.judge(),
              judgement.reply(),
              CollectionConverters.asScala(new LinkedHashMap<>(judgement.grades())),
              judgement.noGrade().orElse(null)));
    }
    return CollectionConverters.asScala(rows).toSeq();
  }

  /** The index of the option the sample picked (its extracted letter). */
  private static int likeliest(ItemScoring.SampleScore sample) {
    String letter = sample.extraction().answer().orElseThrow();
    for (int i = 0; i < sample.options().size(); i++) {
      if (sample.options().get(i).letter().equals(letter)) {
        return i;
      }
    }
    throw new IllegalStateException("no option " + letter);
  }

  private static scala.collection.Seq<Row> options(List<ItemScoring.OptionScore> options) {
    List<Row> rows = new ArrayList<>();
    for (ItemScoring.OptionScore option : options) {
      rows.add(
          RowFactory.create(
              option.letter(),
              option.continuation(),
              option.logprob(),
              option.tokens(),
              option.chars(),
              option.greedy().orElse(null)));
    }
    return CollectionConverters.asScala(rows).toSeq();
  }

  /** Spark's row encoder takes Scala maps only. */
  private static scala.collection.Map<String, Double> scalaMap(Map<String, Double> map) {
    return CollectionConverters.asScala(new LinkedHashMap<>(map));
  }

  /** The metric a leaderboard shows for {@code setting}: GPT-Fathom's. */
  static String primaryMetric(BenchmarkSetting setting) {
    return primaryMetric(setting, "");
  }

  /** The metric a leaderboard shows for {@code setting} under {@code perturbation}. */
  static String primaryMetric(BenchmarkSetting setting, String perturbation) {
    return ItemScoring.of(setting, perturbation).primaryMetric();
  }
}
