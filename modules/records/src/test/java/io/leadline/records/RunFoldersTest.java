package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class RunFoldersTest {
  private Path dir;

  @BeforeMethod
  public void folder() throws IOException {
    dir = Files.createTempDirectory("run-folders");
  }

  @AfterMethod(alwaysRun = true)
  public void clean() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static List<SampleRow> samples() {
    SampleRow answered =
        RecordFixtures.sample(
            "sim-v1", "mmlu", Optional.of("anatomy"), "gpt-fathom", Optional.empty(), 0, "x", 1.0);
    SampleRow failed =
        new SampleRow(
            "sim-v1",
            "gsm8k",
            Optional.empty(),
            "gpt-fathom",
            "2".repeat(64),
            Optional.of("format:blank-lines"),
            "gsm8k-1",
            1,
            0,
            "3".repeat(64),
            "prompt",
            "42",
            8,
            Optional.empty(),
            Optional.empty(),
            Optional.of("no number"),
            Optional.of("the model gave no number"),
            Map.of(),
            Map.of(),
            Optional.of(true),
            Optional.of("passed"),
            Optional.empty(),
            Optional.empty(),
            Optional.of("gave_up: timeout"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(8),
            Optional.empty(),
            List.of(),
            List.of());
    return List.of(answered, failed);
  }

  @Test
  public void readsBackWhatWasWritten() {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    RunFolders.Run read = RunFolders.read(run.toString(), "RUN");
    assertEquals(read.location(), run.toString());
    assertEquals(read.manifest(), RecordFixtures.manifest());
    assertEquals(read.metrics(), RecordFixtures.metrics());
    assertEquals(read.samples(), samples());
    assertEquals(read.samples().get(1).explanation(), Optional.of("the model gave no number"));
  }

  /** A run folder {@code name} whose samples file has the explanation or not, and {@code extra}. */
  private Path runWithSamples(String name, boolean withExplanation, String extra)
      throws IOException {
    Path run = dir.resolve(name);
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    Files.delete(run.resolve(RunFolders.SAMPLES));
    RecordFixtures.writeSamples(run.resolve(RunFolders.SAMPLES), samples(), withExplanation, extra);
    return run;
  }

  @Test
  public void samplesOfOlderRunsHaveNoExplanation() throws IOException {
    Path run = runWithSamples("older", false, "");
    RunFolders.Run read = RunFolders.read(run.toString(), "RUN");
    assertEquals(read.samples().get(1).explanation(), Optional.empty());
    assertEquals(read.samples().get(1).noAnswerReason(), Optional.of("no number"));
  }

  /** A column this version does not know (a nested one, say of a newer run) is not read. */
  @Test
  public void aWholeRowLeavesUnknownColumnsUnread() throws IOException {
    Path run =
        runWithSamples(
            "newer",
            true,
            "  optional group future (LIST) { repeated group list { optional group element {"
                + " optional binary what (STRING); optional int32 n; } } }\n");
    RunFolders.Run read = RunFolders.read(run.toString(), "RUN");
    assertEquals(read.samples(), samples());
    assertEquals(RunFolders.sampleAt(run.toString(), "RUN", 1), Optional.of(samples().get(1)));
  }

  @Test
  public void aFolderThatIsNotARunIsOneLine() {
    LeadlineException e =
        expectThrows(
            LeadlineException.class, () -> RunFolders.read(dir.resolve("x").toString(), "RUN_B"));
    assertEquals(e.kind(), ErrorKind.USER_INPUT);
    assertEquals(
        e.getMessage(),
        "RUN_B: "
            + dir.resolve("x")
            + " is not a run folder (expected manifest.json, metrics.json and samples.parquet in"
            + " it)");
  }

  @Test
  public void aMissingFileIsNamed() throws IOException {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    Files.delete(run.resolve(RunFolders.METRICS));
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.read(run.toString(), "RUN"));
    assertEquals(e.getMessage(), "RUN: " + run + " is not a run folder: metrics.json is missing");
  }

  @Test
  public void aNewerSchemaVersionIsRefused() throws IOException {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    Path manifest = run.resolve(RunFolders.MANIFEST);
    Files.writeString(
        manifest,
        Files.readString(manifest).replace("\"schema_version\" : 1,", "\"schema_version\" : 2,"));
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.read(run.toString(), "RUN"));
    assertEquals(e.kind(), ErrorKind.USER_INPUT);
    assertEquals(
        e.getMessage(),
        "RUN: "
            + run
            + "/manifest.json: schema_version 2 is newer than this Leadline reads (up to 1); read"
            + " it with a newer Leadline");
  }

  @Test
  public void aMalformedFieldNamesTheFileAndField() throws IOException {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    Path manifest = run.resolve(RunFolders.MANIFEST);
    String text = Files.readString(manifest);
    for (String[] edit :
        new String[][] {
          {"\"category\" : \"Math\",\n", "", "benchmarks[1].category: missing"},
          {
            "\"category\" : \"Math\"",
            "\"category\" : null",
            "benchmarks[1].category: null where a value is needed"
          },
          {"\"category\" : \"Math\"", "\"category\" : \"\"", "benchmarks[1]: category is empty"},
          {
            "\"simulated\" : false",
            "\"simulated\" : \"no\"",
            "models[2].simulated: expected true or false, got \"no\""
          },
          {
            "\"executors\" : 2",
            "\"executors\" : 2.5",
            "spark.executors: expected a whole number, got 2.5"
          },
          {
            "\"created\" : \"2026",
            "\"created\" : \"yesterday",
            "created: expected an ISO-8601 instant, got \"yesterday-12-01T21:59:37.952037986Z\""
          },
          {
            "\"split\" : \"test\",",
            "\"split\" : \"test\", \"capability\" : \"Knowledge\",",
            "benchmarks[0].capability: unknown field"
          },
          {
            "\"schema_version\" : 1,",
            "",
            "schema_version: missing, or not a whole number (is this a Leadline run?)"
          },
        }) {
      assertTrue(text.contains(edit[0]), edit[0]);
      Files.writeString(
          manifest, text.replaceFirst(java.util.regex.Pattern.quote(edit[0]), edit[1]));
      LeadlineException e =
          expectThrows(LeadlineException.class, () -> RunFolders.read(run.toString(), "RUN"));
      assertEquals(e.getMessage(), "RUN: " + run + "/manifest.json: " + edit[2]);
      assertEquals(e.getMessage().lines().count(), 1L);
    }
  }

  @Test
  public void invalidJsonNamesTheFileAndLine() throws IOException {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    Files.writeString(run.resolve(RunFolders.METRICS), "[\n  {\"model\" : }\n]\n");
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.read(run.toString(), "RUN"));
    assertTrue(
        e.getMessage().startsWith("RUN: " + run + "/metrics.json: not valid JSON (line 2, column"),
        e.getMessage());
    assertEquals(e.getMessage().lines().count(), 1L);
  }

  @Test
  public void aSampleWithoutARequiredColumnNamesTheRowAndColumn() throws IOException {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    Path samples = run.resolve(RunFolders.SAMPLES);
    Files.delete(samples);
    // An answered row whose completion is there but whose request hash is empty is fine; a null
    // example id is not.
    org.apache.parquet.schema.MessageType schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message spark_schema { required binary model (STRING); }");
    try (var writer =
        org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(samples.toUri()))
            .withType(schema)
            .withConf(new org.apache.hadoop.conf.Configuration())
            .build()) {
      writer.write(
          new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema)
              .newGroup()
              .append("model", "m"));
    }
    // The samples are read when asked for, whole or by column.
    RunFolders.Run read = RunFolders.read(run.toString(), "RUN");
    LeadlineException e = expectThrows(LeadlineException.class, read::samples);
    assertEquals(
        e.getMessage(), "RUN: " + run + "/samples.parquet: row 0: column benchmark: missing");
    e =
        expectThrows(
            LeadlineException.class,
            () ->
                read.forEachSample(
                    java.util.Set.of(SampleColumns.MODEL, SampleColumns.BENCHMARK), s -> {}));
    assertEquals(
        e.getMessage(), "RUN: " + run + "/samples.parquet: row 0: column benchmark: missing");
    List<String> models = new java.util.ArrayList<>();
    read.forEachSample(java.util.Set.of(SampleColumns.MODEL), s -> models.add(s.model()));
    assertEquals(models, List.of("m"), "a read of the columns it has is fine");
  }

  @Test
  public void aReadOfSomeColumnsGivesThoseAndLeavesTheOthersEmpty() {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    java.util.Set<String> columns =
        java.util.Set.of(
            SampleColumns.MODEL,
            SampleColumns.EXAMPLE_ID,
            SampleColumns.SAMPLE_INDEX,
            SampleColumns.ERROR,
            SampleColumns.PROBLEM_SCORES,
            SampleColumns.PROMPT,
            SampleColumns.REQUEST_LATENCY_MS,
            SampleColumns.PASSED);
    // By column (no list among them) and by record (with the judges' replies): the same rows.
    for (java.util.Set<String> read :
        List.of(
            columns,
            com.google.common.collect.Sets.union(
                columns, java.util.Set.of(SampleColumns.JUDGEMENTS)))) {
      List<SampleRow> rows = new java.util.ArrayList<>();
      RunFolders.read(run.toString(), "RUN").forEachSample(read, rows::add);
      assertEquals(rows.size(), samples().size());
      for (int i = 0; i < rows.size(); i++) {
        SampleRow whole = samples().get(i);
        SampleRow some = rows.get(i);
        assertEquals(some.model(), whole.model());
        assertEquals(some.exampleId(), whole.exampleId());
        assertEquals(some.sampleIndex(), whole.sampleIndex());
        assertEquals(some.error(), whole.error());
        assertEquals(some.problemScores(), whole.problemScores());
        assertEquals(some.prompt(), whole.prompt());
        assertEquals(some.latencyMs(), whole.latencyMs());
        assertEquals(some.passed(), whole.passed());
        // Not read: empty.
        assertEquals(some.benchmark(), "");
        assertEquals(some.exampleIndex(), 0);
        assertEquals(some.completion(), Optional.empty());
        assertEquals(some.scores(), java.util.Map.of());
        assertEquals(some.gold(), "");
      }
    }
  }

  @Test
  public void onlyTheRowsKeptAreMadeAndTheKeyHasOnlyTheColumnsRead() {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    List<String> asked = new java.util.ArrayList<>();
    List<SampleRow> kept = new java.util.ArrayList<>();
    RunFolders.read(run.toString(), "RUN")
        .forEachSample(
            java.util.Set.of(
                SampleColumns.MODEL,
                SampleColumns.ERROR,
                SampleColumns.SAMPLE_INDEX,
                SampleColumns.PERTURBATION,
                SampleColumns.PROMPT),
            key -> {
              assertEquals(key instanceof SampleRow, false, "a key, not a row made");
              asked.add(
                  String.join(
                      "|",
                      key.model(),
                      key.benchmark(),
                      key.setting(),
                      key.perturbation().orElse("-"),
                      key.error().orElse("-"),
                      String.valueOf(key.sampleIndex())));
              return key.error().isEmpty();
            },
            kept::add);
    SampleRow failed = samples().get(1);
    assertEquals(
        asked,
        List.of(
            "sim-v1|||-|-|" + samples().get(0).sampleIndex(),
            "sim-v1|||"
                + failed.perturbation().orElseThrow()
                + "|"
                + failed.error().orElseThrow()
                + "|"
                + failed.sampleIndex()),
        "the columns read, the others empty");
    assertEquals(kept.size(), 1);
    assertEquals(kept.get(0).prompt(), samples().get(0).prompt(), "a kept row has its text");
    assertEquals(kept.get(0).error(), Optional.empty());
  }

  @Test
  public void theSamplesOfSomeModelsAreTheirsAlone() {
    List<SampleRow> samples = new java.util.ArrayList<>();
    for (String model : List.of("local-llama", "sim-v1", "sim-v2")) {
      for (int i = 0; i < 3; i++) {
        samples.add(
            RecordFixtures.sample(
                model, "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), i, "x", 1));
      }
    }
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(run, RecordFixtures.manifest(), List.of(), samples);
    java.util.Set<String> models = java.util.Set.of("local-llama", "sim-v2");
    java.util.function.Function<SampleRow, String> row =
        s -> s.model() + " " + s.exampleId() + " " + s.prompt();
    List<String> expected =
        samples.stream()
            .filter(s -> models.contains(s.model()) && s.exampleIndex() != 1)
            .map(row)
            .toList();
    java.util.Set<String> columns =
        java.util.Set.of(SampleColumns.MODEL, SampleColumns.EXAMPLE_ID, SampleColumns.PROMPT);
    RunFolders.Run onDisk = RunFolders.read(run.toString(), "RUN");
    RunFolders.Run inMemory =
        new RunFolders.Run(run.toString(), onDisk.manifest(), List.of(), samples);
    for (RunFolders.Run read : List.of(onDisk, inMemory)) {
      List<String> rows = new java.util.ArrayList<>();
      read.forEachSampleOfModels(
          models,
          columns,
          key -> !key.exampleId().equals("gsm8k-1"),
          sample -> rows.add(row.apply(sample)));
      assertEquals(rows, expected);
      read.forEachSampleOfModels(
          java.util.Set.of(), columns, key -> true, sample -> rows.add(row.apply(sample)));
      assertEquals(rows, expected, "no model, no sample");
    }
  }

  @Test
  public void theSamplesOfSomeBenchmarksAreReadWhole() {
    Path run = dir.resolve("run");
    RecordFixtures.writeRunFolder(
        run, RecordFixtures.manifest(), RecordFixtures.metrics(), samples());
    List<SampleRow> rows = new java.util.ArrayList<>();
    RunFolders.read(run.toString(), "RUN")
        .forEachSampleOf(java.util.Set.of(samples().get(0).benchmark()), rows::add);
    assertEquals(
        rows,
        samples().stream()
            .filter(s -> s.benchmark().equals(samples().get(0).benchmark()))
            .toList());
    rows.clear();
    RunFolders.read(run.toString(), "RUN").forEachSampleOf(java.util.Set.of("nothing"), rows::add);
    assertEquals(rows, List.of());
  }
}
