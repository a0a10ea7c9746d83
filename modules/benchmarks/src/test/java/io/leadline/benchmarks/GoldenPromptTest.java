package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;

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
    };
  }

  @Test(dataProvider = "items")
  public void rendersAsTheReferenceDocumentSays(
      String benchmark, String subset, int index, boolean chat, String expected)
      throws IOException {
    BenchmarkSetting setting = SETTING.of(benchmark);
    List<Example> examples = BenchmarkData.examples(SUITE.benchmark(benchmark), subset, BUNDLED);
    RenderedPrompt prompt =
        Prompts.of(setting, subset, BUNDLED).render(examples.get(index), chat, OptionalInt.empty());
    assertEquals(prompt.text(), resource(expected));
    assertEquals(prompt.shotsUsed(), setting.shots());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenPromptTest.class.getResourceAsStream("/prompts/" + name + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
