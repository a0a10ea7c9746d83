package io.leadline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code leadline} command: exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
