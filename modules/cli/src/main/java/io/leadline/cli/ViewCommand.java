package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.report.Viewer;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline view RUN}: the sample viewer of a run, served or written as a static bundle. */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Browse a run's samples: filter by model, benchmark, subset, setting, perturbation and"
          + " outcome; open one to see its exact prompt, the completion, the extracted answer and"
          + " why, its scores, the gold, tokens, latency and the judges' replies.",
      "Served on 127.0.0.1 until Ctrl-C, or with --out written as a folder that opens from disk"
          + " with no server."
    })
final class ViewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "The run folder.")
  Path run;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "The port on 127.0.0.1 to serve on (default 0: a free one).")
  int port;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write the viewer as a static bundle into DIR (index.html and samples/) instead of"
              + " serving it.")
  Path out;

  /** Counted down to stop serving: by Ctrl-C's shutdown hook, or by a test. */
  final CountDownLatch stop = new CountDownLatch(1);

  /** The server once it listens (for a test that runs the command in-process). */
  volatile Viewer.Server server;

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      throw LeadlineException.userInput("--port: expected 0-65535, got %d", port);
    }
    if (out != null && port != 0) {
      throw LeadlineException.userInput("--port: not with --out (a static bundle needs no server)");
    }
    PrintWriter console = spec.commandLine().getOut();
    Viewer viewer = Viewer.open(run.toString(), "RUN");
    if (out != null) {
      viewer.writeBundle(out);
      console.printf(Locale.ROOT, "%,d samples: %s%n", viewer.samples(), out.resolve("index.html"));
      console.flush();
      return 0;
    }
    Viewer.Server served;
    try {
      served = viewer.serve(port);
    } catch (BindException e) {
      throw LeadlineException.userInput(
          "--port %d: 127.0.0.1:%d is in use; choose another port, or 0 for a free one",
          port, port);
    }
    try (served) {
      Thread hook = new Thread(stop::countDown, "view-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      server = served;
      console.printf(
          Locale.ROOT,
          "serving %,d samples of %s on %s (Ctrl-C stops)%n",
          viewer.samples(),
          run,
          served.url());
      console.flush();
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is already stopping: the hook has run.
        }
      }
    }
    return 0;
  }
}
