package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on 127.0.0.1 that behaves as the recorded llama-server did ({@code
 * src/test/resources/llama-server/}, see its README): {@code GET /v1/models} with its {@code meta},
 * {@code POST /tokenize}, and {@code /v1/completions} and {@code /v1/chat/completions} answered in
 * the recorded shapes ({@code system_fingerprint}, {@code usage}, {@code timings}) with the
 * recorded greedy story as the text. Like that server it has two slots, so {@code n} above 2 is
 * HTTP 400 with the recorded body, and a prompt of at least a slot's context in tokens is HTTP 400
 * {@code exceed_context_size_error} with {@code n_prompt_tokens} and {@code n_ctx}.
 *
 * <p>Its tokenizer is deterministic, not the model's: a piece is at most two non-space characters,
 * with the whitespace before it; {@code add_special} (and every completion) adds a BOS token.
 */
public final class LlamaServerReplay implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PIECE = Pattern.compile("\\s*[^\\s]{1,2}|\\s+");
  private static final int SLOTS = 2;

  /** One completion request as received: its endpoint, the {@code n} it asked and its status. */
  public record Seen(String path, int n, int status) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final int context;
  private final Map<String, String> fixtures = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final AtomicInteger tokenizeCalls = new AtomicInteger();

  private LlamaServerReplay(int context) throws IOException {
    this.context = context;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The server as recorded: slots of 2048 tokens. */
  public static LlamaServerReplay start() throws IOException {
    return start(2048);
  }

  /** The server with slots of {@code context} tokens ({@code -c} twice that, {@code -np 2}). */
  public static LlamaServerReplay start(int context) throws IOException {
    return new LlamaServerReplay(context);
  }

  /** The API root, as a models file's {@code base_url} names it. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The completion requests received so far, in arrival order. */
  public List<Seen> seen() {
    return new ArrayList<>(seen);
  }

  /** How many {@code /tokenize} requests it answered. */
  public int tokenizeCalls() {
    return tokenizeCalls.get();
  }

  /** The recorded body {@code name} ({@code completions_greedy.json}, …). */
  public static String fixture(String name) {
    try (InputStream in = LlamaServerReplay.class.getResourceAsStream("/llama-server/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pieces this server's tokenizer cuts {@code text} into (no BOS). */
  public static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher matcher = PIECE.matcher(text);
    while (matcher.find()) {
      pieces.add(matcher.group());
    }
    return pieces;
  }

  private JsonNode recorded(String name) throws IOException {
    return MAPPER.readTree(fixtures.computeIfAbsent(name, LlamaServerReplay::fixture));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestMethod().equals("GET") && path.equals("/v1/models")) {
        ObjectNode models = (ObjectNode) recorded("models.json");
        ((ObjectNode) models.path("data").path(0).path("meta")).put("n_ctx", context);
        send(exchange, 200, models.toString());
      } else if (path.equals("/tokenize")) {
        tokenizeCalls.incrementAndGet();
        JsonNode request = MAPPER.readTree(body);
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode tokens = answer.putArray("tokens");
        if (request.path("add_special").asBoolean(false)) {
          tokens.add(1);
        }
        for (String piece : pieces(request.path("content").asText(""))) {
          tokens.add(3 + Math.floorMod(piece.hashCode(), 509));
        }
        send(exchange, 200, answer.toString());
      } else if (path.equals("/v1/completions") || path.equals("/v1/chat/completions")) {
        complete(exchange, path, MAPPER.readTree(body));
      } else {
        send(
            exchange,
            404,
            "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}");
      }
    }
  }

  private void complete(HttpExchange exchange, String path, JsonNode request) throws IOException {
    boolean chat = path.endsWith("/chat/completions");
    int n = request.path("n").asInt(1);
    if (n > SLOTS) {
      seen.add(new Seen(path, n, 400));
      String refusal = fixture(chat ? "chat_n3.json" : "completions_n3.json");
      send(exchange, 400, refusal.replace("but got 3", "but got " + n));
      return;
    }
    int prompt = 1;
    if (chat) {
      // A template token before each message and one to start the answer.
      for (JsonNode message : request.path("messages")) {
        prompt += 1 + pieces(message.path("content").asText("")).size();
      }
      prompt += 1;
    } else {
      prompt += pieces(request.path("prompt").asText("")).size();
    }
    if (prompt >= context) {
      seen.add(new Seen(path, n, 400));
      ObjectNode error = MAPPER.createObjectNode();
      error
          .putObject("error")
          .put("code", 400)
          .put(
              "message",
              String.format(
                  "request (%d tokens) exceeds the available context size (%d tokens), try"
                      + " increasing it",
                  prompt, context))
          .put("type", "exceed_context_size_error")
          .put("n_prompt_tokens", prompt)
          .put("n_ctx", context);
      send(exchange, 400, error.toString());
      return;
    }
    seen.add(new Seen(path, n, 200));
    ObjectNode answer =
        (ObjectNode) recorded(chat ? "chat_greedy.json" : "completions_greedy.json");
    String story = recorded("completions_eos.json").path("choices").path(0).path("text").asText();
    List<String> storyPieces = pieces(story);
    int maxTokens = request.path("max_tokens").asInt(16);
    List<String> stops = new ArrayList<>();
    request.path("stop").forEach(stop -> stops.add(stop.asText()));
    ArrayNode choices = MAPPER.createArrayNode();
    long completionTokens = 0;
    for (int index = 0; index < n; index++) {
      // Each choice starts further into the story, as sampled choices differ.
      int start = Math.min(storyPieces.size() - 1, index * 7);
      int end = Math.min(storyPieces.size(), start + maxTokens);
      String text = String.join("", storyPieces.subList(start, end));
      String finish = "length";
      for (String stop : stops) {
        int at = text.indexOf(stop);
        if (at >= 0) {
          text = text.substring(0, at);
          finish = "stop";
        }
      }
      int tokens = finish.equals("stop") ? pieces(text).size() + 1 : end - start;
      completionTokens += tokens;
      ObjectNode choice = choices.addObject();
      if (chat) {
        choice.put("finish_reason", finish).put("index", index);
        choice.putObject("message").put("role", "assistant").put("content", text);
      } else {
        choice.put("text", text).put("index", index).putNull("logprobs");
        choice.put("finish_reason", finish);
      }
    }
    answer.set("choices", choices);
    ObjectNode usage = (ObjectNode) answer.path("usage");
    usage.put("completion_tokens", completionTokens);
    usage.put("prompt_tokens", prompt);
    usage.put("total_tokens", prompt + completionTokens);
    ObjectNode timings = (ObjectNode) answer.path("timings");
    timings.put("prompt_n", prompt).put("predicted_n", completionTokens);
    send(exchange, 200, answer.toString());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
