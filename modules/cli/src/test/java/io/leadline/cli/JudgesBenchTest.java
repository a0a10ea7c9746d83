package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

public class JudgesBenchTest {
  @Test
  public void measuresBothWaysOfAskingTheJudgesAgainstTheIdealAndTheRecordsAgree() {
    CliRun run = CliRun.of("bench", "judges", "--latency-ms", "20", "--master", "local[2]");
    assertEquals(run.exitCode(), 0, run.err());
    assertTrue(
        run.out()
            .contains(
                "TinyStories, 2 models, 2 judges at 20 ms and concurrency 16: 88 requests a judge,"
                    + " ideal 0.11 s"),
        run.out());
    Matcher ratios =
        Pattern.compile(
                "(?s)at a time per task: \\S+ s \\((\\S+) × ideal\\).*fills:  \\S+ s \\((\\S+) ×")
            .matcher(run.out());
    assertTrue(ratios.find(), run.out());
    // Not a timing test: both are sane ratios to the ideal (a limit ignored would be below 1).
    assertTrue(Double.parseDouble(ratios.group(1)) >= 1, run.out());
    assertTrue(Double.parseDouble(ratios.group(2)) >= 1, run.out());
    assertTrue(run.out().contains("metrics.json identical"), run.out());
  }

  @Test
  public void refusesNonPositiveArguments() {
    CliRun run = CliRun.of("bench", "judges", "--latency-ms", "0");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline bench judges: --latency-ms and --concurrency must be positive");
  }
}
