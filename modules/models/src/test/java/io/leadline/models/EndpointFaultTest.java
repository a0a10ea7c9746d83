package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.Completed;
import io.leadline.api.ModelResult.Failed;
import io.leadline.api.ModelResult.FailureReason;
import io.leadline.api.Sampling;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;

/**
 * The fault suite of issue 21 for one model's endpoint: hostile and broken servers on 127.0.0.1
 * (endless and dripping bodies, 429 storms, stalls, refusals) fail their own requests within their
 * deadlines and never stop the client, or a client of another model, from going on.
 */
public class EndpointFaultTest {
  private static final String OK =
      "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();

  @AfterMethod(alwaysRun = true)
  public void stopServers() {
    servers.forEach(server -> server.stop(0));
    servers.clear();
    HttpModelClient.stallLog = line -> System.err.println("leadline: " + line);
  }

  private URI serve(HttpHandler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(serverThreads);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          try {
            handler.handle(exchange);
          } finally {
            exchange.close();
          }
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static HttpModelClient client(URI base, String extra) {
    String yaml =
        "models:\n  - name: m\n    provider: openai-compatible\n    base_url: "
            + base
            + "\n    model: test-model\n    api_key_env: TEST_KEY\n"
            + extra;
    ModelSpec spec = ModelsFile.parse("models.yaml", yaml).models().get(0);
    return ModelClients.create(
        spec,
        Map.of("TEST_KEY", "canary-key-value"),
        Budget.unlimited(),
        ModelClients.retryPolicy(spec, Duration.ofMillis(10)));
  }

  private static ModelResult ask(HttpModelClient client) {
    return client.complete(new CompletionRequest("p", ChatWrapping.NONE, Sampling.greedy(8)));
  }

  private static Failed failed(ModelResult result) {
    if (result instanceof Failed failed) {
      return failed;
    }
    throw new AssertionError("expected a failure, got " + result);
  }

  private static double secondsSince(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Writes until the client hangs up; records how much and when it stopped. */
  private static final class Flood {
    final AtomicLong written = new AtomicLong();
    final AtomicLong stoppedAt = new AtomicLong();

    void pour(HttpExchange exchange, byte[] chunk, Duration between) throws IOException {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      try {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
          out.write(chunk);
          out.flush();
          written.addAndGet(chunk.length);
          if (!between.isZero()) {
            Thread.sleep(between.toMillis());
          }
        }
      } catch (IOException | InterruptedException e) {
        // The client hung up: what the test wants.
      } finally {
        stoppedAt.set(System.nanoTime());
      }
    }
  }

  @Test
  public void endlessBodyFailsAsTooLargeAndFreesTheConnection() throws Exception {
    Flood flood = new Flood();
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    URI base = serve(exchange -> flood.pour(exchange, chunk, Duration.ZERO));
    HttpModelClient client =
        client(base, "    timeout_seconds: 20\n    max_response_bytes: 1048576\n");
    long start = System.nanoTime();
    Failed failed = failed(ask(client));
    double took = secondsSince(start);
    assertEquals(failed.reason(), FailureReason.GAVE_UP);
    assertEquals(failed.attempts(), 1, "not asked again: it would stream again");
    assertTrue(
        failed.message().contains("response too large (over 1048576 bytes; max_response_bytes)"),
        failed.message());
    assertTrue(failed.message().startsWith("model m (127.0.0.1:"), failed.message());
    assertTrue(took < 5, "took " + took + " s");
    // The client hung up: the server's writes fail soon, having sent far less than unbounded.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (flood.stoppedAt.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(flood.stoppedAt.get() != 0, "the connection was still being read");
    assertTrue(flood.written.get() < 64L << 20, "wrote " + flood.written.get() + " bytes");
  }

  @Test
  public void drippingBodyFailsEachAttemptAtItsDeadlineAndTheItemWithinItsBudget()
      throws Exception {
    Flood flood = new Flood();
    URI base = serve(exchange -> flood.pour(exchange, new byte[] {' '}, Duration.ofMillis(200)));
    HttpModelClient client =
        client(base, "    timeout_seconds: 1\n    max_attempts: 8\n    max_retry_seconds: 2.5\n");
    long start = System.nanoTime();
    Failed failed = failed(ask(client));
    double took = secondsSince(start);
    assertEquals(failed.reason(), FailureReason.GAVE_UP);
    assertTrue(took < 4.5, "the item took " + took + " s with a 2.5 s budget");
    assertTrue(failed.attempts() >= 2 && failed.attempts() <= 3, failed.toString());
    assertTrue(
        failed.message().contains("no complete response within 1 s (timeout_seconds)"),
        failed.message());
    Thread.sleep(700);
    long since = System.nanoTime() - flood.stoppedAt.get();
    assertTrue(flood.stoppedAt.get() != 0 && since > 0, "the dripping connection is still open");
  }

  @Test
  public void rateLimitStormIsRetriedUntilTheTimeBudgetNotTheAttemptCount() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    URI base =
        serve(
            exchange -> {
              seen.incrementAndGet();
              exchange.getResponseHeaders().set("Retry-After", "1");
              answer(exchange, 429, "{\"error\":{\"message\":\"rate limited\"}}");
            });
    HttpModelClient client = client(base, "    max_attempts: 2\n    max_retry_seconds: 3.5\n");
    long start = System.nanoTime();
    Failed failed = failed(ask(client));
    double took = secondsSince(start);
    assertEquals(failed.reason(), FailureReason.GAVE_UP);
    assertTrue(failed.reason().rerunMayPass());
    assertTrue(failed.attempts() >= 3, "only " + failed.attempts() + " attempts in " + took + " s");
    assertEquals(seen.get(), failed.attempts());
    assertTrue(took >= 2.5 && took < 5.5, "took " + took + " s");
    assertTrue(failed.message().contains("HTTP 429: rate limited"), failed.message());
    assertTrue(failed.message().contains("max_retry_seconds (3 s) ran out"), failed.message());
  }

