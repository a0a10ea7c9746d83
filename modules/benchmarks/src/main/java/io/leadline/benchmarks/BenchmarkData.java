package io.leadline.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a benchmark's examples and exemplars from a {@link SplitSource} and its folder. */
public final class BenchmarkData {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BenchmarkData() {}

  /** Every example of {@code subset}, in split order. */
  public static List<Example> examples(Benchmark benchmark, String subset, SplitSource source) {
    List<String> lines = source.rows(benchmark.name(), subset, benchmark.split());
    List<Example> examples = new ArrayList<>(Math.max(0, lines.size() - benchmark.start()));
    for (int i = benchmark.start(); i < lines.size(); i++) {
      JsonNode row = parse(lines.get(i), benchmark.name() + " " + subset + " row " + i);
      examples.add(new Example(benchmark.name(), subset, id(benchmark, subset, row, i), row));
    }
    return examples;
  }

  private static String id(Benchmark benchmark, String subset, JsonNode row, int index) {
    Optional<String> own = benchmark.columns().optionalText(row, "id");
    if (own.isPresent()) {
      return own.get();
    }
    String position = benchmark.split() + "/" + index;
    return benchmark.hasSubsets() ? subset + "/" + position : position;
  }

  /** The rows of {@code subset}'s split {@code split}, parsed, in split order. */
  static List<JsonNode> rows(Benchmark benchmark, String subset, String split, SplitSource source) {
    List<String> lines = source.rows(benchmark.name(), subset, split);
    List<JsonNode> rows = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      rows.add(parse(lines.get(i), benchmark.name() + " " + split + " row " + i));
    }
    return rows;
  }

  /**
   * The rows exemplars are drawn from, in split order: the few-shot split's, or where that is the
   * evaluated split, only its rows before the benchmark's start, so no item shows up as an
   * exemplar.
   */
  static List<JsonNode> exemplarRows(Benchmark benchmark, String subset, SplitSource source) {
    List<JsonNode> rows = rows(benchmark, subset, benchmark.fewShotWhere(), source);
    return benchmark.fewShotWhere().equals(benchmark.split()) && !benchmark.fewShotOverlap()
        ? rows.subList(0, Math.min(benchmark.start(), rows.size()))
        : rows;
  }

  /**
   * Checks that {@code line}, a row of {@code subset}, has every column the benchmark maps, as its
   * format reads them: a sweep calls this before it sends anything.
   *
   * @throws io.leadline.api.LeadlineException one line naming the benchmark, row and column
   */
  public static void checkRow(Benchmark benchmark, String subset, String line, int index) {
    Example example =
        new Example(
            benchmark.name(),
            subset,
            benchmark.split() + "/" + index,
            parse(
                line, benchmark.name() + " " + subset + "/" + benchmark.split() + " row " + index));
    Format format = benchmark.format();
    format.queryFields(benchmark, subset, example, "");
    format.target(benchmark, example);
  }

  /**
   * The JSON lines of the exemplar file of {@code subset} in the benchmark's folder (blank lines
   * skipped).
   */
  static List<JsonNode> file(Benchmark benchmark, String subset) {
    Path file = benchmark.dir().resolve(benchmark.fewShotFile(subset));
    List<JsonNode> rows = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          rows.add(parse(lines.get(i), file + ":" + (i + 1)));
        }
      }
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot read (%s)", file, e.getMessage());
    }
    return rows;
  }

  /** The string field {@code field} of an exemplar file's row. */
  static String text(JsonNode row, String field, String where) {
    JsonNode value = row.get(field);
    if (value == null || !value.isTextual()) {
      throw LeadlineException.data("%s: field '%s' is missing or not a string", where, field);
    }
    return value.textValue();
  }

  private static JsonNode parse(String line, String where) {
    try {
      return MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw LeadlineException.data("%s: not valid JSON (%s)", where, e.getOriginalMessage());
    }
  }
}
