package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class SampleRowTest {
  private static SampleRow sample() {
    return RecordFixtures.sample(
        "sim-v1", "mmlu", Optional.of("anatomy"), "gpt-fathom", Optional.empty(), 3, "x", 1.0);
  }

  @Test
  public void roundTripsThroughJson() {
    SampleRow sample = sample();
    assertEquals(RecordJson.read(sample.toJson(), SampleRow.class, "sample"), sample);
  }

  @Test
  public void theCompactJsonIsThePrettyJsonWithoutItsWhitespace() throws Exception {
    ObjectMapper plain = new ObjectMapper();
    for (double value : new double[] {0, 1, 1.0 / 3, 0.1 + 0.2, 2.5e-7}) {
      SampleRow sample =
          RecordFixtures.sample(
              "sim-v1",
              "mmlu",
              Optional.of("anatomy"),
              "gpt-fathom",
              Optional.of("é ✓"),
              3,
              "x",
              value);
      String compact = new String(sample.toCompactJson(), StandardCharsets.UTF_8);
      assertEquals(compact, plain.writeValueAsString(plain.readTree(sample.toJson())));
      assertEquals(RecordJson.read(compact, SampleRow.class, "sample"), sample);
    }
  }

  @Test
  public void jsonUsesTheParquetColumnNamesInFileOrder() {
    String json = sample().toJson();
    List<String> names =
        json.lines()
            .filter(l -> l.startsWith("  \""))
            .map(l -> l.substring(3, l.indexOf('"', 3)))
            .toList();
    assertEquals(names.get(0), SampleColumns.MODEL);
    assertEquals(names.get(16), SampleColumns.EXPLANATION);
    assertEquals(names.get(names.size() - 1), SampleColumns.REPORTED_MODEL);
    assertEquals(names.size(), 29);
  }

  @Test
  public void anOlderRowWithoutExplanationReadsAsNone() {
    String older = sample().toJson().replace("  \"explanation\" : null,\n", "");
    assertTrue(!older.contains("explanation"));
    assertEquals(RecordJson.read(older, SampleRow.class, "sample").explanation(), Optional.empty());
  }
}
