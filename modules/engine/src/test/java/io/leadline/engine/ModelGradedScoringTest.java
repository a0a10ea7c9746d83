package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.models.sim.SimServer;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A scorer that asks a model (here a simulated judge answering yes or no) goes through the same
 * path as the model under test: its requests are keyed, stored and answered from the store, so a
 * rerun or a rescore of a finished run asks neither model again.
 */
public class ModelGradedScoringTest {
  private static final int ITEMS = 20;

  private SparkSession spark;
  private Path dir;
  private Path benchmarks;
  private SimServer model;
  private SimServer judge;

  @BeforeClass
  public void start() throws IOException {
    spark = SweepFixture.spark();
    dir = SweepFixture.tempDir("model-graded");
    benchmarks = dir.resolve("benchmarks");
    copy(SweepFixture.ROOT.resolve("benchmarks"), benchmarks);
    Path webqa = benchmarks.resolve("webqa/benchmark.yaml");
    Files.writeString(webqa, Files.readString(webqa) + "  - {name: judged/yes-no, judge: judge}\n");
    model = SweepFixture.simServer("sim-v1", Duration.ZERO, Optional.empty());
    judge = SweepFixture.simServer("sim-v2", Duration.ZERO, Optional.empty());
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    model.close();
    judge.close();
    spark.stop();
    SweepFixture.deleteRecursively(dir);
  }

  @Test
  public void theJudgesAnswersAreStoredAndARerunAsksNoModel() throws IOException {
    String models =
        "models:\n" + SweepFixture.entry("model", model, 4) + SweepFixture.entry("judge", judge, 4);
    Path home = dir.resolve("home");
    SweepSpec first = spec(home, dir.resolve("runs/first"), models);
    Sweep.run(first, new SweepListener() {});
    assertEquals(model.requests(), ITEMS);
    assertEquals(judge.requests(), ITEMS, "one judge request per sample");

    List<SampleRow> samples =
        RunFolders.read(dir.resolve("runs/first").toString(), "RUN").samples();
    assertEquals(samples.size(), ITEMS);
    int yes = 0;
    for (SampleRow sample : samples) {
      double judged = sample.scores().get("judged/yes-no");
      // The simulated judge is right: it agrees with the exact match on every sample.
      assertEquals(judged, sample.scores().get("triviaqa/official-em"), sample.exampleId());
      assertEquals(sample.problemScores().get("judged/yes-no"), judged);
      assertTrue(
          sample.explanation().orElseThrow().contains("judge judge was asked"),
          sample.explanation().toString());
      yes += judged == 1 ? 1 : 0;
    }
    assertTrue(yes > 0 && yes < ITEMS, "the judge said yes " + yes + " times");

    // Rescoring the finished run from the store: neither model is asked again.
    SweepSpec rerun = spec(home, dir.resolve("runs/rerun"), models);
    Sweep.run(rerun, new SweepListener() {});
    assertEquals(model.requests(), ITEMS);
    assertEquals(judge.requests(), ITEMS);
    assertEquals(
        Files.readString(dir.resolve("runs/rerun/metrics.json")),
        Files.readString(dir.resolve("runs/first/metrics.json")));
    assertTrue(
        Files.readString(dir.resolve("runs/rerun/metrics.json")).contains("\"judged/yes-no\""));
  }

  @Test
  public void aJudgeThatIsNotInTheModelsFileIsOneLineBeforeAnythingRuns() {
    String models = "models:\n" + SweepFixture.entry("model", model, 4);
    io.leadline.api.LeadlineException e =
        org.testng.Assert.expectThrows(
            io.leadline.api.LeadlineException.class,
            () ->
                Sweep.run(
                    spec(dir.resolve("home-missing"), dir.resolve("runs/missing"), models),
                    new SweepListener() {}));
    assertTrue(e.getMessage().startsWith("unknown model 'judge'"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("runs/missing")));
  }

  private SweepSpec spec(Path home, Path out, String models) {
    return SweepFixture.spec(home, out, "models.yaml", models, List.of("webqa"), ITEMS).toBuilder()
        .benchmarksDir(benchmarks)
        .models(List.of("model"))
        .build();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
