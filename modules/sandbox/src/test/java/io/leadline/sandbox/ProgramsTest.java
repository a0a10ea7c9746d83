package io.leadline.sandbox;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The MBPP programs as GPT-Fathom builds them, and every golden MBPP row run in the sandbox. */
public class ProgramsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<String> TESTS =
      List.of("assert f(1) == 2", "assert f(2) == 3", "assert math.isclose(f(0.5), 1.5)");

  private CodeExecutor executor;

  @BeforeClass
  public void start() {
    executor = CodeExecutor.start(SandboxOptions.isolated(4));
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    if (executor != null) {
      executor.close();
    }
  }

  @Test
  public void gptFathomRunsTheFirstAssertAfterTheCandidatesNewline() {
    assertEquals(
        Programs.mbppFirstTest("def f(x):\n    return x + 1", TESTS),
        "def f(x):\n    return x + 1\n" + Programs.TEST + "\nassert f(1) == 2");
  }

  @Test
  public void allTestsRunTheImportsThenEveryAssert() {
    assertEquals(
        Programs.mbppAllTests("def f(x):\n    return x + 1", List.of("import math"), TESTS),
        "def f(x):\n    return x + 1\n"
            + Programs.TEST
            + "\nimport math\nassert f(1) == 2\nassert f(2) == 3\n"
            + "assert math.isclose(f(0.5), 1.5)");
  }

  @Test
  public void anEmptyCompletionIsStillFollowedByBothNewlines() {
    assertEquals(Programs.plain(Programs.mbppFirstTest("", TESTS)), "\n\nassert f(1) == 2");
    assertEquals(
        Programs.plain(Programs.mbppAllTests("", List.of(), TESTS.subList(0, 1))),
        "\n\nassert f(1) == 2");
  }

  @Test
  public void anEmptyTestListIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Programs.mbppFirstTest("x = 1", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Programs.mbppAllTests("x = 1", List.of("import math"), List.of()));
  }

  /**
   * MBPP task 126 asks for a function named {@code sum}: the test's own asserts call the model's
   * {@code sum}, though a builtin of the candidate's never reaches a HumanEval check().
   */
  @Test
  public void aFunctionTheAssertsNameReachesTheTestEvenWhereItShadowsABuiltin() {
    String code = "def sum(a,b): \n    return a + b";
    assertEquals(
        executor
            .run(
                Programs.mbppFirstTest(code, List.of("assert sum(1, 2) == 3")), 3.0, Limits.DEFAULT)
            .result(),
        "passed");
    assertEquals(
        executor
            .run(
                Programs.humanEval(
                    "def f(x):\n",
                    "    return 0\nabs = lambda x: 0\n",
                    "def check(candidate):\n    assert abs(candidate(1) - 2) < 1e-6\n",
                    "f"),
                3.0,
                Limits.DEFAULT)
            .result(),
        "failed: ");
  }

  /**
   * MBPP task 98 (sanitized test split, CC BY 4.0): its asserts call {@code math.isclose}, imported
   * only by the row's {@code test_imports}, which GPT-Fathom never runs (golden README).
   */
  @Test
  public void gptFathomsFirstTestRunsWithoutTheRowsImports() {
    String code =
        "def multiply_num(numbers):  \n    total = 1\n    for x in numbers:\n        total *= x  \n"
            + "    return total/len(numbers) ";
    List<String> tests =
        List.of(
            "assert math.isclose(multiply_num((8, 2, 3, -1, 7)), -67.2, rel_tol=0.001)",
            "assert math.isclose(multiply_num((-10,-20,-30)), -2000.0, rel_tol=0.001)",
            "assert math.isclose(multiply_num((19,15,18)), 1710.0, rel_tol=0.001)");
    assertEquals(
        executor.run(Programs.mbppFirstTest(code, tests), 3.0, Limits.DEFAULT).result(),
        "failed: name 'math' is not defined");
    assertEquals(
        executor
            .run(Programs.mbppAllTests(code, List.of("import math"), tests), 3.0, Limits.DEFAULT)
            .result(),
        "passed");
  }

  @Test
  public void agreesWithGptFathomOnEveryGoldenMbppRow() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/mbpp_exec.jsonl"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rows.add(MAPPER.readTree(line));
      }
    }
    // Both programs of every row at once, so the timeout rows overlap with everything else.
    List<String> programs = new ArrayList<>();
    for (JsonNode row : rows) {
      assertEquals(row.get("timeout").asDouble(), 3.0, "the golden timeout");
      String completion = row.get("completion").asText();
      List<String> tests = strings(row, "test_list");
      programs.add(Programs.mbppFirstTest(completion, tests));
      programs.add(Programs.mbppAllTests(completion, strings(row, "test_imports"), tests));
    }
    List<ExecResult> results = executor.runAll(programs, 3.0, Limits.DEFAULT);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String where =
          "line " + (i + 1) + " (task " + row.get("task_id") + ", " + row.get("category").asText();
      compare(row, "_first_test", results.get(2 * i), where, mismatches);
      compare(row, "_all_tests", results.get(2 * i + 1), where, mismatches);
    }
    assertEquals(String.join("\n", mismatches), "", rows.size() + " rows");
  }

  /** Every expected field, the CPython exception message included, as the human-eval test does. */
  private static void compare(
      JsonNode row, String suffix, ExecResult result, String where, List<String> mismatches) {
    if (result.passed() != row.get("expected_passed" + suffix).asBoolean()
        || !result.status().equals(row.get("expected_status" + suffix).asText())
        || !result.result().equals(row.get("expected_result" + suffix).asText())) {
      mismatches.add(
          where
              + ", "
              + suffix.substring(1)
              + "): "
              + result.result()
              + ", expected "
              + row.get("expected_result" + suffix).asText());
    }
  }

  private static List<String> strings(JsonNode row, String field) {
    List<String> values = new ArrayList<>();
    row.get(field).forEach(node -> values.add(node.asText()));
    return values;
  }
}
