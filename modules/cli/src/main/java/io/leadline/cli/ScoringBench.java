package io.leadline.cli;

import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.scoring.Drop;
import io.leadline.scoring.TriviaQa;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench scoring}: rows per second of each scorer over the golden rows, cycled to
 * {@code --rows}, next to the reference implementations' figures (measured by the golden files'
 * authors on the same kind of 2-core machine, one Python process).
 */
@Command(
    name = "scoring",
    mixinStandardHelpOptions = true,
    description = {
      "Rows per second of every scorer over the golden rows (cycled), single-threaded, after"
          + " warm-up; the median of --rounds timed passes.",
      "'reference work' times only what the reference's figure timed (DROP get_metrics,"
          + " TriviaQA EM+F1); 'all conventions' times everything 'leadline score' computes."
    })
final class ScoringBench implements Callable<Integer> {
  /** Reference rows/second from the golden README (Python 3.11, one process, 2-core machine). */
  private static final ImmutableMap<ScoreKind, Double> REFERENCE_ROWS_PER_SECOND =
      ImmutableMap.of(ScoreKind.DROP, 26_000.0, ScoreKind.TRIVIAQA, 16_000.0);

  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      defaultValue = "100000",
      description = "Rows per pass (default 100000).")
  int rows;

  @Option(names = "--rounds", defaultValue = "5", description = "Timed passes (default 5).")
  int rounds;

  @Option(
      names = "--golden",
      paramLabel = "DIR",
      description =
          "Folder of golden *.jsonl files (default: the copy under"
              + " modules/scoring/src/test/resources/golden).")
  Path golden;

  @Override
  public Integer call() {
    if (rows < 1 || rounds < 1) {
      throw LeadlineException.userInput("--rows and --rounds must be at least 1");
    }
    Path folder = golden != null ? golden : defaultGoldenFolder();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Scoring throughput, %,d rows per pass, median of %d passes, 1 thread (Java %s)%n",
        rows, rounds, System.getProperty("java.version"));
    out.printf("%-9s %-15s %14s %16s %8s%n", "kind", "work", "rows/s", "reference rows/s", "ratio");
    for (ScoreKind kind : ScoreKind.values()) {
      Path file = folder.resolve(kind.cliName() + ".jsonl");
      List<Object> inputs = new ArrayList<>();
      JsonLines.read("--golden", file, row -> inputs.add(kind.parse(row.json())));
      Object[] cycled = cycle(inputs, rows);
      Double reference = REFERENCE_ROWS_PER_SECOND.get(kind);
      ToIntFunction<Object> referenceWork = referenceWork(kind);
      if (referenceWork != null) {
        report(out, kind, "reference work", measure(cycled, referenceWork), reference);
      }
      report(
          out,
          kind,
          "all conventions",
          measure(cycled, input -> kind.compute(input).hashCode()),
          reference);
      out.flush();
    }
    return 0;
  }

  /** The work the reference's own figure timed, where there is one to compare with. */
  private static ToIntFunction<Object> referenceWork(ScoreKind kind) {
    switch (kind) {
      case DROP:
        return input -> {
          ScoreKind.DropInput drop = (ScoreKind.DropInput) input;
          return Drop.official(drop.prediction(), drop.golds()).hashCode();
        };
      case TRIVIAQA:
        return input -> {
          ScoreKind.TriviaQaInput trivia = (ScoreKind.TriviaQaInput) input;
          return TriviaQa.score(trivia.prediction(), trivia.aliases()).hashCode();
        };
      default:
        return null;
    }
  }

  private double measure(Object[] inputs, ToIntFunction<Object> work) {
    int sink = 0;
    for (int warmup = 0; warmup < 2; warmup++) {
      for (Object input : inputs) {
        sink += work.applyAsInt(input);
      }
    }
    double[] rates = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      for (Object input : inputs) {
        sink += work.applyAsInt(input);
      }
      rates[round] = inputs.length / ((System.nanoTime() - start) / 1e9);
    }
    if (sink == 42) {
      // Keeps the JIT from discarding the work; the branch itself is irrelevant.
      spec.commandLine().getErr().print("");
    }
    Arrays.sort(rates);
    return rates[rounds / 2];
  }

  private static void report(
      PrintWriter out, ScoreKind kind, String work, double rate, Double reference) {
    out.printf(
        "%-9s %-15s %,14.0f %16s %8s%n",
        kind.cliName(),
        work,
        rate,
        reference == null ? "-" : String.format("%,.0f", reference),
        reference == null ? "-" : String.format("%.1fx", rate / reference));
  }

  private static Object[] cycle(List<Object> inputs, int count) {
    Object[] cycled = new Object[count];
    for (int i = 0; i < count; i++) {
      cycled[i] = inputs.get(i % inputs.size());
    }
    return cycled;
  }

  private static Path defaultGoldenFolder() {
    Path folder = Checkout.root().resolve("modules/scoring/src/test/resources/golden");
    if (!Files.isDirectory(folder)) {
      throw LeadlineException.userInput(
          "--golden: not given and no golden folder found from the checkout; pass --golden DIR");
    }
    return folder;
  }
}
