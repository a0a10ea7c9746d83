package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * OpenAI's Batch API: the lines uploaded as a JSONL file ({@code POST /v1/files}, purpose {@code
 * batch}), a batch made of it ({@code POST /v1/batches}, {@code completion_window: 24h}), polled
 * ({@code GET /v1/batches/{id}}), its output and error files read ({@code GET
 * /v1/files/{id}/content}) and mapped back by {@code custom_id}.
 */
final class OpenAiBatches implements BatchApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final BatchHttp http;
  private final URI base;
  private final ApiStyle api;

  OpenAiBatches(BatchHttp http, URI base, ApiStyle api) {
    this.http = http;
    this.base = base;
    this.api = api;
  }

  @Override
  public String kind() {
    return "openai";
  }

  @Override
  public String endpoint(boolean likelihood) {
    return likelihood || api == ApiStyle.COMPLETIONS ? "/v1/completions" : "/v1/chat/completions";
  }

  /** The JSONL file of {@code lines}, as OpenAI's batch input format has it. */
  static byte[] file(String endpoint, List<Line> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Line line : lines) {
        ObjectNode request = MAPPER.createObjectNode();
        request.put("custom_id", line.customId());
        request.put("method", "POST");
        request.put("url", endpoint);
        request.set("body", line.body());
        out.write(MAPPER.writeValueAsBytes(request));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The bytes {@code line} adds to a batch input file. */
  static long bytes(String endpoint, Line line) {
    return file(endpoint, List.of(line)).length;
  }

  @Override
  public String create(String endpoint, List<Line> lines, Map<String, String> metadata) {
    String boundary = "leadline-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"leadline-batch.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    // The input file is written to disk line by line and streamed from there: it may be 200 MB.
    java.nio.file.Path input = null;
    JsonNode file;
    try {
      input = java.nio.file.Files.createTempFile("leadline-batch-", ".jsonl");
      try (java.io.OutputStream out =
          new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(input))) {
        for (Line line : lines) {
          out.write(file(endpoint, List.of(line)));
        }
      }
      file =
          http.postFile(
              Endpoints.resolve(base, "files"),
              head,
              input,
              tail,
              "multipart/form-data; boundary=" + boundary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (input != null) {
        try {
          java.nio.file.Files.deleteIfExists(input);
        } catch (IOException e) {
          // A temporary file left behind is harmless.
        }
      }
    }
    String fileId = text(file, "id", Endpoints.resolve(base, "files"));
    ObjectNode batch = MAPPER.createObjectNode();
    batch.put("input_file_id", fileId);
    batch.put("endpoint", endpoint);
    batch.put("completion_window", "24h");
    ObjectNode meta = batch.putObject("metadata");
    metadata.forEach(meta::put);
    URI batches = Endpoints.resolve(base, "batches");
    return text(http.postJson(batches, batch), "id", batches);
  }

  @Override
  public Optional<String> find(Map<String, String> metadata) {
    URI list = URI.create(Endpoints.resolve(base, "batches") + "?limit=100");
    JsonNode page = http.getJson(list);
    for (JsonNode batch : page.path("data")) {
      boolean matches = true;
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        matches &=
            entry.getValue().equals(batch.path("metadata").path(entry.getKey()).asText(null));
      }
      if (matches && batch.path("id").isTextual()) {
        return Optional.of(batch.get("id").asText());
      }
    }
    return Optional.empty();
  }

  @Override
  public long lineBytes(String endpoint, Line line) {
    return bytes(endpoint, line);
  }

  @Override
  public Status status(String id) {
    URI uri = Endpoints.resolve(base, "batches/" + id);
    JsonNode batch = http.getJson(uri);
    String state = text(batch, "status", uri);
    boolean ended =
        switch (state) {
          case "completed", "failed", "expired", "cancelled" -> true;
          case "validating", "in_progress", "finalizing", "cancelling" -> false;
          default -> throw http.fail(uri, 0, "unknown batch status '" + state + "'");
        };
    JsonNode counts = batch.path("request_counts");
    StringBuilder problem = new StringBuilder();
    for (JsonNode error : batch.path("errors").path("data")) {
      if (problem.length() > 0) {
        problem.append("; ");
      }
      problem.append(error.path("message").asText(error.path("code").asText("")));
      if (error.path("line").isIntegralNumber()) {
        problem.append(" (line ").append(error.get("line").asLong()).append(')');
      }
    }
    return new Status(
        id,
        state,
        ended,
        counts.path("total").asLong(0),
        counts.path("completed").asLong(0),
        counts.path("failed").asLong(0),
        optionalText(batch, "output_file_id"),
        optionalText(batch, "error_file_id"),
        Optional.empty(),
        problem.toString());
  }

  @Override
  public void results(Status status, java.util.function.Consumer<LineResult> sink) {
    for (Optional<String> file : List.of(status.outputFile(), status.errorFile())) {
      if (file.isEmpty()) {
        continue;
      }
      URI uri = Endpoints.resolve(base, "files/" + file.get() + "/content");
      http.lines(uri, text -> sink.accept(line(text, uri)));
    }
  }

  private LineResult line(String text, URI uri) {
    JsonNode line;
    try {
      line = MAPPER.readTree(text);
    } catch (IOException e) {
      throw http.fail(uri, 0, "a line of the batch's results is not JSON");
    }
    String customId = text(line, "custom_id", uri);
    JsonNode response = line.path("response");
    if (response.isObject() && response.path("status_code").isIntegralNumber()) {
      return new LineResult(
          customId,
          response.get("status_code").asInt(),
          response.path("body"),
          "",
          http.simulated());
    }
    JsonNode error = line.path("error");
    return new LineResult(
        customId,
        0,
        null,
        error.path("code").asText("error") + ": " + error.path("message").asText("no answer"));
  }

  @Override
  public void cancel(String id) {
    http.postJson(Endpoints.resolve(base, "batches/" + id + "/cancel"), MAPPER.createObjectNode());
  }

  private String text(JsonNode node, String field, URI uri) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw http.fail(uri, 0, "the answer has no '" + field + "'");
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty()
        ? Optional.of(value.asText())
        : Optional.empty();
  }
}
