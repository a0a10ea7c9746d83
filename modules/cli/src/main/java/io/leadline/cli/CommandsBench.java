package io.leadline.cli;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench commands}: what a user waits for, as they run it — {@code bin/leadline} as
 * a process of its own: the main job fresh, the same job again from the store, and the commands
 * that read its run folder, each timed on the wall clock with its peak resident memory. With {@code
 * --baseline} another built checkout (the commit before a change) runs the same steps interleaved
 * with this one, so each figure sits beside its baseline from one run of the bench.
 */
@Command(
    name = "commands",
    mixinStandardHelpOptions = true,
    description = {
      "Wall time and peak memory of bin/leadline as users run it: the main job fresh and cached,"
          + " then report, diff, sensitivity, evolution, view, benchmarks, settings, data list and --help on its run folder.",
      "--baseline DIR runs another built checkout's bin/leadline beside this one, step by step."
    })
final class CommandsBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--baseline",
      paramLabel = "CHECKOUT",
      description = "Another built checkout (bin/leadline and its jar) to measure beside this one.")
  Path baseline;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description = "Runs of each reading command; the median is shown (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--sweeps",
      defaultValue = "1",
      description =
          "Runs of the fresh sweep (each in a new home) and of the cached rerun; the median is"
              + " shown (default ${DEFAULT-VALUE}).")
  int sweeps;

  /** One step's wall seconds and peak resident memory in MiB. */
  record Measured(double seconds, long peakMiB, int exitCode) {}

  @Override
  public Integer call() throws Exception {
    if (repeat < 1) {
      throw LeadlineException.userInput("--repeat must be at least 1, got %d", repeat);
    }
    if (sweeps < 1) {
      throw LeadlineException.userInput("--sweeps must be at least 1, got %d", sweeps);
    }
    Map<String, Path> checkouts = new LinkedHashMap<>();
    checkouts.put("this", Checkout.root());
    if (baseline != null) {
      Path launcher = baseline.resolve("bin/leadline");
      if (!Files.isExecutable(launcher)
          || !Files.isRegularFile(baseline.resolve("modules/cli/target/leadline-cli.jar"))) {
        throw LeadlineException.userInput(
            "--baseline %s: expected a built checkout (bin/leadline and"
                + " modules/cli/target/leadline-cli.jar; run mvn -q -DskipTests package there)",
            baseline);
      }
      checkouts.put("baseline", baseline.toAbsolutePath().normalize());
    }
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("leadline-bench-commands");
    try {
      Map<String, Map<String, Measured>> figures = new LinkedHashMap<>();
      checkouts.keySet().forEach(name -> figures.put(name, new LinkedHashMap<>()));
      // Sweeps first, one checkout after the other, each in a home of its own; the readers read
      // the first fresh run, the cached reruns are answered from its home's store.
      for (String step : List.of("sweep (fresh)", "sweep (cached)")) {
        Map<String, List<Measured>> runs = new LinkedHashMap<>();
        for (int i = 0; i < sweeps; i++) {
          for (var checkout : checkouts.entrySet()) {
            Path dir = work.resolve(checkout.getKey());
            Files.createDirectories(dir);
            boolean fresh = step.contains("fresh");
            String home = fresh && i > 0 ? "home-" + i : "home";
            Path run = dir.resolve((fresh ? "run" : "rerun") + (i > 0 ? "-" + i : ""));
            runs.computeIfAbsent(checkout.getKey(), name -> new ArrayList<>())
                .add(onceIn(checkout.getValue(), dir, home, "sweep", "--out", run.toString()));
          }
        }
        runs.forEach((name, measured) -> figures.get(name).put(step, median(measured)));
      }
      for (String step : readers()) {
        for (var checkout : checkouts.entrySet()) {
          Path dir = work.resolve(checkout.getKey());
          String run = dir.resolve("run").toString();
          List<String> args = new ArrayList<>(Arrays.asList(step.split(" ")));
          args.replaceAll(a -> a.replace("RUN", run).replace("OUT", dir.resolve("out").toString()));
          List<Measured> runs = new ArrayList<>();
          for (int i = 0; i < repeat; i++) {
            runs.add(once(checkout.getValue(), dir, args.toArray(String[]::new)));
          }
          figures.get(checkout.getKey()).put(step, median(runs));
        }
      }
      print(out, figures);
    } finally {
      SweepBench.deleteRecursively(work);
    }
    return 0;
  }

  private static Measured median(List<Measured> runs) {
    List<Measured> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Measured::seconds));
    return sorted.get(sorted.size() / 2);
  }

  /** The commands that only read: RUN is the main job's run folder, OUT a scratch path. */
  private static List<String> readers() {
    return List.of(
        "report RUN --out OUT/report",
        "diff RUN RUN --model-a sim-v1 --model-b sim-v2 --format json --out OUT/diff.json",
        "diff RUN RUN --model-a sim-v1 --model-b sim-v2 --format html --out OUT/diff.html",
        // The main job has no perturbations: its sensitivity is refused, after reading the run.
        "sensitivity RUN --out OUT/sensitivity.md",
        "evolution RUN --models sim-v1,sim-v2 --format json --out OUT/evolution.json",
        "view RUN --out OUT/view",
        "benchmarks",
        "settings",
        "data list",
        "--help");
  }

  private static void print(PrintWriter out, Map<String, Map<String, Measured>> figures) {
    boolean paired = figures.size() > 1;
    Map<String, Measured> ours = figures.get("this");
    Map<String, Measured> theirs = figures.get("baseline");
    out.printf(
        Locale.ROOT,
        paired ? "%-60s %10s %10s %8s %10s %10s%n" : "%-60s %10s %10s%n",
        paired
            ? new Object[] {"step", "s", "MiB", "× base", "base s", "base MiB"}
            : new Object[] {"step", "s", "MiB"});
    double fresh = ours.get("sweep (fresh)").seconds();
    for (var step : ours.entrySet()) {
      Measured m = step.getValue();
      String name = step.getKey() + (m.exitCode() == 0 ? "" : " (exit " + m.exitCode() + ")");
      if (paired) {
        Measured b = theirs.get(step.getKey());
        out.printf(
            Locale.ROOT,
            "%-60s %10.2f %10d %8.2f %10.2f %10d%n",
            name,
            m.seconds(),
            m.peakMiB(),
            m.seconds() / b.seconds(),
            b.seconds(),
            b.peakMiB());
      } else {
        out.printf(Locale.ROOT, "%-60s %10.2f %10d%n", name, m.seconds(), m.peakMiB());
      }
    }
    out.printf(
        Locale.ROOT,
        "cached rerun ÷ fresh run: %.2f%s%n",
        ours.get("sweep (cached)").seconds() / fresh,
        paired
            ? String.format(
                Locale.ROOT,
                " (baseline %.2f)",
                theirs.get("sweep (cached)").seconds() / theirs.get("sweep (fresh)").seconds())
            : "");
  }

  /**
   * Runs {@code bin/leadline args} of {@code checkout} with {@code LEADLINE_HOME} in {@code dir}:
   * its wall time, and its peak resident memory as the kernel counts it (VmHWM, read until it
   * exits; bin/leadline execs the JVM, so the process is the JVM).
   */
  static Measured once(Path checkout, Path dir, String... args) throws IOException {
    return onceIn(checkout, dir, "home", args);
  }

  /** As {@link #once(Path, Path, String...)}, with {@code LEADLINE_HOME} in {@code dir/home}. */
  static Measured onceIn(Path checkout, Path dir, String home, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(checkout.resolve("bin/leadline").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LEADLINE_HOME", dir.resolve(home).toString());
    builder.environment().remove("LEADLINE_JAVA_OPTS");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.directory(dir.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    // A bench stopped by a signal stops what it started.
    Thread stop = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(stop);
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    long peakKiB = 0;
    try {
      while (!process.waitFor(5, TimeUnit.MILLISECONDS)) {
        peakKiB = Math.max(peakKiB, highWater(status));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw LeadlineException.userInput("interrupted");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Runtime.getRuntime().removeShutdownHook(stop);
    return new Measured(seconds, peakKiB >> 10, process.exitValue());
  }

  /** The process's VmHWM in KiB, or 0 once it is gone. */
  private static long highWater(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Exited between two reads.
    }
    return 0;
  }
}
