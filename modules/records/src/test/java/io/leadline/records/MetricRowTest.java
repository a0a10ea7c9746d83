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

  /** Issue 26: a cell none of whose items was scored, and one scored over part of its items. */
  @Test
  public void unscoredAndPartialRowsRoundTripWithTheirCounts() {
    MetricRow unscored =
        new MetricRow(
            "m",
            "drop",
            Optional.empty(),
            "s",
            "0".repeat(64),
            Optional.empty(),
            "drop/f1",
            true,
            null,
            null,
            null,
            0,
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.of(40L),
            Optional.of(0L),
            Optional.of(40L));
    MetricRow partial =
        new MetricRow(
            "m",
            "mmlu",
            Optional.empty(),
            "s",
            "0".repeat(64),
            Optional.empty(),
            "mmlu/acc",
            true,
            0.25,
            0.1,
            0.4,
            28,
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.of(40L),
            Optional.of(12L),
            Optional.of(0L));
    String json = MetricRow.toJson(List.of(unscored, partial));
    assertEquals(RunFolders.parseMetrics(json, "metrics.json"), List.of(unscored, partial));
    org.testng.Assert.assertTrue(json.contains("\"value\" : null"), json);
    org.testng.Assert.assertTrue(json.contains("\"out_of_context\" : 40"), json);
    org.testng.Assert.assertTrue(partial.partial() && partial.scored());
    org.testng.Assert.assertTrue(unscored.partial() && !unscored.scored());
  }

  @Test
  public void aNullValueWithItemsScoredNamesTheRow() {
    String bad =
        RecordFixtures.resource("metrics.json").replaceFirst("\"value\" : 0.5", "\"value\" : null");
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> RunFolders.parseMetrics(bad, "metrics.json"));
    org.testng.Assert.assertTrue(
        e.getMessage().startsWith("metrics.json: [0]: value, ci_low and ci_high are null exactly"),
        e.getMessage());
  }
}
