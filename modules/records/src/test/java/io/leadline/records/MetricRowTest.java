package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class MetricRowTest {
  @Test
  public void committedMetricsReadAndWriteBackByteForByte() {
    String fixture = RecordFixtures.resource("metrics.json");
    assertEquals(MetricRow.toJson(RunFolders.parseMetrics(fixture, "metrics.json")), fixture);
  }

  @Test
  public void rowsRoundTripThroughJson() {
    List<MetricRow> rows = RecordFixtures.metrics();
    assertEquals(RunFolders.parseMetrics(MetricRow.toJson(rows), "metrics.json"), rows);
    MetricRow perturbed =
        rows.stream().filter(r -> r.perturbation().isPresent()).findFirst().orElseThrow();
    assertEquals(perturbed.perturbation(), Optional.of("format:double-newlines"));
    MetricRow subset = rows.stream().filter(r -> r.subset().isPresent()).findFirst().orElseThrow();
    assertEquals(subset.subset(), Optional.of("anatomy"));
  }

  @Test
  public void writesTheKeysOfDesignSection4InOrder() {
    String json =
        MetricRow.toJson(
            List.of(
                RecordFixtures.metric(
                    "m", "b", Optional.empty(), "s", Optional.empty(), "b/x", true, 0.5)));
    assertEquals(
        json,
        "[\n  {\n    \"model\" : \"m\",\n    \"benchmark\" : \"b\",\n    \"subset\" : null,\n"
            + "    \"setting\" : \"s\",\n    \"setting_hash\" : \""
            + "0".repeat(64)
            + "\",\n    \"perturbation\" : null,\n    \"metric\" : \"b/x\",\n"
            + "    \"primary\" : true,\n    \"value\" : 0.5,\n    \"ci_low\" : 0.4,\n"
            + "    \"ci_high\" : 0.6,\n    \"n\" : 10,\n    \"no_answer_rate\" : 0.0\n  }\n]\n");
  }

  @Test
  public void aValueOutsideTheUnitIntervalNamesTheRow() {
    String bad =
        RecordFixtures.resource("metrics.json").replaceFirst("\"value\" : 0.5", "\"value\" : 1.5");
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.parseMetrics(bad, "metrics.json"));
    assertEquals(e.getMessage(), "metrics.json: [0]: value must be in [0, 1]: 1.5");
  }

  @Test
  public void aMissingKeyNamesTheRowAndField() {
    String bad = RecordFixtures.resource("metrics.json").replaceFirst("\"n\" : 50,\n", "");
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.parseMetrics(bad, "metrics.json"));
    assertEquals(e.getMessage(), "metrics.json: [0].n: missing");
  }

  @Test
  public void aWrongKindNamesTheField() {
    String bad =
        RecordFixtures.resource("metrics.json").replaceFirst("\"n\" : 50", "\"n\" : \"x\"");
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.parseMetrics(bad, "metrics.json"));
    assertEquals(e.getMessage(), "metrics.json: [0].n: expected a whole number, got \"x\"");
  }
}
