package io.leadline.cli;

import static org.testng.Assert.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The main job ({@code leadline sweep}: every bundled sample, gpt-fathom, sim-v1 and sim-v2), run
 * once per test JVM and shared by the tests that read its run folder, since it is the suite's
 * largest sweep.
 */
final class MainJob {
  private static Path folder;

  private MainJob() {}

  /** The main job's run folder, swept on first use; removed when the JVM exits. */
  static synchronized Path folder() {
    if (folder == null) {
      try {
        Path dir = Files.createTempDirectory("main-job");
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        CliRun.deleteRecursively(dir);
                      } catch (IOException e) {
                        // A temporary folder left behind harms nothing.
                      }
                    }));
        Path out = dir.resolve("run");
        CliRun run =
            CliRun.withEnvironment(
                Map.of("LEADLINE_HOME", dir.resolve("home").toString()),
                "sweep",
                "--out",
                out.toString());
        assertEquals(run.exitCode(), 0, run.err());
        folder = out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return folder;
  }
}
