package io.leadline.api;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a server asked its client to wait, read from the headers servers actually send: {@code
 * Retry-After} (seconds or an HTTP date), {@code retry-after-ms}, the IETF {@code RateLimit} field
 * ({@code t=}), OpenAI's {@code x-ratelimit-reset-requests|tokens} ({@code 6m0s}, {@code 20ms}) and
 * Anthropic's {@code anthropic-ratelimit-*-reset} (an RFC 3339 time).
 */
public final class RetryAfter {
  private static final Pattern IETF_RESET = Pattern.compile("(?:^|[;,])\\s*t=(\\d+)");
  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  private RetryAfter() {}

  /**
   * The wait the headers ask for, measured from {@code now}; empty when they ask for none. An
   * explicit {@code Retry-After} (or {@code retry-after-ms}) wins; otherwise the reset time of an
   * exhausted rate-limit window, or the earliest reset when none says it is exhausted.
   */
  public static Optional<Duration> from(HttpHeaders headers, Instant now) {
    Optional<Duration> millis =
        headers.firstValue("retry-after-ms").flatMap(value -> parseDecimal(value, 1));
    if (millis.isPresent()) {
      return millis;
    }
    Optional<String> retryAfter = headers.firstValue("Retry-After");
    if (retryAfter.isPresent()) {
      Optional<Duration> seconds = parseDecimal(retryAfter.get(), 1000);
      return seconds.isPresent() ? seconds : httpDate(retryAfter.get(), now);
    }
    Optional<Duration> ietf =
        headers
            .firstValue("RateLimit")
            .map(IETF_RESET::matcher)
            .filter(Matcher::find)
            .map(matcher -> Duration.ofSeconds(Long.parseLong(matcher.group(1))));
    if (ietf.isPresent()) {
      return ietf;
    }
    List<Duration> exhausted = new ArrayList<>();
    List<Duration> all = new ArrayList<>();
    for (String window : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
      Optional<Duration> reset =
          headers
              .firstValue("x-ratelimit-reset-" + window)
              .flatMap(RetryAfter::goDuration)
              .or(
                  () ->
                      headers
                          .firstValue("anthropic-ratelimit-" + window + "-reset")
                          .flatMap(value -> instant(value, now)));
      if (reset.isEmpty()) {
        continue;
      }
      all.add(reset.get());
      boolean empty =
          headers.firstValue("x-ratelimit-remaining-" + window).map("0"::equals).orElse(false)
              || headers
                  .firstValue("anthropic-ratelimit-" + window + "-remaining")
                  .map("0"::equals)
                  .orElse(false);
      if (empty) {
        exhausted.add(reset.get());
      }
    }
    if (!exhausted.isEmpty()) {
      return exhausted.stream().max(Duration::compareTo);
    }
    return all.stream().min(Duration::compareTo);
  }

  private static Optional<Duration> parseDecimal(String value, long millisPerUnit) {
    try {
      double amount = Double.parseDouble(value.strip());
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis((long) Math.ceil(amount * millisPerUnit)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> httpDate(String value, Instant now) {
    try {
      Instant when =
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(nonNegative(Duration.between(now, when)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> instant(String value, Instant now) {
    try {
      return Optional.of(nonNegative(Duration.between(now, Instant.parse(value.strip()))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Go's duration syntax as OpenAI writes it: {@code 1s}, {@code 6m0s}, {@code 20ms}. */
  static Optional<Duration> goDuration(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = GO_DURATION_PART.matcher(text);
    double millis = 0;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        return Optional.empty();
      }
      double amount = Double.parseDouble(matcher.group(1));
      millis +=
          switch (matcher.group(2)) {
            case "h" -> amount * 3_600_000;
            case "m" -> amount * 60_000;
            case "s" -> amount * 1_000;
            default -> amount;
          };
      end = matcher.end();
    }
    if (end == 0 || end != text.length()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis((long) Math.ceil(millis)));
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
