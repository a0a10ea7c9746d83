package io.leadline.models;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadline.api.ChatWrapping;
import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelClient;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LlamaEngine} behind OpenAI's API ({@code /v1/completions}, {@code /v1/chat/completions},
 * {@code /v1/models}), so that other tools can be pointed at the model Leadline measured. Each
 * request is answered as a sweep's {@code llama-cpp} client answers it: the same text for the same
 * prompt and sampling. A base model has no chat template: a chat request's messages are its prompt,
 * their contents joined by blank lines. A prompt the context cannot hold is refused with HTTP 400
 * in llama.cpp's server's shape ({@code exceed_context_size_error}, {@code n_prompt_tokens}, {@code
 * n_ctx}).
 */
public final class LlamaServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** OpenAI's default {@code max_tokens} for legacy completions. */
  private static final int DEFAULT_MAX_TOKENS = 16;

  private final String model;
  private final LlamaEngine engine;
  private final ModelClient client;
  private final HttpServer server;
  private final ExecutorService threads;
  private final AtomicLong ids = new AtomicLong();

  private LlamaServer(String model, LlamaEngine engine, HttpServer server) {
    this.model = model;
    this.engine = engine;
    this.server = server;
    this.client = new LlamaClient(spec(model, engine), engine, Budget.unlimited());
    this.threads =
        Executors.newFixedThreadPool(
            Math.max(2, engine.slots() * 2),
            runnable -> {
              Thread thread = new Thread(runnable, "leadline-serve");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(threads);
    server.createContext("/v1/models", this::models);
    server.createContext("/v1/completions", exchange -> complete(exchange, false));
    server.createContext("/v1/chat/completions", exchange -> complete(exchange, true));
  }

  /**
   * Serves {@code engine} as the model {@code model} on {@code host}:{@code port} (0 for a free
   * port) until closed.
   *
   * @throws LeadlineException if the port cannot be bound
   */
  public static LlamaServer start(String model, LlamaEngine engine, String host, int port) {
    requireNonNull(model, "model is null");
    requireNonNull(engine, "engine is null");
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 256);
      LlamaServer serving = new LlamaServer(model, engine, server);
      server.start();
      return serving;
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "--port: cannot listen on %s:%d (%s)", host, port, e.getMessage());
    }
  }

  /** The API root to put in a models file, e.g. {@code http://127.0.0.1:41234/v1}. */
  public URI baseUrl() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/v1");
  }

  /** The spec the sweep's client would have for this model, as far as answering goes. */
  private static ModelSpec spec(String model, LlamaEngine engine) {
    return ModelsFile.parse(
            "(serve)",
            "models:\n  - {name: served, provider: llama-cpp, model: "
                + JSON.valueToTree(model)
                + ", model_file: "
                + JSON.valueToTree(engine.local().modelFile())
                + "}\n")
        .model("served");
  }

  private void models(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        error(exchange, 405, "invalid_request_error", "use GET for /v1/models");
        return;
      }
      ObjectNode body = JSON.createObjectNode().put("object", "list");
      ObjectNode entry =
          body.putArray("data")
              .addObject()
              .put("id", model)
              .put("object", "model")
              .put("created", 0)
              .put("owned_by", "leadline");
      GgufFile file = engine.file();
      // The fields llama.cpp's server reports of its model.
      entry
          .putObject("meta")
          .put("n_params", file.parameters())
          .put("n_vocab", file.vocabulary())
          .put("n_ctx_train", file.trainedContext())
          .put("n_ctx", engine.contextSize())
          .put("sha256", file.sha256());
      send(exchange, 200, body);
    }
  }

  private void complete(HttpExchange exchange, boolean chat) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        error(exchange, 405, "invalid_request_error", "use POST");
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = JSON.readTree(in);
      } catch (IOException e) {
        error(exchange, 400, "invalid_request_error", "the body is not JSON");
        return;
      }
      CompletionRequest request;
      try {
        request = request(body, chat);
      } catch (IllegalArgumentException e) {
        error(exchange, 400, "invalid_request_error", e.getMessage());
        return;
      }
      ModelResult result = client.complete(request);
      if (result instanceof ModelResult.Failed failed
          && failed.reason() != ModelResult.FailureReason.OUT_OF_CONTEXT) {
        error(exchange, 500, "server_error", failed.message());
        return;
      }
      if (result instanceof ModelResult.Failed failed) {
        int promptTokens = engine.promptTokens(request.prompt());
        ObjectNode error = JSON.createObjectNode();
        error
            .putObject("error")
            .put("code", 400)
            .put("message", failed.message())
            .put("type", "exceed_context_size_error")
            .put("n_prompt_tokens", promptTokens)
            .put("n_ctx", engine.contextSize());
        send(exchange, 400, error);
        return;
      }
      send(exchange, 200, answer(((ModelResult.Completed) result).completion(), chat));
    } catch (RuntimeException e) {
      error(exchange, 500, "server_error", String.valueOf(e.getMessage()));
    }
  }

  private static CompletionRequest request(JsonNode body, boolean chat) {
    if (!body.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String prompt;
    if (chat) {
      JsonNode messages = body.path("messages");
      if (!messages.isArray() || messages.isEmpty()) {
        throw new IllegalArgumentException("'messages' must be a non-empty list");
      }
      List<String> parts = new ArrayList<>();
      for (JsonNode message : messages) {
        if (!message.path("content").isTextual()) {
          throw new IllegalArgumentException("each message needs a text 'content'");
        }
        parts.add(message.path("content").asText());
      }
      prompt = String.join("\n\n", parts);
    } else {
      if (!body.path("prompt").isTextual()) {
        throw new IllegalArgumentException("'prompt' must be a string");
      }
      prompt = body.path("prompt").asText();
    }
    JsonNode limit =
        body.has("max_tokens") ? body.get("max_tokens") : body.path("max_completion_tokens");
    int maxTokens =
        limit.isMissingNode() || limit.isNull() ? DEFAULT_MAX_TOKENS : whole(limit, "max_tokens");
    double temperature =
        body.has("temperature") ? number(body.get("temperature"), "temperature") : 1.0;
    Optional<Double> topP =
        body.has("top_p") && !body.get("top_p").isNull()
            ? Optional.of(number(body.get("top_p"), "top_p"))
            : Optional.empty();
    int n = body.has("n") ? whole(body.get("n"), "n") : 1;
    OptionalLong seed =
        body.has("seed") && !body.get("seed").isNull()
            ? OptionalLong.of(body.get("seed").asLong())
            : OptionalLong.empty();
    List<String> stop = new ArrayList<>();
    JsonNode stops = body.path("stop");
    if (stops.isTextual()) {
      stop.add(stops.asText());
    } else if (stops.isArray()) {
      stops.forEach(s -> stop.add(s.asText()));
    }
    stop.removeIf(String::isEmpty);
    return new CompletionRequest(
        prompt, ChatWrapping.NONE, new Sampling(temperature, topP, maxTokens, stop, n, seed));
  }

  private static int whole(JsonNode node, String field) {
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be a whole number");
    }
    return node.asInt();
  }

  private static double number(JsonNode node, String field) {
    if (!node.isNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be a number");
    }
    return node.asDouble();
  }

  private ObjectNode answer(Completion completion, boolean chat) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("id", (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet())
            .put("object", chat ? "chat.completion" : "text_completion")
            .put("created", 0)
            .put("model", model)
            .put("system_fingerprint", completion.systemFingerprint());
    ArrayNode choices = body.putArray("choices");
    for (int i = 0; i < completion.choices().size(); i++) {
      Choice choice = completion.choices().get(i);
      ObjectNode entry = choices.addObject().put("index", i);
      if (chat) {
        entry.putObject("message").put("role", "assistant").put("content", choice.text());
      } else {
        entry.put("text", choice.text()).putNull("logprobs");
      }
      entry.put("finish_reason", choice.finishReason());
    }
    body.putObject("usage")
        .put("prompt_tokens", completion.usage().promptTokens())
        .put("completion_tokens", completion.usage().completionTokens())
        .put("total_tokens", completion.usage().totalTokens());
    return body;
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", status).put("message", message).put("type", type);
    send(exchange, status, body);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
