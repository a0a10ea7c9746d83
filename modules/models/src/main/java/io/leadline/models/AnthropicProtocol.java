package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.CompletionRequest;
import io.leadline.api.Sampling;
import io.leadline.api.Usage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code anthropic-version: 2023-06-01}): the
 * system message is a top-level field, there is no {@code n} and no seed, and the answer is a list
 * of content blocks in which {@code thinking} blocks carry the reasoning.
 */
final class AnthropicProtocol implements Protocol {
  static final String VERSION = "2023-06-01";

  private final RequestOptions options;

  /**
   * The protocol of a model with its own request options ({@code thinking}, {@code max_tokens}).
   */
  AnthropicProtocol(RequestOptions options) {
    this.options = java.util.Objects.requireNonNull(options, "options is null");
  }

  @Override
  public URI endpoint(URI baseUrl) {
    return Endpoints.resolve(baseUrl, "messages");
  }

  @Override
  public void authenticate(HttpRequest.Builder request, Optional<String> key) {
    key.ifPresent(k -> request.header("x-api-key", k));
    request.header("anthropic-version", VERSION);
  }

  @Override
  public ObjectNode body(String model, CompletionRequest request, int n, OptionalLong seed) {
    Sampling sampling = request.sampling();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", model);
    body.put("max_tokens", options.maxTokens(sampling.maxTokens()));
    request.wrapping().systemMessage().ifPresent(system -> body.put("system", system));
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "user").put("content", request.prompt());
    if (options.thinkingBudget().isPresent()) {
      // Extended thinking takes temperature 1 only (its default): neither it nor top_p is sent.
      body.putObject("thinking")
          .put("type", "enabled")
          .put("budget_tokens", options.thinkingBudget().getAsInt());
    } else {
      body.put("temperature", Math.min(1.0, sampling.temperature()));
      sampling.topP().ifPresent(p -> body.put("top_p", p));
    }
    if (!sampling.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      sampling.stop().forEach(stop::add);
    }
    return body;
  }

  @Override
  public Answer parse(JsonNode body) throws MalformedResponse {
    JsonNode content = body.path("content");
    if (!content.isArray()) {
      throw new MalformedResponse("the response has no 'content'");
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    for (JsonNode block : content) {
      switch (block.path("type").asText("")) {
        case "text" -> text.append(block.path("text").asText(""));
        case "thinking" -> thinking.append(block.path("thinking").asText(""));
        case "redacted_thinking" -> thinking.append("[redacted thinking]");
        default -> {
          // Tool use and other block types carry no answer text.
        }
      }
    }
    String stopReason = body.path("stop_reason").asText("");
    JsonNode usage = body.path("usage");
    return new Answer(
        List.of(
            new RawChoice(
                text.toString(), thinking.toString(), stopReason, stopReason.equals("max_tokens"))),
        // Anthropic reports no separate thinking-token count; output_tokens includes them.
        // input_tokens excludes what was read from or written to the prompt cache.
        new Usage(
            usage.path("input_tokens").asLong(0)
                + usage.path("cache_read_input_tokens").asLong(0)
                + usage.path("cache_creation_input_tokens").asLong(0),
            usage.path("output_tokens").asLong(0),
            0,
            usage.path("cache_read_input_tokens").asLong(0)),
        body.path("model").asText(""),
        "");
  }

  @Override
  public Optional<String> errorMessage(JsonNode body) {
    JsonNode error = body.path("error");
    if (error.path("message").isTextual()) {
      String type = error.path("type").asText("");
      return Optional.of((type.isEmpty() ? "" : type + ": ") + error.get("message").asText());
    }
    return Optional.empty();
  }
}
