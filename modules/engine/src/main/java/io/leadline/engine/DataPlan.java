package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryPolicy;
import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import io.leadline.datasets.BundledSamples;
import io.leadline.datasets.Datasets;
import io.leadline.datasets.HubSettings;
import io.leadline.datasets.PulledSplit;
import io.leadline.datasets.SplitRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The examples a sweep asks, decided on the driver before anything runs: for each benchmark the
 * subsets there are data for, how many examples of each (after {@code --limit}), and the facts that
 * pin them for the manifest (revision, sha256 of the rows used). With {@code --data hub} the splits
 * are fetched into the dataset cache here, so executors only read the cache.
 */
final class DataPlan {
  private DataPlan() {}

  record SubsetData(String config, int examples, String sha256) {}

  record BenchmarkData(
      Benchmark benchmark, String revision, String source, ImmutableList<SubsetData> subsets) {
    int examples() {
      return subsets.stream().mapToInt(SubsetData::examples).sum();
    }

    /** sha256 over the subsets' sha256s, in order. */
    String sha256() {
      Hasher hasher = Hashing.sha256().newHasher();
      subsets.forEach(
          s -> hasher.putString(s.config() + "=" + s.sha256() + "\n", StandardCharsets.UTF_8));
      return hasher.hash().toString();
    }
  }

  static List<BenchmarkData> load(
      Suite suite,
      List<String> names,
      SweepSpec spec,
      Collection<Setting> settings,
      SweepListener listener) {
    List<BenchmarkData> data = new ArrayList<>();
    Datasets hub =
        spec.data() == DataMode.HUB
            ? new Datasets(hubSettings(spec), RetryPolicy.DEFAULT, 4, listener::message)
            : null;
    BundledSamples bundled = new BundledSamples(spec.benchmarksDir());
    for (String name : names) {
      Benchmark benchmark = suite.benchmark(name);
      List<String> subsets = benchmark.subsets();
      if (hub != null && !benchmark.onHub() && spec.benchmarks().isEmpty()) {
        // Every benchmark was asked for, not this one by name: leave it out and say so.
        listener.message(
            String.format(
                "%s: left out: it is read from the upstream files of %s, not from a Hub dataset"
                    + " (only --data bundled runs it)",
                name, benchmark.hub()));
        continue;
      }
      if (hub != null) {
        benchmark.requireHub();
      } else {
        checkSchemas(benchmark, bundled);
        Set<String> available = new LinkedHashSet<>();
        for (SplitRef ref : bundled.splits(name)) {
          if (ref.split().equals(benchmark.split())) {
            available.add(ref.config());
          }
        }
        List<String> bundledSubsets = subsets.stream().filter(available::contains).toList();
        if (!bundledSubsets.isEmpty() && bundledSubsets.size() < subsets.size()) {
          listener.message(
              String.format(
                  "%s: %d of its %d subsets have a bundled sample%s; the others need --data hub",
                  name,
                  bundledSubsets.size(),
                  subsets.size(),
                  bundledSubsets.size() <= 3
                      ? " (" + String.join(", ", bundledSubsets) + ")"
                      : ""));
        }
        subsets = bundledSubsets;
        if (subsets.isEmpty()) {
          throw new LeadlineException(
              ErrorKind.DATA,
              String.format(
                  "%s: no bundled sample of its %s split under %s",
                  name, benchmark.split(), spec.benchmarksDir().resolve(name).resolve("data")));
        }
      }
      ImmutableList.Builder<SubsetData> subsetData = ImmutableList.builder();
      String revision = BundledSamples.REVISION;
      Set<String> sources = new LinkedHashSet<>();
      for (String subset : subsets) {
        PulledSplit split;
        if (hub == null) {
          split = bundled.load(name, subset, benchmark.split());
        } else {
          split =
              hub.forBenchmark(name)
                  .load(
                      new SplitRef(benchmark.hub(), subset, benchmark.split()),
                      benchmark.revision(),
                      (ref, done, total) -> {});
          if (benchmark.fewShot().startsWith("split:") && needsExemplars(settings, name)) {
            hub.forBenchmark(name)
                .load(
                    new SplitRef(benchmark.hub(), subset, benchmark.fewShotWhere()),
                    benchmark.revision(),
                    (ref, done, total) -> {});
          }
          revision = split.revision();
        }
        sources.add(split.source().startsWith("bundled:") ? "bundled" : split.source());
        // Rows before the benchmark's start are its exemplars, not items.
        int first = Math.min(benchmark.start(), split.rows().size());
        int examples =
            Planner.examples(split.rows().size() - first, spec.limit(), spec.limitFraction());
        // Every row asked must have what the benchmark's columns name, before anything is sent.
        for (int i = first; i < first + examples; i++) {
          io.leadline.benchmarks.BenchmarkData.checkRow(benchmark, subset, split.rows().get(i), i);
        }
        subsetData.add(
            new SubsetData(
                subset, examples, sha256(split.rows().subList(first, first + examples))));
      }
      data.add(
          new BenchmarkData(benchmark, revision, String.join(",", sources), subsetData.build()));
    }
    return data;
  }

  /**
   * Checks that every schema the bundled sample's files name is one the benchmark maps, so a row is
   * never read through the wrong columns.
   *
   * @throws LeadlineException one line naming both files
   */
  private static void checkSchemas(Benchmark benchmark, BundledSamples bundled) {
    for (BundledSamples.Sample sample : bundled.samples(benchmark.name())) {
      if (!sample.schema().isEmpty()
          && !benchmark.columns().schemas().containsKey(sample.schema())) {
        throw new LeadlineException(
            ErrorKind.DATA,
            String.format(
                "%s: %s is in schema '%s', which %s does not map under schemas: (it maps: %s)",
                benchmark.dir().resolve("data").resolve("samples.json"),
                sample.file(),
                sample.schema(),
                benchmark.dir().resolve("benchmark.yaml"),
                benchmark.columns().schemas().isEmpty()
                    ? "none"
                    : String.join(", ", benchmark.columns().schemas().keySet())));
      }
    }
  }

  private static HubSettings hubSettings(SweepSpec spec) {
    HubSettings settings = HubSettings.fromEnvironment(spec.environment());
    return new HubSettings(
        settings.hubEndpoint(),
        settings.viewerEndpoint(),
        settings.token(),
        settings.offline(),
        spec.home());
  }

  private static boolean needsExemplars(Collection<Setting> settings, String benchmark) {
    return settings.stream().anyMatch(s -> s.find(benchmark).map(b -> b.shots() > 0).orElse(false));
  }

  private static String sha256(List<String> rows) {
    Hasher hasher = Hashing.sha256().newHasher();
    rows.forEach(row -> hasher.putString(row, StandardCharsets.UTF_8).putByte((byte) '\n'));
    return hasher.hash().toString();
  }
}
