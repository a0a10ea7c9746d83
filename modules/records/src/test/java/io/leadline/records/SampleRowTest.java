package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

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
    // 2.82879384806159E17 is a double JDK 17's Double.toString writes with a digit too many.
    for (double value : new double[] {0, 1, 1.0 / 3, 0.1 + 0.2, 2.5e-7, 2.82879384806159E17}) {
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
      assertEquals(compact, withoutWhitespace(sample.toJson()));
      assertEquals(RecordJson.read(compact, SampleRow.class, "sample"), sample);
    }
  }

  /** {@code json} without the whitespace between its tokens (strings kept as they are). */
  private static String withoutWhitespace(String json) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\') {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (!Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    return out.toString();
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
