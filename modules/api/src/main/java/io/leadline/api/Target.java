package io.leadline.api;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * What a sample is scored against, as the benchmark's format adapter reads it from the row.
 *
 * @param golds the accepted answers in the convention's order (aliases, spans, the gold letter, the
 *     target text, the worked answer); empty where a scorer decides otherwise (code is executed)
 * @param fields further named facts of the item a scorer may need (the question, the tests)
 * @param display the gold as a reader of a record would want it
 */
public record Target(
    ImmutableList<String> golds, ImmutableMap<String, String> fields, String display) {
  public Target {
    requireNonNull(golds, "golds is null");
    requireNonNull(fields, "fields is null");
    requireNonNull(display, "display is null");
  }

  /** The first gold answer; a target without one is a bug in its adapter. */
  public String gold() {
    if (golds.isEmpty()) {
      throw new IllegalStateException("target has no gold answer: " + display);
    }
    return golds.get(0);
  }

  /** The field called {@code name}; a target without it is a bug in its adapter. */
  public String field(String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalStateException("target has no field '" + name + "'");
    }
    return value;
  }
}
