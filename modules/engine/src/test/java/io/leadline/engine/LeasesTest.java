package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.ModelResult;
import io.leadline.api.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class LeasesTest {
  private static final ModelResult ANSWER =
      new ModelResult.Completed(
          new Completion(
              List.of(new Choice("4", "4", "", "stop", false)),
              new Usage(3, 1, 0),
              "sim-v1",
              "fp",
              1,
              1,
              Duration.ofMillis(5)));

  private Path home;
  private ResultStore store;

  @BeforeMethod
  public void start() throws Exception {
    home = Files.createTempDirectory("leases-test");
    store = ResultStore.at(home.resolve("results").toString(), new Configuration());
  }

  @AfterMethod(alwaysRun = true)
  public void stop() {
    SweepFixture.deleteRecursively(home);
  }

  @Test
  public void aLeaseIsTakenAndReleased() {
    Leases leases = new Leases(store, "run-a", Map.of(), false);
    try (Leases.Lease lease = leases.take("h1")) {
      assertTrue(lease.answered().isEmpty());
      assertTrue(Files.exists(home.resolve("results/leases/h1")));
    }
    assertTrue(!Files.exists(home.resolve("results/leases/h1")));
  }

  /** A lease left by a killed process is broken and taken over, at once. */
  @Test(timeOut = 20_000)
  public void theLeaseOfAKilledProcessIsTakenOver() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    Leases.Holder dead =
        new Leases.Holder(
            Leases.Holder.current("x").host(),
            child.pid(),
            child.info().startInstant().orElseThrow().toEpochMilli(),
            "run-killed");
    child.destroyForcibly().waitFor();
    Files.createDirectories(home.resolve("results/leases"));
    Files.writeString(home.resolve("results/leases/h1"), dead.text() + "\n");
    Leases leases = new Leases(store, "run-b", Map.of(), false);
    try (Leases.Lease lease = leases.take("h1")) {
      assertTrue(lease.answered().isEmpty(), "taken over, to send");
      assertTrue(Files.readString(home.resolve("results/leases/h1")).contains("run=run-b"));
    }
  }

  /**
   * A lease taken after another sweep released it finds the answer that sweep stored after this run
   * read the store, and only that: what the store held when the run read it is the driver's, and
   * the run's own segments are not looked at.
   */
  @Test
  public void aLeaseTakenFindsOnlyWhatOtherSweepsStoredSinceTheRunReadTheStore() {
    try (ResultStore.Segment before = store.newSegment("run-a")) {
      before.append(ResultStore.encode("old", "m", "run-a", ANSWER));
    }
    Map<String, Long> seen = store.lengths();
    try (ResultStore.Segment after = store.newSegment("run-a");
        ResultStore.Segment own = store.newSegment("run-b")) {
      after.append(ResultStore.encode("new", "m", "run-a", ANSWER));
      own.append(ResultStore.encode("mine", "m", "run-b", ANSWER));
    }
    Leases leases = new Leases(store, "run-b", seen, false);
    try (Leases.Lease lease = leases.take("new")) {
      assertEquals(
          ResultStore.decode(lease.answered().orElseThrow()).orElseThrow().result(), ANSWER);
    }
    try (Leases.Lease lease = leases.take("old")) {
      assertTrue(lease.answered().isEmpty(), "read again from before the run read the store");
    }
    try (Leases.Lease lease = leases.take("mine")) {
      assertTrue(lease.answered().isEmpty(), "the run's own segment was looked at");
    }
    assertTrue(!Files.exists(home.resolve("results/leases/mine")), "the lease is released");
  }

  /**
   * A request leased by a running sweep is not sent again: the waiter gets the holder's stored
   * answer.
   */
  @Test(timeOut = 20_000)
  public void aWaiterUsesTheAnswerTheHolderStored() throws Exception {
    Map<String, Long> seen = store.lengths();
    Leases holder = new Leases(store, "run-a", seen, false);
    Leases waiter = new Leases(store, "run-b", seen, false);
    Leases.Lease held = holder.take("h1");
    assertTrue(held.answered().isEmpty());
    CompletableFuture<Leases.Lease> waiting =
        CompletableFuture.supplyAsync(() -> waiter.take("h1"));
    Thread.sleep(300);
    assertTrue(!waiting.isDone(), "waits while the holder is sending");
    try (ResultStore.Segment segment = store.newSegment("run-a")) {
      segment.append(ResultStore.encode("h1", "m", "run-a", ANSWER));
    }
    held.close();
    Leases.Lease got = waiting.get(10, TimeUnit.SECONDS);
    assertEquals(ResultStore.decode(got.answered().orElseThrow()).orElseThrow().result(), ANSWER);
  }
}
