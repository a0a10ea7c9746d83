package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A benchmark's prompt template: {@code header + shot × k + after_shots + query}, each part a
 * string with {@code {field}} placeholders ({@code {{} and {@code }}} for literal braces), checked
 * at load against what the benchmark's {@link Format} fills. {@code instruction} and the CoT
 * triggers are plain strings that the parts use as {@code {instruction}} and {@code {trigger}}.
 */
public record Template(ImmutableMap<String, String> parts) {
  private static final Set<String> TEXT_KEYS =
      Set.of("instruction", "cot_trigger", "answer_only_trigger");

  static Template load(ConfigNode node, Format format) {
    Set<String> known = new TreeSet<>(format.placeholders().keySet());
    if (format.hasShots()) {
      known.add("after_shots");
    }
    known.addAll(TEXT_KEYS);
    node.allowOnly(known);
    ImmutableMap.Builder<String, String> parts = ImmutableMap.builder();
    for (String key : node.keys()) {
      String text = node.required(key).rawText();
      Set<String> allowed =
          key.equals("after_shots") || TEXT_KEYS.contains(key)
              ? Set.of()
              : format.placeholders().get(key);
      for (String field : placeholders(node.required(key), text)) {
        if (!allowed.contains(field)) {
          throw node.required(key)
              .error(
                  "placeholder {"
                      + field
                      + "} names no field; "
                      + (allowed.isEmpty()
                          ? "this part takes none"
                          : "known: " + String.join(", ", new TreeSet<>(allowed))));
        }
      }
      parts.put(key, text);
    }
    Template template = new Template(parts.buildOrThrow());
    for (String required : format.placeholders().keySet()) {
      if (!template.parts.containsKey(required) && !format.optionalParts().contains(required)) {
        throw node.error(required, "is required by format " + format.id());
      }
    }
    if (template.has("{instruction}") && !template.parts.containsKey("instruction")) {
      throw node.error("instruction", "is required: a part uses {instruction}");
    }
    return template;
  }

  private boolean has(String placeholder) {
    return parts.values().stream().anyMatch(text -> text.contains(placeholder));
  }

  /** The part called {@code key}, or empty. */
  String part(String key) {
    return parts.getOrDefault(key, "");
  }

  /** Fills {@code part}'s placeholders from {@code fields}. */
  String render(String part, Map<String, String> fields) {
    String text = part(part);
    StringBuilder out = new StringBuilder(text.length() + 256);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        out.append('{');
        i++;
      } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
        out.append('}');
        i++;
      } else if (c == '{') {
        int end = text.indexOf('}', i);
        String field = text.substring(i + 1, end);
        String value = field.equals("instruction") ? part("instruction") : fields.get(field);
        if (value == null) {
          throw new IllegalStateException("no value for {" + field + "} in " + part);
        }
        out.append(value);
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static List<String> placeholders(ConfigNode node, String text) {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
        i++;
      } else if (c == '{') {
        int end = text.indexOf('}', i);
        if (end < 0) {
          throw node.error("unclosed '{' (write {{ for a literal brace)");
        }
        fields.add(text.substring(i + 1, end));
        i = end;
      } else if (c == '}') {
        throw node.error("unmatched '}' (write }} for a literal brace)");
      }
    }
    return fields;
  }
}
