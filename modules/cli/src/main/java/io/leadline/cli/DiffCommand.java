package io.leadline.cli;

import io.leadline.compare.Diff;
import io.leadline.compare.DiffResult;
import io.leadline.compare.RunSide;
import io.leadline.records.RunFolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline diff RUN_A RUN_B}: which benchmarks moved between two model snapshots. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two runs (or two models of one run) benchmark by benchmark: paired bootstrap"
          + " interval of the delta, exact McNemar or sign-flip permutation test, Holm's"
          + " correction, the smallest detectable delta, flips, and whether it is a seesaw.",
      "Runs whose setting hashes, dataset revisions or examples differ are refused (exit 2)"
          + " unless --allow-mismatch."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_A", description = "The earlier run folder.")
  String runA;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "The later run folder.")
  String runB;

  @Option(names = "--model-a", description = "The model of RUN_A (needed when it has several).")
  String modelA;

  @Option(names = "--model-b", description = "The model of RUN_B (needed when it has several).")
  String modelB;

  @Mixin FormattedOutput output;

  @Option(
      names = "--allow-mismatch",
      description = "Compare only the items both runs share, and say so in the output.")
  boolean allowMismatch;

  @Override
  public Integer call() throws IOException {
    output.check();
    RunSide a =
        RunSide.of(
            RunFolders.read(runA, "RUN_A"), Optional.ofNullable(modelA), "RUN_A", "--model-a");
    RunSide b =
        RunSide.of(
            RunFolders.read(runB, "RUN_B"), Optional.ofNullable(modelB), "RUN_B", "--model-b");
    DiffResult result = Diff.compute(a, b, allowMismatch);
    if (!result.compared()) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "leadline diff: the runs are not comparable (%d mismatches; --allow-mismatch compares"
              + " the items they share):%n",
          result.mismatches().size());
      result.mismatches().forEach(m -> err.println("  - " + m));
      err.flush();
      return 2;
    }
    output.write(
        spec.commandLine().getOut(),
        () -> result.toMarkdown(),
        () -> result.toJson(),
        () -> result.toHtml());
    return 0;
  }
}
