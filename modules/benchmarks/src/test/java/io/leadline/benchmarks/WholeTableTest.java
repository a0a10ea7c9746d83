package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.Target;
import io.leadline.sandbox.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/**
 * The benchmarks of GPT-Fathom's whole table read their rows through their formats: a Hub row and
 * GPT-Fathom's own copy of it give one prompt, LAMBADA's Hub text splits as GPT-Fathom split it,
 * RACE's exemplar stays an item, and AGIEval's exemplars are what the official CSV holds.
 */
public class WholeTableTest {
  private static final Suite SUITE = Checkout.suite();
  private static final Setting SETTING = SUITE.setting(Checkout.settings(), Setting.DEFAULT);
  private static final SplitSource BUNDLED = SplitSource.bundled(Checkout.benchmarks());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String render(String benchmark, String subset, JsonNode row) {
    Example example = new Example(benchmark, subset, "t", row);
    return Prompts.of(SETTING.of(benchmark), subset, BUNDLED)
        .render(example, false, OptionalInt.empty())
        .text();
  }

  /** ARC-Challenge's first two Hub test rows prompt as GPT-Fathom's dump of them does. */
  @Test
  public void aHubRowAndGptFathomsCopyOfItGiveOnePrompt() throws IOException {
    Benchmark arc = SUITE.benchmark("arc-c");
    List<String> hub =
        Files.readAllLines(arc.dir().resolve("data/ARC-Challenge/test.first2.jsonl"));
    List<Example> bundled = BenchmarkData.examples(arc, "ARC-Challenge", BUNDLED);
    for (int i = 0; i < 2; i++) {
      JsonNode row = MAPPER.readTree(hub.get(i));
      assertEquals(
          render("arc-c", "ARC-Challenge", row),
          render("arc-c", "ARC-Challenge", bundled.get(i).row()));
      Target fromHub = arc.format().target(arc, new Example("arc-c", "ARC-Challenge", "t", row));
      assertEquals(fromHub, arc.format().target(arc, bundled.get(i)));
    }
    assertTrue(bundled.get(0).row().has("gpt-fathom"), "the bundled row says its schema");
  }

  /**
   * LAMBADA's Hub row is one text: the last whitespace token is the target, as GPT-Fathom splits.
   */
  @Test
  public void lambadaSplitsAHubTextIntoContextAndLastWord() throws IOException {
    Benchmark lambada = SUITE.benchmark("lambada");
    Example bundled = BenchmarkData.examples(lambada, "en", BUNDLED).get(0);
    assertEquals(bundled.id(), "test/15");
    JsonNode wrapped = bundled.row().get("gpt-fathom");
    String context = wrapped.path("input").path(1).path("content").asText();
    String word = wrapped.path("ideal").asText();
    JsonNode hub =
        MAPPER.createObjectNode().put("text", context.replace(" ", "  \n") + " " + word + "\n");
    assertEquals(render("lambada", "en", hub), render("lambada", "en", bundled.row()));
    assertEquals(
        lambada.format().target(lambada, new Example("lambada", "en", "t", hub)).gold(), word);
  }

  /** A RACE Hub row gives its answer as a letter; GPT-Fathom's copy as an index: one target. */
  @Test
  public void raceHubRowsAnswerByLetter() {
    Benchmark race = SUITE.benchmark("race-m");
    for (Example bundled : BenchmarkData.examples(race, "middle", BUNDLED).subList(0, 5)) {
      JsonNode copy = bundled.row().get("gpt-fathom");
      com.fasterxml.jackson.databind.node.ObjectNode hub = MAPPER.createObjectNode();
      hub.put("article", copy.get("passage").asText());
      hub.put("question", copy.get("question").asText());
      hub.set("options", copy.get("options"));
      hub.put("answer", String.valueOf((char) ('A' + copy.get("ideal").asInt())));
      Example fromHub = new Example("race-m", "middle", "t", hub);
      assertEquals(race.format().target(race, fromHub), race.format().target(race, bundled));
      assertEquals(render("race-m", "middle", hub), render("race-m", "middle", bundled.row()));
    }
  }

