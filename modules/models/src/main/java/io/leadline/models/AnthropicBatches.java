package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Message Batches: the requests posted to {@code /v1/messages/batches} as {@code
 * {custom_id, params}}, polled until {@code processing_status} is {@code ended}, and the JSONL at
 * its {@code results_url} mapped back by {@code custom_id}.
 */
final class AnthropicBatches implements BatchApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final BatchHttp http;
  private final URI base;

  AnthropicBatches(BatchHttp http, URI base) {
    this.http = http;
    this.base = base;
  }

  @Override
  public String kind() {
    return "anthropic";
  }

  @Override
  public String endpoint(boolean likelihood) {
    return "/v1/messages";
  }

  /** The create request's body for {@code lines}. */
  static ObjectNode body(List<Line> lines) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode requests = body.putArray("requests");
    for (Line line : lines) {
      requests.addObject().put("custom_id", line.customId()).set("params", line.body());
    }
    return body;
  }

  /** The bytes {@code line} adds to a create request. */
  static long bytes(Line line) {
    try {
      return MAPPER.writeValueAsBytes(body(List.of(line))).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String create(String endpoint, List<Line> lines, Map<String, String> metadata) {
    URI uri = Endpoints.resolve(base, "messages/batches");
    JsonNode batch = http.postJson(uri, body(lines));
    JsonNode id = batch.path("id");
    if (!id.isTextual() || id.asText().isEmpty()) {
      throw http.fail(uri, 0, "the answer has no 'id'");
    }
    return id.asText();
  }

  @Override
  public long lineBytes(String endpoint, Line line) {
    return bytes(line);
  }

  @Override
  public Status status(String id) {
    URI uri = Endpoints.resolve(base, "messages/batches/" + id);
    JsonNode batch = http.getJson(uri);
    String state = batch.path("processing_status").asText("");
    boolean ended =
        switch (state) {
          case "ended" -> true;
          case "in_progress", "canceling" -> false;
          default -> throw http.fail(uri, 0, "unknown processing_status '" + state + "'");
        };
    JsonNode counts = batch.path("request_counts");
    long succeeded = counts.path("succeeded").asLong(0);
    long failed =
        counts.path("errored").asLong(0)
            + counts.path("canceled").asLong(0)
            + counts.path("expired").asLong(0);
    JsonNode results = batch.path("results_url");
    return new Status(
        id,
        state,
        ended,
        succeeded + failed + counts.path("processing").asLong(0),
        succeeded,
        failed,
        Optional.empty(),
        Optional.empty(),
        results.isTextual() ? Optional.of(results.asText()) : Optional.empty(),
        "");
  }

  @Override
  public void results(Status status, java.util.function.Consumer<LineResult> sink) {
    if (status.resultsUrl().isEmpty()) {
      return;
    }
    URI uri = URI.create(status.resultsUrl().get());
    http.lines(uri, text -> sink.accept(line(text, uri)));
  }

  private LineResult line(String text, URI uri) {
    JsonNode line;
    try {
      line = MAPPER.readTree(text);
    } catch (IOException e) {
      throw http.fail(uri, 0, "a line of the batch's results is not JSON");
    }
    JsonNode customId = line.path("custom_id");
    if (!customId.isTextual()) {
      throw http.fail(uri, 0, "a line of the batch's results has no custom_id");
    }
    JsonNode result = line.path("result");
    String type = result.path("type").asText("");
    return switch (type) {
      case "succeeded" ->
          new LineResult(customId.asText(), 200, result.path("message"), "", http.simulated());
      case "errored" -> {
        JsonNode error = result.path("error").path("error");
        String kind = error.path("type").asText("error");
        // The body a request of its own would have had, so its status decides as there.
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", "error");
        body.set("error", error);
        yield new LineResult(
            customId.asText(),
            switch (kind) {
              case "invalid_request_error" -> 400;
              case "not_found_error" -> 404;
              case "authentication_error" -> 401;
              case "permission_error" -> 403;
              default -> 500;
            },
            body,
            "");
      }
      case "expired", "canceled" ->
          new LineResult(customId.asText(), 0, null, type + ": the batch ended first");
      default -> throw http.fail(uri, 0, "unknown result type '" + type + "'");
    };
  }

  @Override
  public void cancel(String id) {
    http.postJson(
        Endpoints.resolve(base, "messages/batches/" + id + "/cancel"), MAPPER.createObjectNode());
  }
}
