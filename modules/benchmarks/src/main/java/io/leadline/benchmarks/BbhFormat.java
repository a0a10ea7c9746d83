package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BIG-Bench Hard (reference §2.8): Suzgun et al.'s per-task prompt files (a description, then
 * exemplars split on {@code "\n\nQ: "}), answer-only exemplars with the reasoning replaced by
 * {@code The answer is }. Columns: {@code input}, {@code target}.
 */
final class BbhFormat implements Format {
  private static final String SEPARATOR = "-----\n";

  @Override
  public String id() {
    return "bbh";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("description"),
        "shot", Set.of("exemplar"),
        "query", Set.of("input", "trigger"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("input", "target");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("prompts");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return chainOfThought ? "bbh/gpt-fathom-cot" : "bbh/gpt-fathom-answer-only";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of("bbh/gpt-fathom-accuracy");
  }

  @Override
  public ImmutableMap<String, String> headerFields(Benchmark benchmark, String subset) {
    return ImmutableMap.of("description", prompt(benchmark, subset).get(0));
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return Map.of(
        "input",
        benchmark.columns().text(example.row(), "input", example.where()),
        "trigger",
        trigger);
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    List<String> parts = prompt(benchmark, subset);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 1; i < parts.size(); i++) {
      exemplars.add(
          new Exemplar(
              benchmark.fewShotWhere() + "/" + subset + ".txt#" + i,
              ImmutableMap.of("exemplar", parts.get(i)),
              ImmutableMap.of("exemplar", answerOnly(parts.get(i)))));
    }
    return exemplars;
  }

  /**
   * A Suzgun et al. prompt file: the text after the {@code -----} line (trailing newlines dropped),
   * split on {@code "\n\nQ: "} into the description and the exemplars.
   */
  private static List<String> prompt(Benchmark benchmark, String task) {
    Path file = benchmark.dir().resolve(benchmark.fewShotWhere()).resolve(task + ".txt");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: cannot read the BBH prompt (%s)", file, e.getMessage());
    }
    int separator = text.indexOf(SEPARATOR);
    if (separator < 0) {
      throw LeadlineException.data("%s: no '-----' line before the prompt", file);
    }
    String prompt = text.substring(separator + SEPARATOR.length()).stripTrailing();
    return ImmutableList.copyOf(prompt.split("\n\nQ: ", -1));
  }

  /** GPT-Fathom's answer-only BBH exemplar: the reasoning replaced by {@code The answer is }. */
  static String answerOnly(String exemplar) {
    int start = exemplar.indexOf("Let's think step by step.");
    int end = exemplar.indexOf("So the answer is ");
    if (start < 0 || end < start) {
      return exemplar;
    }
    return exemplar.substring(0, start)
        + "The answer is "
        + exemplar.substring(end + "So the answer is ".length());
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    String target = benchmark.columns().text(example.row(), "target", example.where());
    return new Target(ImmutableList.of(target), ImmutableMap.of(), target);
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS && kind != Kind.NUMBERS;
  }

  @Override
  public String questionField() {
    return "input";
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    return new SimFacts(
        SimFacts.Style.BBH,
        benchmark.columns().optionalText(row, "id"),
        benchmark.columns().text(row, "input", where),
        benchmark.columns().text(row, "target", where),
        -1,
        "",
        List.of());
  }
}
