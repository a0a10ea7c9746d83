package io.leadline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Reads a run folder back — its manifest and its samples — without Spark, for the commands that
 * work on finished runs ({@code diff}, {@code report}).
 */
public final class RunFolders {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RunFolders() {}

  /** A run folder's contents. */
  public record Run(String location, JsonNode manifest, ImmutableList<Sample> samples) {}

  /**
   * One row of {@code samples.parquet}, as much of it as readers of finished runs use.
   *
   * @param perturbation the prompt perturbation variant, if any
   * @param problemScores the problem's metric values (the same on every sample of the problem)
   * @param error why the request failed, if it did
   */
  public record Sample(
      String model,
      String benchmark,
      Optional<String> subset,
      String setting,
      String settingHash,
      Optional<String> perturbation,
      String exampleId,
      int exampleIndex,
      int sampleIndex,
      String prompt,
      String gold,
      Optional<String> extracted,
      ImmutableMap<String, Double> problemScores,
      Optional<String> error) {}

  /**
   * Reads the run folder at {@code location} (a path or Hadoop URI).
   *
   * @param what the argument that named it, for errors
   * @throws LeadlineException if it is not a run folder
   */
  public static Run read(String location, String what) {
    Path dir = Locations.path(location);
    Configuration conf = new Configuration();
    FileSystem fs = Locations.fileSystem(dir, conf);
    Path manifestFile = new Path(dir, "manifest.json");
    Path samplesFile = new Path(dir, "samples.parquet");
    try {
      if (!fs.exists(manifestFile) || !fs.exists(samplesFile)) {
        throw LeadlineException.userInput(
            "%s: %s is not a run folder (expected manifest.json and samples.parquet in it)",
            what, location);
      }
      JsonNode manifest;
      try (InputStream in = fs.open(manifestFile)) {
        manifest = MAPPER.readTree(in);
      }
      ImmutableList.Builder<Sample> samples = ImmutableList.builder();
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), samplesFile).withConf(conf).build()) {
        for (Group row = reader.read(); row != null; row = reader.read()) {
          samples.add(sample(row));
        }
      }
      return new Run(location, manifest, samples.build());
    } catch (IOException | RuntimeException e) {
      if (e instanceof LeadlineException leadline) {
        throw leadline;
      }
      throw LeadlineException.data("%s: cannot read the run folder %s (%s)", what, location, e);
    }
  }

  private static Sample sample(Group row) {
    Map<String, Double> scores = new TreeMap<>();
    if (row.getFieldRepetitionCount("problem_scores") > 0) {
      Group map = row.getGroup("problem_scores", 0);
      for (int i = 0; i < map.getFieldRepetitionCount("key_value"); i++) {
        Group entry = map.getGroup("key_value", i);
        scores.put(entry.getString("key", 0), entry.getDouble("value", 0));
      }
    }
    return new Sample(
        row.getString("model", 0),
        row.getString("benchmark", 0),
        optional(row, "subset"),
        row.getString("setting", 0),
        row.getString("setting_hash", 0),
        optional(row, "perturbation"),
        row.getString("example_id", 0),
        row.getInteger("example_index", 0),
        row.getInteger("sample_index", 0),
        row.getString("prompt", 0),
        row.getString("gold", 0),
        optional(row, "extracted"),
        ImmutableMap.copyOf(scores),
        optional(row, "error"));
  }

  private static Optional<String> optional(Group row, String field) {
    return row.getFieldRepetitionCount(field) == 0
        ? Optional.empty()
        : Optional.of(row.getString(field, 0));
  }
}
