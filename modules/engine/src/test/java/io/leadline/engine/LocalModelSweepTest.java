package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A sweep of the committed stories260K model run in-process ({@code llama-cpp}) with a context of
 * 64 tokens: the story beginnings that fit are continued, the others are recorded out of context
 * and, on a rerun, answered from the store rather than tried again; the manifest has the file's
 * facts.
 */
public class LocalModelSweepTest {
  private Path dir;
  private SparkSession spark;
  private RunFolders.Run first;
  private RunFolders.Run second;

  @BeforeClass
  public void sweep() throws Exception {
    spark = SweepFixture.spark();
    dir = Files.createTempDirectory("local-model");
    Files.createDirectories(dir.resolve("models"));
    Path models = dir.resolve("models/models.yaml");
    Files.copy(
        SweepFixture.ROOT.resolve("models/stories260K/stories260K.gguf"),
        dir.resolve("models/tiny.gguf"));
    // model_file is relative to the models file's folder.
    String yaml =
        "models:\n"
            + "  - {name: tiny, provider: llama-cpp, model_file: tiny.gguf, context_size: 64,"
            + " threads: 1}\n"
            + "  - {name: sim-judge-a, provider: sim, profile: sim-judge-a}\n"
            + "  - {name: sim-judge-b, provider: sim, profile: sim-judge-b}\n";
    Files.writeString(models, yaml);
    Path home = dir.resolve("home");
    for (String run : List.of("first", "second")) {
      Sweep.run(
          SweepFixture.spec(
              home, dir.resolve(run), models.toString(), yaml, List.of("tinystories"), 8),
          new SweepListener() {});
    }
    first = RunFolders.read(dir.resolve("first").toString(), "RUN");
    second = RunFolders.read(dir.resolve("second").toString(), "RUN");
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    SweepFixture.deleteRecursively(dir);
  }

  @Test
  public void promptsThatFitAreContinuedAndTheOthersAreOutOfContext() {
    List<SampleRow> rows = first.samples().stream().filter(s -> s.model().equals("tiny")).toList();
    assertEquals(rows.size(), 8);
    List<SampleRow> tooLong =
        rows.stream()
            .filter(s -> s.error().map(e -> e.startsWith("out_of_context: ")).orElse(false))
            .toList();
    List<SampleRow> answered = rows.stream().filter(s -> s.error().isEmpty()).toList();
    assertEquals(tooLong.size() + answered.size(), 8, rows.toString());
    assertFalse(tooLong.isEmpty(), "no beginning was longer than 64 tokens");
    assertFalse(answered.isEmpty(), "no beginning fitted 64 tokens");
    for (SampleRow row : tooLong) {
      assertTrue(
          row.error().orElseThrow().contains("its context of 64 tokens"), row.error().toString());
    }
    for (SampleRow row : answered) {
      // The rest of the context is all a story may use: each ends at the context's end.
      assertEquals(row.finishReason(), java.util.Optional.of("length"), row.toString());
      assertFalse(row.completion().orElseThrow().isEmpty());
    }
  }

  @Test
  public void aRerunAsksNothingAgain() {
    for (RunManifest.Usage usage : second.manifest().usage()) {
      assertEquals(usage.thisRun().httpRequests(), 0, usage.model());
      // Out-of-context items too are answered by the store: none is asked again.
      assertEquals(usage.thisRun().cachedItems(), usage.items(), usage.model());
      assertEquals(usage.thisRun().failedItems(), 0, usage.model());
    }
    assertEquals(
        second.samples().stream()
            .filter(s -> s.model().equals("tiny"))
            .map(SampleRow::error)
            .toList(),
        first.samples().stream()
            .filter(s -> s.model().equals("tiny"))
            .map(SampleRow::error)
            .toList());
  }

  @Test
  public void theManifestHasTheModelFilesFacts() {
    RunManifest.Model tiny =
        first.manifest().models().stream()
            .filter(m -> m.name().equals("tiny"))
            .findFirst()
            .orElseThrow();
    assertFalse(tiny.simulated());
    assertEquals(tiny.provider(), "llama-cpp");
    assertEquals(tiny.endpointHost(), "in-process (llama.cpp)");
    RunManifest.LocalModel local = tiny.localModel().orElseThrow();
    assertEquals(local.file(), "tiny.gguf");
    assertEquals(local.parameters(), 292_800);
    assertEquals(local.vocabulary(), 512);
    assertEquals(local.trainedContext(), 2048);
    assertEquals(local.contextSize(), 64);
    assertEquals(
        local.sha256(), "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");
    assertTrue(tiny.profile().isEmpty());
    assertEquals(
        tiny.reportedModels(),
        List.of(
            "tiny.gguf (llama, 292,800 parameters, vocabulary 512, trained context 2048, context"
                + " 64)"));
  }
}
