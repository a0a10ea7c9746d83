package io.leadline.models;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LikelihoodRequest;
import io.leadline.api.ModelClient;
import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.Failed;
import io.leadline.api.ModelResult.FailureReason;
import io.leadline.api.RetryAfter;
import io.leadline.api.RetryPolicy;
import io.leadline.api.Usage;
import io.leadline.api.Version;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@link ModelClient} over {@code java.net.http}: enforces the model's {@link Throttle}, retries
 * 408, 409, 429, 5xx, connection resets, timeouts and malformed or truncated JSON with exponential
 * backoff and full jitter (a server's {@code Retry-After} or rate-limit reset wins), within a cap
 * on attempts and on total time; fails at once on other 4xx. After a 401, 403 or 404 every further
 * request fails at once without being sent.
 *
 * <p>The API key goes into one header and nowhere else: every message is scrubbed of it.
 *
 * <p>Thread-safe.
 */
public final class HttpModelClient implements ModelClient {
  // Correctly rounded like Double.parseDouble, and faster: log-probabilities are many doubles.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
  private static final String REDACTED = "[redacted]";

  /** Key-shaped words a provider may quote back (OpenAI's masked {@code sk-...}, bearer tokens). */
  private static final Pattern KEY_LIKE =
      Pattern.compile("(?i)\\b(?:sk|pk|rk|key)[-_][A-Za-z0-9_*.\\-]{6,}|(?<=Bearer )\\S+");

  /** A rate-limit reset longer than this is re-read on the next response instead. */
  private static final Duration MAX_RESET_PAUSE = Duration.ofMinutes(1);

  private static final ExecutorService HTTP_THREADS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "leadline-http");
            thread.setDaemon(true);
            return thread;
          });

  /** Where the stall watchdog says a model stalled; the CLI's stderr. */
  static volatile Consumer<String> stallLog = line -> System.err.println("leadline: " + line);

  private final ModelSpec spec;
  private final Protocol protocol;
  private final Optional<String> key;
  private final Budget budget;
  private final RetryPolicy retry;
  private final Throttle throttle;
  private final HttpClient http;
  private final URI endpoint;
  private final UsageMeter meter = new UsageMeter();
  private final AtomicReference<Failed> unavailable = new AtomicReference<>();
  private final long timeoutNanos;
  private final StallWatchdog watchdog;

  HttpModelClient(
      ModelSpec spec, Protocol protocol, Optional<String> key, Budget budget, RetryPolicy retry) {
    this.spec = requireNonNull(spec, "spec is null");
    this.protocol = requireNonNull(protocol, "protocol is null");
    this.key = requireNonNull(key, "key is null");
    this.budget = requireNonNull(budget, "budget is null");
    this.retry = requireNonNull(retry, "retry is null");
    URI base =
        spec.baseUrl()
            .orElseThrow(
                () -> new IllegalArgumentException("model " + spec.name() + " has no base_url"));
    this.endpoint = protocol.endpoint(base);
    this.timeoutNanos = retry.timeout().toNanos();
    this.watchdog =
        new StallWatchdog(
            spec.stallTime(),
            "model " + spec.name() + " (" + spec.endpointHost() + endpoint.getPath() + ")",
            line -> stallLog.accept(line));
    this.throttle =
        new Throttle(spec.maxConcurrency(), spec.requestsPerMinute(), spec.tokensPerMinute());
    this.http =
        HttpClient.newBuilder()
            // Not the caller's thread: an attempt's deadline is kept by the caller waiting on the
            // exchange, which it cannot do if sendAsync does the exchange's work on its thread.
            .executor(HTTP_THREADS)
            .version(
                "https".equals(base.getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .connectTimeout(
                Collections.min(List.of(retry.timeout(), retry.maxTotal(), Duration.ofSeconds(30))))
            .build();
  }

  @Override
  public String name() {
    return spec.name();
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The cap on requests in flight the throttle has adapted to. */
  int throttleLimit() {
    return throttle.limit();
  }

  /** What this client has used so far. */
  public UsageMeter.Totals usage() {
    return meter.totals();
  }

  @Override
  public ModelResult complete(CompletionRequest asked) {
    requireNonNull(asked, "request is null");
    CompletionRequest request = spec.request().apply(asked);
    int wanted = request.sampling().n();
    OptionalLong seed = request.sampling().seed();
    Failed unfit = spec.tokenize() ? outOfContext(request) : null;
    if (unfit != null) {
      return unfit;
    }
    Parts parts = new Parts();
    // Where the provider has no n, the server refused it, or it ignored it, each missing sample is
    // its own request, seeded seed + index so that a split request samples what one request would.
    boolean split = !spec.supportsN() || nRefused.get() != null;
    int batch = split ? 1 : wanted;
    Failed spent =
        parts.reserve(
            TokenEstimate.prompt(request) * (split ? wanted : 1),
            (long) request.sampling().maxTokens() * wanted);
    if (spent != null) {
      return spent;
    }
    try {
      return completeWithin(request, parts, wanted, seed, batch);
    } finally {
      parts.settle();
    }
  }

  private ModelResult completeWithin(
      CompletionRequest request, Parts parts, int wanted, OptionalLong seed, int batch) {
    while (parts.choices.size() < wanted) {
      int index = parts.choices.size();
      OptionalLong partSeed =
          seed.isPresent() && index > 0 ? OptionalLong.of(seed.getAsLong() + index) : seed;
      int asked = index == 0 && nRefused.get() == null ? batch : 1;
      Attempted part = send(request, asked, partSeed, parts.deadline);
      if (asked > 1 && part.failure() != null && refusesN(part.failure())) {
        // The server takes fewer samples per request than asked (llama-server: one per slot):
        // every later request of this model asks for one, for the rest of the run.
        parts.count(part);
        nRefused.compareAndSet(
            null,
            String.format(
                "model %s: the server refuses n = %d (\"%s\"); each sample is sent as a request of"
                    + " its own for the rest of the run",
                spec.name(), asked, serverWords(part.failure())));
        continue;
      }
      if (!parts.add(part)) {
        return parts.failed(part.failure());
      }
      List<Protocol.RawChoice> raws = part.answer().choices();
      int taken = Math.min(raws.size(), wanted - parts.choices.size());
      for (int i = 0; i < taken; i++) {
        Choice choice = choice(raws.get(i), request, part.answer());
        // A sample with a request of its own has that request's usage, not the item's total.
        parts.choices.add(
            wanted > 1 && taken == 1 ? choice.withUsage(part.answer().usage()) : choice);
      }
    }
    return parts.completed();
  }

  /** Set (to the line saying so) once the server refused a request's {@code n}. */
  private final AtomicReference<String> nRefused = new AtomicReference<>();

  /**
   * A server's refusal of {@code n} itself: llama-server's {@code Field 'n': Value must be between
   * 1 <= value <= 2}, or a parameter named {@code n} in another server's words.
   */
  private static final Pattern REFUSES_N =
      Pattern.compile("(?i)(?:\\bfield|\\bparam(?:eter)?)\\s+['\"`]?n['\"`]?[\\s:]|^['\"`]n['\"`]");

  private boolean refusesN(Failed failure) {
    return failure.reason() == FailureReason.REJECTED
        && failure.httpStatus() == 400
        && REFUSES_N.matcher(serverWords(failure)).find();
  }

  /** What the server said in a 400 refusal, without the client's frame and advice. */
  private String serverWords(Failed failure) {
    String own = "model " + spec.name() + ": HTTP 400 from " + spec.endpointHost() + ": ";
    String said =
        failure.message().startsWith(own)
            ? failure.message().substring(own.length())
            : failure.message();
    int advice = said.indexOf(REJECTED_ADVICE_START);
    return advice < 0 ? said : said.substring(0, advice);
  }

  private static final String REJECTED_ADVICE_START = "; a rerun fails the same way";

  @Override
  public List<String> notices() {
    String refused = nRefused.get();
    return refused == null ? List.of() : List.of(refused);
  }

  /** One result's parts as its requests come back: choices, usage, the first model reported. */
  private final class Parts {
    private final long start = System.nanoTime();

    /** The item's whole retry budget, waits and reads included. */
    final long deadline = start + retry.maxTotal().toNanos();

    private final List<Choice> choices = new ArrayList<>();
    private Usage usage = Usage.ZERO;
    private Usage billed = Usage.ZERO;
    private String reportedModel = "";
    private String fingerprint = "";
    private boolean simulated;
    private int requests;
    private int attempts;
    private Budget.Reservation reservation;

    /**
     * Sets aside what the whole item may cost ({@code promptTokens} estimated over all its
     * requests, {@code completionTokens} at most), so that a budget never stops an item halfway;
     * the failure to return if the budget is spent, else null.
     */
    Failed reserve(long promptTokens, long completionTokens) {
      Optional<Budget.Reservation> reserved;
      try {
        reserved =
            budget.reserve(
                promptTokens + completionTokens,
                spec.pricing().map(p -> p.cost(promptTokens, 0, completionTokens, false)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return interrupted(0).failure();
      }
      if (reserved.isEmpty()) {
        return new Failed(
            FailureReason.NOT_SENT,
            "model " + spec.name() + ": not sent: " + budget.exhausted().orElse("budget spent"),
            0,
            0);
      }
      reservation = reserved.get();
      return null;
    }

    /** Counts what the item's requests were billed against the budget, freeing the rest. */
    void settle() {
      if (reservation != null) {
        Usage used = billed;
        budget.settle(reservation, used, spec.pricing().map(p -> p.cost(used)));
        reservation = null;
      }
    }

    /** Counts the attempts and billed tokens of {@code part}, whose answer is not used. */
    void count(Attempted part) {
      attempts += part.attempts();
      billed = billed.plus(part.billed());
    }

    /** Counts {@code part}; false if it failed. */
    boolean add(Attempted part) {
      count(part);
      if (part.failure() != null) {
        return false;
      }
      requests++;
      usage = usage.plus(part.answer().usage());
      simulated |= part.simulated();
      if (reportedModel.isEmpty()) {
        reportedModel = part.answer().model();
        fingerprint = part.answer().systemFingerprint();
      }
      return true;
    }

    /** The result a failed part ends in, with every attempt so far. */
    Failed failed(Failed failure) {
      meter.failure();
      return new Failed(failure.reason(), failure.message(), failure.httpStatus(), attempts);
    }

    ModelResult completed() {
      return new ModelResult.Completed(
          new Completion(
              choices,
              usage,
              reportedModel,
              fingerprint,
              requests,
              attempts,
              Duration.ofNanos(System.nanoTime() - start),
              "",
              simulated));
    }
  }

  /** The header every response of Leadline's simulator carries ({@code leadline serve-sim}). */
  static final String SIMULATED_HEADER = "X-Leadline-Simulated";

  static boolean saysSimulated(java.net.http.HttpHeaders headers) {
    return headers
        .firstValue(SIMULATED_HEADER)
        .map(v -> v.strip().equalsIgnoreCase("true"))
        .orElse(false);
  }

  /**
   * A choice as extraction reads it: inline reasoning (between the model's tags) split off, cut at
   * the first stop sequence. Reasoning a server counted but did not return (OpenAI's reasoning
   * models) is named in the reasoning, so that an answer cut off inside it reads as such.
   */
  private Choice choice(Protocol.RawChoice raw, CompletionRequest request, Protocol.Answer answer) {
    Reasoning.Split split = Reasoning.split(raw.text(), spec.request().tags());
    String text = Reasoning.cutAtStop(split.answer(), request.sampling().stop());
    boolean cut = text.length() < split.answer().length();
    String reasoning =
        raw.reasoning().isEmpty()
            ? split.reasoning()
            : split.reasoning().isEmpty()
                ? raw.reasoning()
                : raw.reasoning() + "\n" + split.reasoning();
    long hidden = answer.usage().reasoningTokens();
    if (reasoning.isEmpty() && hidden > 0) {
      reasoning =
          answer.choices().size() == 1
              ? "[not returned by the server: " + hidden + " reasoning tokens]"
              : "[not returned by the server]";
    }
    return new Choice(text, raw.text(), reasoning, raw.finishReason(), raw.truncated() && !cut);
  }

  /** An answer, or the failure it ended in; the attempts it took, and what the server billed. */
  private record Attempted(
      Protocol.Answer answer, Failed failure, int attempts, Usage billed, boolean simulated) {
    Attempted(Protocol.Answer answer, Failed failure, int attempts) {
      this(answer, failure, attempts, answer == null ? Usage.ZERO : answer.usage(), false);
    }

    Attempted(Protocol.Answer answer, Failed failure, int attempts, Usage billed) {
      this(answer, failure, attempts, billed, false);
    }
  }

  private Attempted send(CompletionRequest request, int n, OptionalLong seed, long deadline) {
    return send(
        endpoint,
        protocol.body(spec.model(), request, n, seed),
        TokenEstimate.prompt(request),
        (long) request.sampling().maxTokens() * n,
        protocol::parse,
        deadline);
  }

  /** How a 200 response's body becomes an answer. */
  @FunctionalInterface
  private interface Reader {
    Protocol.Answer read(JsonNode body) throws Protocol.MalformedResponse;
  }

  @Override
  public ModelResult likelihoods(LikelihoodRequest request) {
    requireNonNull(request, "request is null");
    if (spec.likelihoodRefusal().isPresent()) {
      return new Failed(FailureReason.REJECTED, spec.likelihoodRefusal().get(), 0, 0);
    }
    Parts parts = new Parts();
    long promptTokens = 0;
    for (String continuation : request.continuations()) {
      promptTokens += TokenEstimate.text(request.context() + continuation);
    }
    Failed spent = parts.reserve(promptTokens, request.continuations().size());
    if (spent != null) {
      return spent;
    }
    try {
      return likelihoodsWithin(request, parts);
    } finally {
      parts.settle();
    }
  }

  private ModelResult likelihoodsWithin(LikelihoodRequest request, Parts parts) {
    int context = request.context().length();
    for (String continuation : request.continuations()) {
      String text = request.context() + continuation;
      Attempted part =
          send(
              likelihoodEndpoint(),
              protocol.likelihoodBody(spec.model(), text),
              TokenEstimate.text(text),
              1,
              body -> protocol.likelihood(body, text, context),
              parts.deadline);
      if (!parts.add(part)) {
        return parts.failed(part.failure());
      }
      Protocol.RawChoice raw = part.answer().choices().get(0);
      parts.choices.add(Choice.of(continuation, raw.likelihood().orElseThrow()));
    }
    return parts.completed();
  }

  /** This model's provider's batch API, on the model's base URL, with its key and retries. */
  public BatchApi batchApi() {
    BatchHttp calls =
        new BatchHttp(
            spec,
            http,
            b -> protocol.authenticate(b, key),
            this::redact,
            retry,
            protocol::errorMessage);
    URI base = spec.baseUrl().orElseThrow();
    return spec.provider() == Provider.ANTHROPIC
        ? new AnthropicBatches(calls, base)
        : new OpenAiBatches(calls, base, spec.api());
  }

  /**
   * The request bodies {@link #complete} would send for {@code request}, as batch lines: one asking
   * for every sample where the model takes {@code n}, else one per sample, seeded as {@link
   * #complete} seeds a split request.
   */
  public List<ObjectNode> batchBodies(CompletionRequest asked) {
    CompletionRequest request = spec.request().apply(asked);
    int wanted = request.sampling().n();
    OptionalLong seed = request.sampling().seed();
    if (spec.supportsN()) {
      return List.of(protocol.body(spec.model(), request, wanted, seed));
    }
    List<ObjectNode> bodies = new ArrayList<>();
    for (int index = 0; index < wanted; index++) {
      OptionalLong partSeed =
          seed.isPresent() && index > 0 ? OptionalLong.of(seed.getAsLong() + index) : seed;
      bodies.add(protocol.body(spec.model(), request, 1, partSeed));
    }
    return bodies;
  }

  /** The request bodies {@link #likelihoods} would send: one per continuation. */
  public List<ObjectNode> batchBodies(LikelihoodRequest request) {
    List<ObjectNode> bodies = new ArrayList<>();
    for (String continuation : request.continuations()) {
      bodies.add(protocol.likelihoodBody(spec.model(), request.context() + continuation));
    }
    return bodies;
  }

  /**
   * The result of {@code request} from its batch lines' outcomes (in {@link #batchBodies} order),
   * as {@link #complete} would have made it from the same answers; counted at the batch price.
   *
   * @param batch the batch's id, recorded with the answer
   * @param latency from the batch's submission to its results
   */
  public ModelResult batchResult(
      CompletionRequest asked, List<BatchApi.LineResult> lines, String batch, Duration latency) {
    CompletionRequest request = spec.request().apply(asked);
    List<Choice> choices = new ArrayList<>();
    Batched parts = new Batched(batch);
    for (BatchApi.LineResult line : lines) {
      Protocol.Answer answer = parts.read(line, protocol::parse);
      if (answer == null) {
        return parts.failure;
      }
      for (Protocol.RawChoice raw : answer.choices()) {
        choices.add(choice(raw, request, answer));
      }
    }
    if (choices.size() < request.sampling().n()) {
      meter.failure();
      return new Failed(
          FailureReason.GAVE_UP,
          String.format(
              "model %s: batch %s answered %d of %d samples (the server ignored n); set"
                  + " supports_n: false for it",
              spec.name(), batch, choices.size(), request.sampling().n()),
          200,
          lines.size());
    }
    return parts.completed(choices.subList(0, request.sampling().n()), latency);
  }

  /** The result of a likelihood {@code request} from its batch lines' outcomes. */
  public ModelResult batchResult(
      LikelihoodRequest request, List<BatchApi.LineResult> lines, String batch, Duration latency) {
    List<Choice> choices = new ArrayList<>();
    Batched parts = new Batched(batch);
    int context = request.context().length();
    for (int i = 0; i < lines.size(); i++) {
      String continuation = request.continuations().get(i);
      String text = request.context() + continuation;
      Protocol.Answer answer =
          parts.read(lines.get(i), body -> protocol.likelihood(body, text, context));
      if (answer == null) {
        return parts.failure;
      }
      choices.add(Choice.of(continuation, answer.choices().get(0).likelihood().orElseThrow()));
    }
    return parts.completed(choices, latency);
  }

  /** One result's batch lines as they are read. */
  private final class Batched {
    private final String batch;
    private Usage usage = Usage.ZERO;
    private String reportedModel = "";
    private String fingerprint = "";
    private int requests;
    private boolean simulated;
    private Failed failure;

    Batched(String batch) {
      this.batch = batch;
    }

    /** The answer on {@code line}, or null with {@link #failure} set. */
    Protocol.Answer read(BatchApi.LineResult line, Reader reader) {
      requests++;
      if (line.httpStatus() == 0) {
        return fail(
            new Failed(
                FailureReason.GAVE_UP,
                String.format(
                    "model %s: batch %s: %s; a rerun sends it again",
                    spec.name(), batch, line.problem()),
                0,
                requests));
      }
      if (line.httpStatus() != 200) {
        String said =
            line.body() == null
                ? "(no body)"
                : protocol.errorMessage(line.body()).orElse(line.body().toString());
        said = redact(said).replaceAll("\\s+", " ");
        FailureReason reason =
            isRetryable(line.httpStatus()) ? FailureReason.GAVE_UP : FailureReason.REJECTED;
        return fail(
            new Failed(
                reason,
                redact(
                    String.format(
                        "model %s: batch %s: HTTP %d: %s",
                        spec.name(), batch, line.httpStatus(), said)),
                line.httpStatus(),
                requests));
      }
      simulated |= line.simulated();
      try {
        Protocol.Answer answer = reader.read(line.body());
        Optional<BigDecimal> cost = spec.pricing().map(p -> p.cost(answer.usage(), true));
        meter.answered(answer.usage(), cost);
        usage = usage.plus(answer.usage());
        if (reportedModel.isEmpty()) {
          reportedModel = answer.model();
          fingerprint = answer.systemFingerprint();
        }
        return answer;
      } catch (EchoLogprobs.Unscorable e) {
        return fail(
            new Failed(
                FailureReason.REJECTED,
                redact(
                    String.format(
                        "model %s (batch %s): cannot score by log-likelihood: %s",
                        spec.name(), batch, e.getMessage())),
                200,
                requests));
      } catch (Protocol.MalformedResponse | RuntimeException e) {
        return fail(
            new Failed(
                FailureReason.GAVE_UP,
                redact(
                    String.format(
                        "model %s: batch %s: unexpected answer: %s",
                        spec.name(), batch, e.getMessage())),
                200,
                requests));
      }
    }

    private Protocol.Answer fail(Failed failed) {
      meter.failure();
      failure = failed;
      return null;
    }

    ModelResult completed(List<Choice> choices, Duration latency) {
      return new ModelResult.Completed(
          new Completion(
              choices,
              usage,
              reportedModel,
              fingerprint,
              requests,
              requests,
              latency,
              batch,
              simulated));
    }
  }

  /**
   * The text of the probe {@link #likelihoodProblem()} sends; its last word is the continuation.
   */
  static final String PROBE =
      "Leadline checks that this server echoes the prompt with its log-probabilities";

  /**
   * Checks with one request that the server can score by log-likelihood: it echoes the prompt, with
   * a log-probability for every prompt token but the first and offsets that place the tokens.
   * Nothing is retried but transient failures.
   *
   * @return empty if it can, else one line naming the model, the endpoint and what was missing
   */
  public Optional<String> likelihoodProblem() {
    if (spec.likelihoodRefusal().isPresent()) {
      return spec.likelihoodRefusal();
    }
    int context = PROBE.lastIndexOf(' ');
    Attempted probe =
        send(
            likelihoodEndpoint(),
            protocol.likelihoodBody(spec.model(), PROBE),
            TokenEstimate.text(PROBE),
            1,
            body -> protocol.likelihood(body, PROBE, context),
            System.nanoTime() + retry.maxTotal().toNanos());
    // One small request, counted without a reservation.
    budget.spend(probe.billed(), spec.pricing().map(p -> p.cost(probe.billed())));
    if (probe.failure() == null) {
      return Optional.empty();
    }
    String message = probe.failure().message();
    if (message.contains(": cannot score by log-likelihood: ")) {
      return Optional.of(message);
    }
    // Refused or unanswered: say so, with where the probe went.
    String own = "model " + spec.name() + ": ";
    return Optional.of(
        String.format(
            "model %s (%s%s): the log-likelihood probe failed after %d attempt%s: %s",
            spec.name(),
            spec.endpointHost(),
            likelihoodEndpoint().getPath(),
            probe.attempts(),
            probe.attempts() == 1 ? "" : "s",
            message.startsWith(own) ? message.substring(own.length()) : message));
  }

  private URI likelihoodEndpoint() {
    return protocol.likelihoodEndpoint(spec.baseUrl().orElseThrow());
  }

  /** Sends {@code json}: {@code promptTokens} estimated, {@code completionTokens} at most. */
  private Attempted send(
      URI target,
      ObjectNode json,
      long promptTokens,
      long completionTokens,
      Reader reader,
      long itemDeadline) {
    Failed stopped = unavailable.get();
    if (stopped != null) {
      return new Attempted(
          null, new Failed(stopped.reason(), stopped.message(), stopped.httpStatus(), 0), 0);
    }
    return attempt(target, json, promptTokens + completionTokens, reader, itemDeadline);
  }

  private Attempted attempt(
      URI target, ObjectNode json, long estimatedTokens, Reader reader, long itemDeadline) {
    byte[] body;
    try {
      body = MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
    String problem = "no attempt made";
    int status = 0;
    // Rate limiting (429) is bounded by max_retry_seconds alone; other faults also by max_attempts.
    int counted = 0;
    for (int attempt = 1; ; attempt++) {
      Optional<Duration> serverWait = Optional.empty();
      boolean rateLimited = false;
      try {
        OptionalLong sent = throttle.acquire(estimatedTokens, itemDeadline);
        if (sent.isEmpty()) {
          return gaveUp(
              attempt - 1,
              "waited for the model's limits until max_retry_seconds ran out; last: " + problem,
              status);
        }
        HttpResponse<byte[]> response;
        try {
          meter.attempt(attempt > 1);
          response =
              exchange(target, body, Math.min(sent.getAsLong() + timeoutNanos, itemDeadline));
        } finally {
          throttle.release();
        }
        status = response.statusCode();
        slowDownIfSpent(response.headers());
        if (status == 200) {
          throttle.succeeded();
          try {
            JsonNode answerBody = MAPPER.readTree(response.body());
            Protocol.Answer answer;
            try {
              answer = reader.read(answerBody);
            } catch (EchoLogprobs.Unscorable e) {
              // Asking again gets the same shape: the server cannot be scored by likelihood.
              // What it billed counts against the budget all the same.
              Usage billed = protocol.usage(answerBody);
              String message =
                  String.format(
                      "model %s (%s%s): cannot score by log-likelihood: %s",
                      spec.name(), spec.endpointHost(), target.getPath(), e.getMessage());
              return new Attempted(
                  null,
                  new Failed(FailureReason.REJECTED, redact(message), status, attempt),
                  attempt,
                  billed);
            }
            meter.answered(answer.usage(), spec.pricing().map(p -> p.cost(answer.usage())));
            return new Attempted(
                answer, null, attempt, answer.usage(), saysSimulated(response.headers()));
          } catch (IOException e) {
            problem = "malformed JSON in the response (" + firstLine(e.getMessage()) + ")";
          } catch (Protocol.MalformedResponse e) {
            problem = "unexpected response: " + e.getMessage();
          }
        } else {
          String said = serverSaid(response);
          if (!isRetryable(status)) {
            Failed unfit = contextError(status, response.body(), attempt);
            return new Attempted(
                null, unfit != null ? unfit : refused(status, said, attempt), attempt);
          }
          problem = "HTTP " + status + ": " + said;
          serverWait = RetryAfter.from(response.headers(), Instant.now());
          if (status == 429) {
            rateLimited = true;
            throttle.rateLimited(sent.getAsLong());
            serverWait.ifPresent(throttle::pauseFor);
          }
        }
      } catch (Ended e) {
        // Not retried: the server would do it again (too large), or the model is stalled.
        return new Attempted(
            null, new Failed(FailureReason.GAVE_UP, redact(e.getMessage()), 0, attempt), attempt);
      } catch (HttpTimeoutException e) {
        problem =
            "no complete response within "
                + Duration.ofNanos(timeoutNanos).toSeconds()
                + " s (timeout_seconds)";
        status = 0;
      } catch (IOException e) {
        problem =
            "connection problem ("
                + e.getClass().getSimpleName()
                + ": "
                + firstLine(e.getMessage())
                + ")";
        status = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return interrupted(attempt);
      }
      if (!rateLimited) {
        counted++;
      }
      Duration wait = retry.delay(attempt, serverWait);
      if (counted >= retry.maxAttempts()) {
        return gaveUp(attempt, problem, status);
      }
      if (System.nanoTime() + wait.toNanos() > itemDeadline) {
        return gaveUp(
            attempt,
            problem + "; max_retry_seconds (" + retry.maxTotal().toSeconds() + " s) ran out",
            status);
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return interrupted(attempt);
      }
    }
  }

  private Attempted gaveUp(int attempts, String problem, int status) {
    String message =
        String.format(
            "model %s: gave up after %d attempt%s: %s (%s)",
            spec.name(), attempts, attempts == 1 ? "" : "s", problem, spec.endpointHost());
    return new Attempted(
        null, new Failed(FailureReason.GAVE_UP, redact(message), status, attempts), attempts);
  }

  /** An attempt that ended in a way asking again would not mend. */
  private static final class Ended extends IOException {
    private static final long serialVersionUID = 1L;

    Ended(String message) {
      super(message);
    }
  }

  /**
   * One HTTP attempt, headers and body, over by {@code deadline} (a {@link System#nanoTime()}
   * value) at the latest: past it, or when the stall watchdog fires, the exchange is cancelled and
   * its connection dropped.
   */
  private HttpResponse<byte[]> exchange(URI target, byte[] body, long deadline)
      throws IOException, InterruptedException {
    CappedBody handler = new CappedBody(spec.maxResponseBytes());
    long left = Math.max(1_000_000, deadline - System.nanoTime());
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(httpRequest(target, body, Duration.ofNanos(left)), handler);
    StallWatchdog.Outstanding outstanding = watchdog.started(future, handler);
    boolean answered = false;
    try {
      HttpResponse<byte[]> response = future.get(left, TimeUnit.NANOSECONDS);
      answered = true;
      return response;
    } catch (TimeoutException e) {
      HttpTimeoutException timeout = new HttpTimeoutException("attempt deadline passed");
      handler.abort(timeout);
      future.cancel(true);
      throw timeout;
    } catch (CancellationException e) {
      throw outstanding.stalled() != null
          ? new Ended(outstanding.stalled())
          : new IOException("cancelled");
    } catch (ExecutionException e) {
      if (outstanding.stalled() != null) {
        throw new Ended(outstanding.stalled());
      }
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof CappedBody.TooLarge) {
          throw new Ended(
              String.format(
                  "model %s (%s%s): %s",
                  spec.name(), spec.endpointHost(), target.getPath(), cause.getMessage()));
        }
        if (cause instanceof HttpTimeoutException timeout) {
          throw timeout;
        }
      }
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause == null ? "failed" : cause.toString(), cause);
    } catch (InterruptedException e) {
      handler.abort(new IOException("interrupted"));
      future.cancel(true);
      throw e;
    } finally {
      watchdog.ended(outstanding, answered);
    }
  }

  /** Where a server says a rate-limit window is spent, every request waits for its reset. */
  private void slowDownIfSpent(HttpHeaders headers) {
    for (String name :
        List.of(
            "x-ratelimit-remaining-requests",
            "x-ratelimit-remaining-tokens",
            "anthropic-ratelimit-requests-remaining",
            "anthropic-ratelimit-tokens-remaining")) {
      if (headers.firstValue(name).map(String::strip).filter("0"::equals).isPresent()) {
        Duration reset = RetryAfter.from(headers, Instant.now()).orElse(Duration.ofSeconds(1));
        throttle.pauseFor(reset.compareTo(MAX_RESET_PAUSE) > 0 ? MAX_RESET_PAUSE : reset);
        return;
      }
    }
  }

  /** Stopped from outside: a resumed run sends the request again. */
  private Attempted interrupted(int attempts) {
    return new Attempted(
        null,
        new Failed(FailureReason.NOT_SENT, "model " + spec.name() + ": interrupted", 0, attempts),
        attempts);
  }

  private HttpRequest httpRequest(URI target, byte[] body, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("User-Agent", "leadline/" + Version.version())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    protocol.authenticate(builder, key);
    return builder.build();
  }

  /** 408, 409, 429 and 5xx pass with time; every other status is the request's or the model's. */
  static boolean isRetryable(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /**
   * llama-server's answer to a prompt longer than a slot's context: HTTP 400 {@code
   * exceed_context_size_error} with the prompt's token count and the context; null for any other
   * error. The context it names is remembered for the counting of later prompts.
   */
  private Failed contextError(int status, byte[] body, int attempts) {
    JsonNode error;
    try {
      error = MAPPER.readTree(body).path("error");
    } catch (IOException e) {
      return null;
    }
    if (status != 400 || !"exceed_context_size_error".equals(error.path("type").asText())) {
      return null;
    }
    long prompt = error.path("n_prompt_tokens").asLong(0);
    long context = error.path("n_ctx").asLong(0);
    if (context > 0) {
      serverContext.set(context);
    }
    return new Failed(
        FailureReason.OUT_OF_CONTEXT,
        redact(
            String.format(
                Locale.ROOT,
                "model %s: the prompt has %s tokens, the context %s (HTTP 400"
                    + " exceed_context_size_error from %s)%s",
                spec.name(),
                prompt > 0 ? String.valueOf(prompt) : "too many",
                context > 0 ? "holds " + context : "is smaller",
                spec.endpointHost(),
                TOO_LONG_ADVICE)),
        status,
        attempts);
  }

  /** What a prompt too long for its model's context asks of the user. */
  static final String TOO_LONG_ADVICE =
      "; not retried: use a setting with fewer shots, or a server with a larger context per slot";

  /** The context llama-server said a slot holds (its {@code n_ctx}); 0 until known. */
  private final AtomicLong serverContext = new AtomicLong();

  /** The tokens a prompt may have at most, from the models file or the server; 0 if unknown. */
  private long contextLimit() {
    if (spec.contextWindow().isPresent()) {
      return spec.contextWindow().getAsInt();
    }
    if (serverContext.get() == 0 && serverContextAsked.compareAndSet(false, true)) {
      // llama-server's /v1/models has the context of a slot in meta.n_ctx.
      get(Endpoints.resolve(spec.baseUrl().orElseThrow(), "models"))
          .map(json -> json.path("data").path(0).path("meta").path("n_ctx").asLong(0))
          .filter(n -> n > 0)
          .ifPresent(n -> serverContext.compareAndSet(0, n));
    }
    return serverContext.get();
  }

  private final java.util.concurrent.atomic.AtomicBoolean serverContextAsked =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Counts {@code request}'s prompt with the server's tokenizer ({@code POST /tokenize} beside the
   * API root, as llama-server serves it): the result of a prompt that cannot fit the context,
   * unsent; null to send it (it fits, or it could not be counted). A chat prompt is counted without
   * its chat template's tokens, so only prompts certain not to fit are kept back.
   */
  private Failed outOfContext(CompletionRequest request) {
    long limit = contextLimit();
    if (limit <= 0) {
      return null;
    }
    String text =
        spec.api() == ApiStyle.CHAT
            ? request.wrapping().systemMessage().map(m -> m + "\n").orElse("") + request.prompt()
            : request.prompt();
    ObjectNode body = MAPPER.createObjectNode().put("content", text).put("add_special", true);
    Optional<JsonNode> counted = post(tokenizeEndpoint(), body);
    if (counted.isEmpty() || !counted.get().path("tokens").isArray()) {
      return null;
    }
    int tokens = counted.get().path("tokens").size();
    if (tokens < limit) {
      return null;
    }
    return new Failed(
        FailureReason.OUT_OF_CONTEXT,
        String.format(
            Locale.ROOT,
            "model %s: the prompt has %d tokens (counted by %s/tokenize), the context holds %d;"
                + " not sent%s",
            spec.name(),
            tokens,
            spec.endpointHost(),
            limit,
            TOO_LONG_ADVICE.substring("; not retried".length())),
        0,
        0);
  }

  /** {@code /tokenize} at the server's root: the base URL without its {@code /v1}. */
  private URI tokenizeEndpoint() {
    URI base = spec.baseUrl().orElseThrow();
    String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
    if (path.endsWith("/v1")) {
      path = path.substring(0, path.length() - "/v1".length());
    }
    return base.resolve(path + "/tokenize");
  }

  private Optional<JsonNode> get(URI target) {
    return call(HttpRequest.newBuilder(target).GET());
  }

  private Optional<JsonNode> post(URI target, ObjectNode json) {
    try {
      return call(
          HttpRequest.newBuilder(target)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(json))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
  }

  /** One request outside the retries and the throttle; empty unless a 200 with JSON came back. */
  private Optional<JsonNode> call(HttpRequest.Builder builder) {
    builder.timeout(retry.timeout()).header("User-Agent", "leadline/" + Version.version());
    protocol.authenticate(builder, key);
    try {
      HttpResponse<byte[]> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return response.statusCode() == 200
          ? Optional.ofNullable(MAPPER.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Failed refused(int status, String said, int attempts) {
    boolean modelWide = status == 401 || status == 403 || status == 404;
    String advice =
        switch (status) {
          case 401 ->
              spec.apiKeyEnv()
                  .map(env -> "; check the key in " + env)
                  .orElse("; the server wants a key: set api_key_env");
          case 403 ->
              spec.apiKeyEnv()
                  .map(env -> "; check that the key in " + env + " has access to this model")
                  .orElse("; the server refuses this model: check api_key_env");
          case 404 ->
              String.format(
                  "; check model '%s' and base_url '%s' in the models file",
                  spec.model(), spec.baseUrl().map(HttpModelClient::shown).orElse(""));
          // The server refuses the request as asked: the same request fails the same way again.
          case 400, 422 ->
              REJECTED_ADVICE_START
                  + ": change what the server names in the setting or in"
                  + " model "
                  + spec.name()
                  + "'s entry of the models file";
          default -> "";
        };
    String message =
        redact(
            String.format(
                "model %s: HTTP %d from %s: %s%s",
                spec.name(), status, spec.endpointHost(), said, advice));
    Failed failed =
        new Failed(
            modelWide ? FailureReason.MODEL_UNAVAILABLE : FailureReason.REJECTED,
            message,
            status,
            attempts);
    if (modelWide) {
      unavailable.compareAndSet(null, failed);
    }
    return failed;
  }

  /** The server's error message, or the start of its body; one line, without the key. */
  private String serverSaid(HttpResponse<byte[]> response) {
    String text = new String(response.body(), StandardCharsets.UTF_8).strip();
    try {
      JsonNode json = MAPPER.readTree(text);
      if (json != null) {
        Optional<String> message = protocol.errorMessage(json);
        if (message.isPresent()) {
          text = message.get();
        }
      }
    } catch (JsonProcessingException e) {
      // Not JSON (a proxy's HTML page, say): quote its start.
    }
    text = redact(text).replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return "(empty body)";
    }
    return text.length() > 300 ? text.substring(0, 297) + "..." : text;
  }

  String redact(String text) {
    String scrubbed =
        key.isPresent() && !key.get().isEmpty() ? text.replace(key.get(), REDACTED) : text;
    return KEY_LIKE.matcher(scrubbed).replaceAll(REDACTED);
  }

  /** A URL as a message may show it: scheme, host, port and path, never a query. */
  private static String shown(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + (url.getPath() == null ? "" : url.getPath());
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  @Override
  public void close() {
    // java.net.http.HttpClient on Java 17 has no close; its threads end with the client.
  }

  @Override
  public String toString() {
    return "HttpModelClient[" + spec.name() + " @ " + spec.endpointHost() + "]";
  }
}
