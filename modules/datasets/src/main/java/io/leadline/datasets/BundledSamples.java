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
    Set<SplitRef> splits = new LinkedHashSet<>();
    for (Sample sample : samples(benchmark)) {
      splits.add(new SplitRef(sample.dataset(), sample.config(), sample.split()));
    }
    return ImmutableList.copyOf(splits);
  }

  /**
   * All sample rows of {@code benchmark} for {@code config}/{@code split}, in the order {@code
   * samples.json} lists the files, each file verified against its sha256.
   *
   * <p>A file in the Hub row schema gives its lines as they are. A file in another schema
   * (GPT-Fathom's own registry files: {@code "schema": "gpt-fathom"}) gives each line wrapped as
   * {@code {"<schema>": line}}, so the benchmark reads it through the column mapping it declares
   * for that schema and a record shows where the row came from. A TSV file ({@code "encoding":
   * "tsv"} with its {@code fields}) gives each line as an object of those fields. Files of one
   * split must follow each other: a file's {@code first_row}, when given, is the number of rows
   * before it.
   *
   * @throws LeadlineException if the benchmark has no such sample or a file was altered
   */
  public PulledSplit load(String benchmark, String config, String split) {
    Path folder = benchmarks.resolve(benchmark).resolve("data");
    Path manifest = folder.resolve("samples.json");
    List<String> rows = new ArrayList<>();
    List<String> files = new ArrayList<>();
    String dataset = "";
    for (Sample sample : samples(benchmark)) {
      dataset = sample.dataset();
      if (!sample.config().equals(config) || !sample.split().equals(split)) {
        continue;
      }
      Path file = folder.resolve(sample.file());
      byte[] bytes = read(file, manifest);
      String sha = com.google.common.hash.Hashing.sha256().hashBytes(bytes).toString();
      if (!sha.equals(sample.sha256())) {
        throw new LeadlineException(
            ErrorKind.DATA, file + ": does not match the sha256 in " + manifest + " (edited?)");
      }
      if (sample.firstRow() != rows.size()) {
        throw new LeadlineException(
            ErrorKind.DATA,
            String.format(
                "%s: %s starts at row %d but follows %d rows of %s/%s; the files of a split must"
                    + " follow each other",
                manifest, sample.file(), sample.firstRow(), rows.size(), config, split));
      }
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      if (lines.size() != sample.rows()) {
        throw new LeadlineException(
            ErrorKind.DATA,
            String.format(
                "%s: has %d lines, %s says rows: %d", file, lines.size(), manifest, sample.rows()));
      }
      for (int line = 0; line < lines.size(); line++) {
        rows.add(sample.row(lines.get(line), file + ":" + (line + 1)));
      }
      files.add(benchmarks.relativize(file).toString());
    }
    if (files.isEmpty()) {
      throw new LeadlineException(
          ErrorKind.DATA,
          String.format("no bundled sample of %s %s/%s in %s", benchmark, config, split, manifest));
    }
    return new PulledSplit(
        new SplitRef(dataset, config, split),
        REVISION,
        ImmutableList.copyOf(rows),
        SplitPuller.sha256(rows),
        FIXED,
        "bundled:" + String.join(",", files));
  }

  /**
   * One bundled file as {@code samples.json} lists it.
   *
   * @param schema empty for Hub rows, else the name of the schema the benchmark maps ({@code
   *     gpt-fathom})
   * @param fields the columns of a TSV file's lines, empty for JSON lines
   * @param origin where the rows come from, in a few words ({@code Hub rows}, a registry file)
   */
  public record Sample(
      String file,
      String dataset,
      String config,
      String split,
      int rows,
      int firstRow,
      String schema,
      ImmutableList<String> fields,
      String origin,
      String sha256) {
    /** The row one line of the file gives (see {@link BundledSamples#load}). */
    String row(String line, String where) {
      if (!fields.isEmpty()) {
        String[] values = line.split("\t", -1);
        if (values.length != fields.size()) {
          throw new LeadlineException(
              ErrorKind.DATA,
              String.format(
                  "%s: expected %d tab-separated fields (%s), found %d",
                  where, fields.size(), String.join(", ", fields), values.length));
        }
        com.fasterxml.jackson.databind.node.ObjectNode row = MAPPER.createObjectNode();
        for (int i = 0; i < values.length; i++) {
          row.put(fields.get(i), values[i]);
        }
        return PythonJson.dumps(row);
      }
      return schema.isEmpty() ? line : "{\"" + schema + "\": " + line + "}";
    }
  }

  /**
   * The files {@code samples.json} lists for {@code benchmark}, in order.
   *
   * @throws LeadlineException if the benchmark has no bundled sample or its manifest is malformed
   */
  public List<Sample> samples(String benchmark) {
    Path manifest = benchmarks.resolve(benchmark).resolve("data").resolve("samples.json");
    if (!Files.exists(manifest)) {
      throw new LeadlineException(
          ErrorKind.DATA, "no bundled sample for '" + benchmark + "': " + manifest + " is missing");
    }
    try {
      JsonNode root = MAPPER.readTree(manifest.toFile());
      String dataset = root.path("dataset").asText();
      List<Sample> samples = new ArrayList<>();
      int index = 0;
      for (JsonNode sample : root.path("samples")) {
        String where = manifest + " samples[" + index++ + "]";
        ImmutableList.Builder<String> fields = ImmutableList.builder();
        String encoding = sample.path("encoding").asText("jsonl");
        if (encoding.equals("tsv")) {
          sample.path("fields").forEach(field -> fields.add(field.asText()));
          if (sample.path("fields").size() == 0) {
            throw new LeadlineException(
                ErrorKind.DATA, where + ": fields: a tsv file needs the names of its columns");
          }
          if (sample.has("schema")) {
            throw new LeadlineException(
                ErrorKind.DATA,
                where + ": schema: a tsv file's lines become rows of its fields, not of a schema");
          }
        } else if (!encoding.equals("jsonl")) {
          throw new LeadlineException(
              ErrorKind.DATA,
              where + ": encoding: expected jsonl or tsv, found '" + encoding + "'");
        }
        String schema = sample.path("schema").asText("");
        if (!schema.isEmpty() && !schema.matches("[a-z][a-z0-9-]*")) {
          throw new LeadlineException(
              ErrorKind.DATA,
              where + ": schema: expected a lower-case name, found '" + schema + "'");
        }
        samples.add(
            new Sample(
                required(sample, "file", where),
                dataset,
                required(sample, "config", where),
                required(sample, "split", where),
                sample.path("rows").asInt(),
                sample.path("first_row").asInt(-1),
                schema,
                fields.build(),
                sample.path("origin").asText("Hub rows"),
                required(sample, "sha256", where)));
      }
      return fill(samples);
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.DATA, manifest + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Files without a {@code first_row} follow the files of their split before them. */
  private static List<Sample> fill(List<Sample> samples) {
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    List<Sample> filled = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      String key = s.config() + "/" + s.split();
      int before = seen.getOrDefault(key, 0);
      seen.put(key, before + s.rows());
      filled.add(
          s.firstRow() >= 0
              ? s
              : new Sample(
                  s.file(),
                  s.dataset(),
                  s.config(),
                  s.split(),
                  s.rows(),
                  before,
                  s.schema(),
                  s.fields(),
                  s.origin(),
                  s.sha256()));
    }
    return filled;
  }

  private static String required(JsonNode sample, String field, String where) {
    JsonNode value = sample.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new LeadlineException(ErrorKind.DATA, where + ": " + field + ": expected a string");
    }
    return value.textValue();
  }

  private static byte[] read(Path file, Path manifest) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.DATA,
          file + " (listed in " + manifest + "): cannot read (" + e.getMessage() + ")");
    }
  }
}
