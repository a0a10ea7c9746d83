package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.engine.Scoring;
import io.leadline.engine.SimAnswers;
import io.leadline.engine.Sweep;
import io.leadline.engine.SweepListener;
import io.leadline.engine.SweepResult;
import io.leadline.engine.SweepSession;
import io.leadline.engine.SweepSpec;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import io.leadline.records.RunManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench judges}: the TinyStories sweep with both simulated judges served at a fixed
 * latency, scored with the judges of one item asked at a time per task and with the window (judges
 * asked while it fills), each against the ideal: the judge calls × latency ÷ the judge's
 * concurrency.
 */
@Command(
    name = "judges",
    mixinStandardHelpOptions = true,
    description = {
      "The TinyStories sweep (2 models, 2 judges) with the judges at a fixed latency: wall time"
          + " with one item's judges asked at a time per task, and with the window, each ÷ the"
          + " ideal (judge calls × latency ÷ concurrency)."
    })
final class JudgesBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--latency-ms",
      defaultValue = "200",
      description = "Each judge's fixed latency (default ${DEFAULT-VALUE}).")
  int latencyMillis;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "Each judge's max_concurrency (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--master",
      defaultValue = "local[*]",
      description = "Spark master (default ${DEFAULT-VALUE}).")
  String master;

  @Override
  public Integer call() throws IOException {
    if (latencyMillis < 1 || concurrency < 1) {
      throw LeadlineException.userInput("--latency-ms and --concurrency must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("leadline-bench-judges");
    SimAnswerKey key = SimAnswers.bundled(Checkout.benchmarks(), Checkout.settings());
    SweepSession session = SweepSession.open(master);
    try (SimServer a = judge("sim-judge-a", key);
        SimServer b = judge("sim-judge-b", key)) {
      String models =
          "models:\n"
              + "  - {name: sim-v1, provider: sim, profile: sim-v1, max_concurrency: 16}\n"
              + "  - {name: sim-v2, provider: sim, profile: sim-v2, max_concurrency: 16}\n"
              + entry("sim-judge-a", a)
              + entry("sim-judge-b", b);
      Timed oneAtATime = null;
      Timed windowed = null;
      for (boolean sequential : List.of(true, false)) {
        System.setProperty(Scoring.JUDGE_ONE_ITEM_AT_A_TIME, Boolean.toString(sequential));
        try {
          Timed run = sweep(work.resolve(sequential ? "one" : "window"), models);
          if (sequential) {
            oneAtATime = run;
          } else {
            windowed = run;
          }
        } finally {
          System.clearProperty(Scoring.JUDGE_ONE_ITEM_AT_A_TIME);
        }
      }
      long calls =
          windowed.result.judges().stream()
              .mapToLong(RunManifest.Judge::sentRequests)
              .max()
              .orElse(0);
      double ideal = calls * (latencyMillis / 1000.0) / concurrency;
      out.printf(
          Locale.ROOT,
          "TinyStories, 2 models, 2 judges at %d ms and concurrency %d: %,d requests a judge,"
              + " ideal %.2f s%n",
          latencyMillis,
          concurrency,
          calls,
          ideal);
      out.printf(
          Locale.ROOT,
          "one item's judges at a time per task: %.2f s (%.2f × ideal)%n",
          oneAtATime.seconds,
          oneAtATime.seconds / ideal);
      out.printf(
          Locale.ROOT,
          "judges asked while the window fills:  %.2f s (%.2f × ideal; %.2f × faster)%n",
          windowed.seconds,
          windowed.seconds / ideal,
          oneAtATime.seconds / windowed.seconds);
      out.printf(
          "metrics.json %s%n",
          Files.mismatch(
                      oneAtATime.result.localRunDir().resolve("metrics.json"),
                      windowed.result.localRunDir().resolve("metrics.json"))
                  == -1
              ? "identical"
              : "DIFFERENT");
    } finally {
      session.close();
      SweepBench.deleteRecursively(work);
    }
    return 0;
  }

  private SimServer judge(String profile, SimAnswerKey key) {
    SimProfile loaded =
        SimProfile.resolve(profile, Checkout.settings(), "profile")
            .with(
                new SimProfile.Latency(Duration.ofMillis(latencyMillis), 0),
                SimProfile.Faults.NONE);
    return SimServer.start(loaded, key, "127.0.0.1", 0, Optional.empty());
  }

  private String entry(String name, SimServer server) {
    return String.format(
        "  - {name: %s, provider: openai-compatible, base_url: '%s', model: %s,"
            + " max_concurrency: %d}%n",
        name, server.baseUrl(), name, concurrency);
  }

  private record Timed(SweepResult result, double seconds) {}

  private Timed sweep(Path dir, String models) {
    SweepSpec sweep =
        SweepSpec.builder()
            .checkout(Checkout.root())
            .home(dir.resolve("home"))
            .modelsFile("bench-models.yaml", models)
            .benchmarks(List.of("tinystories"))
            .out(Optional.of(dir.resolve("run").toString()))
            .runsDir(dir)
            .master(master)
            .build();
    long start = System.nanoTime();
    SweepResult result = Sweep.run(sweep, new SweepListener() {});
    return new Timed(result, (System.nanoTime() - start) / 1e9);
  }
}
