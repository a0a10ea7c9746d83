package io.leadline.models;

import io.leadline.api.LeadlineException;
import io.leadline.api.ModelClient;
import io.leadline.api.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Makes the client a {@link ModelSpec} describes. */
public final class ModelClients {
  /** The first retry waits up to this long; each further one up to twice as long, up to 30 s. */
  static final Duration BASE_DELAY = Duration.ofMillis(500);

  static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private ModelClients() {}

  /**
   * A client for {@code spec}: for a {@code llama-cpp} model, the JVM's engine of its GGUF file
   * (loaded on first use); else an HTTP client, its key read from {@code environment}.
   *
   * @throws LeadlineException if the key's variable is named but not set, the model has no URL, or
   *     its GGUF file cannot be read or loaded here
   */
  public static ModelClient open(ModelSpec spec, Map<String, String> environment, Budget budget) {
    if (spec.local().isPresent()) {
      return new LlamaClient(spec, LlamaEngine.shared(spec.local().get()), budget);
    }
    return create(spec, environment, budget);
  }

  /** A client of {@code engine} answering as the model {@code spec}. */
  public static ModelClient local(ModelSpec spec, LlamaEngine engine, Budget budget) {
    return new LlamaClient(spec, engine, budget);
  }

  /**
   * An HTTP client for {@code spec}, its key read from {@code environment}.
   *
   * @throws LeadlineException if the key's variable is named but not set, or the model has no URL
   */
  public static HttpModelClient create(
      ModelSpec spec, Map<String, String> environment, Budget budget) {
    return create(spec, environment, budget, retryPolicy(spec, BASE_DELAY));
  }

  static HttpModelClient create(
      ModelSpec spec, Map<String, String> environment, Budget budget, RetryPolicy retry) {
    if (spec.baseUrl().isEmpty()) {
      throw LeadlineException.userInput("model %s: no base_url to send requests to", spec.name());
    }
    Optional<String> key = Optional.empty();
    if (spec.apiKeyEnv().isPresent()) {
      String variable = spec.apiKeyEnv().get();
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        throw LeadlineException.userInput(
            "model %s: the environment variable %s (api_key_env) is not set",
            spec.name(), variable);
      }
      key = Optional.of(value.strip());
    }
    Protocol protocol =
        spec.provider() == Provider.ANTHROPIC
            ? new AnthropicProtocol(spec.request())
            : new OpenAiProtocol(spec.api(), spec.provider(), spec.request());
    return new HttpModelClient(spec, protocol, key, budget, retry);
  }

  static RetryPolicy retryPolicy(ModelSpec spec, Duration baseDelay) {
    return new RetryPolicy(
        spec.maxAttempts(), baseDelay, MAX_DELAY, spec.maxRetryTime(), spec.timeout());
  }
}
