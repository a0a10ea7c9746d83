package io.leadline.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a golden file from {@code src/test/resources/golden}, named by file and line so a
 * failing data-driven test says which row broke.
 */
public record GoldenRow(String file, int line, JsonNode json) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Every row of {@code golden/<kind>.jsonl}. */
  public static List<GoldenRow> load(String kind) {
    String file = kind + ".jsonl";
    List<GoldenRow> rows = new ArrayList<>();
    try (InputStream in = GoldenRow.class.getResourceAsStream("/golden/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource golden/" + file);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        rows.add(new GoldenRow(file, line, MAPPER.readTree(text)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The rows as a TestNG data provider: one parameter, the row. */
  public static Object[][] provider(String kind) {
    return load(kind).stream().map(row -> new Object[] {row}).toArray(Object[][]::new);
  }

  public String text(String field) {
    return json.get(field).asText();
  }

  public List<String> strings(String field) {
    List<String> values = new ArrayList<>();
    json.get(field).forEach(node -> values.add(node.asText()));
    return values;
  }

  /** A string field, or {@code null} where the file holds JSON null. */
  public String nullableText(String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  @Override
  public String toString() {
    JsonNode note = json.get("note");
    return file + ":" + line + (note == null ? "" : " (" + note.asText() + ")");
  }
}
