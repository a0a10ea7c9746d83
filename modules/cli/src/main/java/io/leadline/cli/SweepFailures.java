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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-of-sweep account of failed items: per model, how many failed, the first reason recorded
 * (status, provider message) and what to check; and whether a rerun can help at all. The one place
 * that reads a failure's kind from its recorded reason.
 */
final class SweepFailures {
  private static final Pattern STATUS = Pattern.compile("\\b(?:HTTP|status) ?(\\d{3})\\b");

  private final List<String> lines;
  private final boolean rerunHelps;

  private SweepFailures(List<String> lines, boolean rerunHelps) {
    this.lines = lines;
    this.rerunHelps = rerunHelps;
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
    for (Map.Entry<String, List<String>> model : errors.entrySet()) {
      if (model.getValue().isEmpty()) {
        continue;
      }
      boolean transientOnly = model.getValue().stream().allMatch(SweepFailures::isTransient);
      rerunHelps |= model.getValue().stream().anyMatch(SweepFailures::isTransient);
      String first =
          model.getValue().stream()
              .filter(e -> !isTransient(e))
              .findFirst()
              .orElse(model.getValue().get(0));
      String id =
          run.manifest().models().stream()
              .filter(m -> m.name().equals(model.getKey()))
              .map(RunManifest.Model::model)
              .findFirst()
              .orElse(model.getKey());
      lines.add(
          String.format(
              "model %s: %,d items failed: %s%s",
              model.getKey(),
              model.getValue().size(),
              oneLine(first),
              transientOnly || first.contains("check ")
                  ? ""
                  : hint(first, id).map(h -> " — " + h).orElse("")));
    }
    return new SweepFailures(List.copyOf(lines), rerunHelps);
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
   * error's {@code reason:} prefix ({@link ModelResult.FailureReason#rerunMayPass}); the status
   * code for errors recorded without one (4xx but 408/409/429 would fail the same again).
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
    Optional<Integer> status = status(error);
    if (status.isPresent()) {
      int code = status.get();
      return code >= 500 || code == 408 || code == 409 || code == 429;
    }
    return true;
  }

  private static Optional<String> hint(String error, String modelId) {
    return switch (status(error).orElse(0)) {
      case 401, 403 -> Optional.of("check the key in the variable api_key_env names");
      case 404 ->
          Optional.of("check the model id '" + modelId + "' and base_url in the models file");
      case 400, 422 ->
          Optional.of("the server refuses the request; check the setting and the model's api");
      default -> Optional.empty();
    };
  }

  private static Optional<Integer> status(String error) {
    Matcher matcher = STATUS.matcher(error);
    return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 297) + "…" : flat;
  }
}
