package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The first bundled items of each benchmark under {@code gpt-fathom} render byte for byte as the
 * expectations in {@code src/test/resources/prompts}, written by {@code generate.py} from the
 * reference document's templates independently of this code.
 */
public class GoldenPromptTest {
  private static final Suite SUITE = Checkout.suite();
  private static final Setting SETTING = SUITE.setting(Checkout.settings(), Setting.DEFAULT);
  private static final SplitSource BUNDLED = SplitSource.bundled(Checkout.benchmarks());

  @DataProvider
  public Object[][] items() {
    return new Object[][] {
      {"gsm8k", "main", 0, false, "gsm8k-0"},
      {"gsm8k", "main", 1, false, "gsm8k-1"},
      {"mmlu", "abstract_algebra", 0, false, "mmlu-abstract_algebra-0"},
      {"mmlu", "abstract_algebra", 1, false, "mmlu-abstract_algebra-1"},
      {"mmlu", "high_school_us_history", 0, false, "mmlu-high_school_us_history-0"},
      {"mmlu", "high_school_us_history", 1, false, "mmlu-high_school_us_history-1"},
      {"triviaqa", "rc.nocontext", 0, false, "triviaqa-0"},
      {"triviaqa", "rc.nocontext", 1, false, "triviaqa-1"},
      {"drop", "default", 0, false, "drop-0"},
      {"drop", "default", 1, false, "drop-1"},
      {"bbh", "boolean_expressions", 0, false, "bbh-boolean_expressions-0"},
      {"bbh", "boolean_expressions", 1, false, "bbh-boolean_expressions-1"},
      {"bbh", "snarks", 0, false, "bbh-snarks-0"},
      {"bbh", "snarks", 1, false, "bbh-snarks-1"},
      {"humaneval", "openai_humaneval", 0, false, "humaneval-0"},
      {"humaneval", "openai_humaneval", 1, false, "humaneval-1"},
      {"humaneval", "openai_humaneval", 0, true, "humaneval-chat-0"},
      {"humaneval", "openai_humaneval", 1, true, "humaneval-chat-1"},
      {"truthfulqa", "multiple_choice", 0, false, "truthfulqa-0"},
      {"truthfulqa", "multiple_choice", 1, false, "truthfulqa-1"},
      {"webqa", "default", 0, false, "webqa-0"},
      {"webqa", "default", 1, false, "webqa-1"},
      {"math", "default", 0, false, "math-0"},
      {"math", "default", 1, false, "math-1"},
      {"mbpp", "sanitized", 0, false, "mbpp-0"},
      {"mbpp", "sanitized", 1, false, "mbpp-1"},
      {"arc-e", "ARC-Easy", 0, false, "arc-e-0"},
      {"arc-e", "ARC-Easy", 1, false, "arc-e-1"},
      {"arc-c", "ARC-Challenge", 0, false, "arc-c-0"},
      {"arc-c", "ARC-Challenge", 1, false, "arc-c-1"},
      {"hellaswag", "default", 0, false, "hellaswag-0"},
      {"hellaswag", "default", 1, false, "hellaswag-1"},
      {"race-m", "middle", 0, false, "race-m-0"},
      {"race-m", "middle", 1, false, "race-m-1"},
      {"race-h", "high", 0, false, "race-h-0"},
      {"race-h", "high", 1, false, "race-h-1"},
      {"nq", "default", 0, false, "nq-0"},
      {"nq", "default", 1, false, "nq-1"},
      {"tydiqa", "english", 0, false, "tydiqa-english-0"},
      {"tydiqa", "english", 1, false, "tydiqa-english-1"},
      {"lambada", "en", 0, false, "lambada-0"},
      {"lambada", "en", 1, false, "lambada-1"},
      {"agieval", "lsat-rc", 0, false, "agieval-lsat-rc-0"},
      {"agieval", "lsat-rc", 1, false, "agieval-lsat-rc-1"},
      {"agieval", "sat-math", 0, false, "agieval-sat-math-0"},
      {"agieval", "sat-math", 1, false, "agieval-sat-math-1"},
      {"agieval", "aqua-rat", 0, false, "agieval-aqua-rat-0"},
      {"agieval", "aqua-rat", 1, false, "agieval-aqua-rat-1"},
      {"agieval", "sat-en-without-passage", 0, false, "agieval-sat-en-without-passage-0"},
      {"agieval", "sat-en-without-passage", 1, false, "agieval-sat-en-without-passage-1"},
      {"agieval", "math", 0, false, "agieval-math-0"},
      {"agieval", "math", 1, false, "agieval-math-1"},
      {"mgsm", "de", 0, false, "mgsm-de-0"},
      {"mgsm", "de", 1, false, "mgsm-de-1"},
      {"mgsm", "zh", 0, false, "mgsm-zh-0"},
      {"mgsm", "zh", 1, false, "mgsm-zh-1"},
      {"mgsm", "bn", 0, false, "mgsm-bn-0"},
      {"mgsm", "bn", 1, false, "mgsm-bn-1"},
    };
  }

  @Test(dataProvider = "items")
  public void rendersAsTheReferenceDocumentSays(
      String benchmark, String subset, int index, boolean chat, String expected)
      throws IOException {
    BenchmarkSetting setting = SETTING.of(benchmark);
    List<Example> examples = BenchmarkData.examples(SUITE.benchmark(benchmark), subset, BUNDLED);
    Prompts prompts = Prompts.of(setting, subset, BUNDLED);
    RenderedPrompt prompt = prompts.render(examples.get(index), chat, OptionalInt.empty());
    assertEquals(prompt.text(), resource(expected));
    // AGIEval's tasks have 3 to 5 official exemplars; a setting asks for at most that many.
    assertEquals(prompt.shotsUsed(), Math.min(setting.shots(), prompts.exemplarsAvailable()));
    assertTrue(setting.shots() == 0 || prompt.shotsUsed() > 0);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenPromptTest.class.getResourceAsStream("/prompts/" + name + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