  /** RACE's exemplar is the test split's first row, and that row is still the first item. */
  @Test
  public void raceKeepsItsExemplarAsAnItem() {
    Benchmark race = SUITE.benchmark("race-h");
    List<Example> items = BenchmarkData.examples(race, "high", BUNDLED);
    assertEquals(items.size(), 10);
    assertEquals(items.get(0).id(), "test/0");
    Prompts prompts = Prompts.of(SETTING.of("race-h"), "high", BUNDLED);
    assertEquals(prompts.exemplarIds(), List.of("high/test/0"));
  }

  /** MBPP runs each completion twice: GPT-Fathom's first assert alone, and every assert. */
  @Test
  public void mbppChecksTheFirstAssertAndEveryAssert() {
    Benchmark mbpp = SUITE.benchmark("mbpp");
    Example first = BenchmarkData.examples(mbpp, "sanitized", BUNDLED).get(0);
    List<String> programs = mbpp.format().programs(mbpp, first, "def f(): pass", false);
    assertEquals(mbpp.format().checks(), List.of("first-test", "all-tests"));
    JsonNode tests = first.row().get("test_list");
    assertEquals(programs.get(0), "def f(): pass\n" + Programs.TEST + "\n" + tests.get(0).asText());
    assertTrue(programs.get(1).endsWith(tests.get(tests.size() - 1).asText()), programs.get(1));
  }

  /** MATH's gold is the last boxed answer of the solution; MGSM's is the TSV's number. */
  @Test
  public void mathGoldsComeFromTheBoxAndMgsmsFromTheNumber() {
    Benchmark math = SUITE.benchmark("math");
    Example first = BenchmarkData.examples(math, "default", BUNDLED).get(0);
    // Row 0's solution ends "... has $\\boxed{2}$ vertical asymptotes."
    assertEquals(math.format().target(math, first).gold(), "2");
    Benchmark mgsm = SUITE.benchmark("mgsm");
    Example janet = BenchmarkData.examples(mgsm, "de", BUNDLED).get(0);
    assertEquals(mgsm.format().target(mgsm, janet).gold(), "18");
    assertTrue(janet.row().path("question").asText().startsWith("Janets Enten"));
  }

  /** AGIEval's exemplar files are what build_fewshot.py reads from the official CSV. */
  @Test
  public void agievalExemplarsAreWhatTheBuildScriptReadsFromTheCsv() throws Exception {
    Path agieval = SUITE.benchmark("agieval").dir();
    Path out = Files.createTempDirectory("leadline-agieval");
    Process python =
        new ProcessBuilder(
                "python3",
                "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); import build_fewshot;"
                    + " build_fewshot.build(sys.argv[2])",
                agieval.toString(),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes());
    assertEquals(python.waitFor(), 0, output);
    try (Stream<Path> files = Files.list(agieval.resolve("fewshot"))) {
      List<Path> committed = files.sorted().toList();
      assertEquals(committed.size(), 9);
      for (Path file : committed) {
        assertEquals(
            Files.readString(out.resolve(file.getFileName())),
            Files.readString(file),
            file.getFileName().toString());
      }
    }
  }

  /** Every benchmark of the table has a bundled sample its format reads, from its first item. */
  @Test
  public void everyBenchmarkReadsItsBundledSample() {
    for (Benchmark benchmark : SUITE.benchmarks().values()) {
      String subset = benchmark.name().equals("tydiqa") ? "english" : benchmark.subsets().get(0);
      List<Example> items = BenchmarkData.examples(benchmark, subset, BUNDLED);
      assertTrue(!items.isEmpty(), benchmark.name());
      for (Example item : items) {
        benchmark.format().target(benchmark, item);
        benchmark.format().sim(benchmark, item.row(), item.where());
      }
    }
  }
}
