package io.leadline.benchmarks;

import io.leadline.datasets.BundledSamples;
import java.nio.file.Path;
import java.util.List;

/** Where a benchmark's rows come from: the bundled samples, or the Hub cache. */
@FunctionalInterface
public interface SplitSource {
  /** The rows (JSON text, in split order) of {@code benchmark}'s {@code config}/{@code split}. */
  List<String> rows(String benchmark, String config, String split);

  /** The samples bundled under {@code benchmarks/<name>/data}. */
  static SplitSource bundled(Path benchmarks) {
    BundledSamples samples = new BundledSamples(benchmarks);
    return (benchmark, config, split) -> samples.load(benchmark, config, split).rows();
  }
}
