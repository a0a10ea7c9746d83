package io.leadline.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that answers the Hub and dataset-viewer requests of {@code
 * hf/manifest.json} with the recorded statuses, headers and bodies, and injects faults on demand.
 * Unknown requests get the viewer's own 404.
 */
public final class ReplayServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What to do instead of replaying, for one request; {@code null} means replay. */
  interface Fault {
    /** Returns true if it answered the exchange itself. */
    boolean apply(HttpExchange exchange, byte[] body) throws IOException;
  }

  private record Entry(
      String method,
      String path,
      Map<String, String> query,
      String auth,
      int status,
      Map<String, String> headers,
      String bodyFile) {}

  private final List<Entry> entries = new ArrayList<>();
  private final HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Fault fault = null;

  public ReplayServer() throws IOException {
    JsonNode manifest = MAPPER.readTree(resource("manifest.json"));
    for (JsonNode entry : manifest.get("entries")) {
      Map<String, String> query = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = entry.get("query").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        query.put(field.getKey(), field.getValue().asText());
      }
      Map<String, String> headers = new LinkedHashMap<>();
      entry
          .get("headers")
          .fields()
          .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
      entries.add(
          new Entry(
              entry.get("method").asText(),
              entry.get("path").asText(),
              query,
              entry.get("auth").asText(),
              entry.get("status").asInt(),
              headers,
              entry.get("body_file").isNull() ? null : entry.get("body_file").asText()));
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  HubSettings settings(java.nio.file.Path home) {
    return new HubSettings(uri(), uri(), java.util.Optional.empty(), false, home);
  }

  void fault(Fault fault) {
    this.fault = fault;
  }

  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  List<String> authorizations() {
    synchronized (authorizations) {
      return List.copyOf(authorizations);
    }
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      URI uri = exchange.getRequestURI();
      requests.add(uri.getPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "" : authorization);
      Entry entry = match(exchange.getRequestMethod(), uri, authorization != null);
      if (entry == null) {
        byte[] body = "{\"error\":\"Not found.\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Error-Code", "ResponseNotFound");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        return;
      }
      byte[] body = entry.bodyFile() == null ? new byte[0] : resource(entry.bodyFile());
      Fault current = fault;
      if (current != null && current.apply(exchange, body)) {
        return;
      }
      entry.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      if (body.length == 0) {
        exchange.sendResponseHeaders(entry.status(), -1);
      } else {
        exchange.sendResponseHeaders(entry.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private Entry match(String method, URI uri, boolean hasToken) {
    Map<String, String> query = new TreeMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.put(key, value);
      }
    }
    for (Entry entry : entries) {
      boolean authOk = entry.auth().equals("any") || entry.auth().equals("present") == hasToken;
      if (entry.method().equals(method)
          && entry.path().equals(uri.getRawPath())
          && entry.query().equals(query)
          && authOk) {
        return entry;
      }
    }
    return null;
  }

  static byte[] resource(String name) {
    try (InputStream in = ReplayServer.class.getResourceAsStream("/hf/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource hf/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
