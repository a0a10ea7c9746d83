package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class RunManifestTest {
  @Test
  public void committedManifestReadsAndWritesBackByteForByte() {
    String fixture = RecordFixtures.resource("manifest.json");
    assertEquals(RunFolders.parseManifest(fixture, "manifest.json").toJson(), fixture);
  }

  @Test
  public void recordRoundTripsThroughJson() {
    RunManifest manifest = RecordFixtures.manifest();
    assertEquals(RunFolders.parseManifest(manifest.toJson(), "manifest.json"), manifest);
  }

  @Test
  public void everyNestedRecordRoundTripsThroughJson() {
    RunManifest manifest = RecordFixtures.manifest();
    List<Object> parts =
        List.of(
            manifest.leadline(),
            manifest.command(),
            manifest.models().get(0),
            manifest.models().get(2),
            manifest.benchmarks().get(0),
            manifest.benchmarks().get(0).subsets().get(0),
            manifest.settings().get(0),
            manifest.settings().get(0).benchmarks().get(0),
            manifest.seeds(),
            manifest.sandbox(),
            manifest.counts(),
            manifest.usage().get(2),
            manifest.usage().get(2).thisRun(),
            manifest.spark());
    for (Object part : parts) {
      assertEquals(
          RecordJson.read(RecordJson.write(part), part.getClass(), "part"),
          part,
          part.getClass().getSimpleName());
    }
  }

  @Test
  public void holdsWhatTheReportsRead() {
    RunManifest manifest = RecordFixtures.manifest();
    assertEquals(manifest.schemaVersion(), RunManifest.SCHEMA_VERSION);
    assertEquals(manifest.modelNames(), List.of("sim-v1", "sim-v2", "local-llama"));
    assertEquals(manifest.benchmark("mmlu").orElseThrow().category(), "Knowledge");
    assertEquals(manifest.benchmark("humaneval").orElseThrow().category(), "Coding");
    assertEquals(
        manifest.setting("gpt-fathom", "gsm8k").orElseThrow().primaryMetric(),
        "gsm8k/gpt-fathom-accuracy");
    RunManifest.Model real = manifest.model("local-llama").orElseThrow();
    assertFalse(real.simulated());
    assertEquals(real.profile(), Optional.empty());
    assertEquals(manifest.usage().get(2).costUsd(), Optional.of("0.01234500"));
    assertEquals(manifest.command().limit(), Optional.of(20));
    assertEquals(manifest.command().concurrency(), Optional.empty());
    assertEquals(manifest.benchmark("gsm8k").orElseThrow().pinnedRevision().isPresent(), true);
  }

  @Test
  public void absentProfileIsLeftOutAndNullsAreWritten() {
    String json = RecordFixtures.manifest().toJson();
    String real = json.substring(json.indexOf("\"name\" : \"local-llama\""));
    real = real.substring(0, real.indexOf('}'));
    assertFalse(real.contains("profile"), real);
    assertTrue(json.contains("\"concurrency\" : null"), json);
  }

  @Test
  public void releaseDateSizeAndFamilyRoundTripAndAreLeftOutWhenAbsent() {
    RunManifest.Model model =
        new RunManifest.Model(
            "m",
            "sim",
            "m",
            "chat",
            "h",
            true,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            java.util.Map.of(),
            java.util.List.of(),
            Optional.of("2023-06-13"),
            Optional.of(7_000_000_000L),
            Optional.of("sim-size"),
            java.util.List.of(),
            java.util.Optional.empty());
    String json = RecordJson.write(model);
    assertTrue(json.contains("\"released\" : \"2023-06-13\""), json);
    assertTrue(json.contains("\"params\" : 7000000000"), json);
    assertEquals(RecordJson.read(json, RunManifest.Model.class, "model"), model);
    String without = RecordJson.write(RecordFixtures.manifest().models().get(0));
    assertFalse(without.contains("released") || without.contains("params"), without);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RunManifest.Model(
                "m",
                "sim",
                "m",
                "chat",
                "h",
                true,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                java.util.Map.of(),
                java.util.List.of(),
                Optional.of("13 June 2023"),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                java.util.Optional.empty()));
  }

  @Test
  public void canonicalFormIsKeptSortedAndHashable() {
    RunManifest.SettingBenchmark entry =
        RecordFixtures.manifest().settings().get(0).benchmarks().get(0);
    assertTrue(entry.canonical().startsWith("{\"benchmark\":"), entry.canonical());
    // The setting hash is the sha256 of the canonical form (benchmarks' BenchmarkSetting.hash).
    assertEquals(Hashes.sha256(entry.canonical()), entry.hash());
  }

  @Test
  public void refusesInconsistentManifests() {
    RunManifest manifest = RecordFixtures.manifest();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RunManifest(
                manifest.schemaVersion(),
                manifest.leadline(),
                manifest.runId(),
                manifest.created(),
                manifest.planHash(),
                manifest.command(),
                manifest.models(),
                manifest.benchmarks(),
                manifest.settings(),
                manifest.seeds(),
                manifest.sandbox(),
                manifest.counts(),
                manifest.usage().subList(0, 1),
                manifest.spark(),
                List.of(),
                List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RunManifest.Model(
                "m", "sim", "m", "chat", "h", true, Optional.of("p"), Optional.empty(), List.of()));
  }

  @Test
  public void aRenamedKeyIsOneLineNamingTheFileAndField() {
    String renamed =
        RecordFixtures.resource("manifest.json").replace("\"category\" :", "\"capability\" :");
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () -> RunFolders.parseManifest(renamed, "RUN: r/manifest.json"));
    assertEquals(e.getMessage(), "RUN: r/manifest.json: benchmarks[0].category: missing");
  }
}
