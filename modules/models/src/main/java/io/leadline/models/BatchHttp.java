package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.RetryAfter;
import io.leadline.api.RetryPolicy;
import io.leadline.api.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The HTTP calls of a {@link BatchApi}: JSON in and out (or raw bytes for file contents), retried
 * on 408, 409, 429, 5xx and connection faults within the model's attempts and retry time, a
 * server's {@code Retry-After} honoured. Every failure is one line, scrubbed of the key.
 */
final class BatchHttp {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ModelSpec spec;
  private final HttpClient http;
  private final Consumer<HttpRequest.Builder> authenticate;
  private final UnaryOperator<String> redact;
  private final RetryPolicy retry;
  private final java.util.function.Function<JsonNode, Optional<String>> errorMessage;
  private volatile boolean simulated;

  BatchHttp(
      ModelSpec spec,
      HttpClient http,
      Consumer<HttpRequest.Builder> authenticate,
      UnaryOperator<String> redact,
      RetryPolicy retry,
      java.util.function.Function<JsonNode, Optional<String>> errorMessage) {
    this.spec = spec;
    this.http = http;
    this.authenticate = authenticate;
    this.redact = redact;
    this.retry = retry;
    this.errorMessage = errorMessage;
  }

  JsonNode getJson(URI uri) {
    return json(send("GET", uri, null, null), uri);
  }

  JsonNode postJson(URI uri, Object body) {
    try {
      return json(send("POST", uri, MAPPER.writeValueAsBytes(body), "application/json"), uri);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a batch request", e);
    }
  }

  /**
   * Whether a response so far said it is Leadline's simulator ({@code X-Leadline-Simulated}), so
   * that a batch {@code serve-sim} answered is recorded simulated as its own requests are.
   */
  boolean simulated() {
    return simulated;
  }

  JsonNode postBytes(URI uri, byte[] body, String contentType) {
    return json(send("POST", uri, body, contentType), uri);
  }

  /**
   * POSTs {@code head}, the file, then {@code tail}, read from disk as they are sent (an upload can
   * be hundreds of megabytes).
   */
  JsonNode postFile(
      URI uri, byte[] head, java.nio.file.Path file, byte[] tail, String contentType) {
    HttpRequest.BodyPublisher body;
    try {
      body =
          HttpRequest.BodyPublishers.concat(
              HttpRequest.BodyPublishers.ofByteArray(head),
              HttpRequest.BodyPublishers.ofFile(file),
              HttpRequest.BodyPublishers.ofByteArray(tail));
    } catch (java.io.FileNotFoundException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return json(
        send("POST", uri, body, contentType, HttpResponse.BodyHandlers.ofByteArray(), b -> b), uri);
  }

  byte[] getBytes(URI uri) {
    return send("GET", uri, null, null);
  }

  /**
   * The body at {@code uri} as a stream (a batch's results can be far larger than the heap should
   * hold at once); retried like every call until a 2xx response begins.
   */
  java.io.InputStream getStream(URI uri) {
    return send(
        "GET",
        uri,
        null,
        null,
        HttpResponse.BodyHandlers.ofInputStream(),
        in -> {
          try (in) {
            return in.readNBytes(64 * 1024);
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }

  /**
   * Each non-blank line of the JSONL at {@code uri}, streamed: a results file is not held whole.
   */
  void lines(URI uri, java.util.function.Consumer<String> each) {
    try (java.io.BufferedReader reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                getStream(uri), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        if (!text.isBlank()) {
          each.accept(text);
        }
      }
    } catch (java.io.IOException e) {
      throw fail(uri, 0, "the batch's results broke off (" + e.getMessage() + ")");
    }
  }

  private JsonNode json(byte[] body, URI uri) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw fail(uri, 0, "the answer is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw fail(uri, 0, "malformed JSON in the answer");
    }
  }

  private byte[] send(String method, URI uri, byte[] body, String contentType) {
    return send(
        method,
        uri,
        body == null ? null : HttpRequest.BodyPublishers.ofByteArray(body),
        contentType,
        HttpResponse.BodyHandlers.ofByteArray(),
        bytes -> bytes);
  }

  private <T> T send(
      String method,
      URI uri,
      HttpRequest.BodyPublisher body,
      String contentType,
      HttpResponse.BodyHandler<T> handler,
      java.util.function.Function<T, byte[]> errorBody) {
    long deadline = System.nanoTime() + retry.maxTotal().toNanos();
    String problem = "no attempt made";
    int status = 0;
    for (int attempt = 1; ; attempt++) {
      Optional<Duration> serverWait = Optional.empty();
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(uri)
                .timeout(retry.timeout())
                .header("Accept", "application/json")
                .header("User-Agent", "leadline/" + Version.version());
        if (body == null) {
          request.GET();
        } else {
          request.header("Content-Type", contentType).method(method, body);
        }
        authenticate.accept(request);
        HttpResponse<T> response = http.send(request.build(), handler);
        status = response.statusCode();
        if (status / 100 == 2) {
          simulated |= HttpModelClient.saysSimulated(response.headers());
          return response.body();
        }
        String said = said(errorBody.apply(response.body()));
        if (!HttpModelClient.isRetryable(status)) {
          throw fail(uri, status, "HTTP " + status + ": " + said);
        }
        problem = "HTTP " + status + ": " + said;
        serverWait = RetryAfter.from(response.headers(), Instant.now());
      } catch (IOException e) {
        problem = "connection problem (" + e.getClass().getSimpleName() + ")";
        status = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail(uri, 0, "interrupted");
      }
      Duration wait = retry.delay(attempt, serverWait);
      if (attempt >= retry.maxAttempts() || System.nanoTime() + wait.toNanos() > deadline) {
        throw fail(uri, status, "gave up after " + attempt + " attempts: " + problem);
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail(uri, 0, "interrupted");
      }
    }
  }

  private String said(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode json = MAPPER.readTree(text);
      if (json != null) {
        Optional<String> message = errorMessage.apply(json);
        if (message.isPresent()) {
          text = message.get();
        }
      }
    } catch (IOException e) {
      // Not JSON: quote its start.
    }
    text = text.replaceAll("\\s+", " ");
    return text.isEmpty()
        ? "(empty body)"
        : text.length() > 300 ? text.substring(0, 297) + "..." : text;
  }

  BatchApi.BatchException fail(URI uri, int status, String problem) {
    return new BatchApi.BatchException(
        redact.apply(
            String.format(
                "model %s: batch API %s%s: %s",
                spec.name(), spec.endpointHost(), uri.getPath(), problem)),
        status);
  }
}
