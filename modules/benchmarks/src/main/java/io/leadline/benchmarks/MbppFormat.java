package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import io.leadline.sandbox.Programs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Code from a task and its asserts (reference §2.9: MBPP): {@code You are an expert Python
 * programmer, and here is your task: …} with every assert shown, the exemplars the first rows of a
 * split with their code between {@code [BEGIN]} and {@code [DONE]}; each completion runs in the
 * sandbox twice, against GPT-Fathom's check (the first assert only, the imports ignored: {@code
 * first-test}, the primary one) and against every assert after the imports ({@code all-tests}), and
 * pass@k is estimated for each. Chat and completion APIs get the same prompt and the completion is
 * run as it is, as GPT-Fathom runs it. Columns: {@code prompt}, {@code tests} (the asserts), {@code
 * imports}, {@code code} (the reference solution).
 */
final class MbppFormat implements Format {
  @Override
  public String id() {
    return "code-with-tests";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "shot", Set.of("prompt", "tests", "code"), "query", Set.of("prompt", "tests"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("prompt", "tests", "imports", "code");
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
    return ImmutableList.of("mbpp/pass-at-k");
  }

  private static List<String> list(Benchmark benchmark, JsonNode row, String field, String where) {
    JsonNode value = benchmark.columns().node(row, field, where);
    if (!value.isArray()) {
      throw LeadlineException.data(
          "%s: column '%s' must be a list of strings", where, benchmark.columns().path(row, field));
    }
    List<String> lines = new ArrayList<>();
    value.forEach(line -> lines.add(line.asText()));
    return lines;
  }

  private static Map<String, String> fields(Benchmark benchmark, JsonNode row, String where) {
    return Map.of(
        "prompt",
        benchmark.columns().text(row, "prompt", where),
        "tests",
        String.join("\n", list(benchmark, row, "tests", where)));
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return fields(benchmark, example.row(), example.where());
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String where = benchmark.fewShotWhere();
    List<JsonNode> rows = BenchmarkData.exemplarRows(benchmark, subset, source);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String at = benchmark.name() + " " + where + " row " + i;
      ImmutableMap<String, String> fields =
          ImmutableMap.<String, String>builder()
              .putAll(fields(benchmark, rows.get(i), at))
              .put("code", benchmark.columns().text(rows.get(i), "code", at))
              .buildOrThrow();
      exemplars.add(
          new Exemplar(
              benchmark.columns().optionalText(rows.get(i), "id").orElse(where + "/" + i),
              fields,
              fields));
    }
    return exemplars;
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    List<String> tests = list(benchmark, example.row(), "tests", example.where());
    if (tests.isEmpty()) {
      throw LeadlineException.data(
          "%s: column '%s' has no assert",
          example.where(), benchmark.columns().path(example.row(), "tests"));
    }
    list(benchmark, example.row(), "imports", example.where());
    return new Target(ImmutableList.of(), ImmutableMap.of(), "(passes " + tests.get(0) + ")");
  }

  @Override
  public boolean executesCode() {
    return true;
  }

  @Override
  public ImmutableList<String> checks() {
    return ImmutableList.of("first-test", "all-tests");
  }

  @Override
  public ImmutableList<String> programs(
      Benchmark benchmark, Example example, String completion, boolean chat) {
    List<String> tests = list(benchmark, example.row(), "tests", example.where());
    List<String> imports = list(benchmark, example.row(), "imports", example.where());
    return ImmutableList.of(
        Programs.mbppFirstTest(completion, tests),
        Programs.mbppAllTests(completion, imports, tests));
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.FORMAT
        && kind != Kind.TYPOS
        && kind != Kind.OPTIONS
        && kind != Kind.NUMBERS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    return new SimFacts(
        SimFacts.Style.PROGRAM,
        columns.optionalText(row, "id"),
        columns.text(row, "prompt", where)
            + "\n"
            + String.join("\n", list(benchmark, row, "tests", where)),
        columns.text(row, "code", where),
        -1,
        "",
        List.of());
  }
}
