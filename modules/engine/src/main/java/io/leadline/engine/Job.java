package io.leadline.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.Serializable;
import java.util.Map;

/**
 * What every executor needs to do its share of a sweep, shipped once per run. It names files and
 * carries text rather than loaded objects, so that executors on other machines load the same
 * benchmarks, settings and models the driver checked. Made by {@link #builder()}, which checks
 * every field; immutable (but for the bytes {@link #hadoopConf()} hands out, which callers only
 * read).
 */
final class Job implements Serializable {
  private static final long serialVersionUID = 2L;

  private final String runId;
  private final String benchmarksDir;
  private final String settingsDir;
  private final DataMode data;
  private final String home;
  private final String store;
  private final byte[] hadoopConf;
  private final String modelsFile;
  private final String modelsYaml;
  private final String modelsFolder;
  private final ImmutableMap<String, String> baseUrls;
  private final ImmutableMap<String, ModelIdentity> identities;
  private final ImmutableList<String> judges;
  private final int concurrency;
  private final int executors;
  private final boolean unsafeSandbox;
  private final boolean batch;
  private final String maxCostUsd;
  private final int sandboxWorkers;
  private final Plan plan;

  private Job(Builder builder) {
    this.runId = builder.runId;
    this.benchmarksDir = builder.benchmarksDir;
    this.settingsDir = builder.settingsDir;
    this.data = builder.data;
    this.home = builder.home;
    this.store = builder.store;
    this.hadoopConf = builder.hadoopConf;
    this.modelsFile = builder.modelsFile;
    this.modelsYaml = builder.modelsYaml;
    this.modelsFolder = builder.modelsFolder;
    this.baseUrls = builder.baseUrls;
    this.identities = builder.identities;
    this.judges = builder.judges;
    this.concurrency = builder.concurrency;
    this.executors = builder.executors;
    this.unsafeSandbox = builder.unsafeSandbox;
    this.batch = builder.batch;
    this.maxCostUsd = builder.maxCostUsd;
    this.sandboxWorkers = builder.sandboxWorkers;
    this.plan = builder.plan;
  }

  static Builder builder() {
    return new Builder();
  }

  String runId() {
    return runId;
  }

  String benchmarksDir() {
    return benchmarksDir;
  }

  String settingsDir() {
    return settingsDir;
  }

  DataMode data() {
    return data;
  }

  String home() {
    return home;
  }

  /** The result store's location, a path or Hadoop URI. */
  String store() {
    return store;
  }

  /**
   * The driver's Hadoop configuration (Writable bytes), so executors reach the same filesystems.
   */
  byte[] hadoopConf() {
    return hadoopConf;
  }

  String modelsFile() {
    return modelsFile;
  }

  /** The models file's text, parsed again by each executor. */
  String modelsYaml() {
    return modelsYaml;
  }

  /**
   * The folder a relative {@code model_file} of the models file is in, as the driver resolved it:
   * each executor reads the GGUF file at the same path.
   */
  String modelsFolder() {
    return modelsFolder;
  }

  /** Where each simulated model is served, by model name. */
  ImmutableMap<String, String> baseUrls() {
    return baseUrls;
  }

  /** Who answers each model's requests, models under test and judges alike, by name. */
  ImmutableMap<String, ModelIdentity> identities() {
    return identities;
  }

  /**
   * The models the scorers ask (judges), by name; their identities and sim servers are in {@link
   * #identities()} and {@link #baseUrls()} beside the models under test.
   */
  ImmutableList<String> judges() {
    return judges;
  }

  /** The {@code --concurrency} override, or 0 for each model's own. */
  int concurrency() {
    return concurrency;
  }

  /** How many executor JVMs share each model's concurrency. */
  int executors() {
    return executors;
  }

  boolean unsafeSandbox() {
    return unsafeSandbox;
  }

  /** {@code --batch}: every model through its provider's batch API. */
  boolean batch() {
    return batch;
  }

  /** {@code --budget} in US dollars, or empty for the models file's. */
  java.util.Optional<java.math.BigDecimal> maxCostUsd() {
    return maxCostUsd == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(new java.math.BigDecimal(maxCostUsd));
  }

