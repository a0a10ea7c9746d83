package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** {@code leadline exec} in the real sandbox. */
public class ExecCommandTest {
  private static final String PROMPT = "def add(a, b):\n    \"\"\"Sum.\"\"\"\n";
  private static final String TEST = "def check(candidate):\n    assert candidate(2, 3) == 5\n";

  private Path directory;

  @BeforeClass
  public void createDirectory() throws IOException {
    directory = Files.createTempDirectory("leadline-exec-test");
  }

  private static String row(String id, String completion) {
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put("task_id", id);
    row.put("prompt", PROMPT);
    row.put("completion", completion);
    row.put("test", TEST);
    row.put("entry_point", "add");
    row.put("timeout", 3.0);
    return row.toString();
  }

  @Test
  public void addsVerdictsInInputOrder() throws IOException {
    Path input = directory.resolve("candidates.jsonl");
    Files.write(
        input,
        List.of(
            row("right", "    return a + b\n"),
            row("wrong", "    return a - b\n"),
            "",
            row("syntax", "    return a +\n"),
            row("exits", "    raise SystemExit(3)\n")),
        StandardCharsets.UTF_8);
    Path output = directory.resolve("verdicts.jsonl");
    CliRun run =
        CliRun.of(
            "exec", "--input", input.toString(), "--output", output.toString(), "--workers", "2");
    assertEquals(run.exitCode(), 0, run.err());
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertEquals(lines.size(), 4);
    String[][] expected = {
      {"right", "true", "passed", "passed"},
      {"wrong", "false", "failed", "failed: "},
      {"syntax", "false", "failed", "failed: invalid syntax (<string>, line 3)"},
      {"exits", "false", "failed", "failed: 3"},
    };
    for (int i = 0; i < expected.length; i++) {
      JsonNode line = Json.MAPPER.readTree(lines.get(i));
      assertEquals(line.get("task_id").asText(), expected[i][0]);
      assertEquals(line.get("passed").asText(), expected[i][1], lines.get(i));
      assertEquals(line.get("status").asText(), expected[i][2], lines.get(i));
      assertEquals(line.get("result").asText(), expected[i][3], lines.get(i));
      assertEquals(line.get("completion").isTextual(), true, "the input fields are kept");
    }
  }

  @Test
  public void aRowWithoutATestIsRefusedBeforeAnythingRuns() throws IOException {
    Path input = directory.resolve("broken.jsonl");
    Files.writeString(
        input,
        row("ok", "    return a + b\n")
            + "\n\n"
            + "{\"prompt\": \"x\", \"completion\": \"y\", \"entry_point\": \"f\"}\n",
        StandardCharsets.UTF_8);
    Path output = directory.resolve("never.jsonl");
    CliRun run = CliRun.of("exec", "--input", input.toString(), "--output", output.toString());
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline exec: " + input + ":3: field 'test': expected a string, but it is missing");
    assertFalse(Files.exists(output));
  }

  @Test
  public void anAstronomicalTimeoutIsOneLineNamingTheRowAndTheRange() throws IOException {
    Path input = directory.resolve("huge-timeout.jsonl");
    Files.writeString(
        input, row("t", "    return a + b\n").replace("3.0", "1e300"), StandardCharsets.UTF_8);
    CliRun run = CliRun.of("exec", "--input", input.toString());
    assertEquals(run.exitCode(), 2, run.err());
    assertTrue(
        run.err().contains(":1: field 'timeout': expected a number of seconds in (0, 3600]"),
        run.err());
    assertEquals(run.err().strip().lines().count(), 1L, run.err());
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
  }

  @Test
  public void aNonPositiveTimeoutIsRefused() throws IOException {
    Path input = directory.resolve("timeout.jsonl");
    Files.writeString(
        input, row("t", "    return a + b\n").replace("3.0", "0"), StandardCharsets.UTF_8);
    CliRun run = CliRun.of("exec", "--input", input.toString());
    assertEquals(run.exitCode(), 2);
    assertTrue(
        run.err().contains(":1: field 'timeout': expected a number of seconds > 0"), run.err());
  }

  @Test
  public void zeroWorkersIsRefused() {
    CliRun run = CliRun.of("exec", "--input", "x.jsonl", "--workers", "0");
    assertEquals(run.exitCode(), 2);
    assertEquals(run.err().strip(), "leadline exec: --workers: expected an integer >= 1, found 0");
  }
}
