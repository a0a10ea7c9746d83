package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Test;

/**
 * {@code bin/leadline} as users run it, once the build has made its jar: a short command's
 * class-data archive is written by its first run and mapped by the next, each with the output of a
 * run without one and nothing on standard error; a run that only printed a usage error or a help
 * page leaves it to the next; {@code bench sweep} times its sweeps in the JVM a sweep runs in.
 */
public class LauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("leadline.root"));
  private static final Path CDS = ROOT.resolve("modules/cli/target/cds");

  private record Ran(int exitCode, String out, String err) {}

  private static Ran leadline(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/leadline").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("LEADLINE_"));
      builder.environment().putAll(environment);
      Process process = builder.start();
      assertTrue(process.waitFor(2, TimeUnit.MINUTES), "bin/leadline " + args[0] + " finishes");
      return new Ran(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  private static List<Path> archives(String command) throws IOException {
    if (!Files.isDirectory(CDS)) {
      return List.of();
    }
    try (var files = Files.list(CDS)) {
      return files.filter(f -> f.getFileName().toString().startsWith(command + "-")).toList();
    }
  }

  @Test
  public void aRunWhoseCommandDidNotRunLeavesItsArchiveToTheNext() throws Exception {
    for (Path stale : archives("benchmarks")) {
      Files.delete(stale);
    }
    Ran usage = leadline(Map.of(), "benchmarks", "--no-such-option");
    assertEquals(usage.exitCode(), 2, usage.err());
    assertEquals(archives("benchmarks"), List.of(), "a usage error's archive was kept");
    Ran help = leadline(Map.of(), "benchmarks", "--help");
    assertEquals(help.exitCode(), 0, help.err());
    assertTrue(help.out().startsWith("Usage: leadline benchmarks"), help.out());
    assertEquals(archives("benchmarks"), List.of(), "a help page's archive was kept");

    Ran ran = leadline(Map.of(), "benchmarks");
    assertEquals(ran.exitCode(), 0, ran.err());
    List<Path> written = archives("benchmarks");
    assertEquals(written.size(), 1, written.toString());
    assertTrue(written.get(0).getFileName().toString().endsWith(".jsa"), written.toString());
  }

  /**
   * The options the launcher gave the JVM of {@code args} on one CPU (a machine of two cores or
   * fewer, wherever the test runs), as the JVM prints them.
   */
  private static String flagsOnOneCpu(String... args) throws Exception {
    Path out = Files.createTempFile("launcher", ".out");
    try {
      List<String> command = new ArrayList<>(List.of("taskset", "-c", "0"));
      command.add(ROOT.resolve("bin/leadline").toString());
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("LEADLINE_"));
      builder.environment().put("LEADLINE_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
      Process process = builder.start();
      assertTrue(process.waitFor(2, TimeUnit.MINUTES), "bin/leadline " + args[0] + " finishes");
      assertEquals(process.exitValue(), 0, String.join(" ", args));
      return Files.readString(out).lines().findFirst().orElse("");
    } finally {
      Files.delete(out);
    }
  }

  @Test
  public void benchSweepTimesItsSweepsInTheJvmASweepRunsIn() throws Exception {
    String sweep = flagsOnOneCpu("sweep", "--help");
    assertTrue(sweep.contains("-XX:TieredStopAtLevel=1"), sweep);
    assertEquals(flagsOnOneCpu("bench", "sweep", "--help"), sweep);
    String exec = flagsOnOneCpu("bench", "exec", "--help");
    assertFalse(exec.contains("-XX:TieredStopAtLevel=1"), exec);
  }

  @Test
  public void aShortCommandsArchiveIsWrittenByItsFirstRunAndMappedByTheNext() throws Exception {
    for (Path stale : archives("settings")) {
      Files.delete(stale);
    }
    Ran plain = leadline(Map.of("LEADLINE_CDS", "off"), "settings");
    assertEquals(plain.exitCode(), 0, plain.err());
    assertEquals(archives("settings"), List.of(), "LEADLINE_CDS=off wrote an archive");

    Ran first = leadline(Map.of(), "settings");
    assertEquals(first.exitCode(), 0, first.err());
    assertEquals(first.err(), "");
    assertEquals(first.out(), plain.out());
    List<Path> written = archives("settings");
    assertEquals(written.size(), 1, written.toString());
    assertTrue(written.get(0).getFileName().toString().endsWith(".jsa"), written.toString());

    Path log = Files.createTempFile("launcher", ".log");
    try {
      Ran second =
          leadline(Map.of("LEADLINE_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "settings");
      assertEquals(second.exitCode(), 0, second.err());
      assertEquals(second.err(), "");
      assertEquals(second.out(), plain.out());
      String loaded = Files.readString(log);
      assertTrue(
          loaded.contains("io.leadline.cli.Leadline source: shared objects file (top)"),
          "the command's own classes were not mapped from its archive");
      assertFalse(loaded.contains("io.leadline.cli.Leadline source: file:"), "read from the jar");
    } finally {
      Files.delete(log);
    }
    assertEquals(archives("settings"), written, "the second run wrote another archive");
  }
}
