package io.leadline.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Run records for tests, here and in the modules that read run folders: the committed fixtures
 * ({@code manifest.json}, {@code metrics.json}), samples, and whole run folders written without
 * Spark in the layout Spark writes.
 */
public final class RecordFixtures {
  private RecordFixtures() {}

  /** The text of a committed fixture next to this class. */
  public static String resource(String name) {
    try (InputStream in = RecordFixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The committed manifest: models sim-v1, sim-v2 (simulated) and local-llama (priced); benchmarks
   * mmlu (Knowledge, two subjects), gsm8k (Math) and humaneval (Coding); the gpt-fathom setting.
   */
  public static RunManifest manifest() {
    return RunFolders.parseManifest(resource("manifest.json"), "manifest.json");
  }

  /** The committed metric rows: sim-v1's, one of them perturbed. */
  public static List<MetricRow> metrics() {
    return RunFolders.parseMetrics(resource("metrics.json"), "metrics.json");
  }

  /** A metric row with the given coordinates and value. */
  public static MetricRow metric(
      String model,
      String benchmark,
      Optional<String> subset,
      String setting,
      Optional<String> perturbation,
      String metric,
      boolean primary,
      double value) {
    return new MetricRow(
        model,
        benchmark,
        subset,
        setting,
        "0".repeat(64),
        perturbation,
        metric,
        primary,
        value,
        Math.max(0, value - 0.1),
        Math.min(1, value + 0.1),
        10,
        0.0,
        Optional.empty());
  }

  /** A scored, answered sample of problem {@code exampleIndex}, with one named problem score. */
  public static SampleRow sample(
      String model,
      String benchmark,
      Optional<String> subset,
      String setting,
      Optional<String> perturbation,
      int exampleIndex,
      String metric,
      double value) {
    return new SampleRow(
        model,
        benchmark,
        subset,
        setting,
        "0".repeat(64),
        perturbation,
        benchmark + "-" + exampleIndex,
        exampleIndex,
        0,
        "1".repeat(64),
        "Q: question " + exampleIndex + "\nA:",
        "gold",
        0,
        Optional.of(value > 0 ? "gold" : "wrong"),
        Optional.of(value > 0 ? "gold" : "wrong"),
        Optional.empty(),
        Optional.empty(),
        Map.of(metric, value),
        Map.of(metric, value),
        Optional.empty(),
        Optional.empty(),
        Optional.of("stop"),
        Optional.of(false),
        Optional.empty(),
        Optional.of(12L),
        Optional.of(100L),
        Optional.of(5L),
        Optional.of(1),
        Optional.of(model),
        List.of(),
        List.of());
  }

  /** The Parquet schema Spark writes {@code samples.parquet} with, with or without explanation. */
  static MessageType samplesSchema(boolean withExplanation) {
    return samplesSchema(withExplanation, "");
  }

  /** That schema with {@code extra} (Parquet schema text) after its columns. */
  static MessageType samplesSchema(boolean withExplanation, String extra) {
    String string = "binary %s (STRING);";
    StringBuilder schema = new StringBuilder("message spark_schema {\n");
    for (String[] column :
        new String[][] {
          {"required", string, SampleColumns.MODEL},
          {"required", string, SampleColumns.BENCHMARK},
          {"optional", string, SampleColumns.SUBSET},
          {"required", string, SampleColumns.SETTING},
          {"required", string, SampleColumns.SETTING_HASH},
          {"optional", string, SampleColumns.PERTURBATION},
          {"required", string, SampleColumns.EXAMPLE_ID},
          {"required", "int32 %s;", SampleColumns.EXAMPLE_INDEX},
          {"required", "int32 %s;", SampleColumns.SAMPLE_INDEX},
          {"required", string, SampleColumns.REQUEST_HASH},
          {"required", string, SampleColumns.PROMPT},
          {"required", string, SampleColumns.GOLD},
          {"required", "int32 %s;", SampleColumns.SHOTS_USED},
          {"optional", string, SampleColumns.COMPLETION},
          {"optional", string, SampleColumns.EXTRACTED},
          {"optional", string, SampleColumns.NO_ANSWER_REASON},
          {"optional", string, SampleColumns.EXPLANATION},
          {"optional", MAP, SampleColumns.SCORES},
          {"optional", MAP, SampleColumns.PROBLEM_SCORES},
          {"optional", "boolean %s;", SampleColumns.PASSED},
          {"optional", string, SampleColumns.EXEC_RESULT},
          {"optional", string, SampleColumns.FINISH_REASON},
          {"optional", "boolean %s;", SampleColumns.TRUNCATED},
          {"optional", string, SampleColumns.ERROR},
          {"optional", "int64 %s;", SampleColumns.REQUEST_LATENCY_MS},
          {"optional", "int64 %s;", SampleColumns.REQUEST_PROMPT_TOKENS},
          {"optional", "int64 %s;", SampleColumns.REQUEST_COMPLETION_TOKENS},
          {"optional", "int32 %s;", SampleColumns.REQUEST_ATTEMPTS},
          {"optional", string, SampleColumns.REPORTED_MODEL},
        }) {
      if (!withExplanation && column[2].equals(SampleColumns.EXPLANATION)) {
        continue;
      }
      schema.append("  ").append(column[0]).append(' ');
      schema.append(String.format(column[1], column[2])).append('\n');
    }
    return MessageTypeParser.parseMessageType(schema.append(extra).append("}").toString());
  }

  private static final String MAP =
      "group %s (MAP) { repeated group key_value { required binary key (STRING);"
          + " required double value; } }";

  /** Writes {@code samples} as {@code file} in Spark's layout. */
  static void writeSamples(Path file, List<SampleRow> samples, boolean withExplanation) {
    writeSamples(file, samples, withExplanation, "");
  }

  /** Writes them with {@code extra} columns too (null in every row), as a newer run might. */
  static void writeSamples(
      Path file, List<SampleRow> samples, boolean withExplanation, String extra) {
    MessageType schema = samplesSchema(withExplanation, extra);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withType(schema)
            .withConf(new Configuration())
            .build()) {
      for (SampleRow sample : samples) {
        Group row = groups.newGroup();
        row.add(SampleColumns.MODEL, sample.model());
        row.add(SampleColumns.BENCHMARK, sample.benchmark());
        sample.subset().ifPresent(v -> row.add(SampleColumns.SUBSET, v));
        row.add(SampleColumns.SETTING, sample.setting());
        row.add(SampleColumns.SETTING_HASH, sample.settingHash());
        sample.perturbation().ifPresent(v -> row.add(SampleColumns.PERTURBATION, v));
        row.add(SampleColumns.EXAMPLE_ID, sample.exampleId());
        row.add(SampleColumns.EXAMPLE_INDEX, sample.exampleIndex());
        row.add(SampleColumns.SAMPLE_INDEX, sample.sampleIndex());
        row.add(SampleColumns.REQUEST_HASH, sample.requestHash());
        row.add(SampleColumns.PROMPT, sample.prompt());
        row.add(SampleColumns.GOLD, sample.gold());
        row.add(SampleColumns.SHOTS_USED, sample.shotsUsed());
        sample.completion().ifPresent(v -> row.add(SampleColumns.COMPLETION, v));
        sample.extracted().ifPresent(v -> row.add(SampleColumns.EXTRACTED, v));
        sample.noAnswerReason().ifPresent(v -> row.add(SampleColumns.NO_ANSWER_REASON, v));
        if (withExplanation) {
          sample.explanation().ifPresent(v -> row.add(SampleColumns.EXPLANATION, v));
        }
        addMap(row, SampleColumns.SCORES, sample.scores());
        addMap(row, SampleColumns.PROBLEM_SCORES, sample.problemScores());
        sample.passed().ifPresent(v -> row.add(SampleColumns.PASSED, v));
        sample.execResult().ifPresent(v -> row.add(SampleColumns.EXEC_RESULT, v));
        sample.finishReason().ifPresent(v -> row.add(SampleColumns.FINISH_REASON, v));
        sample.truncated().ifPresent(v -> row.add(SampleColumns.TRUNCATED, v));
        sample.error().ifPresent(v -> row.add(SampleColumns.ERROR, v));
        sample.latencyMs().ifPresent(v -> row.add(SampleColumns.REQUEST_LATENCY_MS, v));
        sample.promptTokens().ifPresent(v -> row.add(SampleColumns.REQUEST_PROMPT_TOKENS, v));
        sample
            .completionTokens()
            .ifPresent(v -> row.add(SampleColumns.REQUEST_COMPLETION_TOKENS, v));
        sample.attempts().ifPresent(v -> row.add(SampleColumns.REQUEST_ATTEMPTS, v));
        sample.reportedModel().ifPresent(v -> row.add(SampleColumns.REPORTED_MODEL, v));
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void addMap(Group row, String column, Map<String, Double> values) {
    Group map = row.addGroup(column);
    values.forEach((k, v) -> map.addGroup("key_value").append("key", k).append("value", v));
  }

  /** Writes a whole run folder into {@code dir} (created). */
  public static void writeRunFolder(
      Path dir, RunManifest manifest, List<MetricRow> metrics, List<SampleRow> samples) {
    try {
      java.nio.file.Files.createDirectories(dir);
      FileSystem fs = RunFolders.fileSystem(RunFolders.path(dir.toString()), new Configuration());
      RunFolderWriter writer = new RunFolderWriter(fs, RunFolders.path(dir.toString()));
      writer.writeManifest(manifest);
      writer.writeMetrics(metrics);
      writeSamples(dir.resolve(RunFolders.SAMPLES), samples, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
