package io.leadline.engine;

import io.leadline.models.ModelSpec;
import io.leadline.models.Pricing;
import io.leadline.models.TokenEstimate;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * What an item's requests may cost before they are sent: for {@code sweep --dry-run}, the budget's
 * reservations and the batch submitter. The prompt tokens are estimated from the rendered prompt
 * ({@link TokenEstimate}), once per request the item takes.
 */
final class Estimates {
  private Estimates() {}

  /** The requests (or batch lines) the item takes on {@code model}. */
  static long requests(WorkerContext.Request request, ModelSpec model) {
    if (request.likelihood().isPresent()) {
      return request.likelihood().get().continuations().size();
    }
    return model.supportsN() ? 1 : request.request().sampling().n();
  }

  /** The estimated prompt tokens of every request the item takes. */
  static long promptTokens(WorkerContext.Request request, ModelSpec model) {
    if (request.likelihood().isPresent()) {
      long tokens = 0;
      for (String continuation : request.likelihood().get().continuations()) {
        tokens += TokenEstimate.text(request.likelihood().get().context() + continuation);
      }
      return tokens;
    }
    return TokenEstimate.prompt(request.request()) * requests(request, model);
  }

  /** The most completion tokens the item's requests can use. */
  static long maxCompletionTokens(WorkerContext.Request request) {
    if (request.likelihood().isPresent()) {
      return request.likelihood().get().continuations().size();
    }
    return (long) request.request().sampling().maxTokens() * request.request().sampling().n();
  }

  /** The most the item can cost on {@code model} at {@code pricing}. */
  static BigDecimal maxCost(
      Pricing pricing, WorkerContext.Request request, ModelSpec model, boolean batched) {
    return pricing.cost(promptTokens(request, model), 0, maxCompletionTokens(request), batched);
  }

