package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryAfter;
import io.leadline.api.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * GETs JSON from the Hub and the dataset viewer with {@code java.net.http}: sends {@code HF_TOKEN}
 * as a Bearer token, retries what can pass (429, 408, 5xx including {@code ResponseNotReady},
 * resets, timeouts, truncated or malformed bodies) and fails at once, with a message that says what
 * to do, on what cannot (401, 403, 404, 422, 501).
 *
 * <p>Thread-safe; one instance serves concurrent page fetches.
 */
final class HubClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HubSettings settings;
  private final RetryPolicy retry;
  private final HttpClient http;

  HubClient(HubSettings settings, RetryPolicy retry) {
    this.settings = requireNonNull(settings, "settings is null");
    this.retry = requireNonNull(retry, "retry is null");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(retry.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** A JSON body and the revision the server said it was served from, if it said. */
  record JsonResponse(JsonNode body, Optional<String> revision) {}

  /**
   * GETs {@code uri} and parses its JSON body, retrying as the policy allows.
   *
   * @param what words for error messages, e.g. "rows 100-199 of openai/gsm8k main/test"
   */
  JsonResponse getJson(URI uri, String what) {
    long deadline = System.nanoTime() + retry.maxTotal().toNanos();
    String lastProblem = "no attempt made";
    for (int attempt = 1; ; attempt++) {
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<byte[]> response =
            http.send(request(uri), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status == 200) {
          try {
            return new JsonResponse(
                MAPPER.readTree(response.body()), response.headers().firstValue("X-Revision"));
          } catch (JsonProcessingException e) {
            lastProblem = "malformed JSON in the response (" + e.getOriginalMessage() + ")";
          }
        } else {
          String detail = errorDetail(response);
          if (!isRetryable(status, response.headers().firstValue("X-Error-Code").orElse(""))) {
            throw failure(status, detail, response, what);
          }
          lastProblem = "HTTP " + status + errorCode(response) + ": " + detail;
          retryAfter = RetryAfter.from(response.headers(), Instant.now());
        }
      } catch (IOException e) {
        lastProblem =
            "connection problem (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LeadlineException(ErrorKind.PROVIDER, what + ": interrupted");
      }
      Duration wait = retry.delay(attempt, retryAfter);
      if (attempt >= retry.maxAttempts() || System.nanoTime() + wait.toNanos() > deadline) {
        throw new LeadlineException(
            ErrorKind.PROVIDER,
            String.format(
                "%s: gave up after %d attempts: %s (%s)",
                what, attempt, lastProblem, uri.getHost()));
      }
      sleep(wait, what);
    }
  }

  private HttpRequest request(URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(retry.timeout())
            .header("Accept", "application/json")
            .header("User-Agent", "leadline/" + io.leadline.api.Version.version())
            .GET();
    settings.token().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
    return builder.build();
  }

  /**
   * 408, 409, 429 and 5xx pass with time, except 501 and a 500 whose error code names a lasting
   * condition of the dataset (an empty dataset, rows that cannot be streamed, …).
   */
  private static boolean isRetryable(int status, String errorCode) {
    if (status == 500 && !errorCode.isEmpty()) {
      return errorCode.equals("ResponseNotReady") || errorCode.startsWith("Unexpected");
    }
    return status == 408 || status == 409 || status == 429 || status >= 500 && status != 501;
  }

  private LeadlineException failure(
      int status, String detail, HttpResponse<byte[]> response, String what) {
    String code = response.headers().firstValue("X-Error-Code").orElse("");
    String advice =
        switch (status) {
          case 401 ->
              settings.token().isPresent()
                  ? "the token in HF_TOKEN was refused; check that it is valid"
                  : "the dataset does not exist, is private or is gated: check the dataset id, or set"
                      + " HF_TOKEN to a token with access";
          case 403 -> "HF_TOKEN has no access to it; request access on the dataset's Hub page";
          case 404 ->
              code.equals("ExternalAuthenticatedError")
                  ? "HF_TOKEN has no access to this gated dataset; request access on its Hub page"
                  : code.equals("RevisionNotFound")
                      ? "no such revision: check --revision"
                      : "not found: check the dataset id, config and split names";
          case 422 -> "the request was refused as invalid";
          case 500, 501 -> "the dataset viewer cannot serve this dataset (" + code + ")";
          default -> "the server refused the request";
        };
    ErrorKind kind = status >= 500 || status == 422 ? ErrorKind.PROVIDER : ErrorKind.USER_INPUT;
    return new LeadlineException(
        kind,
        String.format("%s: HTTP %d%s: %s; %s", what, status, errorCode(response), detail, advice));
  }

  private static String errorCode(HttpResponse<byte[]> response) {
    return response.headers().firstValue("X-Error-Code").map(code -> " " + code).orElse("");
  }

  /** The server's own words: {@code error} of a JSON body, else the start of a text body. */
  private static String errorDetail(HttpResponse<byte[]> response) {
    String text = new String(response.body(), StandardCharsets.UTF_8).strip();
    try {
      JsonNode json = MAPPER.readTree(text);
      if (json != null && json.hasNonNull("error")) {
        text = json.get("error").asText();
      }
    } catch (JsonProcessingException e) {
      // A text/plain or HTML error page: quote it as text.
    }
    text = text.replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return response.headers().firstValue("X-Error-Message").orElse("(empty body)");
    }
    return text.length() > 200 ? text.substring(0, 197) + "..." : text;
  }

  private static void sleep(Duration wait, String what) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeadlineException(ErrorKind.PROVIDER, what + ": interrupted");
    }
  }
}
