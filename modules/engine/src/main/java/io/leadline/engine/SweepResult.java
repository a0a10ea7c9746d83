package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import io.leadline.records.MetricRow;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished sweep.
 *
 * @param runDir the run folder (a local path, or the URI it was given as): manifest.json,
 *     samples.parquet, metrics.json
 * @param metrics the rows of metrics.json
 * @param progress the final counts
 * @param failedItems items whose request failed; they are recorded, and a rerun retries them
 * @param batchesInFlight batches still running at the provider ({@code --no-wait}): no run folder
 *     was written, and a rerun collects them
 * @param estimate for {@code --dry-run}, what the sweep would send and cost (nothing was sent)
 */
public record SweepResult(
    String runDir,
    List<MetricRow> metrics,
    Progress progress,
    long failedItems,
    List<io.leadline.records.RunManifest.Judge> judges,
    int batchesInFlight,
    java.util.Optional<Estimate> estimate) {
  public SweepResult {
    metrics = ImmutableList.copyOf(metrics);
    judges = ImmutableList.copyOf(judges);
  }

  /** The run folder as a local path. */
  public Path localRunDir() {
    return runDir.startsWith("file:") ? Path.of(java.net.URI.create(runDir)) : Path.of(runDir);
  }
}
