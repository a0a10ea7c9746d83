package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One model entry of the models file, with every default filled in ({@link ModelsFile} is the one
 * place that knows them).
 *
 * @param name what {@code --models} and reports use
 * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8000/v1}; empty for {@code sim}, whose
 *     server the sweep starts
 * @param model the model id sent to the server
 * @param apiKeyEnv the environment variable holding the key; the key itself is never stored here
 * @param maxConcurrency requests in flight at most
 * @param requestsPerMinute a request rate limit, if any
 * @param tokensPerMinute a token rate limit (prompt estimate plus {@code max_tokens}), if any
 * @param contextWindow the model's context length in tokens, if known
 * @param supportsN whether one request may ask for several completions
 * @param timeout the wait for one HTTP attempt, headers and body
 * @param maxAttempts attempts per request, retries included
 * @param maxRetryTime the total time one request may take, retries included
 * @param profile for {@code sim}: the snapshot profile (a name in {@code settings/} or a path)
 * @param loglikelihood whether its server's {@code /v1/completions} echoes prompts with their
 *     log-probabilities, so that options can be scored by log-likelihood ({@code loglikelihood:};
 *     by default, models with {@code api: completions})
 * @param maxResponseBytes the largest response body read; a longer one fails its request
 * @param stallTime how long requests may be outstanding with no response at all before the client
 *     fails them as stalled
 * @param batch how the model's items go through its provider's batch API ({@code batch:}), or empty
 *     to send each as its own request
 * @param request its own request options ({@code reasoning_effort}, {@code thinking}, …), {@link
 *     RequestOptions#NONE} if it has none
 * @param facts its release date, size and family ({@code released:}, {@code params:}, {@code
 *     family:}), which order and group models in reports and change no request
 * @param tokenize whether its server counts tokens at {@code POST /tokenize} beside the API root
 *     (llama.cpp's {@code llama-server}; {@code tokenize: true}): each prompt is counted there
 *     before it is sent, and one that cannot fit the context is recorded out of context unsent
 * @param local for {@code llama-cpp}, the GGUF file and how to run it; empty otherwise
 * @param benchmarks the only benchmarks it answers ({@code benchmarks:}), or empty for all the
 *     sweep's
 */
public record ModelSpec(
    String name,
    Provider provider,
    Optional<URI> baseUrl,
    String model,
    ApiStyle api,
    Optional<String> apiKeyEnv,
    int maxConcurrency,
    OptionalInt requestsPerMinute,
    OptionalLong tokensPerMinute,
    Optional<Pricing> pricing,
    OptionalInt contextWindow,
    boolean supportsN,
    Duration timeout,
    int maxAttempts,
    Duration maxRetryTime,
    Optional<String> profile,
    boolean loglikelihood,
    long maxResponseBytes,
    Duration stallTime,
    Optional<BatchOptions> batch,
    RequestOptions request,
    ModelFacts facts,
    boolean tokenize,
    Optional<LocalModel> local,
    List<String> benchmarks) {
  public ModelSpec {
    requireNonNull(name, "name is null");
    requireNonNull(provider, "provider is null");
    requireNonNull(baseUrl, "baseUrl is null");
    requireNonNull(model, "model is null");
    requireNonNull(api, "api is null");
    requireNonNull(apiKeyEnv, "apiKeyEnv is null");
    checkArgument(maxConcurrency >= 1, "maxConcurrency must be >= 1: %s", maxConcurrency);
    requireNonNull(requestsPerMinute, "requestsPerMinute is null");
    requireNonNull(tokensPerMinute, "tokensPerMinute is null");
    requireNonNull(pricing, "pricing is null");
    requireNonNull(contextWindow, "contextWindow is null");
    checkArgument(timeout.compareTo(Duration.ZERO) > 0, "timeout must be > 0");
    checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1: %s", maxAttempts);
    checkArgument(maxRetryTime.compareTo(Duration.ZERO) > 0, "maxRetryTime must be > 0");
    requireNonNull(profile, "profile is null");
    checkArgument(maxResponseBytes >= 1, "maxResponseBytes must be >= 1: %s", maxResponseBytes);
    checkArgument(stallTime.compareTo(Duration.ZERO) > 0, "stallTime must be > 0");
    requireNonNull(batch, "batch is null");
    requireNonNull(request, "request is null");
    requireNonNull(facts, "facts is null");
    requireNonNull(local, "local is null");
    checkArgument(
        local.isPresent() == (provider == Provider.LLAMA_CPP),
        "a llama-cpp model, and only one, has a local model");
    benchmarks = ImmutableList.copyOf(benchmarks);
  }

  /**
   * Whether it answers {@code benchmark}: every benchmark unless {@code benchmarks:} names some.
   */
  public boolean answers(String benchmark) {
    return benchmarks.isEmpty() || benchmarks.contains(benchmark);
  }

  /** This model served from {@code url}: how a {@code sim} entry is pointed at its server. */
  public ModelSpec withBaseUrl(URI url) {
    return copy(Optional.of(url), maxConcurrency, pricing, batch);
  }

  /** This model allowed {@code concurrency} requests in flight. */
  public ModelSpec withMaxConcurrency(int concurrency) {
    return copy(baseUrl, concurrency, pricing, batch);
  }

  /** This model priced at {@code prices} (from the shared price table, say). */
  public ModelSpec withPricing(Pricing prices) {
    return copy(baseUrl, maxConcurrency, Optional.of(prices), batch);
  }

  /** This model sent through its provider's batch API with {@code options}, or not if empty. */
  public ModelSpec withBatch(Optional<BatchOptions> options) {
    return copy(baseUrl, maxConcurrency, pricing, options);
  }

  /** This model with the four parts a sweep changes. */
  private ModelSpec copy(
      Optional<URI> url,
      int concurrency,
      Optional<Pricing> prices,
      Optional<BatchOptions> options) {
    return new ModelSpec(
        name,
        provider,
        url,
        model,
        api,
        apiKeyEnv,
        concurrency,
        requestsPerMinute,
        tokensPerMinute,
        prices,
        contextWindow,
        supportsN,
        timeout,
        maxAttempts,
        maxRetryTime,
        profile,
        loglikelihood,
        maxResponseBytes,
        stallTime,
        options,
        request,
        facts,
        tokenize,
        local,
        benchmarks);
  }

  /**
   * Why this model cannot score by log-likelihood, in one line, or empty if it can: that needs a
   * completions API that echoes the prompt with log-probabilities (whether the server really does
   * is for a probe request to show).
   */
  public Optional<String> likelihoodRefusal() {
    if (provider == Provider.LLAMA_CPP) {
      return Optional.of(
          String.format(
              "model %s: the in-process llama.cpp engine gives no prompt log-probabilities, so it"
                  + " cannot score by log-likelihood; leave it out of log-likelihood settings (or"
                  + " list its benchmarks: in the models file)",
              name));
    }
    if (provider == Provider.ANTHROPIC) {
      return Optional.of(
          String.format(
              "model %s: Anthropic's API has no log-probabilities, so it cannot score by"
                  + " log-likelihood; leave it out of log-likelihood settings",
              name));
    }
    if (!loglikelihood) {
      return Optional.of(
          String.format(
              "model %s: api: %s has no echoed prompt log-probabilities, so it cannot score by"
                  + " log-likelihood; if its server also serves /v1/completions with echo and"
                  + " logprobs, say loglikelihood: true in the models file, else leave it out of"
                  + " log-likelihood settings",
              name, api.id()));
    }
    return Optional.empty();
  }

  /** The host a report may name: never a path, query or credential. */
  public String endpointHost() {
    if (local.isPresent()) {
      return "in-process (llama.cpp)";
    }
    return baseUrl
        .map(url -> url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""))
        .orElse("in-process");
  }
}
