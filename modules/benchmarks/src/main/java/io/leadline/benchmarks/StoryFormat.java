package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open-ended story continuation (TinyStories' GPT-Eval): the prompt is the beginning of a story,
 * which a completion API continues as it is and a chat API gets after the template's {@code
 * chat_query} instruction; there is no gold, and judges grade the ending ({@code judged}). Column:
 * {@code beginning}.
 */
final class StoryFormat implements Format {
  @Override
  public String id() {
    return "story";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of(), "query", Set.of("beginning"), "chat_query", Set.of("beginning"));
  }

  @Override
  public Set<String> optionalParts() {
    return Set.of("header", "chat_query");
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("beginning");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of();
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "whole-completion";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of();
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return Map.of("beginning", beginning(benchmark, example));
  }

  private static String beginning(Benchmark benchmark, Example example) {
    return benchmark.columns().text(example.row(), "beginning", example.where());
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    return List.of();
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    return new Target(
        ImmutableList.of(),
        ImmutableMap.of("beginning", beginning(benchmark, example)),
        "(no gold: judges grade the ending)");
  }

  @Override
  public Set<String> judgeInputs() {
    return Set.of("beginning");
  }

  /** None: the beginning is the prompt, and a story has no answer to keep. */
  @Override
  public boolean perturbedBy(Kind kind) {
    return false;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    return new SimFacts(
        SimFacts.Style.STORY,
        benchmark.columns().optionalText(row, "id"),
        benchmark.columns().text(row, "beginning", where),
        "",
        -1,
        "",
        List.of());
  }
}
