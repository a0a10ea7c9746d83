package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class BenchmarkDefinitionTest {
  private static final Suite SUITE = Checkout.suite();
  private static final SplitSource BUNDLED = SplitSource.bundled(Checkout.benchmarks());

  @Test
  public void theBenchmarksInGptFathomsCategoryOrder() {
    assertEquals(
        List.copyOf(SUITE.benchmarks().keySet()),
        List.of(
            "agieval",
            "arc-c",
            "arc-e",
            "mmlu",
            "nq",
            "triviaqa",
            "webqa", // Knowledge
            "bbh",
            "hellaswag",
            "lambada", // Reasoning
            "drop",
            "race-h",
            "race-m", // Comprehension
            "gsm8k",
            "math", // Math
            "humaneval",
            "mbpp", // Coding
            "mgsm",
            "tydiqa", // Multilingual
            "truthfulqa", // Safety
            "tinystories")); // Generation
    assertEquals(SUITE.benchmark("mmlu").subsets().size(), 57);
    assertEquals(SUITE.benchmark("bbh").subsets().size(), 27);
    assertEquals(SUITE.benchmark("drop").primaryMetric(), "drop/gpt-fathom-f1");
    assertEquals(SUITE.benchmark("drop").metricNames().get(1), "drop/official-f1");
  }

  @DataProvider
  public Object[][] optionCounts() {
    // CPython: random.Random(47).shuffle(list(range(n))) for n = 2..5.
    return new Object[][] {
      {2, new int[] {0, 1}},
      {3, new int[] {2, 0, 1}},
      {4, new int[] {3, 1, 0, 2}},
      {5, new int[] {3, 4, 1, 0, 2}},
    };
  }

  @Test(dataProvider = "optionCounts")
  public void mmluOptionsFollowRandom47ForEveryCount(int count, int[] permutation)
      throws IOException {
    StringBuilder choices = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      choices.append(i == 0 ? "" : ", ").append("\"option ").append(i).append('"');
    }
    String row =
        "{\"question\": \"Which?\", \"subject\": \"anatomy\", \"choices\": "
            + choices
            + "], \"answer\": 1}";
    Example example = new Example("mmlu", "anatomy", "synthetic", new ObjectMapper().readTree(row));
    BenchmarkSetting zeroShot = SUITE.setting(Checkout.settings(), "zero-shot").of("mmlu");
    String prompt =
        Prompts.of(zeroShot, "anatomy", BUNDLED).render(example, false, OptionalInt.empty()).text();
    StringBuilder options = new StringBuilder();
    String gold = null;
    for (int position = 0; position < count; position++) {
      char letter = (char) ('A' + position);
      options.append(position == 0 ? "" : "\n");
      options.append('(').append(letter).append(") option ").append(permutation[position]);
      if (permutation[position] == 1) {
        gold = String.valueOf(letter);
      }
    }
    assertEquals(
        prompt,
        "The following are multiple choice questions (with answers) about anatomy.\n\n"
            + "Q: Which?\n\n"
            + options
            + "\nA: ");
    assertEquals(ItemScoring.of(zeroShot, "").target(example).gold(), gold);
  }

  @Test
  public void aSmallContextWindowDropsShotsFromTheEnd() {
    BenchmarkSetting setting = SUITE.setting(Checkout.settings(), "gpt-fathom").of("gsm8k");
    Prompts prompts = Prompts.of(setting, "main", BUNDLED);
    Example example = BenchmarkData.examples(SUITE.benchmark("gsm8k"), "main", BUNDLED).get(0);
    RenderedPrompt full = prompts.render(example, false, OptionalInt.empty());
    RenderedPrompt roomy = prompts.render(example, false, OptionalInt.of(100_000));
    assertEquals(roomy, full);
    assertTrue(!full.outOfWindow());
    RenderedPrompt tight = prompts.render(example, false, OptionalInt.of(1024 + 700));
    assertTrue(tight.outOfWindow());
    assertTrue(tight.shotsUsed() < 8 && tight.shotsUsed() > 0, "used " + tight.shotsUsed());
    assertTrue(Prompts.tokens(tight.text()) + 1024 <= 1024 + 700);
    assertTrue(full.text().startsWith(tight.text().substring(0, 200)));
    assertTrue(tight.text().endsWith(example.text("question") + "\nA: Let's think step by step"));
  }

  @Test
  public void answerOnlyExemplarsKeepOnlyTheAnswer() {
    BenchmarkSetting off = SUITE.setting(Checkout.settings(), "cot-off").of("bbh");
    Example example =
        BenchmarkData.examples(SUITE.benchmark("bbh"), "boolean_expressions", BUNDLED).get(0);
    String prompt =
        Prompts.of(off, "boolean_expressions", BUNDLED)
            .render(example, false, OptionalInt.empty())
            .text();
    assertTrue(!prompt.contains("Let's think step by step"), prompt);
    assertTrue(prompt.contains("\nA: The answer is False.\n\nQ: "), prompt);
    assertTrue(prompt.endsWith("\nA: "), prompt);
  }

  /** Where the edited copies go: one folder for the class, removed after it. */
  private Path copies;

  @BeforeClass
  public void makeCopies() throws IOException {
    copies = Files.createTempDirectory("leadline-benchmark-copies");
  }

  @AfterClass(alwaysRun = true)
  public void removeCopies() throws IOException {
    com.google.common.io.MoreFiles.deleteRecursively(
        copies, com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
  }

  private Path copyOf(String benchmark) throws IOException {
    Path dir = Files.createTempDirectory(copies, "copy").resolve(benchmark);
    Files.createDirectories(dir);
    for (Path file : List.of(Path.of("benchmark.yaml"), Path.of("fewshot.jsonl"))) {
      Path source = Checkout.benchmarks().resolve(benchmark).resolve(file);
      if (Files.exists(source)) {
        Files.copy(source, dir.resolve(file));
      }
    }
    Path shots = Checkout.benchmarks().resolve(benchmark).resolve("fewshot");
    if (Files.isDirectory(shots)) {
      Files.createDirectories(dir.resolve("fewshot"));
      try (var files = Files.list(shots)) {
        for (Path file : files.toList()) {
          Files.copy(file, dir.resolve("fewshot").resolve(file.getFileName()));
        }
      }
    }
    return dir;
  }

  private static String loadError(Path dir, String from, String to) throws IOException {
    Path yaml = dir.resolve("benchmark.yaml");
    String text = Files.readString(yaml);
    assertTrue(text.contains(from), from);
    Files.writeString(yaml, text.replace(from, to));
    return expectThrows(LeadlineException.class, () -> Benchmark.load(dir)).getMessage();
  }

  @Test
  public void anUnknownKeyIsNamedWithTheFile() throws IOException {
    Path dir = copyOf("gsm8k");
    assertEquals(
        loadError(dir, "format: math-cot", "format: math-cot\nshotz: 8"),
        dir.resolve("benchmark.yaml")
            + ": unknown key 'shotz'; known: aggregate, category, columns, dataset, extractor,"
            + " fewshot, format, judge, loglikelihood, metrics, name, schemas, template, title");
  }

  @Test
  public void aMissingExemplarFileIsNamed() throws IOException {
    Path dir = copyOf("gsm8k");
    Files.delete(dir.resolve("fewshot.jsonl"));
    String message = loadError(dir, "format: math-cot", "format: math-cot");
    assertEquals(
        message,
        dir.resolve("benchmark.yaml")
            + ": fewshot.file: no such file: "
            + dir.resolve("fewshot.jsonl"));
  }

  @Test
  public void aPlaceholderWithNoFieldIsNamed() throws IOException {
    Path dir = copyOf("gsm8k");
    assertEquals(
        loadError(dir, "\"Q: {question}\\nA: {trigger}\"", "\"Q: {questoin}\\nA: {trigger}\""),
        dir.resolve("benchmark.yaml")
            + ": template.query: placeholder {questoin} names no field; known: question,"
            + " trigger");
  }

  @Test
  public void anUnknownMetricIsNamed() throws IOException {
    Path dir = copyOf("gsm8k");
    String message = loadError(dir, "gsm8k/exact-number", "gsm8k/exact");
    assertTrue(
        message.startsWith(
            dir.resolve("benchmark.yaml") + ": metrics[1].name: not a metric of format math-cot"),
        message);
  }

  @DataProvider
  public Object[][] badDefinitions() {
    return new Object[][] {
      {
        "truthfulqa",
        "answer_labels: mc1_targets.labels}",
        "answer_labels: mc1_targets.labels, answer: x}",
        "columns: needs exactly one of 'answer' and 'answer_labels'"
      },
      {
        "truthfulqa",
        ", answer_labels: mc1_targets.labels}",
        "}",
        "columns: needs exactly one of 'answer' and 'answer_labels'"
      },
      {
        "truthfulqa",
        "question: question,",
        "question: [question, q2],",
        "columns.question: names one column (a list is for [choices])"
      },
      {"webqa", "answers: answers}", "answers: []}", "columns.answers: names no column"},
      {"webqa", "answers: answers}", "question2: x}", "unknown key 'question2'"},
      {
        "truthfulqa",
        ", start: 1}",
        "}",
        "fewshot.split: is the evaluated split: set dataset.start to the first row that is not an"
            + " exemplar"
      },
      {
        "webqa",
        "  - {name: triviaqa/official-em}",
        "  - {name: triviaqa/official-em}\n  - {name: judged}",
        "judge: is required: the metrics include judged (name the judges)"
      },
      {
        "webqa",
        "  - {name: triviaqa/official-em}",
        "  - {name: triviaqa/official-em, judge: sim-v2}",
        "unknown key 'judge'"
      },
      {
        "webqa",
        "  - {name: triviaqa/official-em}",
        "  - {name: triviaqa/official-em}\n  - {name: triviaqa/official-em}",
        "metrics[2].name: is named twice; each metric's values go by its name"
      },
      {
        "race-m",
        "config: middle, split: test}",
        "config: middle, split: test, start: 1}",
        "fewshot.overlap: cannot go with dataset.start"
      },
      {
        "arc-c",
        "fewshot: {split: validation}",
        "fewshot: {split: validation, overlap: true}",
        "fewshot.overlap: is only for exemplars from the evaluated split"
      },
      {
        "agieval",
        "  github: ruixiangcui/AGIEval",
        "  github: ruixiangcui/AGIEval\n  hub: ruixiangcui/AGIEval",
        "dataset: needs exactly one of 'hub' and 'github'"
      },
      {
        "lambada",
        "columns: {text: text}",
        "columns: {text: text, word: w}",
        "columns: needs either 'text' or both 'context' and 'word'"
      },
      {
        "math",
        "solution: solution}",
        "solution: solution, answer: answer}",
        "columns: needs exactly one of answer, solution, answer_number"
      },
      {
        "nq",
        "gpt-fathom: {question: input.1.content, answers: ideal}",
        "gpt-fathom: {question: input.1.content}",
        "is required by format closed-qa"
      },
      {
        "mgsm",
        "fewshot: {file: \"fewshot/{subset}.jsonl\"}",
        "fewshot: {file: \"fewshot/{subset}.json\"}",
        "fewshot.file: no such file: "
      },
      {
        "webqa",
        "category: Knowledge",
        "category: Trivia",
        "category: expected one of Knowledge, Reasoning, Comprehension, Math, Coding,"
            + " Multilingual, Safety"
      },
    };
  }

  @Test(dataProvider = "badDefinitions")
  public void aBadDefinitionIsOneLineNamingTheFileAndField(
      String benchmark, String from, String to, String expected) throws IOException {
    Path dir = copyOf(benchmark);
    String message = loadError(dir, from, to);
    assertTrue(message.startsWith(dir.resolve("benchmark.yaml") + ": "), message);
    assertTrue(message.contains(": " + expected), message);
  }

  @Test
  public void formatsGiveTheirExtractorsAndScorersWhenABenchmarkNamesNone() throws IOException {
    Path dir = copyOf("webqa");
    Path yaml = dir.resolve("benchmark.yaml");
    String text = Files.readString(yaml);
    Files.writeString(yaml, text.substring(0, text.indexOf("extractor:")));
    Benchmark webqa = Benchmark.load(dir);
    assertEquals(webqa.extractorAnswerOnly(), "whole-completion");
    assertEquals(
        webqa.metricNames(),
        List.of(
            "triviaqa/gpt-fathom-fuzzy-match",
            "triviaqa/official-em",
            "triviaqa/official-f1",
            "tydiqa/gpt-fathom-f1"));
  }

  /** The three ways a multiple-choice row gives its answer, ARC's among them. */
  @Test
  public void multipleChoiceAnswersByIndexLabelOrOneHot() throws IOException {
    Format format = Formats.get("multiple-choice");
    ObjectMapper mapper = new ObjectMapper();
    Columns mmlu =
        Columns.load(
            ConfigNode.parse("b.yaml", "{question: question, choices: choices, answer: answer}"),
            format);
    Columns arc =
        Columns.load(
            ConfigNode.parse(
                "b.yaml",
                "{question: question, choices: choices.text, labels: choices.label,"
                    + " answer: answerKey}"),
            format);
    Columns truthful =
        Columns.load(
            ConfigNode.parse(
                "b.yaml",
                "{question: question, choices: mc1_targets.choices,"
                    + " answer_labels: mc1_targets.labels}"),
            format);
    assertEquals(
        MultipleChoice.answerIndex(
            mmlu, mapper.readTree("{\"choices\": [\"a\", \"b\", \"c\"], \"answer\": 2}"), "r"),
        2);
    assertEquals(
        MultipleChoice.answerIndex(
            arc,
            mapper.readTree(
                "{\"choices\": {\"text\": [\"a\", \"b\", \"c\"], \"label\": [\"1\", \"2\", \"3\"]},"
                    + " \"answerKey\": \"2\"}"),
            "r"),
        1);
    assertEquals(
        MultipleChoice.answerIndex(
            truthful,
            mapper.readTree("{\"mc1_targets\": {\"choices\": [\"a\", \"b\"], \"labels\": [0, 1]}}"),
            "r"),
        1);
    LeadlineException twoRight =
        expectThrows(
            LeadlineException.class,
            () ->
                MultipleChoice.answerIndex(
                    truthful,
                    mapper.readTree(
                        "{\"mc1_targets\": {\"choices\": [\"a\", \"b\"], \"labels\": [1, 1]}}"),
                    "row 7"));
    assertEquals(
        twoRight.getMessage(),
        "row 7: column 'mc1_targets.labels' must pick exactly one of the 2 options");
  }

  /** A row without a mapped column is one line naming it, before a sweep sends anything. */
  @Test
  public void aRowWithoutAMappedColumnIsNamed() throws IOException {
    Benchmark webqa = SUITE.benchmark("webqa");
    BenchmarkData.checkRow(webqa, "default", "{\"question\": \"q\", \"answers\": [\"a\"]}", 0);
    LeadlineException missing =
        expectThrows(
            LeadlineException.class,
            () -> BenchmarkData.checkRow(webqa, "default", "{\"question\": \"q\"}", 3));
    assertEquals(
        missing.getMessage(),
        "webqa example test/3: column 'answers' (field answers) is missing or not a list of"
            + " strings");
  }

  /** TruthfulQA draws exemplars from the split it evaluates: only rows before its start. */
  @Test
  public void exemplarsFromTheEvaluatedSplitStopBeforeTheFirstItem() {
    BenchmarkSetting threeShot = SUITE.setting(Checkout.settings(), "shots-3").of("truthfulqa");
    Prompts prompts = Prompts.of(threeShot, "multiple_choice", BUNDLED);
    assertEquals(prompts.exemplarsAvailable(), 1);
    assertEquals(prompts.exemplarIds(), List.of("multiple_choice/validation/0"));
    Example first =
        BenchmarkData.examples(SUITE.benchmark("truthfulqa"), "multiple_choice", BUNDLED).get(0);
    assertEquals(first.id(), "validation/1");
  }
}
