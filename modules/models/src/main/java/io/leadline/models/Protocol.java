package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.CompletionRequest;
import io.leadline.api.Usage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One provider's wire format: where to send, what to send, how to read the answer. */
interface Protocol {
  URI endpoint(URI baseUrl);

  /** Adds authentication and protocol headers; {@code key} is never logged. */
  void authenticate(HttpRequest.Builder request, Optional<String> key);

  /** The JSON body asking {@code model} for {@code n} completions of {@code request}. */
  ObjectNode body(String model, CompletionRequest request, int n, OptionalLong seed);

  /**
   * The answer in a 200 response.
   *
   * @throws MalformedResponse if the body is not the provider's documented shape (retried)
   */
  Answer parse(JsonNode body) throws MalformedResponse;

  /** Where a likelihood request goes: the completions endpoint, whatever the generation API. */
  default URI likelihoodEndpoint(URI baseUrl) {
    throw new UnsupportedOperationException("no log-probabilities");
  }

  /**
   * The JSON body asking {@code model} for the log-probabilities of {@code text}: echoed, one token
   * generated at temperature 0 (lm-evaluation-harness's request).
   */
  default ObjectNode likelihoodBody(String model, String text) {
    throw new UnsupportedOperationException("no log-probabilities");
  }

  /**
   * The likelihood of the part of {@code text} after its first {@code contextLength} characters,
   * from a 200 response to {@link #likelihoodBody}.
   *
   * @throws EchoLogprobs.Unscorable if the response lacks the prompt's log-probabilities (not
   *     retried)
   * @throws MalformedResponse if the body is not the provider's documented shape (retried)
   */
  default Answer likelihood(JsonNode body, String text, int contextLength)
      throws MalformedResponse {
    throw new UnsupportedOperationException("no log-probabilities");
  }

  /** The tokens a 200 response says it used, whether or not its answer could be read. */
  default Usage usage(JsonNode body) {
    return Usage.ZERO;
  }

  /** The server's own words in an error body, if it has the provider's error shape. */
  Optional<String> errorMessage(JsonNode body);

  /** A parsed 200 response. */
  record Answer(List<RawChoice> choices, Usage usage, String model, String systemFingerprint) {}

  /**
   * One choice as the server sent it: text, separate reasoning (or empty), finish reason; for a
   * likelihood request, the continuation's likelihood.
   */
  record RawChoice(
      String text,
      String reasoning,
      String finishReason,
      boolean truncated,
      Optional<io.leadline.api.Likelihood> likelihood) {
    RawChoice(String text, String reasoning, String finishReason, boolean truncated) {
      this(text, reasoning, finishReason, truncated, Optional.empty());
    }
  }

  /** A 200 response whose body does not have the documented shape. */
  class MalformedResponse extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedResponse(String message) {
      super(message);
    }
  }
}
