package io.leadline.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a benchmark's examples and exemplars from a {@link SplitSource} and its folder. */
public final class BenchmarkData {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BBH_SEPARATOR = "-----\n";

  private BenchmarkData() {}

  /** Every example of {@code subset}, in split order. */
  public static List<Example> examples(Benchmark benchmark, String subset, SplitSource source) {
    List<String> lines = source.rows(benchmark.name(), subset, benchmark.split());
    List<Example> examples = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode row = parse(lines.get(i), benchmark.name() + " " + subset + " row " + i);
      examples.add(new Example(benchmark.name(), subset, id(benchmark, subset, row, i), row));
    }
    return examples;
  }

  private static String id(Benchmark benchmark, String subset, JsonNode row, int index) {
    for (String field : List.of("task_id", "question_id", "query_id")) {
      if (row.path(field).isTextual()) {
        return row.get(field).textValue();
      }
    }
    String position = benchmark.split() + "/" + index;
    return benchmark.hasSubsets() ? subset + "/" + position : position;
  }

  /**
   * The exemplars available for {@code subset}, in order; a setting takes the first k. MMLU's
   * options are permuted here by one {@code Random(47)} shared across the exemplars in order, as
   * GPT-Fathom does.
   */
  static List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String kind = benchmark.fewShot().substring(0, benchmark.fewShot().indexOf(':') + 1);
    String where = benchmark.fewShot().substring(kind.length());
    List<Exemplar> exemplars = new ArrayList<>();
    switch (benchmark.format()) {
      case MATH_COT -> {
        List<JsonNode> rows = file(benchmark, where);
        for (int i = 0; i < rows.size(); i++) {
          JsonNode row = rows.get(i);
          String question = text(row, "question", benchmark, where, i);
          String answer = text(row, "answer", benchmark, where, i);
          exemplars.add(
              new Exemplar(
                  where + "#" + (i + 1),
                  ImmutableMap.of("question", question, "answer", answer),
                  ImmutableMap.of("question", question, "answer", answerOnly(answer))));
        }
      }
      case READING -> {
        List<JsonNode> rows = file(benchmark, where);
        for (int i = 0; i < rows.size(); i++) {
          JsonNode row = rows.get(i);
          ImmutableMap<String, String> fields =
              ImmutableMap.of(
                  "passage", text(row, "passage", benchmark, where, i),
                  "question", text(row, "question", benchmark, where, i),
                  "answer", row.path("ideal").path(0).asText());
          exemplars.add(new Exemplar(where + "#" + (i + 1), fields, fields));
        }
      }
      case CLOSED_QA -> {
        List<String> lines = source.rows(benchmark.name(), subset, where);
        for (int i = 0; i < lines.size(); i++) {
          JsonNode row = parse(lines.get(i), benchmark.name() + " " + where + " row " + i);
          ImmutableMap<String, String> fields =
              ImmutableMap.of(
                  "question", text(row, "question", benchmark, where, i),
                  "answer", row.path("answer").path("aliases").path(0).asText());
          exemplars.add(
              new Exemplar(row.path("question_id").asText(where + "/" + i), fields, fields));
        }
      }
      case MULTIPLE_CHOICE -> {
        List<String> lines = source.rows(benchmark.name(), subset, where);
        PyRandom random = new PyRandom(MultipleChoice.SEED);
        for (int i = 0; i < lines.size(); i++) {
          JsonNode row = parse(lines.get(i), benchmark.name() + " " + where + " row " + i);
          MultipleChoice choice =
              MultipleChoice.of(
                  row, random, benchmark.name() + " " + subset + " " + where + " row " + i);
          ImmutableMap<String, String> fields =
              ImmutableMap.of(
                  "question", text(row, "question", benchmark, where, i),
                  "options", choice.options(),
                  "letter", choice.goldLetter(),
                  "answer", choice.goldText());
          exemplars.add(new Exemplar(subset + "/" + where + "/" + i, fields, fields));
        }
      }
      case BBH -> {
        List<String> parts = bbhPrompt(benchmark, where, subset);
        for (int i = 1; i < parts.size(); i++) {
          exemplars.add(
              new Exemplar(
                  where + "/" + subset + ".txt#" + i,
                  ImmutableMap.of("exemplar", parts.get(i)),
                  ImmutableMap.of("exemplar", bbhAnswerOnly(parts.get(i)))));
        }
      }
      case CODE -> {}
    }
    return exemplars;
  }

  /** The header fields of {@code subset}: the MMLU subject, the BBH task description. */
  static ImmutableMap<String, String> headerFields(Benchmark benchmark, String subset) {
    return switch (benchmark.format()) {
      case MULTIPLE_CHOICE -> ImmutableMap.of("subject", subset.replace('_', ' '));
      case BBH ->
          ImmutableMap.of(
              "description",
              bbhPrompt(benchmark, benchmark.fewShot().substring("prompts:".length()), subset)
                  .get(0));
      default -> ImmutableMap.of();
    };
  }

  /**
   * A Suzgun et al. prompt file: the text after the {@code -----} line (trailing newlines dropped),
   * split on {@code "\n\nQ: "} into the description and the exemplars.
   */
  private static List<String> bbhPrompt(Benchmark benchmark, String folder, String task) {
    Path file = benchmark.dir().resolve(folder).resolve(task + ".txt");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: cannot read the BBH prompt (%s)", file, e.getMessage());
    }
    int separator = text.indexOf(BBH_SEPARATOR);
    if (separator < 0) {
      throw LeadlineException.data("%s: no '-----' line before the prompt", file);
    }
    String prompt = text.substring(separator + BBH_SEPARATOR.length()).stripTrailing();
    return ImmutableList.copyOf(prompt.split("\n\nQ: ", -1));
  }

  /** GPT-Fathom's answer-only BBH exemplar: the reasoning replaced by {@code The answer is }. */
  static String bbhAnswerOnly(String exemplar) {
    int start = exemplar.indexOf("Let's think step by step.");
    int end = exemplar.indexOf("So the answer is ");
    if (start < 0 || end < start) {
      return exemplar;
    }
    return exemplar.substring(0, start)
        + "The answer is "
        + exemplar.substring(end + "So the answer is ".length());
  }

  /** A GSM8K CoT answer cut to its last line, {@code The answer is N.}, keeping the ending. */
  static String answerOnly(String answer) {
    int at = answer.lastIndexOf("The answer is ");
    return at < 0 ? answer : answer.substring(at);
  }

  private static List<JsonNode> file(Benchmark benchmark, String name) {
    Path file = benchmark.dir().resolve(name);
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

  private static String text(JsonNode row, String field, Benchmark benchmark, String where, int i) {
    JsonNode value = row.get(field);
    if (value == null || !value.isTextual()) {
      throw LeadlineException.data(
          "%s %s row %d: field '%s' is missing or not a string", benchmark.name(), where, i, field);
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
