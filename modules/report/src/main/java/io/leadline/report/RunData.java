package io.leadline.report;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.leadline.records.AgreementRow;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleColumns;
import io.leadline.records.SampleRow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run folder as a report reads it: where it is, its manifest, its metrics, the judges' agreement
 * ({@code agreement.json}), the samples judges graded, and what failed.
 *
 * @param judgedSamples the samples with judge replies; any other sample given is left out, so that
 *     a report keeps only what its model-graded section shows
 * @param failures per model, benchmark and setting whose requests failed (unperturbed prompts), how
 *     many and why, in that order; what an empty cell of the report says
 */
public record RunData(
    String location,
    RunManifest manifest,
    List<MetricRow> metrics,
    List<AgreementRow> agreement,
    List<SampleRow> judgedSamples,
    List<Failure> failures) {
  /** The longest reason a report quotes from a failed request's error. */
  static final int REASON_CHARS = 160;

  /**
   * The failed requests of one model on one benchmark under one setting.
   *
   * @param samples the samples of the unperturbed prompts, failed or not
   * @param failed how many of them failed
   * @param reason the most common error among them (the first in name order on a tie), cut to
   *     {@link #REASON_CHARS} characters
   */
  public record Failure(
      String model, String benchmark, String setting, long samples, long failed, String reason) {
    public Failure {
      requireNonNull(model, "model is null");
      requireNonNull(benchmark, "benchmark is null");
      requireNonNull(setting, "setting is null");
      requireNonNull(reason, "reason is null");
    }

    /** Whether every request failed. */
    public boolean all() {
      return failed == samples;
    }
  }

  public RunData {
    requireNonNull(location, "location is null");
    requireNonNull(manifest, "manifest is null");
    metrics = ImmutableList.copyOf(metrics);
    agreement = ImmutableList.copyOf(agreement);
    judgedSamples =
        judgedSamples.stream().filter(s -> !s.judgements().isEmpty()).collect(toImmutableList());
    failures = ImmutableList.copyOf(failures);
  }

  /**
   * A run read with its {@code samples}: the judged ones are kept, and the failed ones summed into
   * {@link #failures}.
   */
  public RunData(
      String location,
      RunManifest manifest,
      List<MetricRow> metrics,
      List<AgreementRow> agreement,
      List<SampleRow> samples) {
    this(location, manifest, metrics, agreement, samples, failures(samples));
  }

  /**
   * The run folder {@code run} as a report reads it: its failures from a few columns of every
   * sample, and whole only the samples of the benchmarks judges graded (those with a judged metric
   * row).
   */
  public static RunData of(RunFolders.Run run) {
    List<SampleRow> judged = new java.util.ArrayList<>();
    java.util.Set<String> benchmarks = new java.util.TreeSet<>();
    run.metrics().stream()
        .filter(row -> row.noGradeRate().isPresent())
        .forEach(row -> benchmarks.add(row.benchmark()));
    if (!benchmarks.isEmpty()) {
      run.forEachSampleOf(
          benchmarks,
          sample -> {
            if (!sample.judgements().isEmpty()) {
              judged.add(sample);
            }
          });
    }
    Counts counts = new Counts();
    run.forEachSample(FAILURE_COLUMNS, counts::add);
    return new RunData(
        run.location(), run.manifest(), run.metrics(), run.agreement(), judged, counts.failures());
  }

  /** The columns a run's failures are counted from. */
  private static final java.util.Set<String> FAILURE_COLUMNS =
      java.util.Set.of(
          SampleColumns.MODEL,
          SampleColumns.BENCHMARK,
          SampleColumns.SETTING,
          SampleColumns.PERTURBATION,
          SampleColumns.ERROR);

  /** A run without judges' records or samples: no agreement, no judged sample, no failure. */
  public RunData(String location, RunManifest manifest, List<MetricRow> metrics) {
    this(location, manifest, metrics, List.of(), List.of(), List.of());
  }

  private static List<Failure> failures(List<SampleRow> samples) {
    Counts counts = new Counts();
    samples.forEach(counts::add);
    return counts.failures();
  }

  /** Samples and failures per model, benchmark and setting, and the failures' errors. */
  private static final class Counts {
    final Map<List<String>, long[]> counts = new TreeMap<>(Comparator.comparing(Object::toString));
    final Map<List<String>, Map<String, Long>> reasons =
        new TreeMap<>(Comparator.comparing(Object::toString));

    void add(SampleRow sample) {
      if (sample.perturbation().isPresent()) {
        return;
      }
      List<String> key = List.of(sample.model(), sample.benchmark(), sample.setting());
      long[] count = counts.computeIfAbsent(key, k -> new long[2]);
      count[0]++;
      if (sample.error().isPresent()) {
        count[1]++;
        reasons
            .computeIfAbsent(key, k -> new TreeMap<>())
            .merge(sample.error().get().strip(), 1L, Long::sum);
      }
    }

    List<Failure> failures() {
      ImmutableList.Builder<Failure> failures = ImmutableList.builder();
      counts.forEach(
          (key, count) -> {
            if (count[1] == 0) {
              return;
            }
            String reason =
                reasons.get(key).entrySet().stream()
                    .max(
                        Map.Entry.<String, Long>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElseThrow()
                    .getKey()
                    .replaceAll("\\s+", " ");
            if (reason.length() > REASON_CHARS) {
              reason = reason.substring(0, REASON_CHARS - 1) + "…";
            }
            failures.add(
                new Failure(key.get(0), key.get(1), key.get(2), count[0], count[1], reason));
          });
      return failures.build();
    }
  }

  /** The failures of {@code model} on {@code benchmark} under {@code setting}, if any failed. */
  java.util.Optional<Failure> failure(String model, String benchmark, String setting) {
    return failures.stream()
        .filter(
            f ->
                f.model().equals(model)
                    && f.benchmark().equals(benchmark)
                    && f.setting().equals(setting))
        .findFirst();
  }

  /** Whether the run swept {@code benchmark} under {@code setting} (its manifest resolves it). */
  boolean swept(String benchmark, String setting) {
    return manifest.setting(setting, benchmark).isPresent();
  }
}
