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
  public void unknownOptionNamesTheOption() {
    CliRun run = CliRun.of("score", "drop", "--input", "in.jsonl", "--inptu", "x");
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains("--inptu"), run.err());
    assertEquals(run.err().strip().lines().count(), 1L, run.err());
  }
}
