package io.leadline.cli;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

public class SweepBenchTest {
  @Test
  public void refusesANegativeStoreAndAStoreForTheScaleRun() {
    CliRun negative = CliRun.of("bench", "sweep", "--store-segments", "-1");
    assertEquals(negative.exitCode(), 2);
    assertEquals(
        negative.err().strip(),
        "leadline bench sweep: --items, --concurrency and every --scale must be positive,"
            + " --latency-ms and --store-segments >= 0");
    CliRun scaled = CliRun.of("bench", "sweep", "--store-segments", "5", "--scale", "100");
    assertEquals(scaled.exitCode(), 2);
    assertEquals(
        scaled.err().strip(),
        "leadline bench sweep: --store-segments applies to one sweep, not to --scale");
  }
}
