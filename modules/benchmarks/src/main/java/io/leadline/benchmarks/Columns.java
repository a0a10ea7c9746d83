package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A benchmark's column mapping ({@code columns:} in {@code benchmark.yaml}): which column of its
 * rows holds each field its format reads. A column is a dotted path into the row ({@code
 * choices.text}, {@code mc1_targets.labels}); a field may name a list of columns whose values are
 * joined ({@code answers: [answer.aliases, answer.normalized_aliases]}). So MMLU's {@code choices}
 * + {@code answer} and ARC's {@code choices.text} + {@code answerKey} are one format, mapped alike.
 */
public record Columns(ImmutableMap<String, ImmutableList<String>> paths) {
  static Columns load(ConfigNode node, Format format) {
    Set<String> known = new TreeSet<>(format.requiredColumns());
    known.addAll(format.optionalColumns());
    node.allowOnly(known);
    ImmutableMap.Builder<String, ImmutableList<String>> paths = ImmutableMap.builder();
    for (String key : node.keys()) {
      ConfigNode value = node.required(key);
      List<String> columns = new ArrayList<>();
      if (value.isList()) {
        if (!format.listColumns().contains(key)) {
          throw value.error("names one column (a list is for " + format.listColumns() + ")");
        }
        value.list().forEach(column -> columns.add(column.text()));
        if (columns.isEmpty()) {
          throw value.error("names no column");
        }
      } else {
        columns.add(value.text());
      }
      paths.put(key, ImmutableList.copyOf(columns));
    }
    Columns columns = new Columns(paths.buildOrThrow());
    for (String required : new TreeSet<>(format.requiredColumns())) {
      if (!columns.paths.containsKey(required)) {
        throw node.error(required, "is required by format " + format.id());
      }
    }
    return columns;
  }

  /** Whether the field is mapped. */
  boolean has(String field) {
    return paths.containsKey(field);
  }

  /**
   * The string at {@code field}'s column; a row without it is bad data, named with {@code where}.
   */
  String text(JsonNode row, String field, String where) {
    JsonNode value = node(row, field, where);
    if (!value.isTextual()) {
      throw LeadlineException.data(
          "%s: column '%s' (field %s) is missing or not a string", where, column(field), field);
    }
    return value.textValue();
  }

  /**
   * The string at {@code field}'s column, if the field is mapped and the row has a string there.
   */
  Optional<String> optionalText(JsonNode row, String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode value = at(row, paths.get(field).get(0));
    return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  /** The value at {@code field}'s (first) column, which must be there. */
  JsonNode node(JsonNode row, String field, String where) {
    JsonNode value = at(row, column(field));
    if (value.isMissingNode() || value.isNull()) {
      throw LeadlineException.data(
          "%s: column '%s' (field %s) is missing", where, column(field), field);
    }
    return value;
  }

  /**
   * The strings of {@code field}'s columns, each a list (or a single string), joined in column
   * order.
   */
  ImmutableList<String> texts(JsonNode row, String field, String where) {
    ImmutableList.Builder<String> texts = ImmutableList.builder();
    for (String column : paths.get(field)) {
      JsonNode value = at(row, column);
      if (value.isTextual()) {
        texts.add(value.textValue());
      } else if (value.isArray()) {
        value.forEach(v -> texts.add(v.asText()));
      } else {
        throw LeadlineException.data(
            "%s: column '%s' (field %s) is missing or not a list of strings", where, column, field);
      }
    }
    return texts.build();
  }

  private String column(String field) {
    ImmutableList<String> columns = paths.get(field);
    if (columns == null) {
      throw new IllegalStateException("field not mapped: " + field);
    }
    return columns.get(0);
  }

  private static JsonNode at(JsonNode row, String path) {
    JsonNode node = row;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  /** The row with the string at {@code field}'s column replaced by {@code value}. */
  JsonNode withText(JsonNode row, String field, String value, String where) {
    text(row, field, where);
    com.fasterxml.jackson.databind.node.ObjectNode copy = row.deepCopy();
    String[] parts = column(field).split("\\.");
    com.fasterxml.jackson.databind.node.ObjectNode parent = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = (com.fasterxml.jackson.databind.node.ObjectNode) parent.get(parts[i]);
    }
    parent.put(parts[parts.length - 1], value);
    return copy;
  }

  /** The columns as {@code field=path}, for listings and messages. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, ImmutableList<String>> entry : paths.entrySet()) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(entry.getKey())
          .append('=')
          .append(String.join("+", entry.getValue()));
    }
    return text.toString();
  }
}
