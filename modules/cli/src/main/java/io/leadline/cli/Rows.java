package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.sandbox.CodeExecutor;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of one JSONL row's fields; a missing or mistyped field is a {@link BadField}. */
final class Rows {
  private Rows() {}

  /** A field that is missing or not of the expected type; the caller adds file and line. */
  static final class BadField extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadField(String field, String expected) {
      super("field '" + field + "': expected " + expected);
    }
  }

  static String string(ObjectNode row, String field) {
    JsonNode node = row.get(field);
    if (node == null || !node.isTextual()) {
      throw new BadField(field, "a string" + found(node));
    }
    return node.textValue();
  }

  static int integer(ObjectNode row, String field, int min) {
    JsonNode node = row.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new BadField(field, "an integer" + found(node));
    }
    int value = node.intValue();
    if (value < min) {
      throw new BadField(field, "an integer >= " + min + ", found " + value);
    }
    return value;
  }

  /** A finite number of seconds above 0, or {@code absent} when the row has no such field. */
  static double seconds(ObjectNode row, String field, double absent) {
    JsonNode node = row.get(field);
    if (node == null) {
      return absent;
    }
    if (!node.isNumber() || !(node.doubleValue() > 0) || !Double.isFinite(node.doubleValue())) {
      throw new BadField(field, "a number of seconds > 0" + found(node));
    }
    if (node.doubleValue() > CodeExecutor.MAX_TIMEOUT_SECONDS) {
      throw new BadField(
          field,
          "a number of seconds in (0, %.0f]%s"
              .formatted(CodeExecutor.MAX_TIMEOUT_SECONDS, found(node)));
    }
    return node.doubleValue();
  }

  static List<String> strings(ObjectNode row, String field) {
    JsonNode node = row.get(field);
    if (node == null || !node.isArray()) {
      throw new BadField(field, "a list of strings" + found(node));
    }
    List<String> values = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new BadField(field, "a list of strings, found an element " + element);
      }
      values.add(element.textValue());
    }
    return values;
  }

  private static String found(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return ", but it is missing";
    }
    String text = node.toString();
    return ", found " + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
  }
}
