package io.leadline.engine;

import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.SplitSource;
import io.leadline.benchmarks.Suite;
import io.leadline.datasets.DatasetCache;
import io.leadline.datasets.SplitRef;
import java.nio.file.Path;

/** The {@link SplitSource} of a {@link DataMode}. */
final class SplitSources {
  private SplitSources() {}

  static SplitSource of(DataMode mode, Path benchmarks, Path home, Suite suite) {
    if (mode == DataMode.BUNDLED) {
      return SplitSource.bundled(benchmarks);
    }
    DatasetCache cache = new DatasetCache(home);
    return (name, config, split) -> {
      Benchmark benchmark = suite.benchmark(name);
      SplitRef ref = new SplitRef(benchmark.hub(), config, split);
      if (cache.read(ref, benchmark.revision()) instanceof DatasetCache.Hit hit) {
        return hit.split().rows();
      }
      throw new LeadlineException(
          ErrorKind.DATA,
          String.format(
              "%s is not in the dataset cache under %s; run 'leadline data pull %s' first",
              ref, home, name));
    };
  }
}
