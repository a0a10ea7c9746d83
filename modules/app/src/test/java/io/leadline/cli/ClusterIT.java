package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.engine.SimAnswers;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The sweep on a real Spark standalone cluster on 127.0.0.1 (a Master and two Workers in their own
 * JVMs, started from Spark's jars alone; Leadline reaches the executors only in the application
 * jar): through {@code leadline sweep --master}, through {@code spark-submit} of the application
 * jar, and with a Worker killed mid-sweep — each time with the metrics of the same sweep in {@code
 * local[2]}.
 */
public class ClusterIT {
  private static final Path ROOT = Path.of(System.getProperty("leadline.root"));
  private static final String[] SWEEP = {
    "--benchmarks", "gsm8k,mmlu,humaneval", "--limit", "4", "--concurrency", "2"
  };

  /**
   * The executors' JVMs: each sweep here is an application of its own, whose executors live seconds
   * on two cores, so C1 and the serial collector, as for the other test JVMs (C2's and G1's warm-up
   * CPU was a third of this test's wall time).
   */
  private static final String EXECUTOR_JVM =
      "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC";

  private record Run(int exitCode, String out, String err) {}

  private Path dir;
  private SimServer v1;
  private SimServer v2;
  private Path models;

  @BeforeClass
  public void start() throws Exception {
    dir = Files.createTempDirectory("cluster-it");
    v1 = server("sim-v1");
    v2 = server("sim-v2");
    models = dir.resolve("models.yaml");
    Files.writeString(
        models,
        "models:\n"
            + String.format(
                "  - {name: sim-v1, provider: openai-compatible, base_url: '%s', model: sim-v1,"
                    + " supports_n: true}%n",
                v1.baseUrl())
            + String.format(
                "  - {name: sim-v2, provider: openai-compatible, base_url: '%s', model: sim-v2,"
                    + " supports_n: true}%n",
                v2.baseUrl()));
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    v1.close();
    v2.close();
  }

  private static SimServer server(String profile) {
    return SimServer.start(
        SimProfile.resolve(profile, ROOT.resolve("settings"), "profile")
            .with(new SimProfile.Latency(Duration.ofMillis(150), 0), SimProfile.Faults.NONE),
        SimAnswers.bundled(ROOT.resolve("benchmarks")),
        "127.0.0.1",
        0,
        Optional.empty());
  }

  private Run sweep(String name, String master) {
    List<String> args = new ArrayList<>(List.of("sweep", "--master", master));
    args.addAll(List.of(SWEEP));
    args.addAll(List.of("--models-file", models.toString(), "--out", dir.resolve(name).toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Leadline.commandLine(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of("LEADLINE_HOME", dir.resolve("home-" + name).toString()))
            .execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private String metrics(String name) throws Exception {
    return Files.readString(dir.resolve(name).resolve("metrics.json"));
  }

  @Test
  public void clusterSweepsMatchLocalOnesEvenWhenAWorkerDies() throws Exception {
    // The cluster's JVMs come up while the local sweep runs beside them.
    CompletableFuture<StandaloneCluster> starting =
        CompletableFuture.supplyAsync(
            () ->
                StandaloneCluster.start(Path.of(System.getProperty("leadline.spark.jars")), 2, 1));
    Run local;
    try {
      local = sweep("local", "local[2]");
    } catch (RuntimeException | Error e) {
      starting.thenAccept(StandaloneCluster::close);
      throw e;
    }

    // How many executors to share each model's concurrency over; the sweep waits for them.
    System.setProperty("spark.executor.instances", "2");
    System.setProperty("spark.executor.extraJavaOptions", EXECUTOR_JVM);
    try (StandaloneCluster cluster = starting.get(2, TimeUnit.MINUTES)) {
      assertEquals(local.exitCode(), 0, local.err());
      Run onCluster = sweep("cluster", cluster.url());
      assertEquals(onCluster.exitCode(), 0, onCluster.err());
      assertEquals(metrics("cluster"), metrics("local"));
      String manifest = Files.readString(dir.resolve("cluster/manifest.json"));
      assertTrue(manifest.contains("\"master\" : \"" + cluster.url() + "\""), manifest);
      assertTrue(manifest.contains("\"executors\" : 2"), manifest);

      // spark-submit of the application jar, as its own JVM (client mode).
      List<String> submit = new ArrayList<>();
      submit.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      submit.addAll(StandaloneCluster.OPENS);
      // A driver that lives seconds: C1 and the serial collector cost it far less CPU to warm up.
      submit.addAll(
          List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC"));
      submit.addAll(
          List.of(
              "-cp",
              System.getProperty("leadline.spark.jars") + "/*",
              "org.apache.spark.deploy.SparkSubmit",
              "--master",
              cluster.url(),
              "--conf",
              "spark.executor.extraJavaOptions=" + EXECUTOR_JVM,
              "--class",
              "io.leadline.cli.Leadline",
              System.getProperty("leadline.app.jar"),
              "sweep"));
      submit.addAll(List.of(SWEEP));
      submit.addAll(
          List.of("--models-file", models.toString(), "--out", dir.resolve("submit").toString()));
      ProcessBuilder builder =
          new ProcessBuilder(submit)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("submit.log").toFile());
      builder.environment().put("LEADLINE_ROOT", ROOT.toString());
      builder.environment().put("LEADLINE_HOME", dir.resolve("home-submit").toString());
      Process process = builder.start();
      assertTrue(process.waitFor(5, TimeUnit.MINUTES), "spark-submit finishes");
      String log = Files.readString(dir.resolve("submit.log"));
      assertEquals(process.exitValue(), 0, log);
      assertTrue(log.strip().endsWith(dir.resolve("submit").toString()), log);
      assertEquals(metrics("submit"), metrics("local"));

      // A Worker dies mid-sweep: its tasks run again on the other one.
      CompletableFuture<Run> running =
          CompletableFuture.supplyAsync(() -> sweep("killed", cluster.url()));
      Path store = dir.resolve("home-killed/results");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (stored(store) < 20 && System.nanoTime() < deadline && !running.isDone()) {
        Thread.sleep(20);
      }
      assertTrue(!running.isDone(), "the sweep was still running when the Worker died");
      cluster.killWorker(0);
      Run killed = running.get(5, TimeUnit.MINUTES);
      assertEquals(killed.exitCode(), 0, killed.err());
      assertEquals(metrics("killed"), metrics("local"));
    }
  }

  private static long stored(Path store) throws Exception {
    if (!Files.isDirectory(store)) {
      return 0;
    }
    long lines = 0;
    try (var segments = Files.list(store)) {
      // Segments only: the store also keeps a folder of leases of requests in flight.
      for (Path segment : segments.filter(Files::isRegularFile).toList()) {
        lines += Files.readAllLines(segment).size();
      }
    }
    return lines;
  }
}
