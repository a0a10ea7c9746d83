package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import io.leadline.scoring.Catalog;
import org.testng.annotations.Test;

public class ConventionsCommandTest {
  @Test
  public void listsEveryExtractorAndMetricByName() {
    CliRun run = CliRun.of("conventions");
    assertEquals(run.exitCode(), 0);
    for (Extractor extractor : Catalog.extractors()) {
      assertTrue(run.out().contains(extractor.name()), extractor.name());
    }
    for (Metric<?> metric : Catalog.metrics()) {
      assertTrue(run.out().contains(metric.name()), metric.name());
    }
    assertTrue(
        run.out()
            .contains(
                "  humaneval/pass-at-k                    unbiased pass@k over the n samples'"
                    + " sandboxed executions (openai/human-eval); pass@k over samples, higher is"
                    + " better; formats: code-execution\n"),
        run.out());
    assertTrue(run.out().contains("asks the model named by judge:; formats: any"), run.out());
  }
}