  /** Sandboxed Python workers per executor JVM, for HumanEval. */
  int sandboxWorkers() {
    return sandboxWorkers;
  }

  Plan plan() {
    return plan;
  }

  /** Collects a job; {@link #build()} checks it. */
  static final class Builder {
    private String runId;
    private String benchmarksDir;
    private String settingsDir;
    private DataMode data;
    private String home;
    private String store;
    private byte[] hadoopConf;
    private String modelsFile;
    private String modelsYaml;
    private String modelsFolder = "";
    private ImmutableMap<String, String> baseUrls = ImmutableMap.of();
    private ImmutableMap<String, ModelIdentity> identities = ImmutableMap.of();
    private ImmutableList<String> judges = ImmutableList.of();
    private int concurrency;
    private int executors = 1;
    private boolean unsafeSandbox;
    private boolean batch;
    private String maxCostUsd;
    private int sandboxWorkers = 1;
    private Plan plan;

    private Builder() {}

    Builder runId(String value) {
      runId = value;
      return this;
    }

    Builder benchmarksDir(String value) {
      benchmarksDir = value;
      return this;
    }

    Builder settingsDir(String value) {
      settingsDir = value;
      return this;
    }

    Builder data(DataMode value) {
      data = value;
      return this;
    }

    Builder home(String value) {
      home = value;
      return this;
    }

    Builder store(String value) {
      store = value;
      return this;
    }

    Builder hadoopConf(byte[] value) {
      hadoopConf = value;
      return this;
    }

    Builder modelsFile(String name, String yaml) {
      modelsFile = name;
      modelsYaml = yaml;
      return this;
    }

    Builder modelsFolder(String value) {
      modelsFolder = value;
      return this;
    }

    Builder baseUrls(Map<String, String> value) {
      baseUrls = ImmutableMap.copyOf(value);
      return this;
    }

    Builder identities(Map<String, ModelIdentity> value) {
      identities = ImmutableMap.copyOf(value);
      return this;
    }

    Builder judges(java.util.List<String> value) {
      judges = ImmutableList.copyOf(value);
      return this;
    }

    /** The {@code --concurrency} override, 0 for none. */
    Builder concurrency(int value) {
      concurrency = value;
      return this;
    }

    Builder executors(int value) {
      executors = value;
      return this;
    }

    Builder batch(boolean value) {
      batch = value;
      return this;
    }

    Builder maxCostUsd(java.util.Optional<java.math.BigDecimal> value) {
      maxCostUsd = value.map(java.math.BigDecimal::toPlainString).orElse(null);
      return this;
    }

    Builder unsafeSandbox(boolean value) {
      unsafeSandbox = value;
      return this;
    }

    Builder sandboxWorkers(int value) {
      sandboxWorkers = value;
      return this;
    }

    Builder plan(Plan value) {
      plan = value;
      return this;
    }

    /**
     * The job.
     *
     * @throws NullPointerException naming a field that was not given
     * @throws IllegalArgumentException for a count out of range, or a planned model without an
     *     identity
     */
    Job build() {
      requireNonNull(runId, "runId is null");
      requireNonNull(benchmarksDir, "benchmarksDir is null");
      requireNonNull(settingsDir, "settingsDir is null");
      requireNonNull(data, "data is null");
      requireNonNull(home, "home is null");
      requireNonNull(store, "store is null");
      requireNonNull(hadoopConf, "hadoopConf is null");
      requireNonNull(modelsFile, "modelsFile is null");
      requireNonNull(modelsYaml, "modelsYaml is null");
      requireNonNull(plan, "plan is null");
      checkArgument(concurrency >= 0, "concurrency must be >= 0: %s", concurrency);
      checkArgument(executors >= 1, "executors must be >= 1: %s", executors);
      checkArgument(sandboxWorkers >= 1, "sandboxWorkers must be >= 1: %s", sandboxWorkers);
      for (String model : plan.models()) {
        checkArgument(identities.containsKey(model), "no identity for model %s", model);
      }
      for (String judge : judges) {
        checkArgument(identities.containsKey(judge), "no identity for judge %s", judge);
      }
      return new Job(this);
    }
  }
}
