package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.ModelResult;
import io.leadline.api.Usage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.testng.annotations.Test;

public class ResultStoreTest {
  private static final ModelResult COMPLETED =
      new ModelResult.Completed(
          new Completion(
              List.of(new Choice("The answer is 4.", "The answer is 4.\n", "", "stop", false)),
              new Usage(12, 5, 0),
              "sim-v1",
              "sim-abc",
              1,
              2,
              Duration.ofMillis(37)));

  @Test
  public void completedAndFailedResultsRoundTrip() {
    String line = ResultStore.encode("h1", "sim-v1", "run-1", COMPLETED);
    ResultStore.Stored stored = ResultStore.decode(line).orElseThrow();
    assertEquals(stored.hash(), "h1");
    assertEquals(stored.status(), ResultStore.COMPLETED);
    assertEquals(stored.run(), "run-1");
    assertEquals(stored.result(), COMPLETED);

    ModelResult failed =
        new ModelResult.Failed(ModelResult.FailureReason.GAVE_UP, "model m: 503 x 8", 503, 8);
    ResultStore.Stored back =
        ResultStore.decode(ResultStore.encode("h2", "m", "run-1", failed)).orElseThrow();
    assertEquals(back.status(), ResultStore.FAILED);
    assertEquals(back.result(), failed);
  }

  @Test
  public void tornAndForeignLinesAreNotRecords() {
    String line = ResultStore.encode("h1", "sim-v1", "run-1", COMPLETED);
    for (int cut = 0; cut < line.length(); cut++) {
      assertEquals(ResultStore.decode(line.substring(0, cut)), Optional.empty(), "cut at " + cut);
    }
    assertEquals(ResultStore.decode("{\"hash\": \"h\"}"), Optional.empty());
    assertEquals(
        ResultStore.decode("{\"hash\":\"h\",\"status\":\"failed\",\"reason\":\"X\"}"),
        Optional.empty());
  }

