package io.leadline.cli;

import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import io.leadline.datasets.BundledSamples;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code leadline benchmarks}: the benchmark definitions and their default setting. */
@Command(
    name = "benchmarks",
    mixinStandardHelpOptions = true,
    description =
        "List the benchmarks (benchmarks/*/benchmark.yaml): category, dataset, the gpt-fathom"
            + " setting with its hash, the bundled sample (items, and whether they are Hub rows,"
            + " GPT-Fathom's own files or upstream files) and metrics.")
final class BenchmarksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    Suite suite = Suite.load(Checkout.benchmarks());
    Setting setting = suite.setting(Checkout.settings(), Setting.DEFAULT);
    BundledSamples bundled = new BundledSamples(Checkout.benchmarks());
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-11s %-13s %-37s %-10s %-7s %-16s %-12s %-40s %s%n";
    out.printf(
        format,
        "benchmark",
        "category",
        "dataset",
        "split",
        "subsets",
        "gpt-fathom",
        "setting hash",
        "bundled sample (evaluated)",
        "metrics (primary first)");
    for (Benchmark benchmark : suite.benchmarks().values()) {
      BenchmarkSetting resolved = setting.of(benchmark.name());
      out.printf(
          format,
          benchmark.name(),
          benchmark.category().label(),
          benchmark.hub() + (benchmark.onHub() ? "" : " (GitHub)"),
          benchmark.split(),
          benchmark.hasSubsets() ? Integer.toString(benchmark.subsets().size()) : "-",
          resolved.label(),
          resolved.shortHash(),
          sample(bundled, benchmark),
          String.join(", ", benchmark.metricNames()));
    }
  }

  /**
   * How many rows of the evaluated split are bundled, and where they come from: Hub rows,
   * GPT-Fathom's own registry files (read through the benchmark's schema), or the upstream files
   * GPT-Fathom reads.
   */
  static String sample(BundledSamples bundled, Benchmark benchmark) {
    int rows = 0;
    java.util.Set<String> kinds = new java.util.LinkedHashSet<>();
    java.util.Set<String> subsets = new java.util.LinkedHashSet<>();
    for (BundledSamples.Sample sample : bundled.samples(benchmark.name())) {
      if (!sample.split().equals(benchmark.split())) {
        continue;
      }
      rows += sample.rows();
      subsets.add(sample.config());
      kinds.add(
          !sample.schema().isEmpty()
              ? "GPT-Fathom's files"
              : !benchmark.onHub()
                      || sample.origin().startsWith("upstream")
                      || !sample.fields().isEmpty()
                  ? "upstream files"
                  : "Hub-schema rows");
    }
    rows -= benchmark.start() * subsets.size();
    String where =
        !benchmark.hasSubsets()
            ? ""
            : subsets.size() == benchmark.subsets().size()
                ? " in " + subsets.size() + " subsets"
                : " in " + subsets.size() + " of " + benchmark.subsets().size() + " subsets";
    return rows + where + ", " + String.join(" + ", kinds);
  }
}
