package io.leadline.cli;

import io.leadline.api.ModelResult;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
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
  private final boolean onlyOutOfContext;

  private SweepFailures(List<String> lines, boolean rerunHelps, boolean onlyOutOfContext) {
    this.lines = lines;
    this.rerunHelps = rerunHelps;
    this.onlyOutOfContext = onlyOutOfContext;
  }

  /** The failures recorded in {@code run}, in the manifest's model order. */
  static SweepFailures of(RunFolders.Run run) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    for (RunManifest.Model model : run.manifest().models()) {
      errors.put(model.name(), new ArrayList<>());
    }
    for (SampleRow sample : run.samples()) {
      sample
          .error()
          .ifPresent(e -> errors.computeIfAbsent(sample.model(), m -> new ArrayList<>()).add(e));
    }
    List<String> lines = new ArrayList<>();
    boolean rerunHelps = false;
    boolean onlyOutOfContext = true;
    String outOfContext =
        ModelResult.FailureReason.OUT_OF_CONTEXT.name().toLowerCase(Locale.ROOT) + ":";
    for (Map.Entry<String, List<String>> model : errors.entrySet()) {
      // A prompt longer than the model's context is an answer about the model, not a failure.
      List<String> tooLong =
          model.getValue().stream().filter(e -> e.startsWith(outOfContext)).toList();
      if (!tooLong.isEmpty()) {
        lines.add(
            String.format(
                "model %s: %,d items out of context (recorded as such, not retried): %s",
                model.getKey(),
                tooLong.size(),
                oneLine(tooLong.get(0).substring(outOfContext.length()).strip())));
        model.getValue().removeAll(tooLong);
      }
      if (model.getValue().isEmpty()) {
        continue;
      }
      onlyOutOfContext = false;
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
    return new SweepFailures(List.copyOf(lines), rerunHelps, onlyOutOfContext);
  }

  List<String> lines() {
    return lines;
  }

  /** Whether every item without an answer had a prompt longer than its model's context. */
  boolean onlyOutOfContext() {
    return onlyOutOfContext;
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
