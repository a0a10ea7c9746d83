package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.Extractor;
import io.leadline.api.LeadlineException;
import io.leadline.api.Metric;
import java.util.HashSet;
import java.util.Set;
import org.testng.annotations.Test;

public class CatalogTest {
  @Test
  public void namesAreUniqueAndQualifiedByBenchmark() {
    Set<String> names = new HashSet<>();
    for (Extractor extractor : Catalog.extractors()) {
      assertTrue(names.add(extractor.name()), extractor.name());
      assertTrue(extractor.name().matches("[a-z0-9]+/[a-z0-9-]+"), extractor.name());
    }
    for (Metric<?> metric : Catalog.metrics()) {
      assertTrue(names.add(metric.name()), metric.name());
      assertTrue(metric.name().matches("[a-z0-9]+/[a-z0-9-]+"), metric.name());
    }
  }

  @Test
  public void looksUpByName() {
    assertSame(Catalog.extractor("gsm8k/gpt-fathom"), Gsm8k.GPT_FATHOM);
    assertSame(Catalog.metric("drop/official-f1"), Drop.OFFICIAL_F1);
  }

  @Test
  public void unknownNameListsTheKnownOnes() {
    LeadlineException e = expectThrows(LeadlineException.class, () -> Catalog.metric("drop/f2"));
    assertTrue(
        e.getMessage().startsWith("unknown metric 'drop/f2'; known: gsm8k/"), e.getMessage());
    assertEquals(e.kind().exitCode(), 2);
  }
}
