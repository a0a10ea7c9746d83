package io.leadline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one layout of the JSON files Leadline writes for people and scripts (manifests, metrics,
 * diffs, reports): two-space indents, {@code \n} line ends on every platform, a final newline, and
 * doubles in Jackson's shortest representation rather than {@code Double.toString}, whose digits
 * changed between JDK 17 and 19 — the files must be byte-identical on every JVM.
 */
public final class PrettyJson {
  private static final ObjectWriter WRITER =
      JsonMapper.builder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build()
          .writer(
              new DefaultPrettyPrinter()
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private PrettyJson() {}

  /** {@code node} as pretty JSON text ending in a newline. */
  public static String write(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
