package io.leadline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code leadline} command: exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
  /**
   * JVM options for a {@code leadline} process a test starts that lives seconds: C1 alone and the
   * serial collector spend far less CPU warming up than C2 and G1's threads (the test JVMs run so
   * too, see the parent POM's test.jvm.options). Neither changes what the process computes.
   */
  static final java.util.List<String> SHORT_LIVED_JVM =
      java.util.List.of(
          "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC");

  /** Runs {@code args} with {@code environment} as the process environment. */
  static CliRun withEnvironment(java.util.Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), environment)
            .execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /** Deletes {@code dir} and everything in it. */
  static void deleteRecursively(java.nio.file.Path dir) throws java.io.IOException {
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(path);
      }
    }
  }

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
