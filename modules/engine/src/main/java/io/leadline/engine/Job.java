package io.leadline.engine;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.Serializable;

/**
 * What every executor needs to do its share of a sweep, shipped once per run. It names files and
 * carries text rather than loaded objects, so that executors on other machines load the same
 * benchmarks, settings and models the driver checked.
 *
 * @param store the result store's location, a path or Hadoop URI
 * @param hadoopConf the driver's Hadoop configuration (Writable bytes), so executors reach the same
 *     filesystems
 * @param modelsYaml the models file's text, parsed again by each executor
 * @param baseUrls where each simulated model is served, by model name
 * @param judges the models the scorers ask (judges), by name; their identities and sim servers are
 *     in {@code identities} and {@code baseUrls} beside the models under test
 * @param concurrency the {@code --concurrency} override, or 0 for each model's own
 * @param executors how many executor JVMs share each model's concurrency
 * @param sandboxWorkers sandboxed Python workers per executor JVM, for HumanEval
 */
record Job(
    String runId,
    String benchmarksDir,
    String settingsDir,
    DataMode data,
    String home,
    String store,
    byte[] hadoopConf,
    String modelsFile,
    String modelsYaml,
    ImmutableMap<String, String> baseUrls,
    ImmutableMap<String, ModelIdentity> identities,
    ImmutableList<String> judges,
    int concurrency,
    int executors,
    boolean unsafeSandbox,
    int sandboxWorkers,
    Plan plan)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  Job {
    requireNonNull(runId, "runId is null");
    requireNonNull(benchmarksDir, "benchmarksDir is null");
    requireNonNull(settingsDir, "settingsDir is null");
    requireNonNull(data, "data is null");
    requireNonNull(home, "home is null");
    requireNonNull(store, "store is null");
    requireNonNull(hadoopConf, "hadoopConf is null");
    requireNonNull(modelsFile, "modelsFile is null");
    requireNonNull(modelsYaml, "modelsYaml is null");
    requireNonNull(baseUrls, "baseUrls is null");
    requireNonNull(identities, "identities is null");
    requireNonNull(judges, "judges is null");
    requireNonNull(plan, "plan is null");
  }
}
