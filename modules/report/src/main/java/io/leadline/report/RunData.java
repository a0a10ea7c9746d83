package io.leadline.report;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.leadline.records.AgreementRow;
import io.leadline.records.MetricRow;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import java.util.List;

/**
 * A run folder as a report reads it: where it is, its manifest, its metrics, the judges' agreement
 * ({@code agreement.json}) and the samples judges graded.
 *
 * @param judgedSamples the samples with judge replies; any other sample given is left out, so that
 *     a report keeps only what its model-graded section shows
 */
public record RunData(
    String location,
    RunManifest manifest,
    List<MetricRow> metrics,
    List<AgreementRow> agreement,
    List<SampleRow> judgedSamples) {
  public RunData {
    requireNonNull(location, "location is null");
    requireNonNull(manifest, "manifest is null");
    metrics = ImmutableList.copyOf(metrics);
    agreement = ImmutableList.copyOf(agreement);
    judgedSamples =
        judgedSamples.stream().filter(s -> !s.judgements().isEmpty()).collect(toImmutableList());
  }

  /** A run without judges' records: no agreement, no judged sample. */
  public RunData(String location, RunManifest manifest, List<MetricRow> metrics) {
    this(location, manifest, metrics, List.of(), List.of());
  }
}
