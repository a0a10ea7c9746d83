package io.leadline.cli;

import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import io.leadline.benchmarks.Scorers;
import io.leadline.scoring.Catalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code leadline conventions}: every named extractor, metric and scorer, and what it reproduces.
 */
@Command(
    name = "conventions",
    mixinStandardHelpOptions = true,
    description = "List the named extractors and metrics and the reference each reproduces.")
final class ConventionsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Extractors:");
    for (Extractor extractor : Catalog.extractors()) {
      out.printf("  %-38s %s%n", extractor.name(), extractor.description());
    }
    out.println("Metrics:");
    for (Metric<?> metric : Catalog.metrics()) {
      out.printf("  %-38s %s%n", metric.name(), metric.description());
    }
    out.println("Scorers (a benchmark.yaml's metrics: how a sample is scored and reduced):");
    for (Scorers.Listing scorer : Scorers.list()) {
      out.printf(
          "  %-38s %s; %s over samples, %s is better%s; formats: %s%n",
          scorer.name(),
          scorer.description(),
          scorer.reduction() == Scorers.Reduction.MEAN ? "mean" : "pass@k",
          scorer.higherIsBetter() ? "higher" : "lower",
          scorer.judged() ? "; asks the model named by judge:" : "",
          scorer.formats().isEmpty() ? "any" : String.join(", ", scorer.formats()));
    }
    out.flush();
    return 0;
  }
}
