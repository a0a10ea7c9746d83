package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import com.google.common.hash.Hashing;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code leadline serve-sim}: an OpenAI-compatible HTTP server ({@code /v1/chat/completions},
 * {@code /v1/completions}, {@code /v1/models}) that plays a {@link SimProfile} over a {@link
 * SimAnswerKey}. Everything it sends says it is simulated: the {@code X-Leadline-Simulated} header,
 * {@code "simulated": true} in the body and a {@code sim-} system fingerprint.
 *
 * <p>Faults are drawn per (request body, attempt), so the same request fails the same way on the
 * same attempt in every run, and a retry can pass.
 *
 * <p>{@code /v1/completions} with {@code logprobs} (0 to 5) answers in OpenAI's legacy shape, by
 * the simulator's own tokenizer, and honours {@code echo} as the profile's {@link SimProfile.Echo}
 * says; a prompt that ends with an option of a multiple-choice item is scored as {@link
 * #likelihoodRight(String)} says (log-likelihood scoring). A request without {@code logprobs} is
 * answered as before, {@code echo} or not.
 *
 * <p>It also speaks Anthropic's Messages API ({@code /v1/messages}, the chat route's answers in
 * Anthropic's shape) and both providers' batch APIs ({@link SimBatches}): a batch line is answered
 * exactly as the synchronous route answers the same body, without faults or latency.
 */
public final class SimServer implements AutoCloseable {
  // Schubfach's shortest digits: a response of log-probabilities is mostly doubles.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  private static final int MAX_N = 128;
  private static final int MAX_LOGPROBS = 5;

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY each small response
    // waits out the client's delayed ACK (~40 ms). Read once, when the first server is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final SimProfile profile;
  // Made at the first request: a sweep whose answers all come from its store never needs them.
  private final Supplier<SimResponder> responder;
  private final Supplier<SimLikelihood> likelihood;
  private final Optional<String> requiredKey;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> fieldsReceived = new ConcurrentHashMap<>();
  private final SimBatches batches;

  private SimServer(
      SimProfile profile,
      Supplier<SimAnswerKey> key,
      Optional<String> requiredKey,
      HttpServer server) {
    this.profile = profile;
    this.responder = Suppliers.memoize(() -> new SimResponder(profile, key.get()));
    this.likelihood = Suppliers.memoize(() -> new SimLikelihood(profile, key.get()));
    this.requiredKey = requiredKey;
    this.server = server;
    this.executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "serve-sim");
              thread.setDaemon(true);
              return thread;
            });
    this.batches = new SimBatches(this, profile);
    server.setExecutor(executor);
    server.createContext("/v1/", this::handle);
  }

  /**
   * Starts a server on {@code host}:{@code port} (port 0 picks a free one).
   *
   * @param requiredKey if present, requests must carry {@code Authorization: Bearer <key>}
   *     (OpenAI's routes) or {@code x-api-key: <key>} (Anthropic's)
   * @throws LeadlineException if the port cannot be bound
   */
  public static SimServer start(
      SimProfile profile, SimAnswerKey key, String host, int port, Optional<String> requiredKey) {
    requireNonNull(key, "key is null");
    return start(profile, () -> key, host, port, requiredKey);
  }

  /**
   * As {@link #start(SimProfile, SimAnswerKey, String, int, Optional)}, with the key made (once)
   * when the first request needs it.
   */
  public static SimServer start(
      SimProfile profile,
      Supplier<SimAnswerKey> key,
      String host,
      int port,
      Optional<String> requiredKey) {
    requireNonNull(profile, "profile is null");
    requireNonNull(key, "key is null");
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
      SimServer sim = new SimServer(profile, key, requiredKey, server);
      server.start();
      return sim;
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

  public SimProfile profile() {
    return profile;
  }

  /**
   * Whether this server's profile makes the gold option the likeliest continuation of {@code
   * context}, a multiple-choice prompt without any option after it (as a log-likelihood scorer
   * sends it with each option appended); empty if the answer key knows no multiple-choice item
   * there.
   */
  public Optional<Boolean> likelihoodRight(String context) {
    return likelihood.get().right(requireNonNull(context, "context is null"));
  }

  /**
   * Whether {@code profile} makes the gold option the likeliest continuation of {@code context}
   * over {@code key}, as a server of that profile and key answers; see {@link
   * #likelihoodRight(String)}.
   */
  public static Optional<Boolean> likelihoodRight(
      SimProfile profile, SimAnswerKey key, String context) {
    requireNonNull(context, "context is null");
    return new SimLikelihood(profile, key).right(context);
  }

  /** Requests received so far, faults included. */
  public long requests() {
    return requests.get();
  }

  /** The most requests that were being handled at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * How many request bodies each route received with each top-level field, keyed {@code "<path>
   * <field>=<value>"} (the value as JSON; for {@code messages}, {@code prompt} and {@code system}
   * only {@code "<path> <field>"}), sorted: what clients sent, to check what they carry and omit.
   */
  public java.util.SortedMap<String, Long> fieldsReceived() {
    java.util.SortedMap<String, Long> fields = new java.util.TreeMap<>();
    fieldsReceived.forEach((field, count) -> fields.put(field, count.get()));
    return fields;
  }

  /**
   * What a reasoning profile answers a chat prompt at {@code temperature} (sample 0, as a request
   * without a seed): the whole reasoning, the answer after it (as the profile without reasoning
   * answers), and whether the reasoning never ends (then no answer comes, whatever the token
   * limit); empty for a profile that does not reason. A request that sends no temperature (as
   * reasoning models are asked) is answered at 1.
   */
  public static Optional<Reasoned> reasoned(
      SimProfile profile, SimAnswerKey key, String prompt, double temperature) {
    SimResponder.Reply reply =
        new SimResponder(profile, key)
            .reply(requireNonNull(prompt, "prompt is null"), true, 0, temperature);
    return reply
        .thought()
        .map(thought -> new Reasoned(thought.reasoning(), reply.answer(), thought.endless()));
  }

  /** A reasoning profile's reasoning and answer; see {@link #reasoned}. */
  public record Reasoned(String reasoning, String answer, boolean endless) {}

  /** The two batch APIs the simulator serves. */
  public enum BatchApi {
    /** {@code /v1/files} and {@code /v1/batches}. */
    OPENAI,
    /** {@code /v1/messages/batches}. */
    ANTHROPIC
  }

  /** Batches {@code api} has accepted so far, those that fail validation included. */
  public long batchesCreated(BatchApi api) {
    return batches.created(requireNonNull(api, "api is null"));
  }

  /**
   * How many times each custom_id arrived in a batch line (of either API; lines of an OpenAI batch
   * that failed validation not counted), sorted by custom_id: a client that submits no line twice
   * sees only 1s.
   */
  public java.util.SortedMap<String, Integer> batchLinesByCustomId() {
    return batches.linesByCustomId();
  }

  /**
   * How many times each request body arrived in a batch line, by the sha256 of the body as the
   * server re-serialises it (the digest that decides its answer), sorted by digest.
   */
  public java.util.SortedMap<String, Integer> batchLinesByDigest() {
    return batches.linesByDigest();
  }

  /**
   * The prompt tokens reported in successful answers so far ({@code usage.prompt_tokens} or
   * Anthropic's {@code input_tokens}), synchronous and batch alike; a batch's are counted once,
   * when it is first seen ended. Truncated (garbage-fault) answers are not counted.
   */
  public long promptTokensReported() {
    return promptTokens.get();
  }

  /**
   * The completion tokens reported in successful answers so far; as {@link #promptTokensReported}.
   */
  public long completionTokensReported() {
    return completionTokens.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrival = System.nanoTime();
    requests.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v1/models") && exchange.getRequestMethod().equals("GET")) {
        ObjectNode list = MAPPER.createObjectNode().put("object", "list");
        list.putArray("data")
            .addObject()
            .put("id", profile.snapshot())
            .put("object", "model")
            .put("owned_by", "leadline-sim");
        Reply.of(200, list).send(exchange);
        return;
      }
      Route route =
          switch (path) {
            case "/v1/chat/completions" -> Route.CHAT;
            case "/v1/completions" -> Route.COMPLETIONS;
            case "/v1/messages" -> Route.MESSAGES;
            default -> null;
          };
      if (route == null) {
        Optional<Reply> batchReply = batches.handle(exchange, path);
        if (batchReply.isPresent()) {
          batchReply.get().send(exchange);
          return;
        }
        Reply.of(404, error("Unknown path " + path, "invalid_request_error", "not_found"))
            .send(exchange);
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        Reply.of(405, route.error(405, "Use POST", null)).send(exchange);
        return;
      }
      Optional<Reply> refused = refuse(exchange, route == Route.MESSAGES);
      if (refused.isPresent()) {
        refused.get().send(exchange);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      countFields(path, body);
      String digest = Hashing.sha256().hashBytes(body).toString();
      int attempt = attempts.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
      Random random = new Random(SimResponder.unitSeed(profile.seed(), digest + "|" + attempt));
      // The latency is the whole response time: the answer is worked out within it.
      long due = arrival + latency(random).toNanos();
      Optional<Reply> fault = fault(body, digest, attempt, route);
      Reply reply = fault.orElseGet(() -> answer(body, digest, route));
      if (fault.isEmpty()) {
        reportUsage(reply);
      }
      sleep(Duration.ofNanos(due - System.nanoTime()));
      reply.send(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The routes that answer a model request, each with its provider's error shape. */
  enum Route {
    CHAT,
    COMPLETIONS,
    MESSAGES;

    /** An error body as this route's provider shapes it. */
    ObjectNode error(int status, String message, String code) {
      return this == MESSAGES
          ? SimMessages.error(SimMessages.errorType(status), message)
          : SimServer.error(
              message, status >= 500 ? "server_error" : "invalid_request_error", code);
    }
  }

  /**
   * Refuses a request without the key (when one is required), as {@code anthropic}'s or OpenAI's
   * API would; Anthropic's also needs {@code anthropic-version}.
   */
  Optional<Reply> refuse(HttpExchange exchange, boolean anthropic) {
    var headers = exchange.getRequestHeaders();
    if (anthropic) {
      if (requiredKey.isPresent() && !requiredKey.get().equals(headers.getFirst("x-api-key"))) {
        return Optional.of(
            Reply.of(401, SimMessages.error("authentication_error", "invalid x-api-key")));
      }
      if (headers.getFirst("anthropic-version") == null) {
        return Optional.of(
            Reply.of(
                400,
                SimMessages.error(
                    "invalid_request_error", "anthropic-version: header is required")));
      }
      return Optional.empty();
    }
    if (requiredKey.isPresent()
        && !("Bearer " + requiredKey.get()).equals(headers.getFirst("Authorization"))) {
      return Optional.of(
          Reply.of(
              401,
              error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key")));
    }
    return Optional.empty();
  }

  private void countFields(String path, byte[] body) {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      return;
    }
    if (json == null || !json.isObject()) {
      return;
    }
    json.fields()
        .forEachRemaining(
            field -> {
              String name = path + " " + field.getKey();
              String key =
                  Set.of("messages", "prompt", "system").contains(field.getKey())
                      ? name
                      : name + "=" + field.getValue();
              fieldsReceived.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            });
  }

  /** Adds a successful answer's usage to the tokens reported. */
  void reportUsage(Reply reply) {
    if (reply.status() != 200 || reply.truncated() || reply.body() == null) {
      return;
    }
    JsonNode usage = reply.body().path("usage");
    promptTokens.addAndGet(
        usage.has("input_tokens")
            ? usage.path("input_tokens").asLong()
            : usage.path("prompt_tokens").asLong());
    completionTokens.addAndGet(
        usage.has("output_tokens")
            ? usage.path("output_tokens").asLong()
            : usage.path("completion_tokens").asLong());
  }

  /**
   * A response ready to send: a JSON {@code body}, or {@code raw} bytes of {@code contentType}
   * (file contents, JSONL results); {@code truncated} sends only the first half of the body.
   */
  record Reply(
      int status,
      JsonNode body,
      byte[] raw,
      String contentType,
      Map<String, String> headers,
      boolean truncated) {
    Reply(int status, JsonNode body, Map<String, String> headers, boolean truncated) {
      this(status, body, null, "application/json", headers, truncated);
    }

    static Reply of(int status, JsonNode body) {
      return new Reply(status, body, Map.of(), false);
    }

    static Reply raw(int status, String contentType, byte[] raw) {
      return new Reply(status, null, raw, contentType, Map.of(), false);
    }

    void send(HttpExchange exchange) throws IOException {
      byte[] bytes = raw != null ? raw : MAPPER.writeValueAsBytes(body);
      if (truncated) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("X-Leadline-Simulated", "true");
      headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private Duration latency(Random random) {
    SimProfile.Latency latency = profile.latency();
    double factor = latency.sigma() == 0 ? 1 : Math.exp(latency.sigma() * random.nextGaussian());
    return Duration.ofNanos((long) (latency.median().toNanos() * factor));
  }

  private Optional<Reply> fault(byte[] body, String digest, int attempt, Route route) {
    SimProfile.Faults faults = profile.faults();
    double draw = SimResponder.unit(profile.seed(), "fault|" + digest + "|" + attempt);
    if ((draw -= faults.rateLimited()) < 0) {
      return Optional.of(
          new Reply(
              429,
              route == Route.MESSAGES
                  ? SimMessages.error("rate_limit_error", "Rate limit reached (simulated).")
                  : error(
                      "Rate limit reached (simulated).", "rate_limit_error", "rate_limit_exceeded"),
              Map.of("Retry-After", Long.toString(faults.retryAfterSeconds())),
              false));
    }
    if ((draw -= faults.serverError()) < 0) {
      return Optional.of(
          Reply.of(500, route.error(500, "The server had an error (simulated).", null)));
    }
    if ((draw -= faults.timeout()) < 0) {
      sleep(Duration.ofMillis((long) (faults.timeoutSeconds() * 1000)));
      return Optional.of(Reply.of(504, route.error(504, "Timed out (simulated).", null)));
    }
    if ((draw -= faults.garbage()) < 0) {
      Reply whole = answer(body, digest, route);
      return Optional.of(new Reply(200, whole.body(), Map.of(), true));
    }
    return Optional.empty();
  }

  /**
   * What {@code route} answers {@code body} (whose sha256 is {@code digest}), without faults or
   * latency: the one code path of synchronous requests and batch lines.
   */
  Reply answer(byte[] body, String digest, Route route) {
    JsonNode request;
    try {
      request = MAPPER.readTree(body);
    } catch (IOException e) {
      return Reply.of(
          400, route.error(400, "We could not parse the JSON body of your request.", null));
    }
    try {
      return Reply.of(
          200,
          route == Route.MESSAGES
              ? SimMessages.answer(request, digest, profile, responder.get())
              : completion(request, digest, route == Route.CHAT));
    } catch (BadRequest e) {
      return Reply.of(e.status, route.error(e.status, e.getMessage(), e.code));
    }
  }

  /** The server's ObjectMapper, which re-serialises batch lines as their digest is taken. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A request the simulator refuses, as OpenAI (or Anthropic) would. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    BadRequest(int status, String message, String code) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private ObjectNode completion(JsonNode request, String digest, boolean chat) {
    if (request == null || !request.isObject()) {
      throw new BadRequest(400, "The request body must be a JSON object.", null);
    }
    String model = request.path("model").asText("");
    if (!model.equals(profile.snapshot())) {
      throw new BadRequest(404, "The model `" + model + "` does not exist.", "model_not_found");
    }
    String prompt;
    if (chat) {
      JsonNode messages = request.path("messages");
      if (!messages.isArray() || messages.isEmpty()) {
        throw new BadRequest(400, "'messages' must be a non-empty array.", null);
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode message : messages) {
        if (!message.path("content").isTextual()) {
          throw new BadRequest(400, "Each message needs a string 'content'.", null);
        }
        if (message.path("role").asText().equals("user")) {
          text.append(message.get("content").asText());
        }
      }
      prompt = text.toString();
    } else {
      if (!request.path("prompt").isTextual()) {
        throw new BadRequest(400, "'prompt' must be a string.", null);
      }
      prompt = request.get("prompt").asText();
    }
    double temperature = request.path("temperature").asDouble(1.0);
    if (temperature < 0 || temperature > 2) {
      throw new BadRequest(400, "'temperature' must be in [0, 2].", null);
    }
    if (request.has("reasoning_effort")) {
      checkReasoningRequest(request, chat);
    }
    int n = request.path("n").asInt(1);
    if (n < 1 || n > MAX_N) {
      throw new BadRequest(400, "'n' must be in [1, " + MAX_N + "].", null);
    }
    JsonNode maxTokensNode =
        request.has("max_completion_tokens")
            ? request.get("max_completion_tokens")
            : request.path("max_tokens");
    long maxTokens =
        maxTokensNode.isIntegralNumber() ? maxTokensNode.asLong() : chat ? Long.MAX_VALUE : 16;
    List<String> stops = new ArrayList<>();
    JsonNode stop = request.path("stop");
    if (stop.isTextual()) {
      stops.add(stop.asText());
    } else if (stop.isArray()) {
      stop.forEach(s -> stops.add(s.asText()));
    }
    long firstSample = request.path("seed").asLong(0);
    JsonNode logprobs = request.path("logprobs");
    boolean scored = !chat && !logprobs.isMissingNode() && !logprobs.isNull();
    if (scored
        && !(logprobs.isIntegralNumber()
            && logprobs.asLong() >= 0
            && logprobs.asLong() <= MAX_LOGPROBS)) {
      throw new BadRequest(
          400, "'logprobs' must be an integer in [0, " + MAX_LOGPROBS + "].", null);
    }
    JsonNode echo = request.path("echo");
    if (scored && !echo.isMissingNode() && !echo.isNull() && !echo.isBoolean()) {
      throw new BadRequest(400, "'echo' must be a boolean.", null);
    }
    ObjectNode response = MAPPER.createObjectNode();
    response.put("id", (chat ? "chatcmpl-sim-" : "cmpl-sim-") + digest.substring(0, 24));
    response.put("object", chat ? "chat.completion" : "text_completion");
    response.put("created", 0);
    response.put("model", profile.snapshot());
    response.put("system_fingerprint", profile.fingerprint());
    response.put("simulated", true);
    ArrayNode choices = response.putArray("choices");
    if (scored) {
      scoredChoices(
          choices,
          response,
          prompt,
          new Scoring(
              logprobs.asInt(),
              echo.asBoolean(false),
              maxTokens,
              stops,
              firstSample,
              n,
              temperature));
      return response;
    }
    long completionTokens = 0;
    long reasoningTokens = 0;
    Optional<SimProfile.ReasoningShape> shape =
        chat ? profile.reasoning().map(SimProfile.Reasoning::chat) : Optional.empty();
    for (int i = 0; i < n; i++) {
      SimResponder.Reply reply =
          shape.isPresent()
              ? responder.get().reply(prompt, chat, firstSample + i, temperature)
              : new SimResponder.Reply(
                  Optional.empty(),
                  responder.get().respond(prompt, chat, firstSample + i, temperature));
      String text = reply.answer();
      String finish = "stop";
      for (String s : stops) {
        int at = text.indexOf(s);
        if (at >= 0) {
          text = text.substring(0, at);
        }
      }
      if (reply.thought().isPresent()) {
        SimThoughts.Generated generated =
            shape.get() == SimProfile.ReasoningShape.THINK
                ? SimThoughts.inline(reply.thought().get(), text, maxTokens)
                : SimThoughts.separate(reply.thought().get(), text, maxTokens);
        completionTokens += generated.tokens();
        ObjectNode message =
            choices.addObject().put("index", i).putObject("message").put("role", "assistant");
        if (generated.answer().isEmpty()) {
          // Cut off inside the reasoning: no content at all, as servers with a reasoning parser
          // send.
          message.putNull("content");
        } else {
          message.put("content", generated.answer());
        }
        switch (shape.get()) {
          case REASONING_CONTENT -> message.put("reasoning_content", generated.reasoning());
          case REASONING -> message.put("reasoning", generated.reasoning());
          case THINK, HIDDEN -> {
            // Inline in the content, or not returned at all.
          }
        }
        if (shape.get() != SimProfile.ReasoningShape.THINK) {
          reasoningTokens += generated.reasoningTokens();
        }
        ((ObjectNode) choices.get(i))
            .put("finish_reason", generated.truncated() ? "length" : "stop");
        continue;
      }
      long tokens = tokens(text);
      if (tokens > maxTokens) {
        text = text.substring(0, (int) Math.min(text.length(), maxTokens * 4));
        tokens = maxTokens;
        finish = "length";
      }
      completionTokens += tokens;
      ObjectNode choice = choices.addObject().put("index", i);
      if (chat) {
        choice.putObject("message").put("role", "assistant").put("content", text);
      } else {
        choice.put("text", text);
      }
      choice.put("finish_reason", finish);
    }
    long promptTokens = tokens(prompt);
    ObjectNode usage =
        response
            .putObject("usage")
            .put("prompt_tokens", promptTokens)
            .put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens);
    if (shape.isPresent() && shape.get() != SimProfile.ReasoningShape.THINK) {
      // Reasoning tokens are part of the completion tokens, as OpenAI counts and bills them.
      usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
    }
    return response;
  }

  /**
   * Refuses a request with {@code reasoning_effort} as OpenAI refuses it: to a model that does not
   * reason, with a value it does not know, or with what reasoning models do not take (a temperature
   * or top_p other than 1, stop sequences, {@code max_tokens}).
   */
  private void checkReasoningRequest(JsonNode request, boolean chat) {
    if (!chat || profile.reasoning().isEmpty()) {
      throw new BadRequest(
          400,
          "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
          "unsupported_parameter");
    }
    String effort = request.get("reasoning_effort").asText("");
    if (!List.of("minimal", "low", "medium", "high").contains(effort)) {
      throw new BadRequest(
          400,
          "Invalid value: '"
              + effort
              + "'. Supported values are: 'minimal', 'low', 'medium', and 'high'.",
          "invalid_value");
    }
    for (String field : List.of("temperature", "top_p")) {
      JsonNode value = request.path(field);
      if (!value.isMissingNode() && !value.isNull() && value.asDouble() != 1.0) {
        throw new BadRequest(
            400,
            "Unsupported value: '"
                + field
                + "' does not support "
                + value
                + " with this model. Only the default (1) value is supported.",
            "unsupported_value");
      }
    }
    if (request.has("stop")) {
      throw new BadRequest(
          400,
          "Unsupported parameter: 'stop' is not supported with this model.",
          "unsupported_parameter");
    }
    if (request.has("max_tokens")) {
      throw new BadRequest(
          400,
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use"
              + " 'max_completion_tokens' instead.",
          "unsupported_parameter");
    }
  }

  /** What a request with {@code logprobs} asks for. */
  private record Scoring(
      int top,
      boolean echo,
      long maxTokens,
      List<String> stops,
      long firstSample,
      int n,
      double temperature) {}

  /**
   * The choices and usage of a request with {@code logprobs}, counted in {@link SimTokenizer}
   * tokens. With {@code echo} (as the profile honours it) at most one token is generated, as a
   * log-likelihood scorer needs none; the first prompt token has {@code null} logprobs, as OpenAI
   * sends.
   */
  private void scoredChoices(
      ArrayNode choices, ObjectNode response, String prompt, Scoring scoring) {
    SimProfile.Echo mode = profile.echo();
    boolean echoText = scoring.echo() && mode != SimProfile.Echo.IGNORED;
    boolean promptLogprobs = echoText && mode != SimProfile.Echo.NO_PROMPT_LOGPROBS;
    boolean offsets = mode != SimProfile.Echo.NO_OFFSETS;
    List<SimTokenizer.Token> promptTokens = SimTokenizer.tokenize(prompt);
    double[] promptScores =
        promptLogprobs ? likelihood.get().promptLogprobs(prompt, promptTokens) : new double[0];
    long completionTokens = 0;
    for (int i = 0; i < scoring.n(); i++) {
      String answer =
          responder.get().respond(prompt, false, scoring.firstSample() + i, scoring.temperature());
      for (String s : scoring.stops()) {
        int at = answer.indexOf(s);
        if (at >= 0) {
          answer = answer.substring(0, at);
        }
      }
      List<SimTokenizer.Token> answerTokens = SimTokenizer.tokenize(answer);
      long allowed = echoText ? Math.min(1, scoring.maxTokens()) : scoring.maxTokens();
      List<SimTokenizer.Token> generated =
          answerTokens.subList(0, (int) Math.min(answerTokens.size(), Math.max(0, allowed)));
      String text =
          generated.isEmpty() ? "" : answer.substring(0, generated.get(generated.size() - 1).end());
      completionTokens += generated.size();
      ObjectNode choice =
          choices.addObject().put("index", i).put("text", echoText ? prompt + text : text);
      ObjectNode logprobs = choice.putObject("logprobs");
      ArrayNode tokens = logprobs.putArray("tokens");
      ArrayNode tokenLogprobs = logprobs.putArray("token_logprobs");
      ArrayNode topLogprobs = logprobs.putArray("top_logprobs");
      ArrayNode textOffset = offsets ? logprobs.putArray("text_offset") : null;
      // Offsets in characters as Python counts them (code points), as OpenAI and vLLM send them;
      // counted as the tokens go, not from the start for each.
      int counted = 0;
      int codePoints = 0;
      if (promptLogprobs) {
        for (int t = 0; t < promptTokens.size(); t++) {
          SimTokenizer.Token token = promptTokens.get(t);
          tokens.add(token.text());
          if (t == 0) {
            tokenLogprobs.addNull();
            topLogprobs.addNull();
          } else {
            tokenLogprobs.add(promptScores[t]);
            addTop(topLogprobs, scoring.top(), token.text(), promptScores[t], "prompt|" + t);
          }
          if (textOffset != null) {
            codePoints += prompt.codePointCount(counted, token.offset());
            counted = token.offset();
            textOffset.add(codePoints);
          }
        }
      }
      int promptCodePoints = textOffset == null ? 0 : prompt.codePointCount(0, prompt.length());
      counted = 0;
      codePoints = 0;
      for (int t = 0; t < generated.size(); t++) {
        SimTokenizer.Token token = generated.get(t);
        // Scored by the token and its place among the generated ones, not by the prompt's length,
        // so that the token generated after each option of an item (the same first token of the
        // same answer) adds the same to every option's sum, for a client that counts it too.
        String place = "generated|" + t;
        double score = likelihood.get().plainLogprob(token.text(), place);
        tokens.add(token.text());
        tokenLogprobs.add(score);
        addTop(topLogprobs, scoring.top(), token.text(), score, place);
        if (textOffset != null) {
          // OpenAI counts offsets from the prompt's start even when the prompt is not echoed.
          codePoints += text.codePointCount(counted, token.offset());
          counted = token.offset();
          textOffset.add(promptCodePoints + codePoints);
        }
      }
      choice.put("finish_reason", answerTokens.size() > generated.size() ? "length" : "stop");
    }
    long promptCount = promptTokens.size();
    response
        .putObject("usage")
        .put("prompt_tokens", promptCount)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptCount + completionTokens);
  }

  private void addTop(ArrayNode topLogprobs, int top, String token, double score, String place) {
    ObjectNode entries = topLogprobs.addObject();
    likelihood.get().topLogprobs(top, token, score, place).forEach(entries::put);
  }

  /** About four characters a token, as OpenAI's rule of thumb says. */
  static long tokens(String text) {
    return (text.length() + 3) / 4;
  }

  static ObjectNode error(String message, String type, String code) {
    ObjectNode error = MAPPER.createObjectNode();
    ObjectNode inner = error.putObject("error").put("message", message).put("type", type);
    inner.putNull("param");
    if (code == null) {
      inner.putNull("code");
    } else {
      inner.put("code", code);
    }
    return error;
  }

  /** Sleeps {@code duration} to within tens of microseconds (Thread.sleep rounds to millis). */
  private static void sleep(Duration duration) {
    long due = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = due - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
