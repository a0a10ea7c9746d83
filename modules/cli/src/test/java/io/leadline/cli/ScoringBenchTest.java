package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.scoring.GoldenRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

public class ScoringBenchTest {
  @Test
  public void reportsEveryKindWithTheReferenceRatios() throws IOException {
    Path folder = Files.createTempDirectory("leadline-bench-test");
    CliRun run;
    try {
      for (ScoreKind kind : ScoreKind.values()) {
        try (InputStream in =
            GoldenRow.class.getResourceAsStream("/golden/" + kind.cliName() + ".jsonl")) {
          Files.copy(in, folder.resolve(kind.cliName() + ".jsonl"));
        }
      }
      run =
          CliRun.of(
              "bench", "scoring", "--rows", "200", "--rounds", "1", "--golden", folder.toString());
    } finally {
      CliRun.deleteRecursively(folder);
    }
    assertEquals(run.exitCode(), 0, run.err());
    for (ScoreKind kind : ScoreKind.values()) {
      assertTrue(run.out().contains(kind.cliName() + " "), run.out());
    }
    assertTrue(run.out().contains("26,000"), run.out());
    assertTrue(run.out().contains("16,000"), run.out());
  }

  @Test
  public void rejectsNonPositiveRowCounts() {
    CliRun run = CliRun.of("bench", "scoring", "--rows", "0", "--golden", ".");
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains("--rows"), run.err());
  }
}
