package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading comprehension (reference §2.3: DROP): a passage and a question, the exemplars from a
 * GPT-Fathom file ({@code passage}, {@code question}, {@code ideal}), scored by token F1 against
 * every gold span. Columns: {@code passage}, {@code question}, {@code answers} (the gold spans).
 */
final class ReadingFormat implements Format {
  @Override
  public String id() {
    return "reading-comprehension";
  }

  @Override
  public String hashId() {
    return "reading";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("instruction"),
        "shot", Set.of("passage", "question", "answer"),
        "query", Set.of("passage", "question"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("passage", "question", "answers");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("file");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "whole-completion";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of("drop/gpt-fathom-f1", "drop/official-f1", "drop/official-em");
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    Columns columns = benchmark.columns();
    return Map.of(
        "passage", columns.text(example.row(), "passage", example.where()),
        "question", columns.text(example.row(), "question", example.where()));
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String where = benchmark.fewShotFile(subset);
    List<JsonNode> rows = BenchmarkData.file(benchmark, subset);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String at = benchmark.name() + " " + where + " row " + i;
      ImmutableMap<String, String> fields =
          ImmutableMap.of(
              "passage", BenchmarkData.text(row, "passage", at),
              "question", BenchmarkData.text(row, "question", at),
              "answer", row.path("ideal").path(0).asText());
      exemplars.add(new Exemplar(where + "#" + (i + 1), fields, fields));
    }
    return exemplars;
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    ImmutableList<String> spans =
        benchmark.columns().texts(example.row(), "answers", example.where());
    return new Target(spans, ImmutableMap.of(), String.join(" | ", spans));
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS && kind != Kind.NUMBERS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    JsonNode spans = columns.node(row, "answers", where);
    if (!spans.isArray() || spans.isEmpty()) {
      throw LeadlineException.data(
          "%s: column '%s' is missing or empty", where, columns.path(row, "answers"));
    }
    return new SimFacts(
        SimFacts.Style.SPAN,
        columns.optionalText(row, "id"),
        columns.text(row, "passage", where) + "\n" + columns.text(row, "question", where),
        spans.get(0).asText(),
        -1,
        "",
        List.of());
  }
}
