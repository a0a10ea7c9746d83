package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import io.leadline.sandbox.Programs;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Code generation scored by execution (reference §2.9: HumanEval): the prompt is the function's
 * signature and docstring (a chat model may get its own template part, {@code chat_query}); each
 * completion runs with the tests in the sandbox and pass@k is estimated from the n samples.
 * Columns: {@code prompt}, {@code test}, {@code entry_point}.
 */
final class CodeFormat implements Format {
  @Override
  public String id() {
    return "code-execution";
  }

  @Override
  public String hashId() {
    return "code";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of("query", Set.of("prompt"), "chat_query", Set.of("prompt"));
  }

  @Override
  public Set<String> optionalParts() {
    return Set.of("chat_query");
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("prompt", "test", "entry_point", "solution");
  }

  @Override
  public Set<String> optionalColumns() {
    return Set.of("id");
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of();
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "code";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of("humaneval/pass-at-k");
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return Map.of("prompt", benchmark.columns().text(example.row(), "prompt", example.where()));
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    return List.of();
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    Columns columns = benchmark.columns();
    String entryPoint = columns.text(example.row(), "entry_point", example.where());
    return new Target(
        ImmutableList.of(),
        ImmutableMap.of(
            "prompt", columns.text(example.row(), "prompt", example.where()),
            "test", columns.text(example.row(), "test", example.where()),
            "entry_point", entryPoint),
        "(passes check(" + entryPoint + "))");
  }

  @Override
  public boolean executesCode() {
    return true;
  }

  @Override
  public boolean chatKeepsStop() {
    return false;
  }

  /**
   * The program to execute: for a completion API, {@code prompt + completion}; for a chat API, the
   * completion alone (the model re-emits the signature), its code taken from a {@code ```} fence
   * when there is one; then the test and {@code check(entry_point)}.
   */
  @Override
  public ImmutableList<String> programs(
      Benchmark benchmark, Example example, String completion, boolean chat) {
    return ImmutableList.of(program(benchmark, example, completion, chat));
  }

  String program(Benchmark benchmark, Example example, String completion, boolean chat) {
    Target target = target(benchmark, example);
    String test = target.field("test");
    String entryPoint = target.field("entry_point");
    return chat
        ? Programs.humanEval("", code(completion), test, entryPoint)
        : Programs.humanEval(target.field("prompt"), completion, test, entryPoint);
  }

  /**
   * GPT-Fathom's fence extraction, {@code item.split("```")[1][7:]}: the text after the first fence
   * minus its first 7 characters (the {@code python\n} of a tagged fence), or the whole completion
   * when there is no fence.
   */
  static String code(String completion) {
    int open = completion.indexOf("```");
    if (open < 0) {
      return completion;
    }
    int close = completion.indexOf("```", open + 3);
    String inside = completion.substring(open + 3, close < 0 ? completion.length() : close);
    return inside.length() <= 7 ? "" : inside.substring(7);
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
        SimFacts.Style.CODE,
        columns.optionalText(row, "id"),
        columns.text(row, "prompt", where),
        columns.text(row, "solution", where),
        -1,
        "",
        List.of());
  }
}