  /**
   * The dry run's estimate for {@code pending} (the items the store does not answer, one per
   * request hash) of {@code job}'s plan, with expected completion tokens from the finished runs
   * under {@code runsDir}.
   */
  static Estimate of(Job job, Dataset<Row> pending, Dataset<Row> answered, Path runsDir) {
    Plan plan = job.plan();
    // Summed on the executors: per (model, cell's benchmark and setting) the items to send,
    // their requests, prompt tokens and most completion tokens.
    JavaPairRDD<String, long[]> sums =
        pending
            .select("item")
            .javaRDD()
            .mapPartitionsToPair(
                rows -> {
                  WorkerContext context = WorkerContext.of(job);
                  List<Tuple2<String, long[]>> out = new ArrayList<>();
                  while (rows.hasNext()) {
                    WorkerContext.Request request = context.request(rows.next().getLong(0));
                    ModelSpec model = context.model(request.modelIndex());
                    out.add(
                        new Tuple2<>(
                            request.modelIndex()
                                + "\u0000"
                                + request.cell().benchmark()
                                + "\u0000"
                                + request.cell().setting()
                                + "\u0000"
                                + request.settingHash(),
                            new long[] {
                              1,
                              requests(request, model),
                              promptTokens(request, model),
                              maxCompletionTokens(request)
                            }));
                  }
                  return out.iterator();
                })
            .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
    Map<String, long[]> toSend = new HashMap<>(sums.collectAsMap());
    // Every planned row, sent or not, in plan order.
    Map<String, long[]> planned = new LinkedHashMap<>();
    Map<String, String> hashes = new HashMap<>();
    WorkerContext context = WorkerContext.of(job);
    for (int m = 0; m < plan.models().size(); m++) {
      for (int c = 0; c < plan.cells().size(); c++) {
        if (!plan.answers(m, c)) {
          continue;
        }
        Plan.Cell cell = plan.cells().get(c);
        String row = m + "\u0000" + cell.benchmark() + "\u0000" + cell.setting();
        planned.computeIfAbsent(row, k -> new long[1])[0] += cell.examples();
      }
    }
    Map<String, long[]> byRow = new HashMap<>();
    for (Map.Entry<String, long[]> entry : toSend.entrySet()) {
      String[] parts = entry.getKey().split("\u0000");
      String row = parts[0] + "\u0000" + parts[1] + "\u0000" + parts[2];
      hashes.put(row, parts[3]);
      long[] total = byRow.computeIfAbsent(row, k -> new long[4]);
      for (int i = 0; i < 4; i++) {
        total[i] += entry.getValue()[i];
      }
    }
    Map<String, Double> means = previousMeans(runsDir);
    means.putAll(storedMeans(job, answered));
    List<Estimate.Row> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : planned.entrySet()) {
      String[] parts = entry.getKey().split("\u0000");
      int m = Integer.parseInt(parts[0]);
      ModelSpec model = context.model(m);
      long[] sent = byRow.getOrDefault(entry.getKey(), new long[4]);
      String hash = hashes.get(entry.getKey());
      Double mean =
          hash == null
              ? null
              : Optional.ofNullable(means.get(model.name() + "\u0000" + parts[1] + "\u0000" + hash))
                  .orElse(means.get(model.name() + "\u0000" + parts[1] + "\u0000" + parts[2]));
      OptionalLong expected =
          mean == null
              ? OptionalLong.empty()
              : OptionalLong.of(Math.min(sent[3], Math.round(mean * sent[0])));
      boolean batched = model.batch().isPresent();
      Optional<BigDecimal> low =
          model
              .pricing()
              .map(p -> p.cost(sent[2], 0, expected.orElse(0), batched).stripTrailingZeros());
      Optional<BigDecimal> high =
          model.pricing().map(p -> p.cost(sent[2], 0, sent[3], batched).stripTrailingZeros());
      rows.add(
          new Estimate.Row(
              model.name(),
              parts[1],
              parts[2],
              batched,
              entry.getValue()[0],
              sent[0],
              sent[1],
              sent[2],
              sent[3],
              expected,
              low,
              high));
    }
    return new Estimate(rows);
  }

  /**
   * The mean completion tokens per item of each (model, benchmark, setting hash) among the plan's
   * items the result store answers ({@code answered}: item, stored line): what earlier runs of the
   * same cells got back.
   */
  static Map<String, Double> storedMeans(Job job, Dataset<Row> answered) {
    Map<String, long[]> sums =
        answered
            .javaRDD()
            .mapPartitionsToPair(
                rows -> {
                  WorkerContext context = WorkerContext.of(job);
                  List<Tuple2<String, long[]>> out = new ArrayList<>();
                  while (rows.hasNext()) {
                    Row row = rows.next();
                    Optional<ResultStore.Stored> stored = ResultStore.decode(row.getString(1));
                    if (stored.isEmpty()
                        || !(stored.get().result()
                            instanceof io.leadline.api.ModelResult.Completed done)) {
                      continue;
                    }
                    WorkerContext.Request request = context.request(row.getLong(0));
                    out.add(
                        new Tuple2<>(
                            context.model(request.modelIndex()).name()
                                + "\u0000"
                                + request.cell().benchmark()
                                + "\u0000"
                                + request.settingHash(),
                            new long[] {1, done.completion().usage().completionTokens()}));
                  }
                  return out.iterator();
                })
            .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]})
            .collectAsMap();
    Map<String, Double> means = new HashMap<>();
    sums.forEach((key, sum) -> means.put(key, (double) sum[1] / sum[0]));
    return means;
  }

  /**
   * The mean completion tokens per answered item of each (model, benchmark, setting hash) and
   * (model, benchmark, setting name) in the finished runs under {@code runsDir}, the newest run's
   * where several have it.
   */
  static Map<String, Double> previousMeans(Path runsDir) {
    Map<String, Double> means = new HashMap<>();
    if (!Files.isDirectory(runsDir)) {
      return means;
    }
    List<RunManifest> manifests = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsDir)) {
      dirs.filter(Files::isDirectory)
          .map(RunFolders::manifestIfAny)
          .flatMap(Optional::stream)
          .forEach(manifests::add);
    } catch (IOException e) {
      return means;
    }
    manifests.sort(Comparator.comparing(RunManifest::created).reversed());
    for (RunManifest manifest : manifests) {
      for (RunManifest.Cost cost : manifest.costs()) {
        OptionalDouble mean = cost.meanCompletionTokens();
        if (mean.isPresent()) {
          String key = cost.model() + "\u0000" + cost.benchmark() + "\u0000";
          means.putIfAbsent(key + cost.settingHash(), mean.getAsDouble());
          means.putIfAbsent(key + cost.setting(), mean.getAsDouble());
        }
      }
    }
    return means;
  }
}
