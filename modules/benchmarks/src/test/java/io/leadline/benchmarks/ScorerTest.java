package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;

import io.leadline.api.Extraction;
import io.leadline.sandbox.CodeExecutor;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Limits;
import io.leadline.sandbox.SandboxOptions;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

public class ScorerTest {
  private static final Suite SUITE = Checkout.suite();
  private static final Setting GPT_FATHOM = SUITE.setting(Checkout.settings(), "gpt-fathom");
  private static final SplitSource BUNDLED = SplitSource.bundled(Checkout.benchmarks());

  private static Example first(String benchmark, String subset) {
    return BenchmarkData.examples(SUITE.benchmark(benchmark), subset, BUNDLED).get(0);
  }

  @Test
  public void gsm8kPrefixMatchAndExactNumberDiffer() {
    Example janet = first("gsm8k", "main"); // gold 18
    Scorer.Score right =
        Scorer.score(GPT_FATHOM.of("gsm8k"), janet, "16-3-4=9, 9*2=18. The answer is 18.");
    assertEquals(
        right.metrics(), Map.of("gsm8k/gpt-fathom-accuracy", 1.0, "gsm8k/exact-number", 1.0));
    Scorer.Score prefix = Scorer.score(GPT_FATHOM.of("gsm8k"), janet, "The answer is 180.");
    assertEquals(prefix.metrics().get("gsm8k/gpt-fathom-accuracy"), 1.0);
    assertEquals(prefix.metrics().get("gsm8k/exact-number"), 0.0);
    assertEquals(prefix.extraction(), Extraction.answer("180"));
  }

  @Test
  public void mmluGoldIsThePermutedLetter() {
    Example item = first("mmlu", "abstract_algebra");
    String gold = Prompts.choice(item).goldLetter();
    Scorer.Score score = Scorer.score(GPT_FATHOM.of("mmlu"), item, "(" + gold + ") because");
    assertEquals(score.metrics().get("mmlu/gpt-fathom-accuracy"), 1.0);
    String wrong = gold.equals("A") ? "B" : "A";
    assertEquals(
        Scorer.score(GPT_FATHOM.of("mmlu"), item, "(" + wrong + ")").metrics().values(),
        List.of(0.0));
  }

  @Test
  public void triviaqaFuzzyOnTheWholeCompletionStrictOnTheFirstLine() {
    Example chipmunks = first("triviaqa", "rc.nocontext"); // David Seville
    Scorer.Score score =
        Scorer.score(
            GPT_FATHOM.of("triviaqa"), chipmunks, "Ross Bagdasarian\nQ: x\nA: David Seville");
    assertEquals(score.metrics().get("triviaqa/gpt-fathom-fuzzy-match"), 1.0);
    assertEquals(score.metrics().get("triviaqa/official-em"), 0.0);
    Scorer.Score exact = Scorer.score(GPT_FATHOM.of("triviaqa"), chipmunks, " David Seville\n");
    assertEquals(exact.metrics().get("triviaqa/official-em"), 1.0);
  }

  @Test
  public void dropBagOfWordsAndOfficialF1() {
    Example item = first("drop", "default"); // Chaz Schilens or JaMarcus Russell
    Scorer.Score score =
        Scorer.score(GPT_FATHOM.of("drop"), item, "Chaz Schilens\n\nPassage: more");
    assertEquals(score.metrics().get("drop/official-f1"), 1.0);
    assertEquals(score.metrics().get("drop/gpt-fathom-f1") < 1.0, true);
  }

  @Test
  public void bbhFollowsTheSettingsChainOfThought() {
    Example item = first("bbh", "boolean_expressions");
    String target = item.text("target");
    assertEquals(
        Scorer.score(GPT_FATHOM.of("bbh"), item, "... So the answer is " + target + ".")
            .metrics()
            .get("bbh/gpt-fathom-accuracy"),
        1.0);
    BenchmarkSetting off = SUITE.setting(Checkout.settings(), "cot-off").of("bbh");
    assertEquals(
        Scorer.score(off, item, "The answer is " + target + ".")
            .metrics()
            .get("bbh/gpt-fathom-accuracy"),
        1.0);
  }

  @Test
  public void majorityVoteTakesTheMostCommonAnswer() {
    Example janet = first("gsm8k", "main"); // gold 18
    BenchmarkSetting sampled = SUITE.setting(Checkout.settings(), "sampled").of("gsm8k");
    List<String> completions =
        List.of(
            "The answer is 20.",
            "The answer is 18.",
            "no idea",
            "So 9 * 2 = 18. The answer is 18.",
            "The answer is 20.",
            "The answer is 18.");
    assertEquals(
        Scorer.majority(sampled, janet, completions, 6).metrics().get("gsm8k/exact-number"), 1.0);
    assertEquals(
        Scorer.majority(sampled, janet, completions, 1).metrics().get("gsm8k/exact-number"), 0.0);
    assertEquals(
        Scorer.majority(sampled, janet, List.of("The answer is 20.", "The answer is 18."), 2)
            .extraction(),
        Extraction.answer("20"),
        "a tie goes to the answer reached first");
  }

  @Test
  public void everyCanonicalHumanEvalSolutionPassesInTheSandbox() {
    List<Example> problems =
        BenchmarkData.examples(SUITE.benchmark("humaneval"), "openai_humaneval", BUNDLED);
    List<String> programs =
        problems.stream().map(p -> Scorer.program(p, p.text("canonical_solution"), false)).toList();
    try (CodeExecutor executor = CodeExecutor.start(SandboxOptions.isolated(2))) {
      List<ExecResult> results = executor.runAll(programs, 3.0, Limits.DEFAULT);
      for (int i = 0; i < problems.size(); i++) {
        assertEquals(results.get(i).result(), "passed", problems.get(i).id());
      }
    }
    assertEquals(problems.size(), 164);
  }

  @Test
  public void humanEvalProgramsForCompletionAndChatApis() {
    Example item = first("humaneval", "openai_humaneval");
    String body = "    return True\n";
    assertEquals(
        Scorer.program(item, body, false),
        item.text("prompt")
            + body
            + "\n"
            + item.text("test")
            + "\ncheck("
            + item.text("entry_point")
            + ")");
    String chat = "Here:\n```python\ndef f():\n    pass\n```\nDone.";
    assertEquals(Scorer.code(chat), "def f():\n    pass\n");
    assertEquals(
        Scorer.program(item, chat, true),
        "def f():\n    pass\n\n" + item.text("test") + "\ncheck(" + item.text("entry_point") + ")");
    assertEquals(Scorer.code("no fence"), "no fence");
  }
}
