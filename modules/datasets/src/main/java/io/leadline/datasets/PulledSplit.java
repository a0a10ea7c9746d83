package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.time.Instant;

/**
 * A whole split: its rows in canonical form (one Python-style JSON object per line, Hub column
 * order) and the facts that pin it — the revision it was served from and the sha256 of the rows.
 */
public record PulledSplit(
    SplitRef ref,
    String revision,
    ImmutableList<String> rows,
    String sha256,
    Instant fetchedAt,
    String source) {
  public PulledSplit {
    requireNonNull(ref, "ref is null");
    requireNonNull(revision, "revision is null");
    requireNonNull(rows, "rows is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(fetchedAt, "fetchedAt is null");
    requireNonNull(source, "source is null");
  }
}
