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
  }
}
