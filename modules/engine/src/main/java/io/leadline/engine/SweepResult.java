package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished sweep.
 *
 * @param runDir the run folder: manifest.json, samples.parquet, metrics.json
 * @param metrics the rows of metrics.json
 * @param progress the final counts
 * @param failedItems items whose request failed; they are recorded, and a rerun retries them
 */
public record SweepResult(
    Path runDir, List<MetricRow> metrics, Progress progress, long failedItems) {
  public SweepResult {
    metrics = ImmutableList.copyOf(metrics);
  }
}
