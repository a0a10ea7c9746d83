package io.leadline.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Plain HTTP against a {@link SimServer}, as the providers' own clients send it. */
final class SimHttp {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final SimServer server;
  private final List<String> headers;

  private SimHttp(SimServer server, List<String> headers) {
    this.server = server;
    this.headers = List.copyOf(headers);
  }

  /** OpenAI's headers, with a Bearer key if {@code key} is not null. */
  static SimHttp openAi(SimServer server, String key) {
    return new SimHttp(server, key == null ? List.of() : List.of("Authorization", "Bearer " + key));
  }

  /** Anthropic's headers ({@code anthropic-version}), with {@code x-api-key} if not null. */
  static SimHttp anthropic(SimServer server, String key) {
    List<String> headers = new ArrayList<>(List.of("anthropic-version", "2023-06-01"));
    if (key != null) {
      headers.addAll(List.of("x-api-key", key));
    }
    return new SimHttp(server, headers);
  }

  /** Under the server's {@code /v1}, e.g. {@code /batches}. */
  HttpResponse<String> send(String method, String path, byte[] body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> post(String path, String json) {
    return send("POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  HttpResponse<String> post(String path, JsonNode json) {
    return send("POST", path, bytes(json), "application/json");
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null, null);
  }

  /** {@code POST /files} as multipart/form-data, as OpenAI's SDKs upload a batch file. */
  HttpResponse<String> upload(String purpose, String filename, byte[] content) {
    String boundary = "----leadline-test-boundary";
    StringBuilder head = new StringBuilder();
    head.append("--").append(boundary).append("\r\n");
    head.append("Content-Disposition: form-data; name=\"purpose\"\r\n\r\n");
    head.append(purpose).append("\r\n");
    head.append("--").append(boundary).append("\r\n");
    head.append("Content-Disposition: form-data; name=\"file\"; filename=\"")
        .append(filename)
        .append("\"\r\n");
    head.append("Content-Type: application/octet-stream\r\n\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[start.length + content.length + end.length];
    System.arraycopy(start, 0, body, 0, start.length);
    System.arraycopy(content, 0, body, start.length, content.length);
    System.arraycopy(end, 0, body, start.length + content.length, end.length);
    return send("POST", "/files", body, "multipart/form-data; boundary=" + boundary);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  static List<JsonNode> jsonLines(String text) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        try {
          lines.add(MAPPER.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
      }
    }
    return lines;
  }

  static byte[] bytes(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
