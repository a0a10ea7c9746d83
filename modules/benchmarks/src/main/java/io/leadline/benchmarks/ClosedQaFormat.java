package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Closed-book QA (reference §2.2: TriviaQA, Natural Questions, WebQuestions): {@code Q: … A: …}
 * after an instruction, the exemplars the first rows of a split with their first answer. Columns:
 * {@code question}, {@code answers} (one or more list columns, joined: every accepted answer),
 * optionally {@code display} (the answer a record shows; else the first answer) and {@code id}.
 */
final class ClosedQaFormat implements Format {
  @Override
  public String id() {
    return "closed-qa";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("instruction"),
        "shot", Set.of("question", "answer"),
        "query", Set.of("question"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("question", "answers");
  }

  @Override
  public Set<String> optionalColumns() {
    return Set.of("id", "display");
  }

  @Override
  public Set<String> listColumns() {
    return Set.of("answers");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("split");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "whole-completion";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of(
        "triviaqa/gpt-fathom-fuzzy-match",
        "triviaqa/official-em",
        "triviaqa/official-f1",
        "tydiqa/gpt-fathom-f1");
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return Map.of("question", benchmark.columns().text(example.row(), "question", example.where()));
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String where = benchmark.fewShotWhere();
    List<JsonNode> rows = BenchmarkData.exemplarRows(benchmark, subset, source);
    List<Exemplar> exemplars = new ArrayList<>();
    Columns columns = benchmark.columns();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String at = benchmark.name() + " " + where + " row " + i;
      List<String> answers = columns.texts(row, "answers", at);
      ImmutableMap<String, String> fields =
          ImmutableMap.of(
              "question",
              columns.text(row, "question", at),
              "answer",
              answers.isEmpty() ? "" : answers.get(0));
      exemplars.add(
          new Exemplar(columns.optionalText(row, "id").orElse(where + "/" + i), fields, fields));
    }
    return exemplars;
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    ImmutableList<String> answers =
        benchmark.columns().texts(example.row(), "answers", example.where());
    String display =
        benchmark
            .columns()
            .optionalText(example.row(), "display")
            .orElse(answers.isEmpty() ? "" : answers.get(0));
    return new Target(
        answers,
        ImmutableMap.of(
            "question", benchmark.columns().text(example.row(), "question", example.where())),
        display);
  }

  @Override
  public Set<String> judgeInputs() {
    return Set.of("question");
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS && kind != Kind.NUMBERS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    String gold =
        columns.has(row, "display")
            ? columns.text(row, "display", where)
            : columns.texts(row, "answers", where).get(0);
    return new SimFacts(
        SimFacts.Style.TEXT,
        columns.optionalText(row, "id"),
        columns.text(row, "question", where),
        gold,
        -1,
        "",
        List.of());
  }
}
