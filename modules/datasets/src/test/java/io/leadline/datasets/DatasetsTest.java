package io.leadline.datasets;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class DatasetsTest {
  private static final SplitRef GSM8K_TEST = new SplitRef("openai/gsm8k", "main", "test");
  private static final String GSM8K_REVISION = "e53f048856ff4f594e959d75785d2c2d37b678ee";
  private static final RetryPolicy FAST =
      new RetryPolicy(
          4,
          Duration.ofMillis(20),
          Duration.ofMillis(100),
          Duration.ofSeconds(20),
          Duration.ofSeconds(2));

  private ReplayServer server;
  private Path home;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

  @BeforeMethod
  public void start() throws IOException {
    server = new ReplayServer();
    home = Files.createTempDirectory("leadline-home");
    warnings.clear();
  }

  @AfterMethod(alwaysRun = true)
  public void stop() throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
    }
  }

  private Datasets datasets(HubSettings settings) {
    return new Datasets(settings, FAST, 4, warnings::add);
  }

  private Datasets datasets() {
    return datasets(server.settings(home));
  }

  /** Pulls {@code ref} expecting it to fail, and returns the failure. */
  private LeadlineException pullFails(SplitRef ref) {
    return expectThrows(
        LeadlineException.class, () -> datasets().pull(ref, Optional.empty(), PullListener.NONE));
  }

  private static byte[] expectedGsm8kTest() throws IOException {
    try (InputStream in =
        DatasetsTest.class.getResourceAsStream("/expected/gsm8k/main/test.jsonl")) {
      return in.readAllBytes();
    }
  }

  @Test
  public void fullGsm8kPullReproducesTheDataFileByteForByte() throws IOException {
    PulledSplit split = datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(split.rows().size(), 1319);
    assertEquals(split.revision(), GSM8K_REVISION);
    Path file = new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION);
    assertEquals(Files.readAllBytes(file), expectedGsm8kTest());
    assertEquals(
        split.sha256(),
        com.google.common.hash.Hashing.sha256().hashBytes(expectedGsm8kTest()).toString());
    long pages = server.requests().stream().filter(r -> r.startsWith("/rows")).count();
    assertEquals(pages, 14L);
    assertTrue(server.maxInFlight() <= 4, "at most 4 pages in flight: " + server.maxInFlight());
  }

  @Test
  public void loadUsesTheVerifiedCacheWithoutTheNetwork() {
    datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    int before = server.requests().size();
    PulledSplit again = datasets().load(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(again.rows().size(), 1319);
    assertEquals(server.requests().size(), before, "no request for a cached split");
  }

  @Test
  public void corruptedCacheFileIsDetectedAndFetchedAgain() throws IOException {
    datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    Path file = new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    PulledSplit split = datasets().load(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(split.rows().size(), 1319);
    assertEquals(Files.readAllBytes(file), expectedGsm8kTest());
    assertEquals(warnings.size(), 1, warnings.toString());
    assertTrue(warnings.get(0).contains("does not match its recorded sha256"), warnings.get(0));
  }

  @Test
  public void corruptedCacheFileOfflineIsReportedWithTheFile() throws IOException {
    datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    Path file = new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION);
    Files.writeString(
        file, "{\"question\": \"edited\"}\n", java.nio.file.StandardOpenOption.APPEND);
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () ->
                datasets(server.settings(home).withOffline(true))
                    .forBenchmark("gsm8k")
                    .load(GSM8K_TEST, Optional.empty(), PullListener.NONE));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("leadline data pull gsm8k"), e.getMessage());
  }

  @Test
  public void offlineWithEmptyCacheNamesThePullCommand() {
    int before = server.requests().size();
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () ->
                datasets(server.settings(home).withOffline(true))
                    .forBenchmark("gsm8k")
                    .load(GSM8K_TEST, Optional.empty(), PullListener.NONE));
    assertEquals(
        e.getMessage(),
        "offline: openai/gsm8k main/test is not in the cache; run 'leadline data pull gsm8k' with"
            + " network access first");
    assertEquals(server.requests().size(), before, "offline sends nothing");
  }

  @Test
  public void twoPullsOfOneSplitAtOnceLeaveOneCorrectCopy() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<PulledSplit> a =
          pool.submit(() -> datasets().load(GSM8K_TEST, Optional.empty(), PullListener.NONE));
      Future<PulledSplit> b =
          pool.submit(() -> datasets().load(GSM8K_TEST, Optional.empty(), PullListener.NONE));
      assertEquals(a.get().sha256(), b.get().sha256());
    } finally {
      pool.shutdownNow();
    }
    long pages = server.requests().stream().filter(r -> r.startsWith("/rows")).count();
    assertEquals(pages, 14L, "the second pull found the first one's copy");
    Path file = new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION);
    assertEquals(Files.readAllBytes(file), expectedGsm8kTest());
    try (Stream<Path> files = Files.walk(home)) {
      assertTrue(files.noneMatch(path -> path.toString().endsWith(".tmp")), "no temporary files");
    }
  }

  @Test
  public void twoProcessesPullingOneSplitAtOnceLeaveOneCorrectCopy() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  PullProcess.class.getName(),
                  server.uri().toString(),
                  home.toString())
              .redirectErrorStream(true)
              .start());
    }
    List<String> outputs = new ArrayList<>();
    for (Process process : processes) {
      String output = new String(process.getInputStream().readAllBytes()).strip();
      assertEquals(process.waitFor(), 0, output);
      outputs.add(output);
    }
    String expectedSha =
        com.google.common.hash.Hashing.sha256().hashBytes(expectedGsm8kTest()).toString();
    assertEquals(outputs, List.of(expectedSha, expectedSha));
    long pages = server.requests().stream().filter(r -> r.startsWith("/rows")).count();
    assertEquals(pages, 14L, "the second process waited for the first one's copy");
    assertEquals(
        Files.readAllBytes(new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION)),
        expectedGsm8kTest());
  }

  @Test
  public void pinnedRevisionIsServedFromTheCacheWhenTheServerMovedOn() {
    datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    int before = server.requests().size();
    PulledSplit split = datasets().pull(GSM8K_TEST, Optional.of(GSM8K_REVISION), PullListener.NONE);
    assertEquals(split.revision(), GSM8K_REVISION);
    assertEquals(server.requests().size(), before);
  }

  @Test
  public void pinnedRevisionTheServerNoLongerServesIsAClearError() {
    String pinned = "0123456789abcdef0123456789abcdef01234567";
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () -> datasets().pull(GSM8K_TEST, Optional.of(pinned), PullListener.NONE));
    assertTrue(
        e.getMessage()
            .contains(
                "pinned to revision " + pinned + ", but the server now serves " + GSM8K_REVISION),
        e.getMessage());
  }

  @Test
  public void unknownConfigListsTheKnownOnes() {
    LeadlineException e = pullFails(new SplitRef("openai/gsm8k", "nope", "test"));
    assertEquals(e.getMessage(), "config 'nope' is not in openai/gsm8k; known: main, socratic");
    assertEquals(e.kind(), ErrorKind.USER_INPUT);
  }

  @Test
  public void unknownSplitListsTheKnownOnes() {
    LeadlineException e = pullFails(new SplitRef("openai/gsm8k", "main", "validation"));
    assertEquals(
        e.getMessage(), "split 'validation' is not in openai/gsm8k main; known: train, test");
  }

  @Test
  public void unknownDatasetFailsAtOnceSayingWhatToDo() {
    LeadlineException e = pullFails(new SplitRef("openai/gsm8k-does-not-exist", "main", "test"));
    assertTrue(e.getMessage().contains("HTTP 401 ExternalUnauthenticatedError"), e.getMessage());
    assertTrue(e.getMessage().contains("check the dataset id, or set HF_TOKEN"), e.getMessage());
    assertEquals(server.requests().size(), 1, "401 is not retried");
  }

  @Test
  public void viewerThatDoesNotServeADatasetFailsAtOnce() {
    LeadlineException e = pullFails(new SplitRef("fixture-org/script-dataset", "default", "test"));
    assertTrue(
        e.getMessage().contains("HTTP 501 DatasetWithScriptNotSupportedError"), e.getMessage());
    assertEquals(server.requests().size(), 1);
  }

  @Test
  public void permanentServerErrorIsNotRetried() {
    LeadlineException e = pullFails(new SplitRef("severo/empty", "default", "train"));
    assertTrue(e.getMessage().contains("EmptyDatasetError"), e.getMessage());
    assertEquals(server.requests().size(), 1);
  }

  @Test
  public void responseNotReadyIsRetriedThenGivenUpWithTheReason() {
    LeadlineException e = pullFails(new SplitRef("fixture-org/just-created", "default", "train"));
    assertEquals(server.requests().size(), FAST.maxAttempts());
    assertTrue(
        e.getMessage().contains("gave up after 4 attempts: HTTP 500 ResponseNotReady"),
        e.getMessage());
  }

  @Test
  public void serverErrorThenSuccessEndsWithAllRows() {
    AtomicInteger failures = new AtomicInteger();
    server.fault(
        (exchange, body) -> {
          if (exchange.getRequestURI().toString().contains("offset=500")
              && failures.getAndIncrement() < 1) {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
            return true;
          }
          return false;
        });
    PulledSplit split = datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(split.rows().size(), 1319);
    assertEquals(failures.get(), 2, "failed once, then passed");
  }

  @Test
  public void connectionClosedMidBodyIsRetried() throws IOException {
    AtomicInteger cut = new AtomicInteger();
    server.fault(
        (exchange, body) -> {
          if (exchange.getRequestURI().toString().contains("offset=700")
              && cut.getAndIncrement() < 2) {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            throw new IOException("cut the connection mid-body");
          }
          return false;
        });
    PulledSplit split = datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(split.rows().size(), 1319);
    assertEquals(
        Files.readAllBytes(new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION)),
        expectedGsm8kTest());
    assertEquals(cut.get(), 3, "cut twice, then served whole");
  }

  @Test
  public void slowResponsePastTheTimeoutIsRetried() {
    AtomicInteger slow = new AtomicInteger();
    server.fault(
        (exchange, body) -> {
          if (exchange.getRequestURI().toString().contains("offset=300")
              && slow.getAndIncrement() < 1) {
            try {
              Thread.sleep(3_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return false;
        });
    PulledSplit split = datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(split.rows().size(), 1319);
    assertEquals(slow.get(), 2);
  }

  @Test
  public void tooManyRequestsWaitsForRetryAfter() {
    AtomicInteger limited = new AtomicInteger();
    long[] when = new long[2];
    server.fault(
        (exchange, body) -> {
          if (exchange.getRequestURI().toString().contains("offset=1200")) {
            int n = limited.getAndIncrement();
            when[Math.min(n, 1)] = System.nanoTime();
            if (n == 0) {
              exchange.getResponseHeaders().add("Retry-After", "1");
              exchange.sendResponseHeaders(429, -1);
              exchange.close();
              return true;
            }
          }
          return false;
        });
    PulledSplit split = datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE);
    assertEquals(split.rows().size(), 1319);
    double waited = (when[1] - when[0]) / 1e9;
    assertTrue(waited >= 1.0, "waited " + waited + " s for Retry-After: 1");
  }

  @Test
  public void shortPageIsAnErrorNeverFewerRows() {
    server.fault(
        (exchange, body) -> {
          if (exchange.getRequestURI().toString().contains("offset=900")) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            int cut = text.indexOf(",{\"row_idx\":950");
            byte[] shorter =
                (text.substring(0, cut) + text.substring(text.indexOf("],\"num_rows_total\"")))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, shorter.length);
            exchange.getResponseBody().write(shorter);
            exchange.close();
            return true;
          }
          return false;
        });
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () -> datasets().pull(GSM8K_TEST, Optional.empty(), PullListener.NONE));
    assertTrue(
        e.getMessage()
            .contains(
                "rows 900-999 of openai/gsm8k main/test: expected 100 rows,"
                    + " the server sent 50"),
        e.getMessage());
    assertFalse(
        Files.exists(new DatasetCache(home).rowsFile(GSM8K_TEST, GSM8K_REVISION)),
        "nothing cached");
  }

  @Test
  public void tokenIsSentAsBearerAndNeverAppearsInErrors() {
    String token = "hf_test-token-that-must-not-leak-42";
    HubSettings settings =
        new HubSettings(server.uri(), server.uri(), Optional.of(token), false, home);
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () ->
                datasets(settings)
                    .pull(
                        new SplitRef("openai/gsm8k-does-not-exist", "main", "test"),
                        Optional.empty(),
                        PullListener.NONE));
    assertEquals(server.authorizations(), List.of("Bearer " + token));
    assertFalse(e.getMessage().contains(token), e.getMessage());
    assertFalse(settings.toString().contains(token), settings.toString());
  }
}
