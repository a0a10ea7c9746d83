package io.leadline.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import io.leadline.api.CompletionRequest;
import io.leadline.benchmarks.BenchmarkSetting;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The canonical form of one request and its sha256, which keys the result store. It holds what
 * decides the answer — who is asked (model name, provider, model id, API style, and for a simulated
 * snapshot the digest of its profile), the prompt, the chat wrapping (and so the system message),
 * the sampling and the prompt perturbation that made the prompt — and nothing that does not (the
 * endpoint's address, the setting's name), so two settings that send the same request share one
 * stored response. An unperturbed request has no perturbation key, so its hash is round 1's.
 */
final class RequestKey {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private RequestKey() {}

  /** sha256 (hex) of the canonical JSON of a sweep item's request under {@code setting}. */
  static String hash(ModelIdentity model, BenchmarkSetting setting, CompletionRequest request) {
    return hash(canonicalJson(model, setting, request));
  }

  /**
   * sha256 (hex) of the canonical JSON of a request a scorer makes (a judge's): its decimals are
   * the sampling's own.
   */
  static String hash(ModelIdentity model, CompletionRequest request) {
    return hash(
        canonicalJson(
            model,
            request,
            BigDecimal.valueOf(request.sampling().temperature()),
            request.sampling().topP().map(BigDecimal::valueOf),
            Optional.empty()));
  }

  private static String hash(String canonical) {
    return Hashing.sha256().hashString(canonical, StandardCharsets.UTF_8).toString();
  }

  /**
   * The request's canonical JSON; decimals are taken from the setting as written, not from their
   * binary doubles.
   */
  static String canonicalJson(
      ModelIdentity model, BenchmarkSetting setting, CompletionRequest request) {
    return canonicalJson(
        model, request, setting.temperature(), setting.topP(), setting.perturbation());
  }

  private static String canonicalJson(
      ModelIdentity model,
      CompletionRequest request,
      BigDecimal temperature,
      Optional<BigDecimal> topP,
      Optional<String> perturbation) {
    TreeMap<String, Object> sampling = new TreeMap<>();
    sampling.put("temperature", plain(temperature));
    sampling.put("top_p", topP.map(RequestKey::plain).orElse(null));
    sampling.put("max_tokens", request.sampling().maxTokens());
    sampling.put("stop", request.sampling().stop());
    sampling.put("n", request.sampling().n());
    sampling.put(
        "seed",
        request.sampling().seed().isPresent() ? request.sampling().seed().getAsLong() : null);
    TreeMap<String, Object> canonical = new TreeMap<>();
    canonical.put("model", model.canonical());
    canonical.put("prompt", request.prompt());
    canonical.put("chat_wrapping", request.wrapping().id());
    canonical.put("sampling", sampling);
    perturbation.ifPresent(id -> canonical.put("perturbation", id));
    try {
      return CANONICAL.writeValueAsString(canonical);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
