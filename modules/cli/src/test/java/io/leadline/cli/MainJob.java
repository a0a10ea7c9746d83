package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The main job ({@code leadline sweep}: every bundled sample, gpt-fathom, sim-v1 and sim-v2), run
 * once per build and shared by the tests that read its run folder, since it is the suite's largest
 * sweep.
 *
 * <p>It runs as {@code bin/leadline sweep} does, in a JVM of its own, started as the suite starts
 * ({@link MainJobListener}) so that the rest of the suite runs beside its two minutes. The suite
 * runs in two test JVMs (the module's surefire configuration): the first to start the main job owns
 * it, in the build's folder {@code leadline.main.job}; a class that reads it ({@link #READERS}), in
 * either JVM, waits for the exit status its shell writes there.
 */
final class MainJob {
  /** The test classes that read the main job's folder. */
  static final Set<String> READERS =
      Set.of(
          PagesInChromiumTest.class.getName(),
          DiffCommandTest.class.getName(),
          SweepCommandTest.class.getName());

  private static final long WAIT_MINUTES = 20;

  private static Path dir;
  private static Process owned;

  private MainJob() {}

  /**
   * The build's folder of the main job: one per {@code mvn} run (the module's surefire
   * configuration), or this JVM's own outside Maven.
   */
  private static Path dir() throws IOException {
    if (dir == null) {
      String configured = System.getProperty("leadline.main.job");
      dir =
          configured == null
              ? Files.createTempDirectory("main-job").resolve("job")
              : Path.of(configured);
    }
    return dir;
  }

  /** Starts the main job in its own JVM, unless this build has started it already. */
  static synchronized void start() {
    try {
      Path job = dir();
      if (owned != null || Files.exists(job)) {
        return;
      }
      Files.createDirectories(job.getParent());
      try {
        Files.createDirectory(job);
      } catch (FileAlreadyExistsException e) {
        return; // the other test JVM started it
      }
      // Earlier builds' main jobs, left in target/ to read.
      try (var earlier = Files.list(job.getParent())) {
        for (Path old : earlier.filter(p -> !p.equals(job)).toList()) {
          if (old.getFileName().toString().startsWith("main-job-")) {
            CliRun.deleteRecursively(old);
          }
        }
      }
      List<String> command = new ArrayList<>();
      // The shell writes the exit status where every test JVM of the build can wait for it.
      command.addAll(
          List.of(
              "/bin/sh",
              "-c",
              "\"$@\" >out.txt 2>err.txt; echo $? >exit.tmp && mv exit.tmp exit",
              "sh"));
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
          List.of("io.leadline.cli.Leadline", "sweep", "--out", job.resolve("run").toString()));
      ProcessBuilder builder = new ProcessBuilder(command).directory(job.toFile());
      // As the in-process runs see it: LEADLINE_HOME and nothing else that Leadline reads.
      Map<String, String> environment = builder.environment();
      environment
          .keySet()
          .removeIf(k -> k.startsWith("LEADLINE_") || k.startsWith("HF_") || k.equals("COLUMNS"));
      environment.put("LEADLINE_HOME", job.resolve("home").toString());
      owned = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(MainJob::stopUnlessAwaited));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * As the owning JVM exits: a main job still running is left to finish while another test JVM
   * waits for it, and stopped otherwise (the build was stopped, or nothing read it).
   */
  private static void stopUnlessAwaited() {
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
      while (owned.isAlive() && awaited() && System.nanoTime() < deadline) {
        owned.waitFor(200, TimeUnit.MILLISECONDS);
      }
    } catch (IOException | InterruptedException e) {
      // Stop it, then.
    }
    owned.descendants().forEach(ProcessHandle::destroyForcibly);
    owned.destroyForcibly();
  }

  /** Whether another live JVM waits for the main job. */
  private static boolean awaited() throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("waiting-"))
          .map(name -> Long.parseLong(name.substring("waiting-".length())))
          .anyMatch(
              pid -> pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isPresent());
    }
  }

  /** The main job's run folder, once its sweep has finished. */
  static Path folder() {
    start();
    try {
      Path job = dir();
      Path waiting = job.resolve("waiting-" + ProcessHandle.current().pid());
      Files.writeString(waiting, "");
      try {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
        while (!Files.exists(job.resolve("exit")) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      } finally {
        Files.deleteIfExists(waiting);
      }
      assertTrue(Files.exists(job.resolve("exit")), "the main job did not finish");
      String err = Files.readString(job.resolve("err.txt"));
      assertEquals(Files.readString(job.resolve("exit")).strip(), "0", err);
      return job.resolve("run");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
