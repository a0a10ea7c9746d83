package io.leadline.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LikelihoodRequest;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.records.CanonicalJson;
import io.leadline.records.Hashes;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The canonical form of one request and its sha256, which keys the result store. It holds what
 * decides the answer — who is asked (model name, provider, model id, API style, and for a simulated
 * snapshot the digest of its profile), the prompt, the chat wrapping (and so the system message),
 * the sampling and the prompt perturbation that made the prompt — and nothing that does not (the
 * endpoint's address, the setting's name), so two settings that send the same request share one
 * stored response. A perturbation variant keys its own answers even where its text happens to equal
 * another's (a rotation that leaves the gold where it was), so a variant's records never borrow
 * another cell's sample; an unperturbed request has no perturbation key, so its hash is round 1's
 * and earlier stores stay valid.
 */
final class RequestKey {
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

  /**
   * sha256 (hex) of the canonical JSON of a log-likelihood item: who is asked, the context once and
   * each continuation, and the perturbation; no sampling, which such a request does not use, so
   * every setting that asks the same options of the same context shares the stored answer.
   */
  static String hash(
      ModelIdentity model, LikelihoodRequest request, Optional<String> perturbation) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    ObjectNode who = canonical.putObject("model");
    model.canonical().forEach((key, value) -> who.put(key, (String) value));
    ObjectNode likelihood = canonical.putObject("loglikelihood");
    likelihood.put("context", request.context());
    ArrayNode continuations = likelihood.putArray("continuations");
    request.continuations().forEach(continuations::add);
    // What each request asks for besides the text (OpenAiProtocol.likelihoodBody).
    likelihood.put("request", "echo, logprobs 1, max_tokens 1, temperature 0");
    perturbation.ifPresent(id -> canonical.put("perturbation", id));
    return hash(CanonicalJson.write(canonical));
  }

  private static String hash(String canonical) {
    return Hashes.sha256(canonical);
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
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    ObjectNode who = canonical.putObject("model");
    model.canonical().forEach((key, value) -> who.put(key, (String) value));
    canonical.put("prompt", request.prompt());
    canonical.put("chat_wrapping", request.wrapping().id());
    ObjectNode sampling = canonical.putObject("sampling");
    sampling.put("temperature", plain(temperature));
    sampling.put("top_p", topP.map(RequestKey::plain).orElse(null));
    sampling.put("max_tokens", request.sampling().maxTokens());
    ArrayNode stop = sampling.putArray("stop");
    request.sampling().stop().forEach(stop::add);
    sampling.put("n", request.sampling().n());
    if (request.sampling().seed().isPresent()) {
      sampling.put("seed", request.sampling().seed().getAsLong());
    } else {
      sampling.putNull("seed");
    }
    perturbation.ifPresent(id -> canonical.put("perturbation", id));
    return CanonicalJson.write(canonical);
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
