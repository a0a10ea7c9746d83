package io.leadline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code leadline} command: exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
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
