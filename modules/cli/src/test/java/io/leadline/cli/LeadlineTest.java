package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

public class LeadlineTest {
  @Test
  public void versionNamesLeadlineAndItsVersion() {
    CliRun run = CliRun.of("--version");
    assertEquals(run.exitCode(), 0);
    assertTrue(run.out().startsWith("leadline 0."), run.out());
  }

  @Test
  public void helpListsTheSubcommands() {
    CliRun run = CliRun.of("--help");
    assertEquals(run.exitCode(), 0);
    for (String command : new String[] {"score", "conventions", "bench"}) {
      assertTrue(run.out().contains(command), run.out());
    }
  }

  @Test
  public void unknownSubcommandIsUsageErrorOnOneLine() {
    CliRun run = CliRun.of("sweeep");
    assertEquals(run.exitCode(), 2);
    assertEquals(run.err().strip().lines().count(), 1L, run.err());
    assertTrue(run.err().contains("sweeep"), run.err());
  }

  @Test
  public void aMisspeltCommandOrFlagGetsTheNearestOneOnOneLine() {
    CliRun command = CliRun.of("swep");
    assertEquals(command.exitCode(), 2);
    assertEquals(
        command.err(),
        "leadline: unknown command 'swep'; did you mean sweep? (see 'leadline --help')\n");
    CliRun flag = CliRun.of("sweep", "--benchmark", "gsm8k");
    assertEquals(flag.exitCode(), 2);
    assertEquals(
        flag.err(),
        "leadline sweep: unknown option '--benchmark'; did you mean --benchmarks? (see 'leadline"
            + " sweep --help')\n");
    CliRun joined = CliRun.of("sweep", "--benchmark=gsm8k");
    assertTrue(
        joined.err().startsWith("leadline sweep: unknown option '--benchmark'; did"), joined.err());
    CliRun subcommand = CliRun.of("data", "pul", "gsm8k");
    assertEquals(subcommand.exitCode(), 2);
    assertEquals(
        subcommand.err(),
        "leadline data: unknown command 'pul'; did you mean pull? (see 'leadline data --help')\n");
    CliRun extra = CliRun.of("sweep", "extra");
    assertEquals(extra.exitCode(), 2);
    assertEquals(
        extra.err(),
        "leadline sweep: unexpected argument 'extra'; it takes options only (see 'leadline sweep"
            + " --help')\n");
  }

  @Test
  public void helpShowsTheHelpOfACommandAtAnyDepth() {
    CliRun pull = CliRun.of("help", "data", "pull");
    assertEquals(pull.exitCode(), 0, pull.err());
    assertTrue(pull.out().startsWith("Usage: leadline data pull "), pull.out());
    assertTrue(pull.out().contains("--revision"), pull.out());
    CliRun data = CliRun.of("help", "data");
    assertTrue(data.out().startsWith("Usage: leadline data "), data.out());
    assertTrue(CliRun.of("help").out().startsWith("Usage: leadline "));
    CliRun misspelt = CliRun.of("help", "data", "pul");
    assertEquals(misspelt.exitCode(), 2);
    assertEquals(
        misspelt.err(),
        "leadline help: 'pul' is not a command of 'leadline data' (did you mean pull?); its"
            + " commands: pull, list\n");
  }

  @Test
  public void bareLeadlinePrintsTheHelpAndExitsTwo() {
    CliRun run = CliRun.of();
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().startsWith("Usage: leadline "), run.err());
    assertTrue(run.err().contains("sweep"), run.err());
    assertEquals(run.out(), "");
  }

  @Test
  public void unknownOptionNamesTheOption() {
    CliRun run = CliRun.of("score", "drop", "--input", "in.jsonl", "--inptu", "x");
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains("--inptu"), run.err());
    assertEquals(run.err().strip().lines().count(), 1L, run.err());
  }
}
