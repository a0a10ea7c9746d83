package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.compare.Diff;
import io.leadline.compare.DiffResult;
import io.leadline.compare.RunSide;
import io.leadline.records.RunFolders;
import io.leadline.report.Leaderboard;
import io.leadline.report.RunData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline report RUN…}: the leaderboard of one or more runs. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the leaderboard of one or more runs: leaderboard.md, leaderboard.csv,"
          + " leaderboard.json and a self-contained index.html with charts (scores per capability;"
          + " the seesaw when the runs hold two models; sensitivity ranges for perturbed runs)."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run folders.")
  List<Path> runs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write the report (default: report/ in the first run folder).")
  Path out;

  @Override
  public Integer call() {
    Path dir = out != null ? out : runs.get(0).resolve("report");
    write(runs, dir);
    spec.commandLine().getOut().println(dir.resolve("index.html"));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Writes the report of {@code runs} into {@code dir}. */
  static void write(List<Path> runs, Path dir) {
    List<RunFolders.Run> folders = new ArrayList<>();
    for (Path run : runs) {
      folders.add(RunFolders.read(run.toString(), "RUN"));
    }
    // The report keeps only the samples judges graded: the model-graded section shows them.
    List<RunData> data = folders.stream().map(RunData::of).toList();
    Leaderboard.build(data, seesaw(folders)).write(dir);
  }

  /**
   * The diff of the one pair of models that are comparable (the same items under the same
   * settings), in run order: two snapshots, beside which a model asked otherwise (a completions
   * model's own setting) may stand; none if no pair, or more than one, is.
   */
  private static Optional<DiffResult> seesaw(List<RunFolders.Run> folders) {
    List<RunSide> sides = new ArrayList<>();
    int count = folders.stream().mapToInt(f -> f.manifest().modelNames().size()).sum();
    if (count < 2 || count > 4) {
      return Optional.empty();
    }
    for (RunFolders.Run folder : folders) {
      sides.addAll(RunSide.valuesOfEach(folder));
    }
    List<DiffResult> comparable = new ArrayList<>();
    for (int a = 0; a < sides.size(); a++) {
      for (int b = a + 1; b < sides.size(); b++) {
        try {
          DiffResult diff = Diff.compute(sides.get(a), sides.get(b), false);
          if (diff.compared()) {
            comparable.add(diff);
          }
        } catch (LeadlineException e) {
          // Not comparable: no seesaw of these two.
        }
      }
    }
    return comparable.size() == 1 ? Optional.of(comparable.get(0)) : Optional.empty();
  }
}
