package io.leadline.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration the CLI reads and writes with. */
final class Json {
  /**
   * Doubles are written by Jackson's shortest-representation writer rather than {@code
   * Double.toString}, whose digits changed between JDK 17 and 19: output must be byte-identical on
   * every JVM.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private Json() {}
}
