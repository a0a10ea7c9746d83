package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GPT-Fathom's multiple-choice template (reference §2.1: MMLU, ARC, HellaSwag, TruthfulQA; §2.3:
 * RACE, whose rows add a {@code passage}): options {@code (A) …} one per line in the order of
 * {@code random.Random(47)} (a fresh one per test item, one shared across the exemplars), scored by
 * the letter. Columns: {@code question}, {@code choices} (a list), and the answer as an index
 * ({@code answer}), as a label among {@code labels} ({@code answer} + {@code labels}, ARC's {@code
 * answerKey}), or as a one-hot list ({@code answer_labels}, TruthfulQA's MC1).
 */
final class MultipleChoiceFormat implements Format {
  /** GPT-Fathom's option-order seed: {@code make_abc(..., rng=random.Random(47))}. */
  static final int SEED = 47;

  @Override
  public String id() {
    return "multiple-choice";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("subject"),
        "shot", Set.of("passage", "question", "options", "letter", "answer"),
        "query", Set.of("passage", "question", "options", "subject"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("question", "choices");
  }

  @Override
  public Set<String> optionalColumns() {
    return Set.of("id", "passage", "answer", "labels", "answer_labels");
  }

  @Override
  public Set<String> listColumns() {
    return Set.of("choices");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("split");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "mmlu/gpt-fathom";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of("mmlu/gpt-fathom-accuracy", "race/gpt-fathom-accuracy");
  }

  @Override
  public void check(Columns columns, io.leadline.api.ConfigNode node) {
    if (columns.has("answer") == columns.has("answer_labels")) {
      throw node.error("needs exactly one of 'answer' and 'answer_labels'");
    }
    if (columns.has("labels") && !columns.has("answer")) {
      throw node.error("'labels' goes with 'answer' (the correct option's label)");
    }
  }

  @Override
  public ImmutableMap<String, String> headerFields(Benchmark benchmark, String subset) {
    return ImmutableMap.of("subject", subset.replace('_', ' '));
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    Map<String, String> fields = new HashMap<>();
    fields.put("question", benchmark.columns().text(example.row(), "question", where(example)));
    fields.put("passage", passage(benchmark, example.row(), where(example)));
    fields.put("options", choice(benchmark, example).options());
    fields.put("subject", subset.replace('_', ' '));
    return fields;
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String where = benchmark.fewShotWhere();
    List<JsonNode> rows = BenchmarkData.exemplarRows(benchmark, subset, source);
    PyRandom random = new PyRandom(SEED);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String at = benchmark.name() + " " + subset + " " + where + " row " + i;
      MultipleChoice choice = MultipleChoice.of(benchmark, rows.get(i), random, at);
      ImmutableMap<String, String> fields =
          ImmutableMap.of(
              "passage", passage(benchmark, rows.get(i), at),
              "question", benchmark.columns().text(rows.get(i), "question", at),
              "options", choice.options(),
              "letter", choice.goldLetter(),
              "answer", choice.goldText());
      exemplars.add(new Exemplar(subset + "/" + where + "/" + i, fields, fields));
    }
    return exemplars;
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    MultipleChoice choice = choice(benchmark, example);
    return new Target(
        ImmutableList.of(choice.goldLetter()),
        ImmutableMap.of(),
        "(" + choice.goldLetter() + ") " + choice.goldText());
  }

  /** The option as the exemplars answer it, {@code (B) text}; MMLU's is the letter alone. */
  @Override
  public java.util.Optional<String> likelihoodContinuation() {
    return java.util.Optional.of("({letter}) {answer}");
  }

  @Override
  public Options options(Benchmark benchmark, Example example) {
    MultipleChoice choice = choice(benchmark, example);
    ImmutableList.Builder<String> letters = ImmutableList.builder();
    for (int i = 0; i < choice.shown().size(); i++) {
      letters.add(String.valueOf((char) ('A' + i)));
    }
    return new Options(letters.build(), choice.shown(), choice.goldLetter().charAt(0) - 'A');
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.NUMBERS;
  }

  @Override
  public int answerIndex(Benchmark benchmark, JsonNode row, String where) {
    return MultipleChoice.answerIndex(benchmark.columns(), row, where);
  }

  @Override
  public JsonNode rotateOptions(Benchmark benchmark, JsonNode row, int shift) {
    Columns columns = benchmark.columns();
    int n = columns.node(row, "choices", "rotation").size();
    int by = Math.floorMod(shift, n);
    int answer = MultipleChoice.answerIndex(columns, row, "rotation");
    JsonNode rotated = row;
    for (String field : List.of("choices", "labels", "answer_labels")) {
      if (columns.has(row, field)) {
        JsonNode list = columns.node(row, field, "rotation");
        ArrayNode turned = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < list.size(); i++) {
          turned.add(list.get((i + by) % list.size()));
        }
        rotated = columns.with(rotated, field, turned);
      }
    }
    if (columns.has(row, "answer") && !columns.has(row, "labels")) {
      rotated =
          columns.with(
              rotated,
              "answer",
              JsonNodeFactory.instance.numberNode(Math.floorMod(answer - by, n)));
    }
    return rotated;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    List<String> choices = columns.texts(row, "choices", where);
    if (choices.size() < 2) {
      throw LeadlineException.data(
          "%s: column '%s' must be a list of 2 to 26 strings", where, columns.path(row, "choices"));
    }
    int answer = MultipleChoice.answerIndex(columns, row, where);
    String passage = passage(benchmark, row, where);
    return new SimFacts(
        SimFacts.Style.OPTION,
        columns.optionalText(row, "id"),
        // With a passage (RACE's, which several items share), the prompt's own "Q: " between the
        // two keeps the item's text whole, so an exemplar about the same passage is not it.
        (passage.isEmpty() ? "" : passage + "\nQ: ") + columns.text(row, "question", where),
        choices.get(answer),
        answer,
        "",
        choices);
  }

  /** The row's passage (RACE's article), or empty when the benchmark maps none. */
  private static String passage(Benchmark benchmark, JsonNode row, String where) {
    return benchmark.columns().has(row, "passage")
        ? benchmark.columns().text(row, "passage", where)
        : "";
  }

  /** The example's options in GPT-Fathom's order: a fresh {@code Random(47)} per test item. */
  static MultipleChoice choice(Benchmark benchmark, Example example) {
    return MultipleChoice.of(
        benchmark, example.row(), new PyRandom(SEED), example.benchmark() + " " + example.id());
  }

  private static String where(Example example) {
    return example.benchmark() + " example " + example.id();
  }
}
