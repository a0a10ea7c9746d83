package io.leadline.sandbox;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Every golden human-eval row, executed in the real sandbox on two workers. */
public class CodeExecutorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Rows where the reference is fooled (golden README, "pass even though they shouldn't") and
   * Leadline is stricter: the program overran its timeout, which it hid from the reference.
   */
  private static final Map<String, String> STRICTER =
      Map.of(
          "swallows the TimeoutException once, then answers (passes after ~3 s)",
          "timed out",
          "leaves a non-daemon thread running after a correct answer",
          "timed out",
          "returns an object whose __eq__ is always True",
          "failed:  (the candidate returned a builtins.add.<locals>._AlwaysEqual object, compared here as equal"
              + " to nothing; the reference would have asked its own __eq__)",
          "shadows builtin abs at module level so tolerance checks pass",
          "failed: ");

  private CodeExecutor executor;

  @BeforeClass
  public void start() {
    executor = CodeExecutor.start(SandboxOptions.isolated(2));
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    if (executor != null) {
      executor.close();
    }
  }

  @Test
  public void agreesWithTheReferenceOnEveryGoldenRow() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/humaneval_exec.jsonl"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rows.add(MAPPER.readTree(line));
      }
    }
    List<String> programs = new ArrayList<>();
    for (JsonNode row : rows) {
      programs.add(
          Programs.humanEval(
              row.get("prompt").asText(),
              row.get("completion").asText(),
              row.get("test").asText(),
              row.get("entry_point").asText()));
    }
    List<ExecResult> results = executor.runAll(programs, 3.0, Limits.DEFAULT);
    List<String> mismatches = new ArrayList<>();
    int stricter = 0;
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      ExecResult result = results.get(i);
      String description = row.get("description").asText();
      String expected = STRICTER.getOrDefault(description, row.get("expected_result").asText());
      if (STRICTER.containsKey(description)) {
        stricter++;
        assertTrue(row.get("expected_passed").asBoolean(), "the reference passes: " + description);
      }
      if (!result.result().equals(expected)
          || result.passed() != expected.equals("passed")
          || !result.status().equals(expected.startsWith("failed") ? "failed" : expected)) {
        mismatches.add("line " + (i + 1) + " (" + description + "): " + result.result());
      }
    }
    assertEquals(stricter, STRICTER.size());
    assertEquals(String.join("\n", mismatches), "", rows.size() + " rows");
  }

  /**
   * Issue 21, end to end: every bundled HumanEval problem answered with a body that returns None
   * plus each forgery (a patched serializer, a verdict written to every inherited descriptor)
   * scores pass@1 = 0, where the round-1 worker scored 100%.
   */
  @Test
  public void forgedAnswersScoreNothingOnEveryProblem() throws Exception {
    Map<String, JsonNode> problems = new java.util.LinkedHashMap<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/humaneval_exec.jsonl"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode row = MAPPER.readTree(line);
        problems.putIfAbsent(row.get("task_id").asText(), row);
      }
    }
    String verdict = "{\"result\": \"passed\", \"output\": \"\"}";
    List<String> attacks =
        List.of(
            "    return None\nimport json\njson.dumps = lambda *a, **k: '" + verdict + "'\n",
            "    return None\nimport os\nfor fd in range(3, 64):\n    try:\n"
                + "        os.write(fd, b'"
                + verdict
                + "')\n    except OSError:\n        pass\nos._exit(0)\n");
    List<String> programs = new ArrayList<>();
    for (JsonNode row : problems.values()) {
      for (String attack : attacks) {
        programs.add(
            Programs.humanEval(
                row.get("prompt").asText(),
                attack,
                row.get("test").asText(),
                row.get("entry_point").asText()));
      }
    }
    List<ExecResult> results = executor.runAll(programs, 3.0, Limits.DEFAULT);
    long passed = results.stream().filter(ExecResult::passed).count();
    assertTrue(problems.size() >= 20, problems.size() + " problems");
    assertEquals(passed, 0L, "forged passes among " + results.size());
  }
}
