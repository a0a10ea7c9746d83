package io.leadline.models;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 that answers from a script: queued replies first, then a default
 * reply computed from the request. Records every request with its headers and body, and the most
 * requests it had in flight at once.
 */
public final class ScriptedServer implements AutoCloseable {
  /** What to answer; {@code drop} closes the connection without any response. */
  public record Reply(
      int status, Map<String, String> headers, String body, Duration delay, boolean drop) {
    public static Reply json(int status, String body) {
      return new Reply(status, Map.of(), body, Duration.ZERO, false);
    }

    public Reply withHeader(String name, String value) {
      return new Reply(
          status,
          ImmutableMap.<String, String>builder().putAll(headers).put(name, value).buildOrThrow(),
          body,
          delay,
          drop);
    }

    public Reply after(Duration wait) {
      return new Reply(status, headers, body, wait, drop);
    }

    public static Reply dropConnection() {
      return new Reply(0, Map.of(), "", Duration.ZERO, true);
    }
  }

  /** A request as received. */
  public record Recorded(
      String method, String path, Map<String, List<String>> headers, String body, long nanos) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Recorded> recorded = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Function<Recorded, Reply> fallback;

  private ScriptedServer(Function<Recorded, Reply> fallback) throws IOException {
    this.fallback = fallback;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static ScriptedServer start(Function<Recorded, Reply> fallback) {
    try {
      return new ScriptedServer(fallback);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  public ScriptedServer then(Reply reply) {
    script.add(reply);
    return this;
  }

  public void fallback(Function<Recorded, Reply> reply) {
    this.fallback = reply;
  }

  public synchronized List<Recorded> requests() {
    return ImmutableList.copyOf(recorded);
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Recorded request =
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              Map.copyOf(exchange.getRequestHeaders()),
              body,
              System.nanoTime());
      synchronized (this) {
        recorded.add(request);
      }
      Reply reply = script.poll();
      if (reply == null) {
        reply = fallback.apply(request);
      }
      if (!reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (reply.drop()) {
        exchange.close();
        return;
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    } catch (IOException e) {
      exchange.close();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
