package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

public class DataBenchTest {
  @Test
  public void pullsAndLoadsASplitFromTheLoopbackViewer() {
    CliRun run = CliRun.of("bench", "data", "--rows", "250", "--rounds", "1");
    assertEquals(run.exitCode(), 0, run.err());
    assertTrue(run.out().startsWith("Full pull of 250 rows (3 pages, 4 in flight)"), run.out());
    assertTrue(run.out().contains("Load of the cached split"), run.out());
  }
}
