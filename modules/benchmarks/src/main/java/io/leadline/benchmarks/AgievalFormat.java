package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
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
 * AGIEval's tasks as GPT-Fathom prompts them (reference §2.10; {@code agieval.py}): an optional
 * {@code Passage: …} line, {@code Q: …}, the options as the data writes them ({@code (A)…}, one per
 * line, in their own order: AGIEval's letters are part of the data), then {@code A: }; exemplars
 * from the official few-shot CSV (per task, {@code fewshot/<task>.jsonl}, built from it), each
 * answered {@code The answer is (X) (X)…} (the option repeats its letter, as GPT-Fathom writes it),
 * or for a cloze task (no options) with the answer itself. Columns: {@code question}, {@code
 * options}, {@code label} (the letter) and {@code answer} (a cloze task's: a row's options are null
 * there), and optionally {@code passage}.
 */
final class AgievalFormat implements Format {
  @Override
  public String id() {
    return "agieval";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("question_type"),
        "shot", Set.of("passage", "question", "options", "answer"),
        "query", Set.of("passage", "question", "options", "trigger"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("question", "options", "label", "answer");
  }

  @Override
  public Set<String> optionalColumns() {
    return Set.of("id", "passage");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("file");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "agieval/gpt-fathom";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of("agieval/gpt-fathom-accuracy");
  }

  /** GPT-Fathom's instruction names the task's kind: multiple choice, or cloze (AGIEval math). */
  @Override
  public ImmutableMap<String, String> headerFields(Benchmark benchmark, String subset) {
    List<JsonNode> shots = BenchmarkData.file(benchmark, subset);
    boolean cloze = !shots.isEmpty() && shots.get(0).path("type").asText().equals("Cloze");
    return ImmutableMap.of("question_type", cloze ? "cloze" : "multiple choice");
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    Columns columns = benchmark.columns();
    JsonNode row = example.row();
    Map<String, String> fields = new HashMap<>();
    fields.put("passage", passageLine(columns.optionalNode(row, "passage").asText("")));
    fields.put("question", columns.text(row, "question", example.where()));
    fields.put("options", optionLines(options(columns.optionalNode(row, "options"))));
    fields.put("trigger", trigger);
    return fields;
  }

  private static String passageLine(String passage) {
    return passage.isEmpty() ? "" : "Passage: " + passage + "\n";
  }

  private static List<String> options(JsonNode options) {
    List<String> list = new ArrayList<>();
    if (options.isArray()) {
      options.forEach(option -> list.add(option.asText()));
    }
    return list;
  }

  private static String optionLines(List<String> options) {
    StringBuilder lines = new StringBuilder();
    options.forEach(option -> lines.append(option).append('\n'));
    return lines.toString();
  }

  /** The exemplars of {@code subset}'s file, with their CoT and answer-only answers. */
  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String file = benchmark.fewShotFile(subset);
    List<JsonNode> rows = BenchmarkData.file(benchmark, subset);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String at = file + ":" + (i + 1);
      List<String> options = options(row.path("options"));
      String answer;
      String explanation = row.path("explanation").asText();
      String cot;
      if (options.isEmpty()) {
        answer = BenchmarkData.text(row, "answer", at);
        cot = "Let's think step by step. " + explanation + "\nSo the answer is " + answer;
      } else {
        String label = BenchmarkData.text(row, "label", at);
        int index = label.length() == 1 ? label.charAt(0) - 'A' : -1;
        if (index < 0 || index >= options.size()) {
          throw LeadlineException.data(
              "%s: field 'label' must be the letter of one of %d options", at, options.size());
        }
        answer = "The answer is (" + label + ") " + options.get(index);
        cot =
            "Let's think step by step. "
                + explanation
                + "\nSo the answer is ("
                + label
                + ") "
                + options.get(index);
      }
      Map<String, String> common = new HashMap<>();
      common.put("passage", passageLine(row.path("passage").asText("")));
      common.put("question", BenchmarkData.text(row, "question", at));
      common.put("options", optionLines(options));
      Map<String, String> answerOnly = new HashMap<>(common);
      answerOnly.put("answer", answer);
      Map<String, String> chainOfThought = new HashMap<>(common);
      chainOfThought.put("answer", cot);
      exemplars.add(
          new Exemplar(
              file + "#" + (i + 1),
              ImmutableMap.copyOf(chainOfThought),
              ImmutableMap.copyOf(answerOnly)));
    }
    return exemplars;
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    Columns columns = benchmark.columns();
    JsonNode row = example.row();
    List<String> options = options(columns.optionalNode(row, "options"));
    if (options.isEmpty()) {
      String answer = columns.text(row, "answer", example.where());
      return new Target(ImmutableList.of(answer), ImmutableMap.of("type", "cloze"), answer);
    }
    String label = columns.text(row, "label", example.where());
    if (!label.matches("[A-Z]")) {
      throw LeadlineException.data(
          "%s: column '%s' must be a letter A-Z, found '%s'",
          example.where(), columns.path(row, "label"), label);
    }
    int index = label.charAt(0) - 'A';
    // AGIEval has items whose label names no option (sat-en's row 56: D of three); GPT-Fathom
    // scores them as the data has them, so only a completion naming that letter is right.
    String display =
        index < options.size()
            ? options.get(index)
            : "(" + label + "), which is none of the " + options.size() + " options";
    return new Target(ImmutableList.of(label), ImmutableMap.of("type", "mc"), display);
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS && kind != Kind.NUMBERS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    String passage = columns.optionalNode(row, "passage").asText("");
    String needle =
        (passage.isEmpty() ? "" : passage + "\nQ: ") + columns.text(row, "question", where);
    List<String> options = options(columns.optionalNode(row, "options"));
    if (options.isEmpty()) {
      return new SimFacts(
          SimFacts.Style.TEXT,
          columns.optionalText(row, "id"),
          needle,
          columns.text(row, "answer", where),
          -1,
          "",
          List.of());
    }
    // The simulator finds an option by its text after the letter, as the prompt shows it.
    List<String> texts = new ArrayList<>();
    for (String option : options) {
      texts.add(option.replaceFirst("^\\([A-Z]\\)\\s*", "").strip());
    }
    String label = columns.text(row, "label", where);
    int index = label.length() == 1 ? label.charAt(0) - 'A' : -1;
    if (index < 0 || index >= texts.size()) {
      // A label that names no option: the simulator can only be right by naming the letter.
      return new SimFacts(
          SimFacts.Style.TEXT,
          columns.optionalText(row, "id"),
          needle,
          "(" + label + ")",
          -1,
          "",
          List.of());
    }
    return new SimFacts(
        SimFacts.Style.OPTION,
        columns.optionalText(row, "id"),
        needle,
        texts.get(index),
        index,
        "",
        texts);
  }
}
