package io.leadline.datasets;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** Every recorded error answer of the Hub and the viewer, through the real client. */
public class HubClientTest {
  private static final RetryPolicy FAST =
      new RetryPolicy(
          3,
          Duration.ofMillis(10),
          Duration.ofMillis(50),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));

  private ReplayServer server;

  @BeforeClass
  public void start() throws IOException {
    server = new ReplayServer();
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    server.close();
  }

  @DataProvider
  public Object[][] errorEntries() throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(ReplayServer.resource("manifest.json"));
    List<Object[]> rows = new ArrayList<>();
    for (JsonNode entry : manifest.get("entries")) {
      if (entry.get("status").asInt() >= 400 && entry.get("method").asText().equals("GET")) {
        rows.add(new Object[] {entry});
      }
    }
    return rows.toArray(Object[][]::new);
  }

  @Test(dataProvider = "errorEntries")
  public void everyRecordedErrorEndsAsIntended(JsonNode entry) {
    StringBuilder uri = new StringBuilder(server.uri() + entry.get("path").asText());
    char separator = '?';
    for (Iterator<Map.Entry<String, JsonNode>> it = entry.get("query").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      uri.append(separator)
          .append(field.getKey())
          .append('=')
          .append(URLEncoder.encode(field.getValue().asText(), StandardCharsets.UTF_8));
      separator = '&';
    }
    Optional<String> token =
        entry.get("auth").asText().equals("present") ? Optional.of("hf_test") : Optional.empty();
    HubClient client =
        new HubClient(
            new HubSettings(server.uri(), server.uri(), token, false, Path.of("unused")), FAST);
    int status = entry.get("status").asInt();
    String code = entry.get("headers").path("X-Error-Code").asText("");
    int before = server.requests().size();
    LeadlineException e =
        expectThrows(
            LeadlineException.class, () -> client.getJson(URI.create(uri.toString()), "test"));
    int attempts = server.requests().size() - before;
    boolean transientError =
        status == 429
            || (status == 500
                && (code.isEmpty()
                    || code.equals("ResponseNotReady")
                    || code.startsWith("Unexpected")));
    assertTrue(e.getMessage().contains("HTTP " + status), entry + " -> " + e.getMessage());
    assertEquals(e.getMessage().lines().count(), 1L, e.getMessage());
    if (transientError) {
      boolean retryAfterBeyondBudget = entry.get("headers").has("Retry-After");
      assertEquals(attempts, retryAfterBeyondBudget ? 1 : FAST.maxAttempts(), entry.toString());
      assertTrue(e.getMessage().contains("gave up after"), e.getMessage());
      assertEquals(e.kind(), ErrorKind.PROVIDER);
    } else {
      assertEquals(attempts, 1, "not retried: " + entry);
    }
    if (status == 401 || status == 404) {
      assertEquals(e.kind(), ErrorKind.USER_INPUT);
      assertTrue(
          e.getMessage().contains("check") || e.getMessage().contains("request access"),
          e.getMessage());
    }
  }

  @Test
  public void textPlainErrorBodyIsQuoted() {
    server.fault(
        (exchange, body) -> {
          byte[] text =
              "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html");
          exchange.sendResponseHeaders(502, text.length);
          exchange.getResponseBody().write(text);
          exchange.close();
          return true;
        });
    try {
      HubClient client = new HubClient(server.settings(Path.of("unused")), FAST);
      LeadlineException e =
          expectThrows(
              LeadlineException.class,
              () ->
                  client.getJson(
                      URI.create(server.uri() + "/splits?dataset=openai/gsm8k"), "splits"));
      assertTrue(
          e.getMessage().contains("HTTP 502: <html><body>502 Bad Gateway</body></html>"),
          e.getMessage());
    } finally {
      server.fault(null);
    }
  }

  @Test
  public void delayHonoursRetryAfterAndStaysUnderTheCap() {
    assertEquals(
        RetryPolicy.DEFAULT.delay(3, Optional.of(Duration.ofSeconds(7))), Duration.ofSeconds(7));
    for (int attempt = 1; attempt < 12; attempt++) {
      Duration delay = RetryPolicy.DEFAULT.delay(attempt, Optional.empty());
      assertTrue(
          !delay.isNegative() && delay.compareTo(RetryPolicy.DEFAULT.maxDelay()) <= 0,
          delay.toString());
    }
  }
}
