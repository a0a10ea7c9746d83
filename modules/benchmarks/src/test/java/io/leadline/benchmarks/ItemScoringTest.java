package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;

import io.leadline.api.Extraction;
import io.leadline.api.ModelCalls;
import io.leadline.sandbox.CodeExecutor;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Limits;
import io.leadline.sandbox.Programs;
import io.leadline.sandbox.SandboxOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

public class ItemScoringTest {
  private static final Suite SUITE = Checkout.suite();
  private static final Setting GPT_FATHOM = SUITE.setting(Checkout.settings(), "gpt-fathom");
  private static final SplitSource BUNDLED = SplitSource.bundled(Checkout.benchmarks());
  private static final Benchmark HUMANEVAL = SUITE.benchmark("humaneval");
  private static final CodeFormat CODE = (CodeFormat) HUMANEVAL.format();

  private static ItemScoring.SampleScore score(
      BenchmarkSetting setting, Example example, String completion) {
    return ItemScoring.of(setting, "").sample(example, "", completion, false, ModelCalls.NONE);
  }

  private static Example first(String benchmark, String subset) {
    return BenchmarkData.examples(SUITE.benchmark(benchmark), subset, BUNDLED).get(0);
  }

  @Test
  public void gsm8kPrefixMatchAndExactNumberDiffer() {
    Example janet = first("gsm8k", "main"); // gold 18
    ItemScoring.SampleScore right =
        score(GPT_FATHOM.of("gsm8k"), janet, "16-3-4=9, 9*2=18. The answer is 18.");
    assertEquals(
        right.values(), Map.of("gsm8k/gpt-fathom-accuracy", 1.0, "gsm8k/exact-number", 1.0));
    ItemScoring.SampleScore prefix = score(GPT_FATHOM.of("gsm8k"), janet, "The answer is 180.");
    assertEquals(prefix.values().get("gsm8k/gpt-fathom-accuracy"), 1.0);
    assertEquals(prefix.values().get("gsm8k/exact-number"), 0.0);
    assertEquals(prefix.extraction(), Extraction.answer("180"));
    assertEquals(
        prefix.explanation(),
        "gsm8k/gpt-fathom-accuracy read the whole completion, answer '180' against gold '18':"
            + " right (1); gsm8k/exact-number: '180' is not the gold number 18");
  }

  @Test
  public void mmluGoldIsThePermutedLetter() {
    Example item = first("mmlu", "abstract_algebra");
    String gold = ItemScoring.of(GPT_FATHOM.of("mmlu"), "").target(item).gold();
    ItemScoring.SampleScore score = score(GPT_FATHOM.of("mmlu"), item, "(" + gold + ") because");
    assertEquals(score.values().get("mmlu/gpt-fathom-accuracy"), 1.0);
    String wrong = gold.equals("A") ? "B" : "A";
    assertEquals(
        score(GPT_FATHOM.of("mmlu"), item, "(" + wrong + ")").values().values(), List.of(0.0));
  }

  @Test
  public void triviaqaFuzzyOnTheWholeCompletionStrictOnTheFirstLine() {
    Example chipmunks = first("triviaqa", "rc.nocontext"); // David Seville
    ItemScoring.SampleScore score =
        score(GPT_FATHOM.of("triviaqa"), chipmunks, "Ross Bagdasarian\nQ: x\nA: David Seville");
    assertEquals(score.values().get("triviaqa/gpt-fathom-fuzzy-match"), 1.0);
    assertEquals(score.values().get("triviaqa/official-em"), 0.0);
    ItemScoring.SampleScore exact = score(GPT_FATHOM.of("triviaqa"), chipmunks, " David Seville\n");
    assertEquals(exact.values().get("triviaqa/official-em"), 1.0);
  }

  @Test
  public void aSampleWithoutAnAnswerScoresZeroWithItsReasonNeverGraded() {
    Example chipmunks = first("triviaqa", "rc.nocontext");
    ItemScoring scoring = ItemScoring.of(GPT_FATHOM.of("triviaqa"), "");
    // Whatever text comes with it (the reasoning's, which names the gold here) is not graded.
    ItemScoring.ItemScore item =
        scoring.item(
            chipmunks,
            "",
            List.of(" David Seville\n", " David Seville\n"),
            List.of(Optional.of("reasoning truncated"), Optional.empty()),
            false,
            List.of(),
            ModelCalls.NONE);
    ItemScoring.SampleScore unanswered = item.samples().get(0);
    assertEquals(unanswered.extraction(), Extraction.noAnswer("reasoning truncated"));
    assertEquals(
        unanswered.values(),
        Map.of("triviaqa/gpt-fathom-fuzzy-match", 0.0, "triviaqa/official-em", 0.0));
    assertEquals(
        unanswered.explanation(), "reasoning truncated: no answer to grade, every value 0");
    assertEquals(item.samples().get(1).values().get("triviaqa/official-em"), 1.0);
    assertEquals(item.metrics().get("triviaqa/official-em"), 0.5);
    assertEquals(item.noAnswerRate(), 0.5);
  }

  @Test
  public void dropBagOfWordsAndOfficialF1() {
    Example item = first("drop", "default"); // Chaz Schilens or JaMarcus Russell
    ItemScoring.SampleScore score =
        score(GPT_FATHOM.of("drop"), item, "Chaz Schilens\n\nPassage: more");
    assertEquals(score.values().get("drop/official-f1"), 1.0);
    assertEquals(score.values().get("drop/gpt-fathom-f1") < 1.0, true);
  }

