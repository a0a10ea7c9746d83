package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.models.sim.SimServer;
import io.leadline.records.RunFolders;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

public class SweepTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> ALL =
      List.of(
          "agieval",
          "arc-c",
          "arc-e",
          "mmlu",
          "nq",
          "triviaqa",
          "webqa",
          "bbh",
          "hellaswag",
          "lambada",
          "drop",
          "race-h",
          "race-m",
          "gsm8k",
          "math",
          "humaneval",
          "mbpp",
          "mgsm",
          "tydiqa",
          "truthfulqa",
          "tinystories");

  private SparkSession spark;
  private Path dir;

  @BeforeClass
  public void start() {
    spark = SweepFixture.spark();
    dir = SweepFixture.tempDir("sweep-test");
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    spark.stop();
    SweepFixture.deleteRecursively(dir);
  }

  @Test
  public void writesRunFolderAndRerunSendsNothingAndWritesIdenticalRecords() throws IOException {
    Path home = dir.resolve("home-rerun");
    SweepSpec first =
        SweepFixture.spec(
            home,
            dir.resolve("runs/first"),
            SweepSpec.SIMULATED_MODELS_FILE,
            SweepSpec.SIMULATED_MODELS,
            List.of(),
            3);
    SweepResult result = Sweep.run(first, new SweepListener() {});

    Path run = result.localRunDir();
    assertTrue(Files.isRegularFile(run.resolve("manifest.json")));
    assertTrue(Files.isRegularFile(run.resolve("samples.parquet")));
    assertTrue(Files.isRegularFile(run.resolve("metrics.json")));
    assertFalse(Files.exists(run.resolveSibling("first.partial")));
    assertEquals(result.failedItems(), 0);
    for (Progress.Model model : result.progress().models()) {
      assertEquals(model.cached(), 0, model.name());
      // NQ repeats a question (its rows 1 and 2): the second asks nothing and shares the answer.
      assertEquals(model.shared(), 1, model.name());
      assertEquals(model.done() + model.shared(), model.items(), model.name());
    }

    // Every benchmark has one primary overall row per model; MMLU and BBH also per subset.
    JsonNode metrics = MAPPER.readTree(run.resolve("metrics.json").toFile());
    for (String model : List.of("sim-v1", "sim-v2")) {
      for (String benchmark : ALL) {
        long primaryOverall = 0;
        for (JsonNode row : metrics) {
          if (row.get("model").asText().equals(model)
              && row.get("benchmark").asText().equals(benchmark)
              && row.get("subset").isNull()
              && row.get("primary").asBoolean()) {
            primaryOverall++;
            double value = row.get("value").asDouble();
            assertTrue(row.get("ci_low").asDouble() <= value, row.toString());
            assertTrue(value <= row.get("ci_high").asDouble(), row.toString());
            assertTrue(row.get("n").asLong() >= 1, row.toString());
          }
        }
        assertEquals(primaryOverall, 1, model + " " + benchmark);
      }
    }
    Set<String> mmluSubsets =
        stream(metrics)
            .filter(r -> r.get("benchmark").asText().equals("mmlu") && !r.get("subset").isNull())
            .map(r -> r.get("subset").asText())
            .collect(Collectors.toSet());
    assertEquals(mmluSubsets.size(), 8, mmluSubsets.toString());
    JsonNode mmluOverall =
        stream(metrics)
            .filter(
                r ->
                    r.get("model").asText().equals("sim-v1")
                        && r.get("benchmark").asText().equals("mmlu")
                        && r.get("subset").isNull())
            .findFirst()
            .orElseThrow();
    assertEquals(mmluOverall.get("n").asLong(), 8 * 3);
    double macro =
        stream(metrics)
                .filter(
                    r ->
                        r.get("model").asText().equals("sim-v1")
                            && r.get("benchmark").asText().equals("mmlu")
                            && !r.get("subset").isNull())
                .mapToDouble(r -> r.get("value").asDouble())
                .sum()
            / 8;
    assertEquals(mmluOverall.get("value").asDouble(), macro, 1e-12);

    // Samples: one row per (model, example, sample); HumanEval's 100 samples each.
    List<Row> counts =
        spark
            .read()
            .parquet(run.resolve("samples.parquet").toString())
            .groupBy("model", "benchmark")
            .count()
            .orderBy("model", "benchmark")
            .collectAsList();
    assertEquals(counts.size(), 2 * ALL.size());
    assertEquals(
        counts.stream()
            .filter(r -> r.getString(1).equals("humaneval"))
            .mapToLong(r -> r.getLong(2))
            .sum(),
        2 * 3 * 100);

    JsonNode manifest = MAPPER.readTree(run.resolve("manifest.json").toFile());
    assertEquals(manifest.get("schema_version").asInt(), 1);
    assertEquals(manifest.get("models").size(), 2);
    assertTrue(manifest.get("models").get(0).get("simulated").asBoolean());
    assertEquals(manifest.get("benchmarks").size(), ALL.size());
    assertEquals(manifest.get("sandbox").get("unsafe_no_sandbox").asBoolean(), false);
    assertEquals(manifest.get("settings").get(0).get("benchmarks").size(), ALL.size());

    // What Spark wrote reads back through records: the same metric rows, every sample, the
    // categories the leaderboard groups by.
    RunFolders.Run read = RunFolders.read(run.toString(), "RUN");
    assertEquals(read.metrics(), result.metrics());
    assertEquals(read.manifest().benchmark("humaneval").orElseThrow().category(), "Coding");
    assertEquals(
        read.samples().stream().filter(s -> s.benchmark().equals("humaneval")).count(),
        2L * 3 * 100);
    assertTrue(read.samples().stream().allMatch(s -> s.completion().isPresent()));

    SweepResult second =
        Sweep.run(
            SweepFixture.spec(
                home,
                dir.resolve("runs/second"),
                SweepSpec.SIMULATED_MODELS_FILE,
                SweepSpec.SIMULATED_MODELS,
                List.of(),
                3),
            new SweepListener() {});
    for (Progress.Model model : second.progress().models()) {
      assertEquals(model.cached(), model.items(), model.name());
      assertEquals(model.requests(), 0, model.name());
      assertEquals(model.done(), 0, model.name());
    }
    assertEquals(
        Files.readAllBytes(second.localRunDir().resolve("metrics.json")),
        Files.readAllBytes(run.resolve("metrics.json")));
    assertEquals(
        Files.readAllBytes(second.localRunDir().resolve("samples.parquet")),
        Files.readAllBytes(run.resolve("samples.parquet")));
  }

  @Test
  public void storeAndRunFolderTakeHadoopUris() throws IOException {
    String store = dir.resolve("uri-store").toUri().toString();
    List<SweepResult> runs = new java.util.ArrayList<>();
    for (String name : List.of("uri-first", "uri-second")) {
      SweepSpec base =
          SweepFixture.spec(
              dir.resolve("home-uri"),
              dir.resolve("runs").resolve(name),
              SweepSpec.SIMULATED_MODELS_FILE,
              SweepSpec.SIMULATED_MODELS,
              List.of("gsm8k", "triviaqa"),
              2);
      runs.add(
          Sweep.run(
              base.toBuilder()
                  .store(Optional.of(store))
                  .out(Optional.of(dir.resolve("runs").resolve(name).toUri().toString()))
                  .build(),
              new SweepListener() {}));
    }
    assertEquals(runs.get(0).runDir(), dir.resolve("runs/uri-first").toString());
    assertTrue(Files.isDirectory(dir.resolve("uri-store")), "the store is where --store says");
    assertFalse(Files.exists(dir.resolve("home-uri/results")), "and nowhere else");
    assertTrue(runs.get(1).progress().models().stream().allMatch(m -> m.requests() == 0));
    assertEquals(
        Files.readAllBytes(runs.get(1).localRunDir().resolve("metrics.json")),
        Files.readAllBytes(runs.get(0).localRunDir().resolve("metrics.json")));
  }

  /**
   * A model's items are leased ahead of its free sending threads, but at most {@link
   * Requester#AHEAD} times its concurrency per task (two run at once here), and its requests go out
   * at its concurrency, never above it.
   */
  @Test
  public void aModelsItemsAreLeasedAheadOfItsRequestsButBoundedly() throws Exception {
    int concurrency = 2;
    try (SimServer slow =
        SweepFixture.simServer("sim-v1", Duration.ofMillis(250), Optional.empty())) {
      Path home = dir.resolve("home-ahead");
      Path leases = home.resolve("results").resolve(Leases.FOLDER);
      java.util.concurrent.atomic.AtomicInteger most =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean running =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread counter =
          new Thread(
              () -> {
                while (running.get()) {
                  try (var files = Files.list(leases)) {
                    most.accumulateAndGet((int) files.count(), Math::max);
                  } catch (IOException e) {
                    // Not made yet.
                  }
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      counter.start();
      try {
        SweepResult result =
            Sweep.run(
                SweepFixture.spec(
                    home,
                    dir.resolve("runs/ahead"),
                    "models.yaml",
                    "models:\n" + SweepFixture.entry("slow", slow, concurrency),
                    List.of("gsm8k", "triviaqa"),
                    20),
                new SweepListener() {});
        Progress.Model model = result.progress().models().get(0);
        assertEquals(model.done(), model.items());
        assertTrue(model.items() > 2 * Requester.AHEAD * concurrency, "items " + model.items());
      } finally {
        running.set(false);
        counter.join();
      }
      assertEquals(slow.maxInFlight(), concurrency);
      // Two tasks' sending threads hold two leases each; ahead of them, more are held.
      assertTrue(most.get() > 2 * concurrency, "leased ahead: at most " + most.get() + " at once");
      assertTrue(
          most.get() <= 2 * Requester.AHEAD * concurrency,
          "leased boundedly: " + most.get() + " at once");
    }
  }

  @Test
  public void modelThatRefusesFailsItsItemsWithoutStallingTheOther() throws IOException {
    try (SimServer locked =
            SweepFixture.simServer("sim-v1", Duration.ZERO, Optional.of("right-key"));
        SimServer open = SweepFixture.simServer("sim-v2", Duration.ofMillis(2), Optional.empty())) {
      String yaml =
          "models:\n"
              + SweepFixture.entry("locked", locked, 4)
              + SweepFixture.entry("open", open, 4);
      SweepResult result =
          Sweep.run(
              SweepFixture.spec(
                  dir.resolve("home-refused"),
                  dir.resolve("runs/refused"),
                  "models.yaml",
                  yaml,
                  List.of("gsm8k", "triviaqa"),
                  4),
              new SweepListener() {});
      Progress.Model refused = result.progress().models().get(0);
      Progress.Model answered = result.progress().models().get(1);
      assertEquals(refused.failed(), refused.items());
      // Once refused, the model is not asked again: far fewer requests than items.
      assertTrue(refused.requests() <= 4, "requests " + refused.requests());
      assertEquals(answered.done(), answered.items());
      assertEquals(result.failedItems(), refused.items());
      // The refused model's cells keep their rows, unscored (n 0, no value), never a 0 score.
      assertTrue(
          result.metrics().stream()
              .allMatch(
                  m -> m.model().equals("open") ? m.scored() : !m.scored() && m.value() == null),
          result.metrics().toString());
      assertTrue(result.metrics().stream().anyMatch(m -> m.model().equals("locked")));
      long failedSamples =
          spark
              .read()
              .parquet(result.localRunDir().resolve("samples.parquet").toString())
              .filter("model = 'locked' AND error LIKE 'model_unavailable: %'")
              .count();
      assertEquals(failedSamples, refused.items());
    }
  }

  @Test
  public void badInputIsOneLineBeforeAnythingRuns() throws IOException {
    Path home = dir.resolve("home-bad");
    Path out = dir.resolve("runs/bad");
    LeadlineException unknownBenchmark =
        expectThrows(
            LeadlineException.class,
            () ->
                Sweep.run(
                    SweepFixture.spec(
                        home,
                        out,
                        SweepSpec.SIMULATED_MODELS_FILE,
                        SweepSpec.SIMULATED_MODELS,
                        List.of("gsm8k", "mmmu"),
                        1),
                    new SweepListener() {}));
    assertEquals(unknownBenchmark.kind(), ErrorKind.USER_INPUT);
    assertTrue(
        unknownBenchmark.getMessage().startsWith("unknown benchmark 'mmmu' (did you mean mmlu?)"),
        unknownBenchmark.getMessage());

    SweepSpec base =
        SweepFixture.spec(
            home, out, SweepSpec.SIMULATED_MODELS_FILE, SweepSpec.SIMULATED_MODELS, List.of(), 1);
    LeadlineException unknownSetting =
        expectThrows(
            LeadlineException.class,
            () ->
                Sweep.run(
                    base.toBuilder().settings(List.of("gpt-fathom", "gpt-fantom")).build(),
                    new SweepListener() {}));
    assertTrue(unknownSetting.getMessage().contains("gpt-fantom"), unknownSetting.getMessage());

    LeadlineException badModels =
        expectThrows(
            LeadlineException.class,
            () ->
                Sweep.run(
                    SweepFixture.spec(
                        home,
                        out,
                        "models.yaml",
                        "models:\n  - {name: a, provider: openai-compatible, model: m}\n",
                        List.of(),
                        1),
                    new SweepListener() {}));
    assertTrue(badModels.getMessage().startsWith("models.yaml"), badModels.getMessage());
    assertTrue(badModels.getMessage().contains("base_url"), badModels.getMessage());

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LeadlineException unreachable =
        expectThrows(
            LeadlineException.class,
            () ->
                Sweep.run(
                    SweepFixture.spec(
                        home,
                        out,
                        "models.yaml",
                        "models:\n  - {name: down, provider: openai-compatible, base_url: "
                            + "'http://127.0.0.1:"
                            + closedPort
                            + "/v1', model: m}\n",
                        List.of(),
                        1),
                    new SweepListener() {}));
    assertEquals(unreachable.kind(), ErrorKind.USER_INPUT);
    assertTrue(
        unreachable.getMessage().startsWith("model down: cannot reach 127.0.0.1:" + closedPort),
        unreachable.getMessage());

    // A bundled file in a schema its benchmark does not map is named with both files.
    Path benchmarks = dir.resolve("benchmarks-bad-schema");
    try (var files = Files.walk(base.benchmarksDir())) {
      for (Path file : files.toList()) {
        Path copy = benchmarks.resolve(base.benchmarksDir().relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    Path manifest = benchmarks.resolve("nq/data/samples.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("\"schema\": \"gpt-fathom\"", "\"schema\": \"gpt-fathum\""));
    LeadlineException undeclared =
        expectThrows(
            LeadlineException.class,
            () ->
                Sweep.run(
                    base.toBuilder().benchmarksDir(benchmarks).benchmarks(List.of("nq")).build(),
                    new SweepListener() {}));
    assertEquals(
        undeclared.getMessage(),
        manifest
            + ": gpt-fathom/samples.first200.jsonl is in schema 'gpt-fathum', which "
            + benchmarks.resolve("nq/benchmark.yaml")
            + " does not map under schemas: (it maps: gpt-fathom, gpt-fathom-fewshot)");

    assertFalse(Files.exists(out), "no run folder");
    assertFalse(Files.exists(out.resolveSibling("bad.partial")), "no partial run folder");
    assertFalse(Files.exists(home.resolve("results")), "nothing stored");
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }
}
