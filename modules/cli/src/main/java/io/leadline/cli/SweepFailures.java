package io.leadline.cli;

import io.leadline.api.ModelResult;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-sweep account of failed items: per model, how many failed and the first reason
 * recorded (the model client's status, provider message and what to check); and whether a rerun can
 * help at all.
 */
final class SweepFailures {
  private final List<String> lines;
  private final boolean rerunHelps;
  private final long outOfContext;

  private SweepFailures(List<String> lines, boolean rerunHelps, long outOfContext) {
    this.lines = lines;
    this.rerunHelps = rerunHelps;
    this.outOfContext = outOfContext;
  }

  /** The error prefix of an item whose prompt did not fit the model's context. */
  /** The columns of {@code samples.parquet} the failures are read from. */
  static final java.util.Set<String> COLUMNS =
      java.util.Set.of(
          io.leadline.records.SampleColumns.MODEL,
          io.leadline.records.SampleColumns.REQUEST_HASH,
          io.leadline.records.SampleColumns.BENCHMARK,
          io.leadline.records.SampleColumns.EXAMPLE_ID,
          io.leadline.records.SampleColumns.SETTING,
          io.leadline.records.SampleColumns.PERTURBATION,
          io.leadline.records.SampleColumns.ERROR);

  private static final String OUT_OF_CONTEXT = ModelResult.FailureReason.OUT_OF_CONTEXT.id() + ":";

  /** The failures recorded in {@code run}, in the manifest's model order. */
  static SweepFailures of(RunFolders.Run run) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    Map<String, List<String>> unfit = new LinkedHashMap<>();
    for (RunManifest.Model model : run.manifest().models()) {
      errors.put(model.name(), new ArrayList<>());
      unfit.put(model.name(), new ArrayList<>());
    }
    // One error per item: its samples repeat it.
    java.util.Set<String> seen = new java.util.HashSet<>();
    run.forEachSample(
        COLUMNS,
        sample -> sample.error().isPresent(),
        sample -> {
          if (!seen.add(
              sample.model()
                  + "\u0000"
                  + sample.requestHash()
                  + "\u0000"
                  + sample.benchmark()
                  + "\u0000"
                  + sample.exampleId()
                  + "\u0000"
                  + sample.setting()
                  + "\u0000"
                  + sample.perturbation().orElse(""))) {
            return;
          }
          String error = sample.error().get();
          (error.startsWith(OUT_OF_CONTEXT) ? unfit : errors)
              .computeIfAbsent(sample.model(), m -> new ArrayList<>())
              .add(error);
        });
    List<String> lines = new ArrayList<>();
    boolean rerunHelps = false;
    long outOfContext = 0;
    for (Map.Entry<String, List<String>> model : unfit.entrySet()) {
      if (model.getValue().isEmpty()) {
        continue;
      }
      outOfContext += model.getValue().size();
      String first = model.getValue().get(0).substring(OUT_OF_CONTEXT.length()).strip();
      lines.add(
          String.format(
              "model %s: %,d items out of context (recorded, not failed; never retried): %s",
              model.getKey(), model.getValue().size(), oneLine(first)));
    }
    for (Map.Entry<String, List<String>> model : errors.entrySet()) {
      if (model.getValue().isEmpty()) {
        continue;
      }
      rerunHelps |= model.getValue().stream().anyMatch(SweepFailures::isTransient);
      String first =
          model.getValue().stream()
              .filter(e -> !isTransient(e))
              .findFirst()
              .orElse(model.getValue().get(0));
      // The model client's message says what to check (the key's variable, the model id).
      lines.add(
          String.format(
              "model %s: %,d items failed: %s",
              model.getKey(), model.getValue().size(), oneLine(first)));
    }
    return new SweepFailures(List.copyOf(lines), rerunHelps, outOfContext);
  }

  /** Items whose prompts did not fit their model's context. */
  long outOfContext() {
    return outOfContext;
  }

  List<String> lines() {
    return lines;
  }

  /** Whether some failure was transient (a timeout, 5xx, 429, a stall): a rerun retries those. */
  boolean rerunHelps() {
    return rerunHelps;
  }

  /**
   * Whether a rerun may mend a failure: the model client's own classification, recorded as the
   * error's {@code reason:} prefix ({@link ModelResult.FailureReason#rerunMayPass}); an error
   * recorded without one may pass on a rerun.
   */
  static boolean isTransient(String error) {
    int colon = error.indexOf(':');
    if (colon > 0) {
      String reason = error.substring(0, colon).toUpperCase(Locale.ROOT);
      for (ModelResult.FailureReason known : ModelResult.FailureReason.values()) {
        if (known.name().equals(reason)) {
          return known.rerunMayPass();
        }
      }
    }
    return true;
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 297) + "…" : flat;
  }
}