  @Test
  public void bbhFollowsTheSettingsChainOfThought() {
    Example item = first("bbh", "boolean_expressions");
    String target = item.text("target");
    assertEquals(
        score(GPT_FATHOM.of("bbh"), item, "... So the answer is " + target + ".")
            .values()
            .get("bbh/gpt-fathom-accuracy"),
        1.0);
    BenchmarkSetting off = SUITE.setting(Checkout.settings(), "cot-off").of("bbh");
    assertEquals(
        score(off, item, "The answer is " + target + ".").values().get("bbh/gpt-fathom-accuracy"),
        1.0);
  }

  @Test
  public void majorityVoteTakesTheMostCommonAnswer() {
    Example janet = first("gsm8k", "main"); // gold 18
    BenchmarkSetting sampled = SUITE.setting(Checkout.settings(), "sampled").of("gsm8k"); // maj@5
    ItemScoring scoring = ItemScoring.of(sampled, "");
    List<String> agreeing =
        List.of(
            "The answer is 20.",
            "The answer is 18.",
            "no idea",
            "So 9 * 2 = 18. The answer is 18.",
            "The answer is 18.");
    ItemScoring.ItemScore majority =
        scoring.item(janet, "", agreeing, false, List.of(), ModelCalls.NONE);
    assertEquals(majority.metrics().get("gsm8k/exact-number@maj5"), 1.0);
    assertEquals(majority.metrics().get("gsm8k/exact-number"), 0.6, 1e-12);
    assertEquals(majority.noAnswerRate(), 0.2, 1e-12);
    List<String> tied =
        List.of("The answer is 20.", "The answer is 18.", "no idea", "none", "still none");
    assertEquals(
        scoring
            .item(janet, "", tied, false, List.of(), ModelCalls.NONE)
            .metrics()
            .get("gsm8k/exact-number@maj5"),
        0.0,
        "a tie goes to the answer reached first");
    assertEquals(scoring.primaryMetric(), "gsm8k/gpt-fathom-accuracy@maj5");
  }

  /** MBPP's pass@k is GPT-Fathom's first-assert check's; every assert's is beside it. */
  @Test
  public void eachCheckHasItsOwnPassAtK() {
    Example item = first("mbpp", "sanitized");
    ItemScoring scoring = ItemScoring.of(GPT_FATHOM.of("mbpp"), "");
    List<String> completions = java.util.Collections.nCopies(100, "def f(): pass");
    List<Boolean> firstTest = new java.util.ArrayList<>();
    List<Boolean> allTests = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      firstTest.add(i < 60);
      allTests.add(i < 20);
    }
    ItemScoring.ItemScore score =
        scoring.item(item, "", completions, false, List.of(firstTest, allTests), ModelCalls.NONE);
    assertEquals(score.metrics().get("mbpp/pass@1"), 0.6, 1e-12);
    assertEquals(score.metrics().get("mbpp/all-tests-pass@1"), 0.2, 1e-12);
    assertEquals(score.metrics().get("mbpp/pass@80"), 1.0);
    assertEquals(scoring.primaryMetric(), "mbpp/pass@1");
  }

  @Test
  public void passAtKComesFromTheExecutions() {
    Example item = first("humaneval", "openai_humaneval");
    BenchmarkSetting setting = GPT_FATHOM.of("humaneval");
    ItemScoring scoring = ItemScoring.of(setting, "");
    List<String> completions = java.util.Collections.nCopies(100, "    return 1\n");
    List<Boolean> passed = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      passed.add(i < 30);
    }
    ItemScoring.ItemScore score =
        scoring.item(item, "", completions, false, List.of(passed), ModelCalls.NONE);
    assertEquals(score.metrics().get("humaneval/pass@1"), 0.3, 1e-12);
    assertEquals(score.metrics().get("humaneval/pass@100"), 1.0);
    assertEquals(score.samples().get(0).values(), Map.of());
    assertEquals(scoring.primaryMetric(), "humaneval/pass@1");
  }

  @Test
  public void everyCanonicalHumanEvalSolutionPassesInTheSandbox() {
    List<Example> problems =
        BenchmarkData.examples(SUITE.benchmark("humaneval"), "openai_humaneval", BUNDLED);
    List<String> programs =
        problems.stream()
            .map(p -> CODE.program(HUMANEVAL, p, p.text("canonical_solution"), false))
            .toList();
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
        CODE.program(HUMANEVAL, item, body, false),
        item.text("prompt")
            + body
            + Programs.TEST
            + "\n"
            + item.text("test")
            + "\ncheck("
            + item.text("entry_point")
            + ")");
    String chat = "Here:\n```python\ndef f():\n    pass\n```\nDone.";
    assertEquals(CodeFormat.code(chat), "def f():\n    pass\n");
    assertEquals(
        CODE.program(HUMANEVAL, item, chat, true),
        "def f():\n    pass\n"
            + Programs.TEST
            + "\n"
            + item.text("test")
            + "\ncheck("
            + item.text("entry_point")
            + ")");
    assertEquals(CodeFormat.code("no fence"), "no fence");
  }
}
