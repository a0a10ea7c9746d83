package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Every benchmark under {@code benchmarks/}, in GPT-Fathom's category order then by name. */
public record Suite(ImmutableMap<String, Benchmark> benchmarks) {
  /** Loads every folder of {@code dir} that has a {@code benchmark.yaml}. */
  public static Suite load(Path dir) {
    List<Benchmark> loaded;
    try (var folders = Files.list(dir)) {
      loaded =
          folders
              .filter(folder -> Files.exists(folder.resolve("benchmark.yaml")))
              .map(Benchmark::load)
              .sorted(
                  java.util.Comparator.comparing(Benchmark::category)
                      .thenComparing(Benchmark::name))
              .toList();
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot list benchmarks (%s)", dir, e.getMessage());
    }
    if (loaded.isEmpty()) {
      throw LeadlineException.userInput("%s: no benchmark.yaml in any folder", dir);
    }
    ImmutableMap.Builder<String, Benchmark> benchmarks = ImmutableMap.builder();
    loaded.forEach(benchmark -> benchmarks.put(benchmark.name(), benchmark));
    return new Suite(benchmarks.buildOrThrow());
  }

  /** The benchmark called {@code name}. */
  public Benchmark benchmark(String name) {
    Benchmark benchmark = benchmarks.get(name);
    if (benchmark == null) {
      throw LeadlineException.userInput(
          "unknown benchmark '%s'%s; known: %s",
          name,
          io.leadline.api.Suggestions.didYouMean(name, benchmarks.keySet()),
          String.join(", ", benchmarks.keySet()));
    }
    return benchmark;
  }

  /** The setting called {@code name} from {@code settingsDir}, resolved for every benchmark. */
  public Setting setting(Path settingsDir, String name) {
    return Setting.load(settingsDir, name, benchmarks);
  }
}
