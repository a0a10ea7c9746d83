package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

public class ModelsBenchTest {
  @Test
  public void measuresThroughputAsARatioToTheIdeal() {
    CliRun run =
        CliRun.of(
            "bench",
            "models",
            "--concurrency",
            "1,8",
            "--latency-ms",
            "20",
            "--seconds",
            "0.2",
            "--rounds",
            "1");
    assertEquals(run.exitCode(), 0, run.err());
    Matcher row =
        Pattern.compile("(?m)^\\s+8\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+400\\.0\\s+(\\d\\.\\d{3})$")
            .matcher(run.out());
    assertTrue(row.find(), run.out());
    assertEquals(row.group(1), "80");
    double ratio = Double.parseDouble(row.group(2));
    // Not a timing test: only that the figure is a sane ratio (a limit ignored would pass 1).
    assertTrue(ratio > 0.05 && ratio <= 1.02, run.out());
  }

  @Test
  public void refusesNonPositiveArguments() {
    CliRun run = CliRun.of("bench", "models", "--concurrency", "0");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err(),
        "leadline bench models: --latency-ms, --rounds, --seconds and every --concurrency must be"
            + " positive\n");
  }
}
