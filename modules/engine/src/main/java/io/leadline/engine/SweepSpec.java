package io.leadline.engine;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.perturb.Kind;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything that decides a sweep, as the {@code leadline sweep} flags give it. Made by {@link
 * #builder()}, which checks what can be checked without reading a file: a spec that exists has
 * positive limits, at least one setting, no name given twice and known perturbation kinds. Whether
 * the benchmarks, settings and models exist is the planner's to check, against the suite and the
 * models file. Immutable.
 */
public final class SweepSpec {
  /** The models of the default sweep: two snapshots of one simulated family. */
  public static final String SIMULATED_MODELS =
      "models:\n"
          + "  - {name: sim-v1, provider: sim, profile: sim-v1, max_concurrency: 16,"
          + " loglikelihood: true}\n"
          + "  - {name: sim-v2, provider: sim, profile: sim-v2, max_concurrency: 16,"
          + " loglikelihood: true}\n"
          + "  - {name: sim-judge-a, provider: sim, profile: sim-judge-a, max_concurrency: 16}\n"
          + "  - {name: sim-judge-b, provider: sim, profile: sim-judge-b, max_concurrency: 16}\n";

  /**
   * The models of the main job ({@code leadline sweep} with no arguments): the simulated snapshots
   * and judges, and the real stories260K model of the checkout's {@code models/} run in-process by
   * llama.cpp on the TinyStories benchmark, where a 260K-parameter story model has something to
   * show.
   */
  public static final String MAIN_JOB_MODELS =
      SIMULATED_MODELS
          + "  - {name: stories260k, provider: llama-cpp,"
          + " model_file: models/stories260K/stories260K.gguf, threads: 1,"
          + " benchmarks: [tinystories]}\n";

  public static final String SIMULATED_MODELS_FILE = "(built-in simulated models)";

  public static final String MAIN_JOB_MODELS_FILE = "(built-in models)";

  private final Path benchmarksDir;
  private final Path settingsDir;
  private final Path home;
  private final String modelsFile;
  private final String modelsYaml;
  private final ImmutableList<String> models;
  private final ImmutableList<String> benchmarks;
  private final ImmutableList<String> settings;
  private final ImmutableList<String> perturbations;
  private final OptionalInt limit;
  private final Optional<java.math.BigDecimal> limitFraction;
  private final DataMode data;
  private final Optional<String> store;
  private final Optional<String> out;
  private final Path runsDir;
  private final String master;
  private final OptionalInt concurrency;
  private final boolean unsafeNoSandbox;
  private final boolean batch;
  private final boolean noWait;
  private final boolean dryRun;
  private final Optional<java.math.BigDecimal> budgetUsd;
  private final Existing existing;
  private final ImmutableMap<String, String> environment;

  private SweepSpec(Builder builder) {
    this.benchmarksDir = builder.benchmarksDir;
    this.settingsDir = builder.settingsDir;
    this.home = builder.home;
    this.modelsFile = builder.modelsFile;
    this.modelsYaml = builder.modelsYaml;
    this.models = builder.models;
    this.benchmarks = builder.benchmarks;
    this.settings = builder.settings;
    this.perturbations = builder.perturbations;
    this.limit = builder.limit;
    this.limitFraction = builder.limitFraction;
    this.data = builder.data;
    this.store = builder.store;
    this.out = builder.out;
    this.runsDir = builder.runsDir;
    this.master = builder.master;
    this.concurrency = builder.concurrency;
    this.unsafeNoSandbox = builder.unsafeNoSandbox;
    this.batch = builder.batch;
    this.noWait = builder.noWait;
    this.dryRun = builder.dryRun;
    this.budgetUsd = builder.budgetUsd;
    this.existing = builder.existing;
    this.environment = builder.environment;
  }

  /**
   * A builder preset to the main job but for where the checkout and {@code LEADLINE_HOME} are: the
   * simulated snapshots, every benchmark, {@code gpt-fathom}, bundled samples, {@code local[*]},
   * run folders under {@code runs/}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The main job: bundled samples of every benchmark, the {@code gpt-fathom} setting, the simulated
   * snapshots {@code sim-v1} and {@code sim-v2}, {@code local[*]}.
   */
  public static SweepSpec defaults(Path root, Path home, Map<String, String> environment) {
    return builder().checkout(root).home(home).environment(environment).build();
  }

  /** A builder holding this spec, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .benchmarksDir(benchmarksDir)
        .settingsDir(settingsDir)
        .home(home)
        .modelsFile(modelsFile, modelsYaml)
        .models(models)
        .benchmarks(benchmarks)
        .settings(settings)
        .perturbations(perturbations)
        .limit(limit)
        .limitFraction(limitFraction)
        .data(data)
        .store(store)
        .out(out)
        .runsDir(runsDir)
        .master(master)
        .concurrency(concurrency)
        .unsafeNoSandbox(unsafeNoSandbox)
        .batch(batch)
        .noWait(noWait)
        .dryRun(dryRun)
        .budgetUsd(budgetUsd)
        .existing(existing)
        .environment(environment);
  }

  /**
   * The folder a relative {@code model_file} is in: the models file's own folder, or the checkout
   * for models that are not read from a file (the built-in ones, {@code --model} flags).
   */
  public Path modelsFolder() {
    Path file = Path.of(modelsFile).toAbsolutePath();
    return java.nio.file.Files.isRegularFile(file)
        ? file.getParent()
        : benchmarksDir.toAbsolutePath().normalize().getParent();
  }

  /** The checkout's {@code benchmarks/}. */
  public Path benchmarksDir() {
    return benchmarksDir;
  }

  /** The checkout's {@code settings/}. */
  public Path settingsDir() {
    return settingsDir;
  }

  /** {@code LEADLINE_HOME}: the result store and the dataset cache. */
  public Path home() {
    return home;
  }

  /** The models file's name, for errors. */
  public String modelsFile() {
    return modelsFile;
  }

  /** The models file's text. */
  public String modelsYaml() {
    return modelsYaml;
  }

  /** The models to ask, in order; empty for every model in the file. */
  public List<String> models() {
    return models;
  }

  /** Benchmark names, empty for all (in suite order). */
  public List<String> benchmarks() {
    return benchmarks;
  }

  /** Setting names, in order; never empty. */
  public List<String> settings() {
    return settings;
  }

  /**
   * Perturbation kinds ({@code qa-labels}, {@code format}, …) whose variants run beside each
   * setting.
   */
  public List<String> perturbations() {
    return perturbations;
  }

  /** The first N (>= 1) examples of each benchmark (or subset), if set. */
  public OptionalInt limit() {
    return limit;
  }

  /**
   * The fraction in (0, 1) of each benchmark's (or subset's) examples to ask, if set: the first
   * ⌈fraction × examples⌉, as {@link #limit()} takes the first N.
   */
  public Optional<java.math.BigDecimal> limitFraction() {
    return limitFraction;
  }

  /** Where the examples come from. */
  public DataMode data() {
    return data;
  }

  /** The result store, a path or Hadoop URI; empty for {@code home/results}. */
  public Optional<String> store() {
    return store;
  }

  /** The run folder, a path or Hadoop URI; empty for {@code runsDir/<timestamp>-<plan hash>}. */
  public Optional<String> out() {
    return out;
  }

  /** Where run folders go when {@link #out()} is empty. */
  public Path runsDir() {
    return runsDir;
  }

  /** The Spark master URL. */
  public String master() {
    return master;
  }

  /** Overrides every model's {@code max_concurrency} (>= 1), if set. */
  public OptionalInt concurrency() {
    return concurrency;
  }

  /** What to do when {@link #out()} exists: refuse, continue it, or replace it. */
  public enum Existing {
    /** Refuse a folder that exists (a left {@code .partial} of the same plan is continued). */
    REFUSE,
    /** {@code --resume}: continue into the folder, finished or not, if its plan hash is ours. */
    RESUME,
    /** {@code --overwrite}: build a new folder and swap it in for the old one. */
    OVERWRITE
  }

  public Existing existing() {
    return existing;
  }

  /** Run HumanEval programs without bubblewrap (recorded in the manifest). */
  public boolean unsafeNoSandbox() {
    return unsafeNoSandbox;
  }

  /** {@code --batch}: every model through its provider's batch API. */
  public boolean batch() {
    return batch;
  }

  /** {@code --no-wait}: submit the batches and stop; a rerun collects them. */
  public boolean noWait() {
    return noWait;
  }

  /** {@code --dry-run}: plan and estimate, send nothing, write nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /** {@code --budget}: the most the sweep may spend, in US dollars. */
  public Optional<java.math.BigDecimal> budgetUsd() {
    return budgetUsd;
  }

  /** Where Hub settings ({@code HF_ENDPOINT}, {@code HF_TOKEN}) are read. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The result store's location. */
  public String storeLocation() {
    return store.orElse(home.resolve("results").toAbsolutePath().toString());
  }

  /** The perturbation kinds, parsed. */
  List<Kind> kinds() {
    return perturbations.stream().map(Kind::fromId).toList();
  }

  /** Collects a sweep's flags; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private Path benchmarksDir;
    private Path settingsDir;
    private Path home;
    private String modelsFile = SIMULATED_MODELS_FILE;
    private String modelsYaml = SIMULATED_MODELS;
    private ImmutableList<String> models = ImmutableList.of();
    private ImmutableList<String> benchmarks = ImmutableList.of();
    private ImmutableList<String> settings = ImmutableList.of("gpt-fathom");
    private ImmutableList<String> perturbations = ImmutableList.of();
    private OptionalInt limit = OptionalInt.empty();
    private Optional<java.math.BigDecimal> limitFraction = Optional.empty();
    private DataMode data = DataMode.BUNDLED;
    private Optional<String> store = Optional.empty();
    private Optional<String> out = Optional.empty();
    private Path runsDir = Path.of("runs");
    private String master = "local[*]";
    private OptionalInt concurrency = OptionalInt.empty();
    private boolean unsafeNoSandbox;
    private boolean batch;
    private boolean noWait;
    private boolean dryRun;
    private Optional<java.math.BigDecimal> budgetUsd = Optional.empty();
    private Existing existing = Existing.REFUSE;
    private ImmutableMap<String, String> environment = ImmutableMap.of();

    private Builder() {}

    /** The checkout's {@code benchmarks/} and {@code settings/}. */
    public Builder checkout(Path root) {
      return benchmarksDir(root.resolve("benchmarks")).settingsDir(root.resolve("settings"));
    }

    public Builder benchmarksDir(Path value) {
      benchmarksDir = requireNonNull(value, "benchmarksDir is null");
      return this;
    }

    public Builder settingsDir(Path value) {
      settingsDir = requireNonNull(value, "settingsDir is null");
      return this;
    }

    public Builder home(Path value) {
      home = requireNonNull(value, "home is null");
      return this;
    }

    /** The models file: its name (for errors) and its text. */
    public Builder modelsFile(String name, String yaml) {
      modelsFile = requireNonNull(name, "modelsFile is null");
      modelsYaml = requireNonNull(yaml, "modelsYaml is null");
      return this;
    }

    public Builder models(List<String> names) {
      models = ImmutableList.copyOf(names);
      return this;
    }

    public Builder benchmarks(List<String> names) {
      benchmarks = ImmutableList.copyOf(names);
      return this;
    }

    public Builder settings(List<String> names) {
      settings = ImmutableList.copyOf(names);
      return this;
    }

    public Builder perturbations(List<String> kinds) {
      perturbations = ImmutableList.copyOf(kinds);
      return this;
    }

    public Builder limit(int value) {
      return limit(OptionalInt.of(value));
    }

    public Builder limit(OptionalInt value) {
      limit = requireNonNull(value, "limit is null");
      return this;
    }

    /** {@code --limit 0.1}: the first ⌈10%⌉ of each benchmark's (or subset's) examples. */
    public Builder limitFraction(Optional<java.math.BigDecimal> value) {
      limitFraction = requireNonNull(value, "limitFraction is null");
      return this;
    }

    public Builder data(DataMode value) {
      data = requireNonNull(value, "data is null");
      return this;
    }

    public Builder store(Optional<String> value) {
      store = requireNonNull(value, "store is null");
      return this;
    }

    public Builder out(Optional<String> value) {
      out = requireNonNull(value, "out is null");
      return this;
    }

    public Builder runsDir(Path value) {
      runsDir = requireNonNull(value, "runsDir is null");
      return this;
    }

    public Builder master(String value) {
      master = requireNonNull(value, "master is null");
      return this;
    }

    public Builder concurrency(int value) {
      return concurrency(OptionalInt.of(value));
    }

    public Builder concurrency(OptionalInt value) {
      concurrency = requireNonNull(value, "concurrency is null");
      return this;
    }

    public Builder batch(boolean value) {
      batch = value;
      return this;
    }

    public Builder noWait(boolean value) {
      noWait = value;
      return this;
    }

    public Builder dryRun(boolean value) {
      dryRun = value;
      return this;
    }

    public Builder budgetUsd(Optional<java.math.BigDecimal> value) {
      budgetUsd = requireNonNull(value, "budgetUsd is null");
      return this;
    }

    public Builder unsafeNoSandbox(boolean value) {
      unsafeNoSandbox = value;
      return this;
    }

    public Builder existing(Existing value) {
      existing = requireNonNull(value, "existing is null");
      return this;
    }

    public Builder environment(Map<String, String> value) {
      environment = ImmutableMap.copyOf(value);
      return this;
    }

    /**
     * The spec.
     *
     * @throws LeadlineException (user input) naming the flag at fault: a limit or concurrency below
     *     1, no setting, a benchmark, setting, model or perturbation kind named twice, an unknown
     *     perturbation kind
     * @throws NullPointerException if the checkout or home was not given
     */
    public SweepSpec build() {
      requireNonNull(benchmarksDir, "benchmarksDir is null");
      requireNonNull(settingsDir, "settingsDir is null");
      requireNonNull(home, "home is null");
      if (limit.isPresent() && limit.getAsInt() < 1) {
        throw LeadlineException.userInput(
            "--limit: expected a whole number >= 1, got %d", limit.getAsInt());
      }
      if (limitFraction.isPresent()
          && (limitFraction.get().signum() <= 0
              || limitFraction.get().compareTo(java.math.BigDecimal.ONE) >= 0)) {
        throw LeadlineException.userInput(
            "--limit: expected a fraction in (0, 1), got %s", limitFraction.get().toPlainString());
      }
      if (concurrency.isPresent() && concurrency.getAsInt() < 1) {
        throw LeadlineException.userInput(
            "--concurrency: expected a whole number >= 1, got %d", concurrency.getAsInt());
      }
      if (settings.isEmpty()) {
        throw LeadlineException.userInput("--settings: at least one setting");
      }
      if (existing != Existing.REFUSE && out.isEmpty()) {
        throw LeadlineException.userInput(
            "--%s: needs --out, the run folder to %s",
            existing == Existing.RESUME ? "resume" : "overwrite",
            existing == Existing.RESUME ? "continue" : "replace");
      }
      onlyOnce("--benchmarks", benchmarks);
      onlyOnce("--settings", settings);
      onlyOnce("--models", models);
      Set<Kind> kinds = new HashSet<>();
      for (String kind : perturbations) {
        if (!kinds.add(Kind.fromId(kind))) {
          throw LeadlineException.userInput("--perturbations: '%s' is named twice", kind);
        }
      }
      return new SweepSpec(this);
    }

    private static void onlyOnce(String flag, List<String> names) {
      Set<String> seen = new HashSet<>();
      for (String name : names) {
        if (!seen.add(name)) {
          throw LeadlineException.userInput("%s: '%s' is named twice", flag, name);
        }
      }
    }
  }
}
