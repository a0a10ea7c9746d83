package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

public class ExecBenchTest {
  @Test
  public void measuresTheThreeExecutorsOnTheSameCandidates() throws IOException {
    Path input = Files.createTempFile("leadline-bench-exec", ".jsonl");
    String test = "def check(f):\\n    assert f(2) == 4\\n";
    Files.writeString(
        input,
        ("{\"prompt\": \"def f(x):\\n\", \"completion\": \"    return x * 2\\n\", \"test\": \"%s\","
                + " \"entry_point\": \"f\"}\n"
                + "{\"prompt\": \"def f(x):\\n\", \"completion\": \"    return x + 1\\n\", \"test\":"
                + " \"%s\", \"entry_point\": \"f\"}\n")
            .formatted(test, test),
        StandardCharsets.UTF_8);
    CliRun run =
        CliRun.of("bench", "exec", "--input", input.toString(), "--workers", "1", "--copies", "2");
    Files.delete(input);
    assertEquals(run.exitCode(), 0, run.err());
    for (String executor : new String[] {"leadline", "naive", "reference-style"}) {
      Matcher row =
          Pattern.compile("(?m)^" + executor + "\\s+1\\s+\\S+\\s+(\\S+)\\s+\\S+\\s+\\S+\\s+(\\S+)$")
              .matcher(run.out());
      assertTrue(row.find(), executor + " in\n" + run.out());
      assertTrue(Double.parseDouble(row.group(1)) > 0, run.out());
      // One passes and one fails in every executor: all verdicts agree with leadline's.
      assertEquals(row.group(2), "same", run.out());
    }
    assertTrue(run.out().contains("all rows: 4 candidates"), run.out());
  }

  @Test
  public void refusesNonPositiveArguments() {
    CliRun run = CliRun.of("bench", "exec", "--copies", "0");
    assertEquals(run.exitCode(), 2);
    assertEquals(run.err(), "leadline bench exec: --copies and every --workers must be positive\n");
  }
}
