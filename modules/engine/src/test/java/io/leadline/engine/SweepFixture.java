package io.leadline.engine;

import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** Shared pieces of the sweep tests: the checkout, a Spark session, specs, simulated servers. */
final class SweepFixture {
  static final Path ROOT = Path.of(System.getProperty("leadline.root"));

  /**
   * JVM options for a child sweep that lives seconds: C1 only and the serial collector. C2 and G1's
   * threads spend more CPU warming up than such a JVM ever gets back (a 240-request child: 34 s of
   * CPU by default, 21 s so), and on 2 cores that CPU is the test's wall time. Neither changes what
   * the child computes.
   */
  static final List<String> SHORT_LIVED_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC");

  private SweepFixture() {}

  /** One local[2] session for a test class; sweeps reuse it and leave it running. */
  static SparkSession spark() {
    return Sparks.session("local[2]");
  }

  static SweepSpec spec(
      Path home, Path out, String modelsFile, String yaml, List<String> benchmarks, int limit) {
    return SweepSpec.builder()
        .checkout(ROOT)
        .home(home)
        .modelsFile(modelsFile, yaml)
        .benchmarks(benchmarks)
        .limit(limit)
        .out(Optional.of(out.toString()))
        .runsDir(out.getParent())
        .master("local[2]")
        .build();
  }

  /** sim-v1 on a loopback port, with a fixed latency and no faults. */
  static SimServer simServer(String profile, Duration latency, Optional<String> key) {
    SimProfile loaded =
        SimProfile.resolve(profile, ROOT.resolve("settings"), "profile")
            .with(new SimProfile.Latency(latency, 0), SimProfile.Faults.NONE);
    return SimServer.start(
        loaded, SimAnswers.bundled(ROOT.resolve("benchmarks")), "127.0.0.1", 0, key);
  }

  /** A models file entry asking {@code server} as an OpenAI-compatible endpoint. */
  static String entry(String name, SimServer server, int concurrency) {
    return String.format(
        "  - {name: %s, provider: openai-compatible, base_url: '%s', model: %s,"
            + " max_concurrency: %d, supports_n: true, max_attempts: 2}%n",
        name, server.baseUrl(), server.profile().snapshot(), concurrency);
  }

  /** A copy of the checkout's {@code settings/} in {@code dir}, for a test to add a setting to. */
  static Path settingsCopy(Path dir) {
    try {
      Files.createDirectories(dir);
      try (var files = Files.list(ROOT.resolve("settings"))) {
        for (Path file : files.toList()) {
          Files.copy(file, dir.resolve(file.getFileName()));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