  @Test
  public void segmentsAreWholeLinesInTheirOwnFiles() throws Exception {
    Path home = Files.createTempDirectory("store-test");
    ResultStore store = ResultStore.at(home.resolve("results").toString(), new Configuration());
    try (ResultStore.Segment a = store.newSegment("run-1");
        ResultStore.Segment b = store.newSegment("run-1")) {
      a.append(ResultStore.encode("h1", "m", "run-1", COMPLETED));
      b.append(ResultStore.encode("h2", "m", "run-1", COMPLETED));
    }
    List<Path> segments =
        store.segments().stream().map(uri -> Path.of(java.net.URI.create(uri))).toList();
    assertEquals(segments.size(), 2);
    // A writer killed mid-line leaves a torn tail; the whole lines before it still count.
    Files.writeString(
        segments.get(0),
        "{\"hash\":\"h3\",\"sta",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    List<String> lines = Files.readAllLines(segments.get(0));
    assertEquals(lines.size(), 2);
    assertTrue(ResultStore.decode(lines.get(0)).isPresent());
    assertTrue(ResultStore.decode(lines.get(1)).isEmpty());
    SweepFixture.deleteRecursively(home);
  }

  /** Issue 21: the right hash with {@code "text": 12345} and {@code "usage": "garbage"}. */
  @Test
  public void aRecordWithFieldsOfTheWrongTypeIsNotAnAnswer() {
    String good = ResultStore.encode("h1", "sim-v1", "run-1", COMPLETED);
    assertTrue(ResultStore.decode(good).isPresent());
    assertTrue(!ResultStore.isMalformed(good));
    String forged =
        good.replace("\"text\":\"The answer is 4.\"", "\"text\":12345")
            .replaceAll("\"usage\":\\{[^}]*\\}", "\"usage\":\"garbage\"");
    assertTrue(
        forged.contains("\"text\":12345") && forged.contains("\"usage\":\"garbage\""), forged);
    assertEquals(ResultStore.decode(forged), Optional.empty());
    assertTrue(ResultStore.isMalformed(forged));
    assertEquals(
        ResultStore.decode(good.replace("\"text\":\"The answer is 4.\"", "\"text\":12345")),
        Optional.empty());
    assertEquals(
        ResultStore.decode(good.replaceAll("\"usage\":\\{[^}]*\\}", "\"usage\":\"garbage\"")),
        Optional.empty());
    assertEquals(
        ResultStore.decode(good.replace("\"prompt_tokens\":12", "\"prompt_tokens\":\"12\"")),
        Optional.empty());
    // A torn line is not malformed: it is what a killed writer leaves.
    assertTrue(!ResultStore.isMalformed(good.substring(0, 20)));
  }

  @Test
  public void theStoreSkipsAMalformedRecordOfAHash() throws Exception {
    Path home = Files.createTempDirectory("store-test");
    ResultStore store = ResultStore.at(home.resolve("results").toString(), new Configuration());
    String good = ResultStore.encode("h1", "m", "run-1", COMPLETED);
    try (ResultStore.Segment a = store.newSegment("run-0")) {
      a.append(good.replace("\"text\":\"The answer is 4.\"", "\"text\":12345"));
    }
    assertEquals(store.completed(java.util.Set.of("m")), java.util.Map.of());
    SweepFixture.deleteRecursively(home);
  }

  @Test
  public void theCompletedRecordsAreTheAskedModelsOwn() throws Exception {
    Path home = Files.createTempDirectory("store-test");
    ResultStore store = ResultStore.at(home.resolve("results").toString(), new Configuration());
    try (ResultStore.Segment a = store.newSegment("run-0")) {
      a.append(ResultStore.encode("h1", "judge", "run-1", COMPLETED));
      // Another model's record that names the judge (here as its run) is not the judge's.
      a.append(ResultStore.encode("h2", "m", "judge", COMPLETED));
      a.append(ResultStore.encode("h3", "judge-b", "run-1", COMPLETED));
      a.append(ResultStore.encode("h1", "judge", "run-2", COMPLETED));
    }
    Map<String, String> completed = store.completed(java.util.Set.of("judge"));
    assertEquals(completed.keySet(), java.util.Set.of("h1"));
    assertTrue(completed.get("h1").contains("\"run\":\"run-1\""), "the first record of a hash");
    assertEquals(
        store.completed(java.util.Set.of("judge", "m")).keySet(), java.util.Set.of("h1", "h2"));
    SweepFixture.deleteRecursively(home);
  }

  /**
   * A store on a full disk (a real 64 KiB tmpfs; skipped where mounting is not permitted): one line
   * naming the store and "no space left", exit 1, and the records written before kept.
   */
  @Test
  public void aFullDiskIsOneLineNamingTheStore() throws Exception {
    Path mount = Files.createTempDirectory("full-disk");
    Process mounted =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    if (mounted.waitFor() != 0) {
      Files.delete(mount);
      throw new org.testng.SkipException("cannot mount a tmpfs here");
    }
    try {
      ResultStore store = ResultStore.at(mount.resolve("results").toString(), new Configuration());
      String line = ResultStore.encode("h0", "m", "run-1", COMPLETED);
      io.leadline.api.LeadlineException full = null;
      try (ResultStore.Segment segment = store.newSegment("run-1")) {
        for (int i = 0; i < 10_000 && full == null; i++) {
          try {
            segment.append(line.replace("\"h0\"", "\"h" + i + "\""));
          } catch (io.leadline.api.LeadlineException e) {
            full = e;
          }
        }
      } catch (io.leadline.api.LeadlineException e) {
        // Closing the segment on the full disk fails alike.
      }
      assertTrue(full != null, "the disk filled up");
      assertEquals(full.kind().exitCode(), 1);
      assertTrue(
          full.getMessage().startsWith("no space left on device writing " + store.dir()),
          full.getMessage());
      assertEquals(full.getMessage().lines().count(), 1);
      assertTrue(store.completed(java.util.Set.of("m")).size() > 10, "what was stored is kept");
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
      Files.delete(mount);
    }
  }
}
