package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.models.sim.SimServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Kills a sweep running in a child JVM with SIGKILL at random moments (Spark starting, requests in
 * flight, scoring, writing the run folder), resumes it each time, and checks that it ends with the
 * metrics of an uninterrupted run, having resent no more than what was in flight at each kill.
 */
@Test(groups = "slow")
public class ResumeTest {
  private static final String BENCHMARKS = "gsm8k,mmlu,bbh,triviaqa,humaneval";
  private static final int LIMIT = 8;
  private static final int CONCURRENCY = 4;
  private static final int KILLS = 5;

  private Path dir;

  @BeforeClass
  public void start() {
    dir = SweepFixture.tempDir("resume-test");
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    SweepFixture.deleteRecursively(dir);
  }

  @Test
  public void killedSweepResumesToTheMetricsOfAnUninterruptedRun() throws Exception {
    try (SimServer v1 = SweepFixture.simServer("sim-v1", Duration.ofMillis(25), Optional.empty());
        SimServer v2 = SweepFixture.simServer("sim-v2", Duration.ofMillis(25), Optional.empty());
        SimServer referenceV1 =
            SweepFixture.simServer("sim-v1", Duration.ofMillis(25), Optional.empty());
        SimServer referenceV2 =
            SweepFixture.simServer("sim-v2", Duration.ofMillis(25), Optional.empty())) {
      Path models = dir.resolve("models.yaml");
      Files.writeString(
          models,
          "models:\n"
              + SweepFixture.entry("sim-v1", v1, CONCURRENCY)
              + SweepFixture.entry("sim-v2", v2, CONCURRENCY));
      // The uninterrupted run, in this JVM while the children are started and killed: it asks
      // servers of its own (the same profiles), so the children's servers count only theirs.
      Path referenceModels = dir.resolve("reference-models.yaml");
      Files.writeString(
          referenceModels,
          "models:\n"
              + SweepFixture.entry("sim-v1", referenceV1, CONCURRENCY)
              + SweepFixture.entry("sim-v2", referenceV2, CONCURRENCY));
      CompletableFuture<SweepResult> uninterrupted =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Sweep.run(
                      SweepFixture.spec(
                          dir.resolve("home-reference"),
                          dir.resolve("runs/reference"),
                          referenceModels.toString(),
                          Files.readString(referenceModels),
                          List.of(BENCHMARKS.split(",")),
                          LIMIT),
                      new SweepListener() {});
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      Path home = dir.resolve("home");
      Path out = dir.resolve("runs/resumed");

      // The first kills land while requests are in flight, at a random number of stored
      // responses; the last ones at random moments after that (scoring, writing the folder).
      Random random = new Random(20231025);
      int killed = 0;
      long total = 2L * 299;
      for (int attempt = 0; attempt < KILLS; attempt++) {
        Process child = child(home, out, models);
        long stored = storedLines(home);
        boolean midRequests = attempt < KILLS - 2 && stored < total;
        long target = stored + 1 + random.nextInt((int) Math.max(1, (total - stored) / 2));
        long deadline =
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(6_000));
        while (child.isAlive()
            && (midRequests ? storedLines(home) < target : System.nanoTime() < deadline)) {
          Thread.sleep(10);
        }
        if (!child.isAlive()) {
          assertEquals(child.exitValue(), 0, output(child));
          break;
        }
        child.destroyForcibly().waitFor();
        killed++;
        System.out.printf(
            "ResumeTest: kill %d (%s) with %d requests received, %d stored%n",
            killed,
            midRequests ? "at " + target + " stored" : "at a random moment",
            v1.requests() + v2.requests(),
            storedLines(home));
        assertTrue(!Files.exists(out), "a killed run leaves no run folder under its own name");
      }
      if (!Files.exists(out)) {
        Process last = child(home, out, models);
        assertTrue(last.waitFor(5, TimeUnit.MINUTES), "the resumed sweep finishes");
        assertEquals(last.exitValue(), 0, output(last));
      }
      long sentByChildren = v1.requests() + v2.requests();

      SweepResult reference = uninterrupted.get(5, TimeUnit.MINUTES);
      long needed = reference.progress().models().stream().mapToLong(Progress.Model::done).sum();

      System.out.printf(
          "ResumeTest: %d kills, %d requests sent for %d items%n", killed, sentByChildren, needed);
      assertEquals(
          Files.readString(out.resolve("metrics.json")),
          Files.readString(reference.localRunDir().resolve("metrics.json")));
      // Each kill can lose at most what was in flight: the models' concurrency.
      assertTrue(
          sentByChildren <= needed + (long) killed * 2 * CONCURRENCY,
          String.format(
              "sent %d requests for %d items with %d kills", sentByChildren, needed, killed));
      assertTrue(sentByChildren >= needed, "every item was asked");
      assertTrue(killed >= 1, "the sweep was killed at least once");
    }
  }

  private Process child(Path home, Path out, Path models) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : System.getProperty("spark.test.opens").split(" ")) {
      command.add(option);
    }
    command.add("-Xmx1g");
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
    File log = dir.resolve("child.log").toFile();
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log))
        .start();
  }

  private static long storedLines(Path home) throws IOException {
    long lines = 0;
    for (String segment :
        ResultStore.at(home.resolve("results").toString(), new Configuration()).segments()) {
      lines += Files.readAllLines(Path.of(java.net.URI.create(segment))).size();
    }
    return lines;
  }

  private String output(Process child) throws IOException {
    return Files.readString(dir.resolve("child.log"));
  }
}
