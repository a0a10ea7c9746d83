package io.leadline.report;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.leadline.records.MetricRow;
import io.leadline.records.RunManifest;
import java.util.List;

/** A run folder as a report reads it: where it is, its manifest and its metrics. */
public record RunData(String location, RunManifest manifest, List<MetricRow> metrics) {
  public RunData {
    requireNonNull(location, "location is null");
    requireNonNull(manifest, "manifest is null");
    metrics = ImmutableList.copyOf(metrics);
  }
}
