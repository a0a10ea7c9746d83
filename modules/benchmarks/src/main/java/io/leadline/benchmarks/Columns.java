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
 * choices.text}, {@code mc1_targets.labels}, {@code input.1.content} for a list's element); a field
 * may name a list of columns whose values are joined ({@code answers: [answer.aliases,
 * answer.normalized_aliases]}). So MMLU's {@code choices} + {@code answer} and ARC's {@code
 * choices.text} + {@code answerKey} are one format, mapped alike.
 *
 * <p>A bundled sample may come in another schema than the Hub's (GPT-Fathom's own registry files):
 * {@code schemas:} maps each such schema's columns the same way, and a row of it arrives wrapped as
 * {@code {"<schema>": row}} (see {@code BundledSamples}), so every accessor reads a row through the
 * mapping of the schema it came in.
 */
public record Columns(
    ImmutableMap<String, ImmutableList<String>> paths, ImmutableMap<String, Columns> schemas) {
  static Columns load(ConfigNode node, Optional<ConfigNode> schemas, Format format) {
    Columns hub = load(node, format);
    ImmutableMap.Builder<String, Columns> others = ImmutableMap.builder();
    if (schemas.isPresent()) {
      for (String schema : schemas.get().keys()) {
        if (hub.paths.values().stream()
            .anyMatch(p -> p.stream().anyMatch(c -> c.split("\\.")[0].equals(schema)))) {
          throw schemas.get().required(schema).error("is also the name of a Hub column");
        }
        if (!schema.matches("[a-z][a-z0-9-]*")) {
          throw schemas.get().required(schema).error("expected a lower-case name (a-z, 0-9, -)");
        }
        Columns columns = load(schemas.get().required(schema), format);
        format.check(columns, schemas.get().required(schema));
        others.put(schema, columns);
      }
    }
    return new Columns(hub.paths, others.buildOrThrow());
  }

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
    Columns columns = new Columns(paths.buildOrThrow(), ImmutableMap.of());
    for (String required : new TreeSet<>(format.requiredColumns())) {
      if (!columns.paths.containsKey(required)) {
        throw node.error(required, "is required by format " + format.id());
      }
    }
    return columns;
  }

  /** Whether the field is mapped in the Hub schema. */
  boolean has(String field) {
    return paths.containsKey(field);
  }

  /** Whether the field is mapped in the schema {@code row} came in. */
  boolean has(JsonNode row, String field) {
    return mappingOf(row).has(field);
  }

  /**
   * The mapping {@code row} is read with, and the row it applies to: a row wrapped as {@code
   * {"<schema>": row}} is read through that schema's columns.
   */
  Columns mappingOf(JsonNode row) {
    if (!schemas.isEmpty() && row.isObject() && row.size() == 1) {
      String key = row.fieldNames().next();
      Columns schema = schemas.get(key);
      if (schema != null) {
        return schema;
      }
    }
    return this;
  }

  /** The row itself, without its schema wrapper. */
  JsonNode unwrap(JsonNode row) {
    Columns mapping = mappingOf(row);
    return mapping == this ? row : row.elements().next();
  }

  /**
   * The string at {@code field}'s column; a row without it is bad data, named with {@code where}.
   */
  String text(JsonNode row, String field, String where) {
    JsonNode value = node(row, field, where);
    if (!value.isTextual()) {
      throw LeadlineException.data(
          "%s: column '%s' (field %s) is missing or not a string",
          where, mappingOf(row).column(field), field);
    }
    return value.textValue();
  }

  /**
   * The string at {@code field}'s column, if the field is mapped and the row has a string there.
   */
  Optional<String> optionalText(JsonNode row, String field) {
    Columns mapping = mappingOf(row);
    if (!mapping.has(field)) {
      return Optional.empty();
    }
    JsonNode value = at(unwrap(row), mapping.paths.get(field).get(0));
    return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  /** The value at {@code field}'s (first) column, which must be there. */
  JsonNode node(JsonNode row, String field, String where) {
    Columns mapping = mappingOf(row);
    JsonNode value = at(unwrap(row), mapping.column(field));
    if (value.isMissingNode() || value.isNull()) {
      throw LeadlineException.data(
          "%s: column '%s' (field %s) is missing", where, mapping.column(field), field);
    }
    return value;
  }

  /** The value at {@code field}'s (first) column, or a missing node when it is absent or null. */
  JsonNode optionalNode(JsonNode row, String field) {
    Columns mapping = mappingOf(row);
    if (!mapping.has(field)) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode value = at(unwrap(row), mapping.column(field));
    return value.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : value;
  }

  /**
   * The strings of {@code field}'s columns, each a list (or a single string), joined in column
   * order.
   */
  ImmutableList<String> texts(JsonNode row, String field, String where) {
    Columns mapping = mappingOf(row);
    JsonNode inner = unwrap(row);
    ImmutableList.Builder<String> texts = ImmutableList.builder();
    for (String column : mapping.paths.get(field)) {
      JsonNode value = at(inner, column);
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

  /** The (first) column of {@code field} in the mapping {@code row} is read with. */
  String path(JsonNode row, String field) {
    return mappingOf(row).column(field);
  }

  private String column(String field) {
    ImmutableList<String> columns = paths.get(field);
    if (columns == null) {
      throw new IllegalStateException("field not mapped: " + field);
    }
    return columns.get(0);
  }

  /** The node at {@code path} in a row (already unwrapped); a number indexes a list. */
  static JsonNode at(JsonNode row, String path) {
    JsonNode node = row;
    for (String part : path.split("\\.")) {
      node = isIndex(node, part) ? node.path(Integer.parseInt(part)) : node.path(part);
    }
    return node;
  }

  private static boolean isIndex(JsonNode node, String part) {
    return node.isArray() && !part.isEmpty() && part.chars().allMatch(Character::isDigit);
  }

  /**
   * A copy of {@code row} with {@code value} at {@code field}'s column (in the mapping the row is
   * read with), its schema wrapper kept.
   */
  JsonNode with(JsonNode row, String field, JsonNode value) {
    Columns mapping = mappingOf(row);
    JsonNode copy = row.deepCopy();
    JsonNode inner = mapping == this ? copy : copy.elements().next();
    String[] parts = mapping.column(field).split("\\.");
    JsonNode parent = inner;
    for (int i = 0; i < parts.length - 1; i++) {
      parent =
          isIndex(parent, parts[i]) ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
    }
    String last = parts[parts.length - 1];
    if (isIndex(parent, last)) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
    } else {
      ((com.fasterxml.jackson.databind.node.ObjectNode) parent).set(last, value);
    }
    return copy;
  }

  /** The row with the string at {@code field}'s column replaced by {@code value}. */
  JsonNode withText(JsonNode row, String field, String value, String where) {
    text(row, field, where);
    return with(row, field, com.fasterxml.jackson.databind.node.TextNode.valueOf(value));
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
