package io.leadline.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** A run folder as a report reads it: where it is, its manifest and its metrics. */
public record RunData(String location, JsonNode manifest, JsonNode metrics) {
  public RunData {
    requireNonNull(location, "location is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(metrics, "metrics is null");
  }
}
