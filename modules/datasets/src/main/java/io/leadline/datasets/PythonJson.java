package io.leadline.datasets;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False)}: {@code ", "} and {@code ": "} separators,
 * keys in their given order, non-ASCII text raw, floats as {@code repr}. This is the canonical form
 * of a dataset row: the bundled data files and the cache hold one row per line in it, and a split's
 * sha256 is taken over those bytes.
 */
final class PythonJson {
  private PythonJson() {}

  static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (!first) {
            out.append(", ");
          }
          first = false;
          writeString(field.getKey(), out);
          out.append(": ");
          write(field.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          out.append(node.bigIntegerValue());
        } else {
          out.append(floatRepr(node.doubleValue()));
        }
      }
      default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
    }
  }

  private static void writeString(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * {@code repr(float)}: the shortest round-trip digits (Jackson's Schubfach writer), laid out as
   * Python does: plain notation for decimal exponents -4 to 16, else {@code d.ddde+XX}.
   */
  static String floatRepr(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    String shortest = NumberOutput.toString(value, true);
    boolean negative = shortest.startsWith("-");
    String unsigned = negative ? shortest.substring(1) : shortest;
    int e = unsigned.indexOf('E');
    String mantissa = e < 0 ? unsigned : unsigned.substring(0, e);
    int exponent = e < 0 ? 0 : Integer.parseInt(unsigned.substring(e + 1));
    int dot = mantissa.indexOf('.');
    String digits = dot < 0 ? mantissa : mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    int point = (dot < 0 ? mantissa.length() : dot) + exponent;
    int leading = 0;
    while (leading < digits.length() - 1 && digits.charAt(leading) == '0') {
      leading++;
    }
    digits = digits.substring(leading);
    point -= leading;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits = digits.substring(0, end);
    StringBuilder out = new StringBuilder(negative ? "-" : "");
    if (digits.equals("0")) {
      return out.append("0.0").toString();
    }
    if (point > 16 || point <= -4) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      int exp = point - 1;
      return out.append(exp < 0 ? "e-" : "e+")
          .append(String.format("%02d", Math.abs(exp)))
          .toString();
    }
    if (point <= 0) {
      return out.append("0.").append("0".repeat(-point)).append(digits).toString();
    }
    if (point < digits.length()) {
      return out.append(digits, 0, point)
          .append('.')
          .append(digits, point, digits.length())
          .toString();
    }
    return out.append(digits).append("0".repeat(point - digits.length())).append(".0").toString();
  }
}
