package io.leadline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import io.leadline.api.LeadlineException;
import io.leadline.engine.Progress;
import io.leadline.engine.Sweep;
import io.leadline.engine.SweepListener;
import io.leadline.engine.SweepResult;
import io.leadline.engine.SweepSession;
import io.leadline.engine.SweepSpec;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench sweep}: the sweep's own overhead against {@code serve-sim} with a fixed
 * latency (wall time ÷ items × latency ÷ concurrency), a rerun of the finished sweep, and with
 * {@code --scale} the time per item and old-generation heap at growing sizes.
 *
 * <p>Items come from a synthetic GSM8K: the bundled test questions, each repeated with a numbered
 * suffix, so the simulated model still recognises them and answers in GSM8K's format.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Sweep overhead against the simulated server with a fixed latency, as wall time ÷ ideal"
          + " (items × latency ÷ concurrency), then the rerun of the finished sweep.",
      "With --scale N,…: the time per item and the live heap at each size, the sim at zero"
          + " latency (run with LEADLINE_JAVA_OPTS=-Xmx2g to check the heap stays flat)."
    })
final class SweepBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--items",
      defaultValue = "20000",
      description = "Items (default ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--latency-ms",
      defaultValue = "100",
      description = "Fixed server latency (default ${DEFAULT-VALUE}).")
  int latencyMillis;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Requests in flight per model (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--store-segments",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Before the sweep, fill its result store with N segments of another run's answers, as a"
              + " store many sweeps have written holds (default ${DEFAULT-VALUE}). The filling sweep"
              + " runs first, in the same JVM: compare with --store-segments 1, not 0.")
  int storeSegments;

  @Option(
      names = "--scale",
      split = ",",
      description = "Item counts for the scale run instead (e.g. 10000,100000,1000000).")
  List<Integer> scale = List.of();

  @Option(
      names = "--master",
      defaultValue = "local[*]",
      description = "Spark master (default ${DEFAULT-VALUE}).")
  String master;

  @Override
  public Integer call() throws Exception {
    if (items < 1
        || latencyMillis < 0
        || concurrency < 1
        || storeSegments < 0
        || scale.stream().anyMatch(n -> n < 1)) {
      throw LeadlineException.userInput(
          "--items, --concurrency and every --scale must be positive, --latency-ms and"
              + " --store-segments >= 0");
    }
    if (storeSegments > 0 && !scale.isEmpty()) {
      throw LeadlineException.userInput("--store-segments applies to one sweep, not to --scale");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("leadline-bench-sweep");
    // One session for every sweep of the bench, so that each measures the sweep, not Spark's start.
    SweepSession session = SweepSession.open(master);
    try {
      if (scale.isEmpty()) {
        overhead(out, work);
      } else {
        scale(out, work);
      }
    } finally {
      session.close();
      deleteRecursively(work);
    }
    return 0;
  }

  private void overhead(PrintWriter out, Path work) throws IOException {
    Duration latency = Duration.ofMillis(latencyMillis);
    Path benchmarks = syntheticGsm8k(work.resolve("benchmarks"), items);
    try (SimServer server = server(latency)) {
      String models = models(List.of("sim-bench"), server);
      Path home = work.resolve("home");
      if (storeSegments > 0) {
        fillStore(work, home, models);
      }
      double ideal = items * (latencyMillis / 1000.0) / concurrency;
      out.printf(
          Locale.ROOT,
          "%,d GSM8K items (gpt-fathom, 8-shot CoT), 1 model, %d ms latency, concurrency %d:"
              + " ideal %.2f s%n",
          items,
          latencyMillis,
          concurrency,
          ideal);
      long before = server.requests();
      Timed first = sweep(benchmarks, home, work.resolve("runs/first"), models, "gpt-fathom");
      long sent = server.requests();
      out.printf(
          Locale.ROOT,
          "sweep:  %.2f s in all (%.3f × ideal); sending %.2f s (%.3f × ideal); %,d requests%n",
          first.seconds,
          first.seconds / ideal,
          first.requestSeconds,
          first.requestSeconds / ideal,
          sent - before);
      Timed rerun = sweep(benchmarks, home, work.resolve("runs/rerun"), models, "gpt-fathom");
      out.printf(
          Locale.ROOT,
          "rerun:  %.2f s in all (%.3f × the first run); %,d requests; metrics.json %s%n",
          rerun.seconds,
          rerun.seconds / first.seconds,
          server.requests() - sent,
          Files.mismatch(
                      first.result.localRunDir().resolve("metrics.json"),
                      rerun.result.localRunDir().resolve("metrics.json"))
                  == -1
              ? "identical"
              : "DIFFERENT");
    }
  }

  /**
   * Stores the answers of another run (zero-shot prompts, none of which the sweep sends) in {@code
   * home}'s result store, one record per segment.
   */
  private void fillStore(Path work, Path home, String models) throws IOException {
    Path benchmarks = syntheticGsm8k(work.resolve("benchmarks-store"), storeSegments);
    sweep(benchmarks, home, work.resolve("runs/store"), models, "zero-shot");
    Path store = home.resolve("results");
    int written = 0;
    try (var files = Files.list(store)) {
      for (Path segment : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        String name = segment.getFileName().toString();
        String stem = name.substring(0, name.length() - ".jsonl".length());
        for (String line : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
          Files.writeString(
              store.resolve(stem + "-" + written++ + ".jsonl"),
              line + "\n",
              StandardCharsets.UTF_8);
        }
        Files.delete(segment);
      }
    }
    spec.commandLine()
        .getOut()
        .printf(Locale.ROOT, "result store: %,d segments of another run's answers%n", written);
  }

  private void scale(PrintWriter out, Path work) throws IOException {
    out.printf(
        Locale.ROOT,
        "scale: zero-shot GSM8K items, sim at %d ms, concurrency %d per model, max heap %,d MiB%n",
        latencyMillis,
        concurrency,
        Runtime.getRuntime().maxMemory() >> 20);
    out.printf(
        "%12s %8s %10s %12s %14s %16s%n",
        "items", "models", "seconds", "µs per item", "requests", "old gen MiB");
    try (SimServer server = server(Duration.ofMillis(latencyMillis))) {
      for (int size : scale) {
        int modelCount = Math.max(1, size / 100_000);
        int perModel = size / modelCount;
        Path benchmarks = syntheticGsm8k(work.resolve("benchmarks-" + size), perModel);
        List<String> names = new ArrayList<>();
        for (int m = 0; m < modelCount; m++) {
          names.add("sim-" + m);
        }
        long before = server.requests();
        OldGen.reset();
        Timed run =
            sweep(
                benchmarks,
                work.resolve("home-" + size),
                work.resolve("runs/scale-" + size),
                models(names, server),
                "zero-shot");
        out.printf(
            Locale.ROOT,
            "%,12d %8d %10.1f %12.1f %,14d %16d%n",
            (long) modelCount * perModel,
            modelCount,
            run.seconds,
            run.seconds * 1e6 / ((long) modelCount * perModel),
            server.requests() - before,
            OldGen.peakMiB());
        out.flush();
        deleteRecursively(benchmarks);
      }
    }
  }

  private record Timed(SweepResult result, double seconds, double requestSeconds) {}

  private Timed sweep(Path benchmarks, Path home, Path out, String models, String setting) {
    SweepSpec sweep =
        SweepSpec.builder()
            .checkout(Checkout.root())
            .benchmarksDir(benchmarks)
            .home(home)
            .modelsFile("bench-models.yaml", models)
            .benchmarks(List.of("gsm8k"))
            .settings(List.of(setting))
            .out(Optional.of(out.toString()))
            .runsDir(out.getParent())
            .master(master)
            .concurrency(concurrency)
            .build();
    double[] requestSeconds = new double[1];
    long[] sendingStarted = new long[1];
    long start = System.nanoTime();
    SweepResult result =
        Sweep.run(
            sweep,
            new SweepListener() {
              @Override
              public void message(String line) {
                PrintWriter err = spec.commandLine().getErr();
                err.printf(
                    Locale.ROOT, "  [%6.2f s] %s%n", (System.nanoTime() - start) / 1e9, line);
                err.flush();
              }

              @Override
              public void requestsStarted(Progress progress) {
                sendingStarted[0] = System.nanoTime();
                message(
                    "sending "
                        + (progress.items()
                            - progress.models().stream().mapToLong(Progress.Model::cached).sum())
                        + " requests");
              }

              @Override
              public void progress(Progress progress) {
                OldGen.sample();
              }

              @Override
              public void requestsFinished(Progress progress) {
                requestSeconds[0] = (System.nanoTime() - sendingStarted[0]) / 1e9;
                message("requests done");
              }
            });
    OldGen.sample();
    return new Timed(result, (System.nanoTime() - start) / 1e9, requestSeconds[0]);
  }

  private SimServer server(Duration latency) {
    SimProfile profile =
        SimProfile.resolve("sim-v1", Checkout.settings(), "--profile")
            .with(new SimProfile.Latency(latency, 0), SimProfile.Faults.NONE);
    return SimServer.start(
        profile,
        io.leadline.engine.SimAnswers.bundled(Checkout.benchmarks()),
        "127.0.0.1",
        0,
        Optional.empty());
  }

  private static String models(List<String> names, SimServer server) {
    StringBuilder yaml = new StringBuilder("models:\n");
    for (String name : names) {
      yaml.append(
          String.format(
              "  - {name: %s, provider: openai-compatible, base_url: '%s', model: sim-v1}%n",
              name, server.baseUrl()));
    }
    return yaml.toString();
  }

  /**
   * A benchmarks folder whose GSM8K has {@code rows} test rows; the other benchmarks link to the
   * checkout's, so that settings naming them still load.
   */
  private static Path syntheticGsm8k(Path dir, int rows) throws IOException {
    Files.createDirectories(dir);
    try (var folders = Files.list(Checkout.benchmarks())) {
      for (Path folder : folders.filter(Files::isDirectory).toList()) {
        if (!folder.getFileName().toString().equals("gsm8k")) {
          Files.createSymbolicLink(dir.resolve(folder.getFileName()), folder.toAbsolutePath());
        }
      }
    }
    Path source = Checkout.benchmarks().resolve("gsm8k");
    Path target = dir.resolve("gsm8k");
    Files.createDirectories(target.resolve("data/main"));
    for (String file : List.of("benchmark.yaml", "fewshot.jsonl", "LICENSE-GPT-Fathom")) {
      Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> base = Files.readAllLines(source.resolve("data/main/test.first50.jsonl"));
    Path data = target.resolve("data/main/test.jsonl");
    var hasher = Hashing.sha256().newHasher();
    try (var writer = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows; i++) {
        ObjectNode row = (ObjectNode) Json.MAPPER.readTree(base.get(i % base.size()));
        if (i >= base.size()) {
          row.put("question", row.get("question").asText() + " (variant " + i + ")");
        }
        String line = Json.MAPPER.writeValueAsString(row) + "\n";
        writer.write(line);
        hasher.putString(line, StandardCharsets.UTF_8);
      }
    }
    ObjectNode samples = Json.MAPPER.createObjectNode().put("dataset", "openai/gsm8k");
    samples
        .putArray("samples")
        .addObject()
        .put("file", "main/test.jsonl")
        .put("dataset", "openai/gsm8k")
        .put("config", "main")
        .put("split", "test")
        .put("rows", rows)
        .put("positions", "synthetic")
        .put("sha256", hasher.hash().toString());
    Files.writeString(target.resolve("data/samples.json"), Json.MAPPER.writeValueAsString(samples));
    return dir;
  }

  /** The largest old-generation occupancy seen after a collection: the live heap. */
  private static final class OldGen {
    private static long peak;

    static synchronized void reset() {
      peak = 0;
    }

    static synchronized void sample() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP
            // G1's "G1 Old Gen", the serial collector's "Tenured Gen" (a sweep's on two cores).
            && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))
            && pool.getCollectionUsage() != null) {
          peak = Math.max(peak, pool.getCollectionUsage().getUsed());
        }
      }
    }

    static synchronized long peakMiB() {
      return peak >> 20;
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
