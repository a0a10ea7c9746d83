package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The small real samples that ship in {@code benchmarks/<name>/data/}, listed with their Hub
 * dataset, config, split, position and sha256 in {@code samples.json}; what {@code --data bundled}
 * reads, with no network. Their revision is {@code bundled} and their source names the files, so
 * every record says where its rows came from.
 */
public final class BundledSamples {
  public static final String REVISION = "bundled";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant FIXED = Instant.EPOCH;

  private final Path benchmarks;

  public BundledSamples(Path benchmarks) {
    this.benchmarks = requireNonNull(benchmarks, "benchmarks is null");
  }

  /**
   * The (config, split) pairs {@code benchmark} has samples of, in {@code samples.json} order.
   *
   * @throws LeadlineException if the benchmark has no bundled sample
   */
  public List<SplitRef> splits(String benchmark) {
    Path manifest = benchmarks.resolve(benchmark).resolve("data").resolve("samples.json");
    if (!Files.exists(manifest)) {
      throw new LeadlineException(
          ErrorKind.DATA, "no bundled sample for '" + benchmark + "': " + manifest + " is missing");
    }
    try {
      JsonNode samples = MAPPER.readTree(manifest.toFile());
      Set<SplitRef> splits = new LinkedHashSet<>();
      for (JsonNode sample : samples.path("samples")) {
        splits.add(
            new SplitRef(
                samples.path("dataset").asText(),
                sample.path("config").asText(),
                sample.path("split").asText()));
      }
      return ImmutableList.copyOf(splits);
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.DATA, manifest + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /**
   * All sample rows of {@code benchmark} for {@code config}/{@code split}, in the order {@code
   * samples.json} lists the files, each file verified against its sha256.
   *
   * @throws LeadlineException if the benchmark has no such sample or a file was altered
   */
  public PulledSplit load(String benchmark, String config, String split) {
    Path folder = benchmarks.resolve(benchmark).resolve("data");
    Path manifest = folder.resolve("samples.json");
    if (!Files.exists(manifest)) {
      throw new LeadlineException(
          ErrorKind.DATA, "no bundled sample for '" + benchmark + "': " + manifest + " is missing");
    }
    try {
      JsonNode samples = MAPPER.readTree(manifest.toFile());
      String dataset = samples.path("dataset").asText();
      List<String> rows = new ArrayList<>();
      List<String> files = new ArrayList<>();
      for (JsonNode sample : samples.path("samples")) {
        if (!sample.path("config").asText().equals(config)
            || !sample.path("split").asText().equals(split)) {
          continue;
        }
        Path file = folder.resolve(sample.path("file").asText());
        byte[] bytes = Files.readAllBytes(file);
        String sha = com.google.common.hash.Hashing.sha256().hashBytes(bytes).toString();
        if (!sha.equals(sample.path("sha256").asText())) {
          throw new LeadlineException(
              ErrorKind.DATA, file + ": does not match the sha256 in " + manifest + " (edited?)");
        }
        new String(bytes, StandardCharsets.UTF_8).lines().forEach(rows::add);
        files.add(benchmarks.relativize(file).toString());
      }
      if (files.isEmpty()) {
        throw new LeadlineException(
            ErrorKind.DATA,
            String.format(
                "no bundled sample of %s %s/%s in %s", benchmark, config, split, manifest));
      }
      return new PulledSplit(
          new SplitRef(dataset, config, split),
          REVISION,
          ImmutableList.copyOf(rows),
          SplitPuller.sha256(rows),
          FIXED,
          "bundled:" + String.join(",", files));
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.DATA, manifest + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
