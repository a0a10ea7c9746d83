package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The main job ({@code leadline sweep}: every bundled sample, gpt-fathom, sim-v1 and sim-v2), run
 * once per test JVM and shared by the tests that read its run folder, since it is the suite's
 * largest sweep.
 *
 * <p>It runs as {@code bin/leadline sweep} does, in a JVM of its own, started as the suite starts
 * ({@link MainJobListener}) so that the rest of the suite runs beside its two minutes; the classes
 * that read it ({@link #READERS}) run last, and wait for it if it is not done yet.
 */
final class MainJob {
  /** The test classes that read the main job's folder; they run after every other class. */
  static final Set<String> READERS =
      Set.of(
          PagesInChromiumTest.class.getName(),
          DiffCommandTest.class.getName(),
          SweepCommandTest.class.getName());

  private static Path dir;
  private static Process process;
  private static Path folder;

  private MainJob() {}

  /** Starts the main job in its own JVM, unless it is started already. */
  static synchronized void start() {
    if (process != null || folder != null) {
      return;
    }
    try {
      dir = Files.createTempDirectory("main-job");
      Path tree = dir;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (process != null) {
                      process.destroyForcibly();
                    }
                    try {
                      CliRun.deleteRecursively(tree);
                    } catch (IOException e) {
                      // A temporary folder left behind harms nothing.
                    }
                  }));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // The options bin/leadline runs the command with: on two cores or fewer, C1 alone and the
      // serial collector as well (on two cores the optimising compiler's threads and G1's take
      // CPU from the tests that run beside it).
      command.addAll(List.of(System.getProperty("spark.test.opens").split(" ")));
      if (Runtime.getRuntime().availableProcessors() <= 2) {
        command.addAll(CliRun.SHORT_LIVED_JVM);
      }
      command.add("-Dleadline.root=" + Checkout.root());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.addAll(
          List.of("io.leadline.cli.Leadline", "sweep", "--out", dir.resolve("run").toString()));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(dir.resolve("out.txt").toFile())
              .redirectError(dir.resolve("err.txt").toFile());
      // As the in-process runs see it: LEADLINE_HOME and nothing else that Leadline reads.
      Map<String, String> environment = builder.environment();
      environment
          .keySet()
          .removeIf(k -> k.startsWith("LEADLINE_") || k.startsWith("HF_") || k.equals("COLUMNS"));
      environment.put("LEADLINE_HOME", dir.resolve("home").toString());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The main job's run folder, once its sweep has finished; removed when the JVM exits. */
  static synchronized Path folder() {
    if (folder == null) {
      start();
      try {
        assertTrue(process.waitFor(20, TimeUnit.MINUTES), "the main job did not finish");
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(process.exitValue(), 0, err);
        folder = dir.resolve("run");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return folder;
  }
}
