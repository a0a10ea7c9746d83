package io.leadline.api;

import static org.testng.Assert.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @DataProvider
  public Object[][] headers() {
    return new Object[][] {
      {Map.of(), null},
      {Map.of("Retry-After", "3"), Duration.ofSeconds(3)},
      {Map.of("Retry-After", "0.5"), Duration.ofMillis(500)},
      {Map.of("Retry-After", "Sat, 21 Nov 2026 10:00:07 GMT"), Duration.ofSeconds(7)},
      {Map.of("Retry-After", "Sat, 21 Nov 2026 09:59:00 GMT"), Duration.ZERO},
      {Map.of("Retry-After", "soon"), null},
      {Map.of("retry-after-ms", "250", "Retry-After", "1"), Duration.ofMillis(250)},
      {Map.of("RateLimit", "limit=10, remaining=0, reset=3"), null},
      {Map.of("RateLimit", "\"default\";r=0;t=4"), Duration.ofSeconds(4)},
      {
        Map.of(
            "x-ratelimit-remaining-requests", "0",
            "x-ratelimit-reset-requests", "1m30s",
            "x-ratelimit-remaining-tokens", "500",
            "x-ratelimit-reset-tokens", "20ms"),
        Duration.ofSeconds(90)
      },
      {
        Map.of("x-ratelimit-reset-requests", "2s", "x-ratelimit-reset-tokens", "6m0s"),
        Duration.ofSeconds(2)
      },
      {Map.of("x-ratelimit-reset-tokens", "1h2m3.5s"), Duration.ofMillis(3_723_500)},
      {Map.of("x-ratelimit-reset-tokens", "later"), null},
      {
        Map.of(
            "anthropic-ratelimit-requests-remaining", "0",
            "anthropic-ratelimit-requests-reset", "2026-11-21T10:00:12Z"),
        Duration.ofSeconds(12)
      },
    };
  }

  @Test(dataProvider = "headers")
  public void readsTheWaitServersAskFor(Map<String, String> values, Duration expected) {
    HttpHeaders headers =
        HttpHeaders.of(
            values.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> List.of(e.getValue()))),
            (a, b) -> true);
    assertEquals(RetryAfter.from(headers, NOW), Optional.ofNullable(expected));
  }
}
