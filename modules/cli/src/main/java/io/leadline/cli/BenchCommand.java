package io.leadline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code leadline bench …}: the committed benchmarks behind the figures in closing notes. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Leadline's speed on fixed inputs (results are ratios, not pass/fail).",
    subcommands = {
      ScoringBench.class,
      DataBench.class,
      ModelsBench.class,
      ExecBench.class,
      SweepBench.class,
      JudgesBench.class,
      ClusterBench.class,
      CommandsBench.class,
      ViewBench.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
