package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.models.sim.SimServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Issue 21: two sweeps in their own JVMs on one result store, started together against one loopback
 * server that counts requests: each request is sent once.
 */
@Test(groups = "slow")
public class TwoSweepsTest {
  private static final String BENCHMARKS = "gsm8k,triviaqa,drop,mmlu";
  private static final int LIMIT = 4;

  private Path dir;

  @BeforeClass
  public void start() {
    dir = SweepFixture.tempDir("two-sweeps-test");
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    SweepFixture.deleteRecursively(dir);
  }

  @Test
  public void twoSweepsOnOneStoreSendEachRequestOnce() throws Exception {
    try (SimServer server =
        SweepFixture.simServer("sim-v1", Duration.ofMillis(60), Optional.empty())) {
      Path models = dir.resolve("models.yaml");
      Files.writeString(models, "models:\n" + SweepFixture.entry("sim-v1", server, 4));
      Path home = dir.resolve("home");
      Process a = child(home, dir.resolve("runs/a"), models, "a");
      Process b = child(home, dir.resolve("runs/b"), models, "b");
      assertTrue(a.waitFor(4, TimeUnit.MINUTES) && b.waitFor(4, TimeUnit.MINUTES));
      assertEquals(a.exitValue(), 0, Files.readString(dir.resolve("a.log")));
      assertEquals(b.exitValue(), 0, Files.readString(dir.resolve("b.log")));

      List<String> hashes = new ArrayList<>();
      for (String segment :
          ResultStore.at(home.resolve("results").toString(), new Configuration()).segments()) {
        for (String line : Files.readAllLines(Path.of(java.net.URI.create(segment)))) {
          ResultStore.decode(line).ifPresent(s -> hashes.add(s.hash()));
        }
      }
      Set<String> distinct = new HashSet<>(hashes);
      System.out.printf(
          "TwoSweepsTest: %d requests received, %d stored, %d distinct%n",
          server.requests(), hashes.size(), distinct.size());
      assertTrue(distinct.size() >= 30, "a sweep of some size: " + distinct.size());
      assertEquals(hashes.size(), distinct.size(), "each request stored once");
      assertEquals(server.requests(), (long) distinct.size(), "each request sent once");
      assertEquals(
          Files.readString(dir.resolve("runs/a/metrics.json")),
          Files.readString(dir.resolve("runs/b/metrics.json")));
    }
  }

  private Process child(Path home, Path out, Path models, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : System.getProperty("spark.test.opens").split(" ")) {
      command.add(option);
    }
    command.add("-Xmx768m");
    command.addAll(SweepFixture.SHORT_LIVED_JVM);
    command.add("-Dleadline.root=" + SweepFixture.ROOT);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SweepChild.class.getName());
    command.add(home.toString());
    command.add(out.toString());
    command.add(models.toString());
    command.add(BENCHMARKS);
    command.add(Integer.toString(LIMIT));
    File log = dir.resolve(name + ".log").toFile();
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log))
        .start();
  }
}
