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
 * runs in two test JVMs (the module's surefire configuration): the first to create the build's
 * folder {@code leadline.main.job} owns the main job; a class that reads it ({@link #READERS}), in
 * either JVM, waits for the exit status its shell writes there. The owner, as it exits, leaves a
 * main job still running while another test JVM of the build lives, and stops it otherwise. If
 * Maven itself is killed, the main job ends by itself when its sweep does.
 */
final class MainJob {
  /** The test classes that read the main job's folder. */
  static final Set<String> READERS =
      Set.of(
          PagesInChromiumTest.class.getName(),
          DiffCommandTest.class.getName(),
          SweepCommandTest.class.getName());

  private static final String PROPERTY = "leadline.main.job";

  /** How long a reader waits for the main job, and its owner for the other JVMs at exit. */
  private static final long WAIT_MINUTES = 10;

  private static Path dir;
  private static boolean registered;
  private static Process owned;

  private MainJob() {}

  /** Whether this JVM is one of a Maven build's test JVMs, which share one main job. */
  static boolean inBuild() {
    return System.getProperty(PROPERTY) != null;
  }

  /** The build's folder of the main job, or this JVM's own outside Maven. */
  private static Path dir() throws IOException {
    if (dir == null) {
      String configured = System.getProperty(PROPERTY);
      dir =
          configured == null
              ? Files.createTempDirectory("main-job").resolve("job")
              : Path.of(configured);
    }
    return dir;
  }

  /** Where the build's live test JVMs are marked, by pid. */
  private static Path jvms() throws IOException {
    Path job = dir();
    return job.resolveSibling(job.getFileName() + ".jvms");
  }

  /** Marks this JVM as one of the build's test JVMs, which the owner waits for at exit. */
  static synchronized void register() {
    if (registered) {
      return;
    }
    try {
      Files.createDirectories(jvms());
      Files.writeString(jvms().resolve(Long.toString(ProcessHandle.current().pid())), "");
      registered = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the main job in its own JVM, unless this build has started it already. */
  static synchronized void start() {
    Path job;
    try {
      job = dir();
      if (owned != null || Files.exists(job)) {
        return;
      }
      Files.createDirectories(job.getParent());
      try {
        Files.createDirectory(job);
      } catch (FileAlreadyExistsException e) {
        return; // the other test JVM started it
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      launch(job);
    } catch (IOException | RuntimeException e) {
      // The readers fail at once with this, instead of waiting for an exit status.
      try {
        Files.writeString(job.resolve("err.txt"), "the main job did not start: " + e);
        Files.writeString(job.resolve("exit"), "not started");
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private static void launch(Path job) throws IOException {
    if (inBuild()) {
      // Earlier builds' main jobs, left in target/ to read.
      try (var earlier = Files.list(job.getParent())) {
        for (Path old : earlier.toList()) {
          String name = old.getFileName().toString();
          if (name.startsWith("main-job-") && !old.equals(job) && !old.equals(jvms())) {
            CliRun.deleteRecursively(old);
          }
        }
      }
    }
    List<String> command = new ArrayList<>();
    // The shell writes its pid, then the exit status, where every test JVM of the build looks.
    command.addAll(
        List.of(
            "/bin/sh",
            "-c",
            "echo $$ >pid; \"$@\" >out.txt 2>err.txt; echo $? >exit.tmp && mv exit.tmp exit",
            "sh"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The options bin/leadline runs the command with: on two cores or fewer, C1 alone and the
    // serial collector as well (on two cores the optimising compiler's threads and G1's take CPU
    // from the tests that run beside it).
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
    Runtime.getRuntime().addShutdownHook(new Thread(MainJob::atExit));
  }

  /**
   * As the owning JVM exits: a main job still running is left to finish while another test JVM of
   * the build lives (surefire's exit timeout for the JVMs allows for it), and stopped otherwise;
   * outside Maven its folder is removed.
   */
  private static void atExit() {
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
      while (owned.isAlive() && othersLive() && System.nanoTime() < deadline) {
        owned.waitFor(200, TimeUnit.MILLISECONDS);
      }
    } catch (IOException | InterruptedException e) {
      // Stop it, then.
    }
    owned.descendants().forEach(ProcessHandle::destroyForcibly);
    owned.destroyForcibly();
    if (!inBuild()) {
      try {
        owned.waitFor(10, TimeUnit.SECONDS);
        CliRun.deleteRecursively(dir.getParent());
      } catch (IOException | InterruptedException e) {
        // A temporary folder left behind harms nothing.
      }
    }
  }

  /** Whether another test JVM of the build lives. */
  private static boolean othersLive() throws IOException {
    if (!Files.isDirectory(jvms())) {
      return false;
    }
    long self = ProcessHandle.current().pid();
    try (var marks = Files.list(jvms())) {
      return marks
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .anyMatch(
              pid ->
                  pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
  }

  /** The main job's run folder, once its sweep has finished. */
  static Path folder() {
    start();
    try {
      Path job = dir();
      Path exit = job.resolve("exit");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
      while (!Files.exists(exit) && System.nanoTime() < deadline) {
        Path pid = job.resolve("pid");
        if (Files.exists(pid) && !Files.readString(pid).isBlank()) {
          long shell = Long.parseLong(Files.readString(pid).strip());
          if (ProcessHandle.of(shell).map(h -> !h.isAlive()).orElse(true) && !Files.exists(exit)) {
            throw new AssertionError(
                "the main job's shell is gone without an exit status: "
                    + Files.readString(job.resolve("err.txt")));
          }
        }
        Thread.sleep(100);
      }
      assertTrue(Files.exists(exit), "the main job did not finish in " + WAIT_MINUTES + " minutes");
      String err = Files.readString(job.resolve("err.txt"));
      assertEquals(Files.readString(exit).strip(), "0", err);
      return job.resolve("run");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
