package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One evaluated item of a benchmark's dataset.
 *
 * @param subset the config it comes from (the MMLU subject, the BBH task, or the one config)
 * @param id stable across runs: the dataset's own id where it has one, else subset/split/position
 * @param row the row exactly as the Hub serves it, or a bundled row of another schema wrapped as
 *     {@code {"<schema>": row}} (see {@link Columns})
 */
public record Example(String benchmark, String subset, String id, JsonNode row) {
  public Example {
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(subset, "subset is null");
    requireNonNull(id, "id is null");
    requireNonNull(row, "row is null");
  }

  /** Names the example in messages about its row. */
  public String where() {
    return benchmark + " example " + id;
  }

  /** The string field {@code name}; a row without it is bad data, named with the example. */
  String text(String name) {
    JsonNode value = row.get(name);
    if (value == null || !value.isTextual()) {
      throw io.leadline.api.LeadlineException.data(
          "%s example %s: field '%s' is missing or not a string", benchmark, id, name);
    }
    return value.textValue();
  }
}
