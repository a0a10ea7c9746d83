package io.leadline.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node of a strictly read YAML configuration file (models file, settings, simulator profiles):
 * every accessor names the file and the field path in its error, says what was expected, and an
 * unknown key is an error that lists the known ones.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigNode {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private final String file;
  private final String path;
  private final JsonNode node;

  private ConfigNode(String file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /**
   * Reads {@code file} as YAML.
   *
   * @throws LeadlineException naming the file (and line) if it is missing or not valid YAML
   */
  public static ConfigNode load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (NoSuchFileException e) {
      throw LeadlineException.userInput("%s: no such file", file);
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot read (%s)", file, e.getMessage());
    }
  }

  /** Parses {@code yaml}, naming it {@code file} in errors. */
  public static ConfigNode parse(String file, String yaml) {
    requireNonNull(file, "file is null");
    try {
      JsonNode root = YAML.readTree(yaml);
      return new ConfigNode(file, "", root == null ? MissingNode.getInstance() : root);
    } catch (JsonProcessingException e) {
      // SnakeYAML's words for a tab ("while scanning for the next token") point elsewhere.
      int tabbed = firstTabIndentedLine(yaml);
      if (tabbed > 0) {
        throw LeadlineException.userInput(
            "%s:%d: tabs are not allowed for indentation in YAML; indent with spaces",
            file, tabbed);
      }
      JsonLocation location = e.getLocation();
      String line = location == null ? "" : " line " + location.getLineNr() + ":";
      throw LeadlineException.userInput(
          "%s:%s not valid YAML (%s)",
          file, line, e.getOriginalMessage().lines().findFirst().orElse(""));
    }
  }

  /** The 1-based number of the first line indented with a tab, or 0. */
  private static int firstTabIndentedLine(String yaml) {
    List<String> lines = yaml.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int indent = 0;
      while (indent < line.length()
          && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
        indent++;
      }
      if (line.substring(0, indent).indexOf('\t') >= 0 && indent < line.length()) {
        return i + 1;
      }
    }
    return 0;
  }

  /** {@code file: path}, the prefix of every error about this node. */
  public String where() {
    return path.isEmpty() ? file : file + ": " + path;
  }

  public String file() {
    return file;
  }

  public boolean isPresent() {
    return !node.isMissingNode() && !node.isNull();
  }

  /** The value under {@code key}, which must be present. */
  public ConfigNode required(String key) {
    ConfigNode child = get(key);
    if (!child.isPresent()) {
      throw error(child, "is required");
    }
    return child;
  }

  /** The value under {@code key}, if present and not null. */
  public Optional<ConfigNode> optional(String key) {
    ConfigNode child = get(key);
    return child.isPresent() ? Optional.of(child) : Optional.empty();
  }

  private ConfigNode get(String key) {
    if (isPresent() && !node.isObject()) {
      throw error(this, "expected a mapping with key '" + key + "'");
    }
    return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, node.path(key));
  }

  /**
   * Checks that this mapping has no key outside {@code known}.
   *
   * @throws LeadlineException naming the first unknown key and listing the known ones
   */
  public ConfigNode allowOnly(Set<String> known) {
    if (!isPresent()) {
      return this;
    }
    if (!node.isObject()) {
      throw error(this, "expected a mapping, got " + describe(node));
    }
    for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!known.contains(key)) {
        throw LeadlineException.userInput(
            "%s: unknown key '%s'; known: %s",
            where(), key, String.join(", ", ImmutableSet.copyOf(known).stream().sorted().toList()));
      }
    }
    return this;
  }

  /** The keys of this mapping, in file order. */
  public List<String> keys() {
    if (!node.isObject()) {
      throw error(this, "expected a mapping, got " + describe(node));
    }
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return ImmutableList.copyOf(keys);
  }

  /** Whether this node is a string. */
  public boolean isText() {
    return node.isTextual();
  }

  /** Whether this node is a mapping. */
  public boolean isMap() {
    return node.isObject();
  }

  /** Whether this node is a sequence. */
  public boolean isList() {
    return node.isArray();
  }

  /** The elements of this sequence. */
  public List<ConfigNode> list() {
    if (!node.isArray()) {
      throw error(this, "expected a list, got " + describe(node));
    }
    ImmutableList.Builder<ConfigNode> elements = ImmutableList.builder();
    for (int i = 0; i < node.size(); i++) {
      elements.add(new ConfigNode(file, path + "[" + i + "]", node.get(i)));
    }
    return elements.build();
  }

  /** A non-empty string. */
  public String text() {
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw error(this, "expected a non-empty string, got " + describe(node));
    }
    return node.asText();
  }

  /** A string that may be empty. */
  public String rawText() {
    if (!node.isTextual()) {
      throw error(this, "expected a string, got " + describe(node));
    }
    return node.asText();
  }

  /** A whole number in [{@code min}, {@code max}]. */
  public long whole(long min, long max) {
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw error(
          this,
          String.format("expected a whole number in [%d, %d], got %s", min, max, describe(node)));
    }
    long value = node.asLong();
    if (value < min || value > max) {
      throw error(
          this, String.format("expected a whole number in [%d, %d], got %d", min, max, value));
    }
    return value;
  }

  /** A number in [{@code min}, {@code max}]. */
  public double number(double min, double max) {
    if (!node.isNumber()) {
      throw error(
          this, String.format("expected a number in [%s, %s], got %s", min, max, describe(node)));
    }
    double value = node.asDouble();
    if (!(value >= min && value <= max)) {
      throw error(
          this, String.format("expected a number in [%s, %s], got %s", min, max, node.asText()));
    }
    return value;
  }

  /** A non-negative decimal, kept exact (prices). */
  public BigDecimal decimal() {
    if (!node.isNumber() || node.decimalValue().signum() < 0) {
      throw error(this, "expected a number >= 0, got " + describe(node));
    }
    return new BigDecimal(node.asText());
  }

  public boolean bool() {
    if (!node.isBoolean()) {
      throw error(this, "expected true or false, got " + describe(node));
    }
    return node.asBoolean();
  }

  /** One of {@code choices}. */
  public String oneOf(List<String> choices) {
    String value = text();
    if (!choices.contains(value)) {
      throw error(this, "expected one of " + String.join(", ", choices) + ", got '" + value + "'");
    }
    return value;
  }

  /** An error about this node: {@code file: path: message}. */
  public LeadlineException error(String message) {
    return error(this, message);
  }

  /** An error about the (possibly absent) value under {@code key}. */
  public LeadlineException error(String key, String message) {
    return error(get(key), message);
  }

  private static LeadlineException error(ConfigNode at, String message) {
    return LeadlineException.userInput("%s: %s", at.where(), message);
  }

  private static String describe(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return "nothing";
    }
    if (node.isTextual()) {
      return "'" + node.asText() + "'";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.asText();
  }
}
