package io.leadline.cli;

import io.leadline.engine.SimAnswers;
import io.leadline.engine.Sweep;
import io.leadline.engine.SweepListener;
import io.leadline.engine.SweepResult;
import io.leadline.engine.SweepSpec;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
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
 * {@code leadline bench cluster}: the same sweep on {@code local[2]} and on a two-Worker standalone
 * cluster started on 127.0.0.1 from Spark's jars, side by side: wall times, their ratio, and
 * whether the metrics are identical.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "The same sweep (sim-v1 and sim-v2 at a fixed latency) on local[2] and on a standalone"
          + " cluster of two one-core Workers on 127.0.0.1: wall-time ratio and identical metrics.",
      "Needs 'mvn -DskipTests package' (modules/app/target: the application jar and Spark's jars)."
    })
final class ClusterBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "Examples per benchmark or subset (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--latency-ms",
      defaultValue = "50",
      description = "Fixed latency of the simulated models (default ${DEFAULT-VALUE}).")
  int latencyMillis;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("leadline-bench-cluster");
    SimAnswerKey key = SimAnswers.bundled(Checkout.benchmarks());
    try (SimServer v1 = server("sim-v1", key);
        SimServer v2 = server("sim-v2", key)) {
      String models = "models:\n" + entry("sim-v1", v1) + entry("sim-v2", v2);
      double local = time(out, "local[2]", sweep(work, "local", "local[2]", models));
      System.setProperty("spark.executor.instances", "2");
      try (StandaloneCluster cluster =
          StandaloneCluster.start(Checkout.root().resolve("modules/app/target/spark-jars"), 2, 1)) {
        double onCluster =
            time(
                out,
                cluster.url() + " (2 Workers × 1 core)",
                sweep(work, "cluster", cluster.url(), models));
        out.printf(Locale.ROOT, "cluster ÷ local[2] wall time: %.2f%n", onCluster / local);
      } finally {
        System.clearProperty("spark.executor.instances");
      }
      boolean same =
          Files.mismatch(work.resolve("local/metrics.json"), work.resolve("cluster/metrics.json"))
              == -1;
      out.printf("metrics.json: %s%n", same ? "identical" : "DIFFERENT");
      return same ? 0 : 1;
    }
  }

  private record Timed(SweepResult result, double seconds) {}

  private static double time(PrintWriter out, String where, Timed run) {
    long items = run.result().progress().items();
    out.printf(Locale.ROOT, "%-40s %6.1f s for %,d items%n", where, run.seconds(), items);
    out.flush();
    return run.seconds();
  }

  private Timed sweep(Path work, String name, String master, String models) {
    SweepSpec sweep =
        SweepSpec.builder()
            .checkout(Checkout.root())
            .home(work.resolve("home-" + name))
            .modelsFile("bench-models.yaml", models)
            .benchmarks(List.of("gsm8k", "mmlu", "bbh", "humaneval"))
            .limit(limit)
            .out(Optional.of(work.resolve(name).toString()))
            .runsDir(work)
            .master(master)
            .concurrency(8)
            .build();
    long start = System.nanoTime();
    SweepResult result = Sweep.run(sweep, new SweepListener() {});
    return new Timed(result, (System.nanoTime() - start) / 1e9);
  }

  private SimServer server(String profile, SimAnswerKey key) {
    return SimServer.start(
        SimProfile.resolve(profile, Checkout.settings(), "--profile")
            .with(
                new SimProfile.Latency(Duration.ofMillis(latencyMillis), 0),
                SimProfile.Faults.NONE),
        key,
        "127.0.0.1",
        0,
        Optional.empty());
  }

  private static String entry(String name, SimServer server) {
    return String.format(
        "  - {name: %s, provider: openai-compatible, base_url: '%s', model: %s,"
            + " supports_n: true}%n",
        name, server.baseUrl(), name);
  }
}
