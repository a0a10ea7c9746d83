package io.leadline.cli;

import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code leadline benchmarks}: the benchmark definitions and their default setting. */
@Command(
    name = "benchmarks",
    mixinStandardHelpOptions = true,
    description =
        "List the benchmarks (benchmarks/*/benchmark.yaml): category, dataset, metrics and the"
            + " gpt-fathom setting with its hash.")
final class BenchmarksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    Suite suite = Suite.load(Checkout.benchmarks());
    Setting setting = suite.setting(Checkout.settings(), Setting.DEFAULT);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%-10s %-14s %-24s %-11s %-8s %-16s %-13s %s%n",
        "benchmark",
        "category",
        "dataset",
        "split",
        "subsets",
        "gpt-fathom",
        "setting hash",
        "metrics (primary first)");
    for (Benchmark benchmark : suite.benchmarks().values()) {
      BenchmarkSetting resolved = setting.of(benchmark.name());
      out.printf(
          "%-10s %-14s %-24s %-11s %-8s %-16s %-13s %s%n",
          benchmark.name(),
          benchmark.category().label(),
          benchmark.hub(),
          benchmark.split(),
          benchmark.hasSubsets() ? Integer.toString(benchmark.subsets().size()) : "-",
          resolved.label(),
          resolved.shortHash(),
          String.join(", ", benchmark.metricNames()));
    }
  }
}
