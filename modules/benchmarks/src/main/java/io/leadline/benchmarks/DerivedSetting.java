package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A setting changed in one or more axes, as the sweep's shorthands ({@code --num-fewshot}, {@code
 * --temperature}, {@code --max-tokens}, {@code --seed}) make it. It needs no file: its name says
 * everything, {@code BASE+shots=N+temperature=T+max_tokens=N+seed=N} with the changes in that order
 * and each value in one written form, so the same flags always make the same name and an executor
 * that loads the setting by name gets the same one. A change applies where it means something: no
 * exemplars for a benchmark that has none, no temperature, max_tokens or seed for a benchmark
 * scored by log-likelihood (nothing is generated); there the benchmark's hash stays its base's.
 *
 * @param base the setting changed (a file's name or {@code shots-N})
 */
public record DerivedSetting(
    String base,
    OptionalInt shots,
    Optional<BigDecimal> temperature,
    OptionalInt maxTokens,
    OptionalLong seed) {
  private static final List<String> KEYS = List.of("shots", "temperature", "max_tokens", "seed");

  public DerivedSetting {
    requireNonNull(base, "base is null");
    requireNonNull(shots, "shots is null");
    requireNonNull(temperature, "temperature is null");
    requireNonNull(maxTokens, "maxTokens is null");
    requireNonNull(seed, "seed is null");
    if (base.isEmpty() || base.contains("+") || base.contains(",")) {
      throw LeadlineException.userInput(
          "a derived setting's base must be a setting name: '%s'", base);
    }
    if (shots.isPresent() && (shots.getAsInt() < 0 || shots.getAsInt() > 64)) {
      throw LeadlineException.userInput(
          "--num-fewshot: expected a whole number in [0, 64], got %d", shots.getAsInt());
    }
    if (temperature.isPresent()
        && (temperature.get().signum() < 0
            || temperature.get().compareTo(BigDecimal.valueOf(2)) > 0)) {
      throw LeadlineException.userInput(
          "--temperature: expected a number in [0, 2], got %s", temperature.get().toPlainString());
    }
    if (maxTokens.isPresent() && (maxTokens.getAsInt() < 1 || maxTokens.getAsInt() > 1_000_000)) {
      throw LeadlineException.userInput(
          "--max-tokens: expected a whole number in [1, 1000000], got %d", maxTokens.getAsInt());
    }
    if (seed.isPresent() && seed.getAsLong() < 0) {
      throw LeadlineException.userInput(
          "--seed: expected a whole number >= 0, got %d", seed.getAsLong());
    }
  }

  /** Whether anything is changed. */
  public boolean changes() {
    return shots.isPresent()
        || temperature.isPresent()
        || maxTokens.isPresent()
        || seed.isPresent();
  }

  /**
   * The setting's name: {@code BASE+shots=0+temperature=0.7}; the base's name if nothing changes.
   */
  public String name() {
    StringBuilder name = new StringBuilder(base);
    shots.ifPresent(n -> name.append("+shots=").append(n));
    temperature.ifPresent(t -> name.append("+temperature=").append(plain(t)));
    maxTokens.ifPresent(n -> name.append("+max_tokens=").append(n));
    seed.ifPresent(n -> name.append("+seed=").append(n));
    return name.toString();
  }

  /** What changed, for {@code leadline settings}: {@code gpt-fathom, 0-shot, T=0.7}. */
  public String description() {
    List<String> parts = new ArrayList<>(List.of(base));
    shots.ifPresent(n -> parts.add(n + "-shot"));
    parts.addAll(generationChanges());
    return String.join(", ", parts);
  }

  /**
   * The label of {@code resolved} (a benchmark under this setting): the base's name, then the label
   * as for any setting, then the changes that label does not show ({@code gpt-fathom, 0-shot CoT,
   * T=0.7}).
   */
  String label(BenchmarkSetting resolved) {
    StringBuilder label = new StringBuilder(base).append(", ").append(resolved.label());
    if (!resolved.byLikelihood()) {
      generationChanges().forEach(change -> label.append(", ").append(change));
    }
    return label.toString();
  }

  private List<String> generationChanges() {
    List<String> parts = new ArrayList<>();
    temperature.ifPresent(t -> parts.add("T=" + plain(t)));
    maxTokens.ifPresent(n -> parts.add("max_tokens=" + n));
    seed.ifPresent(n -> parts.add("seed=" + n));
    return parts;
  }

  /**
   * The derived setting {@code name} spells, or empty if it has no {@code +}.
   *
   * @throws LeadlineException naming the change that is unknown, repeated, out of order, or not in
   *     its one written form
   */
  public static Optional<DerivedSetting> parse(String name) {
    int plus = name.indexOf('+');
    if (plus < 0) {
      return Optional.empty();
    }
    String base = name.substring(0, plus);
    OptionalInt shots = OptionalInt.empty();
    Optional<BigDecimal> temperature = Optional.empty();
    OptionalInt maxTokens = OptionalInt.empty();
    OptionalLong seed = OptionalLong.empty();
    int last = -1;
    for (String change : name.substring(plus + 1).split("\\+", -1)) {
      int equals = change.indexOf('=');
      String key = equals < 0 ? change : change.substring(0, equals);
      int index = KEYS.indexOf(key);
      if (equals < 0 || index < 0) {
        throw LeadlineException.userInput(
            "setting '%s': expected BASE+KEY=VALUE… with KEY one of %s, got '%s'",
            name, String.join(", ", KEYS), change);
      }
      if (index <= last) {
        throw LeadlineException.userInput(
            "setting '%s': changes go once each, in the order %s", name, String.join(", ", KEYS));
      }
      last = index;
      String value = change.substring(equals + 1);
      try {
        switch (key) {
          case "shots" -> shots = OptionalInt.of(Integer.parseInt(value));
          case "temperature" -> temperature = Optional.of(new BigDecimal(value));
          case "max_tokens" -> maxTokens = OptionalInt.of(Integer.parseInt(value));
          default -> seed = OptionalLong.of(Long.parseLong(value));
        }
      } catch (NumberFormatException e) {
        throw LeadlineException.userInput(
            "setting '%s': %s: expected a number, got '%s'", name, key, value);
      }
    }
    DerivedSetting derived = new DerivedSetting(base, shots, temperature, maxTokens, seed);
    if (!derived.name().equals(name)) {
      // One name per setting: 0.70 and 0.7 would be two settings with the same requests.
      throw LeadlineException.userInput(
          "setting '%s': write it '%s' (one written form per value)", name, derived.name());
    }
    return Optional.of(derived);
  }

  /** {@code base} with these changes, named {@link #name()}. */
  Setting applyTo(Setting base) {
    ImmutableMap.Builder<String, BenchmarkSetting> per = ImmutableMap.builder();
    base.perBenchmark().forEach((benchmark, setting) -> per.put(benchmark, applyTo(setting)));
    return new Setting(name(), description(), per.buildOrThrow());
  }

  private BenchmarkSetting applyTo(BenchmarkSetting setting) {
    boolean generates = !setting.byLikelihood();
    int newShots = setting.shots();
    if (shots.isPresent()) {
      newShots = setting.benchmark().format().hasShots() ? shots.getAsInt() : 0;
    }
    return new BenchmarkSetting(
        name(),
        setting.benchmark(),
        newShots,
        setting.cot(),
        setting.chatWrapping(),
        generates ? temperature.orElse(setting.temperature()) : setting.temperature(),
        setting.topP(),
        generates ? maxTokens.orElse(setting.maxTokens()) : setting.maxTokens(),
        setting.stop(),
        setting.n(),
        generates && seed.isPresent() ? seed : setting.seed(),
        setting.passAt(),
        setting.majAt(),
        setting.perturbation(),
        setting.judging(),
        setting.scoring());
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
