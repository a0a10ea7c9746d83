package io.leadline.models.sim;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hashing;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated model snapshot (YAML in {@code settings/sim-*.yaml}): how often it is right per
 * benchmark, how fast it answers, how often it fails, and how it reacts to prompt wording.
 *
 * @param snapshot the model name the server reports, e.g. {@code sim-v1}
 * @param difficultySeed decides which items are hard; snapshots of one family share it, so a better
 *     snapshot gains items and loses none unless its accuracy drops
 * @param seed decides sampling noise and faults
 * @param accuracy per benchmark, the share of items answered right at temperature 0
 * @param defaultAccuracy for benchmarks {@code accuracy} does not list
 * @param noAnswerRate share of answers given without the benchmark's answer format
 * @param latency time before each answer
 * @param faults failure rates
 * @param sensitivities accuracy changes when the prompt contains some text
 * @param positionBias on multiple choice, a preference for one letter whatever it holds
 * @param fingerprint a digest of the profile text, reported as {@code system_fingerprint}
 */
public record SimProfile(
    String snapshot,
    long difficultySeed,
    long seed,
    Map<String, Double> accuracy,
    double defaultAccuracy,
    double noAnswerRate,
    Latency latency,
    Faults faults,
    List<Sensitivity> sensitivities,
    Optional<PositionBias> positionBias,
    String fingerprint) {
  /** What a benchmark's name looks like; which benchmarks exist is the suite's to say. */
  private static final String BENCHMARK_NAME = "[a-z][a-z0-9_-]*";

  private static final Set<String> KEYS =
      ImmutableSet.of(
          "snapshot",
          "difficulty_seed",
          "seed",
          "accuracy",
          "no_answer_rate",
          "latency_ms",
          "faults",
          "format_sensitivity",
          "position_bias");

  public SimProfile {
    requireNonNull(snapshot, "snapshot is null");
    accuracy = ImmutableMap.copyOf(accuracy);
    checkArgument(noAnswerRate >= 0 && noAnswerRate <= 1, "noAnswerRate must be in [0, 1]");
    requireNonNull(latency, "latency is null");
    requireNonNull(faults, "faults is null");
    sensitivities = ImmutableList.copyOf(sensitivities);
    requireNonNull(positionBias, "positionBias is null");
    requireNonNull(fingerprint, "fingerprint is null");
  }

  /**
   * Time before an answer: fixed, or log-normal around a median.
   *
   * @param sigma 0 for a fixed latency
   */
  public record Latency(Duration median, double sigma) {
    public static final Latency NONE = new Latency(Duration.ZERO, 0);
  }

  /**
   * Per-attempt fault rates (each attempt draws anew, so a retry can pass).
   *
   * @param rateLimited answered 429 with {@code Retry-After: retryAfterSeconds}
   * @param serverError answered 500
   * @param timeout answered only after {@code timeoutSeconds}
   * @param garbage answered 200 with truncated JSON
   */
  public record Faults(
      double rateLimited,
      double serverError,
      double timeout,
      double garbage,
      long retryAfterSeconds,
      double timeoutSeconds) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 1, 30);

    public Faults {
      checkArgument(
          rateLimited + serverError + timeout + garbage <= 1, "fault rates add up to more than 1");
    }
  }

  /**
   * When the prompt contains {@code contains}, accuracy on {@code benchmarks} (all if empty) moves
   * by {@code accuracyDelta}.
   */
  public record Sensitivity(String contains, Set<String> benchmarks, double accuracyDelta) {
    public Sensitivity {
      benchmarks = ImmutableSet.copyOf(benchmarks);
    }
  }

  /**
   * On multiple-choice questions, a share {@code rate} of answers picks the option under {@code
   * letter}, whatever it says: the position bias that rotating the options exposes.
   */
  public record PositionBias(String letter, double rate) {
    public PositionBias {
      checkArgument(letter.matches("[A-Z]"), "letter must be A-Z: %s", letter);
      checkArgument(rate >= 0 && rate <= 1, "rate must be in [0, 1]: %s", rate);
    }
  }

  /** Accuracy on {@code benchmark} for a prompt, after the sensitivities, within [0, 1]. */
  double accuracyFor(String benchmark, String prompt) {
    double value = accuracy.getOrDefault(benchmark, defaultAccuracy);
    for (Sensitivity sensitivity : sensitivities) {
      if ((sensitivity.benchmarks().isEmpty() || sensitivity.benchmarks().contains(benchmark))
          && prompt.contains(sensitivity.contains())) {
        value += sensitivity.accuracyDelta();
      }
    }
    return Math.max(0, Math.min(1, value));
  }

  /** Every benchmark the profile names (in its accuracies and sensitivities), sorted. */
  public java.util.SortedSet<String> benchmarks() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>(accuracy.keySet());
    sensitivities.forEach(sensitivity -> names.addAll(sensitivity.benchmarks()));
    return names;
  }

  /** This profile with other latency and faults: what tests and benchmarks vary. */
  public SimProfile with(Latency newLatency, Faults newFaults) {
    return new SimProfile(
        snapshot,
        difficultySeed,
        seed,
        accuracy,
        defaultAccuracy,
        noAnswerRate,
        newLatency,
        newFaults,
        sensitivities,
        positionBias,
        fingerprint);
  }

  /**
   * The profile {@code nameOrPath} names: a file, or a profile in {@code settings} by name ({@code
   * sim-v1} is {@code settings/sim-v1.yaml}).
   *
   * @param what the flag or field that named it, for the error
   * @throws LeadlineException listing the profiles in {@code settings} if there is none such
   */
  public static SimProfile resolve(String nameOrPath, Path settings, String what) {
    Path file = Path.of(nameOrPath);
    if (Files.isRegularFile(file)) {
      return load(file);
    }
    Path named = settings.resolve(nameOrPath + ".yaml");
    if (nameOrPath.matches("[A-Za-z0-9._-]+") && Files.isRegularFile(named)) {
      return load(named);
    }
    List<String> known = new java.util.ArrayList<>();
    try (var files = Files.list(settings)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.startsWith("sim-") && f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length()))
          .sorted()
          .forEach(known::add);
    } catch (IOException e) {
      // No settings folder: the message below says there are no known profiles.
    }
    throw LeadlineException.userInput(
        "%s: no profile file or settings profile '%s'; known: %s",
        what, nameOrPath, known.isEmpty() ? "(none)" : String.join(", ", known));
  }

  /** Reads a profile file. */
  public static SimProfile load(Path file) {
    ConfigNode root = ConfigNode.load(file);
    try {
      return read(root, fingerprintOf(Files.readString(file)));
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot read (%s)", file, e.getMessage());
    }
  }

  /** Parses profile YAML, naming it {@code file} in errors. */
  public static SimProfile parse(String file, String yaml) {
    return read(ConfigNode.parse(file, yaml), fingerprintOf(yaml));
  }

  private static String fingerprintOf(String text) {
    return "sim-"
        + Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString().substring(0, 12);
  }

  private static SimProfile read(ConfigNode root, String fallbackFingerprint) {
    root.allowOnly(KEYS);
    String snapshot = root.required("snapshot").text();
    ImmutableMap.Builder<String, Double> accuracy = ImmutableMap.builder();
    double defaultAccuracy = 0.5;
    ConfigNode accuracyNode = root.required("accuracy");
    for (String key : accuracyNode.keys()) {
      double value = accuracyNode.required(key).number(0, 1);
      if (key.equals("default")) {
        defaultAccuracy = value;
      } else if (key.matches(BENCHMARK_NAME)) {
        accuracy.put(key, value);
      } else {
        throw accuracyNode.error(
            "'"
                + key
                + "' is not a benchmark name (lower-case letters, digits, - and _) or default");
      }
    }
    Latency latency = Latency.NONE;
    Optional<ConfigNode> latencyNode = root.optional("latency_ms");
    if (latencyNode.isPresent()) {
      ConfigNode node = latencyNode.get().allowOnly(ImmutableSet.of("fixed", "median", "sigma"));
      if (node.optional("fixed").isPresent() == node.optional("median").isPresent()) {
        throw node.error("expected either 'fixed' or 'median' (with optional 'sigma')");
      }
      latency =
          node.optional("fixed").isPresent()
              ? new Latency(millis(node.required("fixed").number(0, 600_000)), 0)
              : new Latency(
                  millis(node.required("median").number(0, 600_000)),
                  node.optional("sigma").map(s -> s.number(0, 5)).orElse(0.0));
    }
    Faults faults = Faults.NONE;
    Optional<ConfigNode> faultsNode = root.optional("faults");
    if (faultsNode.isPresent()) {
      ConfigNode node =
          faultsNode
              .get()
              .allowOnly(
                  ImmutableSet.of(
                      "rate_limited",
                      "server_error",
                      "timeout",
                      "garbage",
                      "retry_after_seconds",
                      "timeout_seconds"));
      double rateLimited = rate(node, "rate_limited");
      double serverError = rate(node, "server_error");
      double timeout = rate(node, "timeout");
      double garbage = rate(node, "garbage");
      if (rateLimited + serverError + timeout + garbage > 1) {
        throw node.error("the fault rates add up to more than 1");
      }
      faults =
          new Faults(
              rateLimited,
              serverError,
              timeout,
              garbage,
              node.optional("retry_after_seconds").map(n -> n.whole(0, 3600)).orElse(1L),
              node.optional("timeout_seconds").map(n -> n.number(0, 3600)).orElse(30.0));
    }
    ImmutableList.Builder<Sensitivity> sensitivities = ImmutableList.builder();
    for (ConfigNode node :
        root.optional("format_sensitivity").map(ConfigNode::list).orElse(List.of())) {
      node.allowOnly(ImmutableSet.of("contains", "benchmarks", "accuracy_delta"));
      Set<String> benchmarks =
          node.optional("benchmarks").map(ConfigNode::list).orElse(List.of()).stream()
              .map(ConfigNode::text)
              .collect(ImmutableSet.toImmutableSet());
      sensitivities.add(
          new Sensitivity(
              node.required("contains").rawText(),
              benchmarks,
              node.required("accuracy_delta").number(-1, 1)));
    }
    Optional<PositionBias> positionBias =
        root.optional("position_bias")
            .map(
                node -> {
                  node.allowOnly(ImmutableSet.of("letter", "rate"));
                  return new PositionBias(
                      node.required("letter")
                          .oneOf(List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J")),
                      node.required("rate").number(0, 1));
                });
    return new SimProfile(
        snapshot,
        root.optional("difficulty_seed").map(n -> n.whole(0, Long.MAX_VALUE)).orElse(0L),
        root.optional("seed").map(n -> n.whole(0, Long.MAX_VALUE)).orElse(0L),
        accuracy.build(),
        defaultAccuracy,
        root.optional("no_answer_rate").map(n -> n.number(0, 1)).orElse(0.0),
        latency,
        faults,
        sensitivities.build(),
        positionBias,
        fallbackFingerprint);
  }

  private static double rate(ConfigNode node, String key) {
    return node.optional(key).map(n -> n.number(0, 1)).orElse(0.0);
  }

  private static Duration millis(double value) {
    return Duration.ofNanos((long) (value * 1_000_000));
  }
}
