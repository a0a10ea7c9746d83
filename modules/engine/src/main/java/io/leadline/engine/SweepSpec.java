package io.leadline.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything that decides a sweep, as the {@code leadline sweep} flags give it.
 *
 * @param benchmarksDir the checkout's {@code benchmarks/}
 * @param settingsDir the checkout's {@code settings/}
 * @param home {@code LEADLINE_HOME}: the result store and the dataset cache
 * @param modelsFile the models file's name, for errors
 * @param modelsYaml the models file's text
 * @param models the models to ask, in order; empty for every model in the file
 * @param benchmarks benchmark names, empty for all (in suite order)
 * @param settings setting names, in order
 * @param perturbations perturbation kinds ({@code qa-labels}, {@code format}, …) whose variants run
 *     beside each setting
 * @param limit the first N examples of each benchmark (or subset), if set
 * @param store the result store, a path or Hadoop URI; empty for {@code home/results}
 * @param out the run folder, a path or Hadoop URI; empty for {@code runsDir/<timestamp>-<plan
 *     hash>}
 * @param master the Spark master URL
 * @param concurrency overrides every model's {@code max_concurrency}
 * @param unsafeNoSandbox run HumanEval programs without bubblewrap (recorded in the manifest)
 * @param environment where Hub settings ({@code HF_ENDPOINT}, {@code HF_TOKEN}) are read
 */
public record SweepSpec(
    Path benchmarksDir,
    Path settingsDir,
    Path home,
    String modelsFile,
    String modelsYaml,
    List<String> models,
    List<String> benchmarks,
    List<String> settings,
    List<String> perturbations,
    OptionalInt limit,
    DataMode data,
    Optional<String> store,
    Optional<String> out,
    Path runsDir,
    String master,
    OptionalInt concurrency,
    boolean unsafeNoSandbox,
    Map<String, String> environment) {
  /** This sweep with its result store and run folder at {@code store} and {@code out}. */
  public SweepSpec withLocations(Optional<String> newStore, Optional<String> newOut) {
    return new SweepSpec(
        benchmarksDir,
        settingsDir,
        home,
        modelsFile,
        modelsYaml,
        models,
        benchmarks,
        settings,
        perturbations,
        limit,
        data,
        newStore,
        newOut,
        runsDir,
        master,
        concurrency,
        unsafeNoSandbox,
        environment);
  }

  /** This sweep under {@code newSettings}. */
  public SweepSpec withSettings(List<String> newSettings) {
    return new SweepSpec(
        benchmarksDir,
        settingsDir,
        home,
        modelsFile,
        modelsYaml,
        models,
        benchmarks,
        newSettings,
        perturbations,
        limit,
        data,
        store,
        out,
        runsDir,
        master,
        concurrency,
        unsafeNoSandbox,
        environment);
  }

  /** The result store's location. */
  public String storeLocation() {
    return store.orElse(home.resolve("results").toAbsolutePath().toString());
  }

  /** The models of the default sweep: two snapshots of one simulated family. */
  public static final String SIMULATED_MODELS =
      "models:\n"
          + "  - {name: sim-v1, provider: sim, profile: sim-v1, max_concurrency: 16}\n"
          + "  - {name: sim-v2, provider: sim, profile: sim-v2, max_concurrency: 16}\n";

  public static final String SIMULATED_MODELS_FILE = "(built-in simulated models)";

  public SweepSpec {
    requireNonNull(benchmarksDir, "benchmarksDir is null");
    requireNonNull(settingsDir, "settingsDir is null");
    requireNonNull(home, "home is null");
    requireNonNull(modelsFile, "modelsFile is null");
    requireNonNull(modelsYaml, "modelsYaml is null");
    models = ImmutableList.copyOf(models);
    benchmarks = ImmutableList.copyOf(benchmarks);
    settings = ImmutableList.copyOf(settings);
    perturbations = ImmutableList.copyOf(perturbations);
    checkArgument(!settings.isEmpty(), "at least one setting");
    requireNonNull(limit, "limit is null");
    requireNonNull(data, "data is null");
    requireNonNull(store, "store is null");
    requireNonNull(out, "out is null");
    requireNonNull(runsDir, "runsDir is null");
    requireNonNull(master, "master is null");
    requireNonNull(concurrency, "concurrency is null");
    environment = ImmutableMap.copyOf(environment);
  }

  /**
   * The main job: bundled samples of every benchmark, the {@code gpt-fathom} setting, the simulated
   * snapshots {@code sim-v1} and {@code sim-v2}, {@code local[*]}.
   */
  public static SweepSpec defaults(Path root, Path home, Map<String, String> environment) {
    return new SweepSpec(
        root.resolve("benchmarks"),
        root.resolve("settings"),
        home,
        SIMULATED_MODELS_FILE,
        SIMULATED_MODELS,
        List.of(),
        List.of(),
        List.of("gpt-fathom"),
        List.of(),
        OptionalInt.empty(),
        DataMode.BUNDLED,
        Optional.empty(),
        Optional.empty(),
        Path.of("runs"),
        "local[*]",
        OptionalInt.empty(),
        false,
        environment);
  }
}