  @Test
  public void rateLimitStormShorterThanTheBudgetEndsInAnAnswer() throws Exception {
    long stormEnds = System.nanoTime() + 2_200_000_000L;
    URI base =
        serve(
            exchange -> {
              if (System.nanoTime() < stormEnds) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                answer(exchange, 429, "{}");
              } else {
                answer(exchange, 200, OK);
              }
            });
    ModelResult result = ask(client(base, "    max_attempts: 2\n    max_retry_seconds: 10\n"));
    assertTrue(result instanceof Completed, result.toString());
    assertTrue(((Completed) result).completion().attempts() >= 3, result.toString());
  }

  @Test
  public void concurrencyHalvesOnRateLimitsAndRecovers() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    URI base =
        serve(
            exchange -> {
              int now = inFlight.incrementAndGet();
              try {
                if (now > 2) {
                  limited.incrementAndGet();
                  answer(exchange, 429, "{}");
                } else {
                  Thread.sleep(40);
                  answered.incrementAndGet();
                  answer(exchange, 200, OK);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                inFlight.decrementAndGet();
              }
            });
    HttpModelClient client =
        client(base, "    max_concurrency: 8\n    max_attempts: 50\n    max_retry_seconds: 30\n");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<ModelResult>> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      results.add(pool.submit(() -> ask(client)));
    }
    for (Future<ModelResult> result : results) {
      assertTrue(result.get() instanceof Completed, result.get().toString());
    }
    pool.shutdown();
    assertEquals(answered.get(), 40);
    // At a fixed 8 in flight, three in four attempts would be refused, hundreds in all.
    assertTrue(limited.get() < 40, limited.get() + " rate-limited attempts for 40 requests");
    assertTrue(client.throttleLimit() >= 1 && client.throttleLimit() <= 4, "limit");
  }

  @Test
  public void spentRateLimitWindowHoldsTheNextRequestUntilItsReset() throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    URI base =
        serve(
            exchange -> {
              arrivals.add(System.nanoTime());
              exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", "0");
              exchange.getResponseHeaders().set("x-ratelimit-reset-requests", "800ms");
              answer(exchange, 200, OK);
            });
    HttpModelClient client = client(base, "");
    ask(client);
    ask(client);
    long waited = arrivals.get(1) - arrivals.get(0);
    assertTrue(waited >= 700_000_000L, "waited " + waited / 1e6 + " ms");
  }

  @Test
  public void stallWatchdogFailsTheOutstandingRequestsOnceAndLaterOnesGoOn() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    URI base =
        serve(
            exchange -> {
              if (calls.incrementAndGet() <= 2) {
                try {
                  Thread.sleep(20_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return;
              }
              answer(exchange, 200, OK);
            });
    List<String> logged = new CopyOnWriteArrayList<>();
    // A slow log: the stalled requests must not fail before the line saying why is written.
    HttpModelClient.stallLog =
        line -> {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          logged.add(line);
        };
    HttpModelClient client =
        client(base, "    timeout_seconds: 30\n    stall_seconds: 1\n    max_attempts: 5\n");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    long start = System.nanoTime();
    Future<ModelResult> first = pool.submit(() -> ask(client));
    Future<ModelResult> second = pool.submit(() -> ask(client));
    Failed one = failed(first.get());
    Failed two = failed(second.get());
    double took = secondsSince(start);
    pool.shutdown();
    assertTrue(took < 5, "stalled requests took " + took + " s");
    String expected =
        "model m (127.0.0.1:"
            + base.getPort()
            + "/v1/chat/completions) stalled: no response for 1 s while 2 requests were"
            + " outstanding";
    assertEquals(one.message(), expected);
    assertEquals(two.message(), expected);
    assertEquals(one.reason(), FailureReason.GAVE_UP);
    assertEquals(logged, List.of(expected + "; those requests fail, later ones go on"));
    assertTrue(ask(client) instanceof Completed, "a later request goes on");
  }

  @Test
  public void aHostileModelFailsWithinItsDeadlineWhileAGoodOneFinishes() throws Exception {
    Flood flood = new Flood();
    URI hostile = serve(exchange -> flood.pour(exchange, new byte[] {' '}, Duration.ofMillis(300)));
    URI good = serve(exchange -> answer(exchange, 200, OK));
    HttpModelClient bad = client(hostile, "    timeout_seconds: 10\n    max_retry_seconds: 1.5\n");
    HttpModelClient fine = client(good, "");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    List<Future<ModelResult>> badResults = new ArrayList<>();
    List<Future<ModelResult>> goodResults = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      badResults.add(pool.submit(() -> ask(bad)));
    }
    for (int i = 0; i < 20; i++) {
      goodResults.add(pool.submit(() -> ask(fine)));
    }
    for (Future<ModelResult> result : goodResults) {
      assertTrue(result.get() instanceof Completed, result.get().toString());
    }
    for (Future<ModelResult> result : badResults) {
      assertEquals(failed(result.get()).reason(), FailureReason.GAVE_UP);
    }
    double took = secondsSince(start);
    pool.shutdown();
    // max_retry_seconds bounds the item even in the middle of a read.
    assertTrue(took < 4, "took " + took + " s");
  }

  @Test
  public void refusalsSayWhatToCheckAndAreNotMendedByARerun() throws Exception {
    for (int status : new int[] {401, 403, 404}) {
      URI base =
          serve(
              exchange ->
                  answer(
                      exchange,
                      status,
                      "{\"error\":{\"message\":\"Incorrect API key provided:"
                          + " sk-proj-abc123XYZ789.\\nSee the docs\"}}"));
      Failed failed = failed(ask(client(base, "")));
      assertEquals(failed.reason(), FailureReason.MODEL_UNAVAILABLE);
      assertFalse(failed.reason().rerunMayPass());
      assertEquals(failed.httpStatus(), status);
      assertFalse(failed.message().contains("abc123XYZ789"), failed.message());
      assertFalse(failed.message().contains("\n"), failed.message());
      assertTrue(
          failed.message().contains("Incorrect API key provided: [redacted]"), failed.message());
      String advice =
          switch (status) {
            case 401 -> "; check the key in TEST_KEY";
            case 403 -> "; check that the key in TEST_KEY has access to this model";
            default -> "; check model 'test-model' and base_url '" + base + "' in the models file";
          };
      assertTrue(failed.message().endsWith(advice), failed.message());
    }
    assertFalse(FailureReason.REJECTED.rerunMayPass());
    assertTrue(FailureReason.NOT_SENT.rerunMayPass());
  }
}
