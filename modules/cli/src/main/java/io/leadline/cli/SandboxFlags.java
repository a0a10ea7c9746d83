package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.sandbox.SandboxOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --workers N} and {@code --unsafe-no-sandbox} options of the commands that run code.
 */
final class SandboxFlags {
  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Candidates run at once (default: the number of cores, ${DEFAULT-VALUE}).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--unsafe-no-sandbox",
      description =
          "Run model-written code without bubblewrap, behind the reference's in-process guard"
              + " only. Never on a machine with anything to lose.")
  boolean unsafe;

  /**
   * Refuses a worker count below one; called before any input is read.
   *
   * @throws LeadlineException naming {@code --workers}
   */
  void check() {
    if (workers < 1) {
      throw LeadlineException.userInput("--workers: expected an integer >= 1, found %d", workers);
    }
  }

  /** The sandbox asked for, with a warning on {@code err} when it is no sandbox at all. */
  SandboxOptions options(PrintWriter err) {
    check();
    if (unsafe) {
      err.println("warning: --unsafe-no-sandbox: model-written code runs without isolation");
      return SandboxOptions.unsafe(workers);
    }
    return SandboxOptions.isolated(workers);
  }
}
