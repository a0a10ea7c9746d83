package io.leadline.models;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.CompletionRequest;
import io.leadline.api.Sampling;
import io.leadline.api.Usage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OpenAI's chat completions and legacy completions, as OpenAI documents them and as vLLM, TGI,
 * llama.cpp, Ollama and LM Studio serve them. Reasoning arrives as {@code reasoning_content} (vLLM,
 * DeepSeek) or {@code reasoning} (OpenRouter, Ollama) beside the content.
 */
final class OpenAiProtocol implements Protocol {
  /** OpenAI takes at most four stop sequences; the client applies the rest itself. */
  static final int MAX_STOP_SEQUENCES = 4;

  private final ApiStyle api;
  private final boolean openAiItself;
  private final RequestOptions options;

  /** The protocol of a model with its own request options ({@code reasoning_effort}, …). */
  OpenAiProtocol(ApiStyle api, Provider provider, RequestOptions options) {
    this.api = requireNonNull(api, "api is null");
    this.openAiItself = provider == Provider.OPENAI;
    this.options = requireNonNull(options, "options is null");
  }

  @Override
  public URI endpoint(URI baseUrl) {
    return Endpoints.resolve(baseUrl, api == ApiStyle.CHAT ? "chat/completions" : "completions");
  }

  @Override
  public void authenticate(HttpRequest.Builder request, Optional<String> key) {
    key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
  }

  @Override
  public ObjectNode body(String model, CompletionRequest request, int n, OptionalLong seed) {
    Sampling sampling = request.sampling();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", model);
    if (api == ApiStyle.CHAT) {
      ArrayNode messages = body.putArray("messages");
      request
          .wrapping()
          .systemMessage()
          .ifPresent(system -> messages.addObject().put("role", "system").put("content", system));
      messages.addObject().put("role", "user").put("content", request.prompt());
    } else {
      body.put("prompt", request.prompt());
    }
    // Reasoning models refuse a temperature or top_p other than the default, and stop sequences:
    // none is sent, and the client cuts at the stop sequences itself.
    boolean reasoning = options.reasoningEffort().isPresent();
    options.reasoningEffort().ifPresent(effort -> body.put("reasoning_effort", effort));
    if (!reasoning) {
      body.put("temperature", sampling.temperature());
      sampling.topP().ifPresent(p -> body.put("top_p", p));
    }
    // OpenAI deprecated max_tokens for chat (reasoning models refuse it); other servers expect it
    // unless the models file asks for max_completion_tokens or a reasoning effort.
    body.put(
        api == ApiStyle.CHAT
                && (openAiItself || reasoning || options.maxCompletionTokens().isPresent())
            ? "max_completion_tokens"
            : "max_tokens",
        options.maxTokens(sampling.maxTokens()));
    if (!reasoning && !sampling.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      sampling.stop().stream().limit(MAX_STOP_SEQUENCES).forEach(stop::add);
    }
    if (n > 1) {
      body.put("n", n);
    }
    seed.ifPresent(s -> body.put("seed", s));
    return body;
  }

  @Override
  public URI likelihoodEndpoint(URI baseUrl) {
    return Endpoints.resolve(baseUrl, "completions");
  }

  @Override
  public ObjectNode likelihoodBody(String model, String text) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", model);
    body.put("prompt", text);
    // One token, not 0: several servers refuse max_tokens 0; the generated token is ignored.
    body.put("max_tokens", 1);
    body.put("temperature", 0);
    body.put("logprobs", 1);
    body.put("echo", true);
    return body;
  }

  @Override
  public Answer likelihood(JsonNode body, String text, int contextLength) throws MalformedResponse {
    JsonNode choices = body.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw new MalformedResponse("the response has no 'choices'");
    }
    JsonNode choice = choices.get(0);
    io.leadline.api.Likelihood likelihood = EchoLogprobs.continuation(choice, text, contextLength);
    return new Answer(
        List.of(
            new RawChoice(text.substring(contextLength), "", "", false, Optional.of(likelihood))),
        usageOf(body.path("usage")),
        body.path("model").asText(""),
        body.path("system_fingerprint").asText(""));
  }

  @Override
  public Answer parse(JsonNode body) throws MalformedResponse {
    JsonNode choices = body.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw new MalformedResponse("the response has no 'choices'");
    }
    List<JsonNode> ordered = new ArrayList<>();
    choices.forEach(ordered::add);
    ordered.sort(Comparator.comparingInt(choice -> choice.path("index").asInt(0)));
    List<RawChoice> parsed = new ArrayList<>();
    for (JsonNode choice : ordered) {
      String finish = choice.path("finish_reason").asText("");
      String text;
      String reasoning = "";
      if (api == ApiStyle.CHAT) {
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
          throw new MalformedResponse("a choice has no 'message'");
        }
        // A refusal comes with null content; the record keeps the refusal as the text.
        text =
            message.path("content").isTextual()
                ? message.get("content").asText()
                : message.path("refusal").asText("");
        reasoning =
            message.path("reasoning_content").isTextual()
                ? message.get("reasoning_content").asText()
                : message.path("reasoning").asText("");
      } else {
        if (!choice.path("text").isTextual()) {
          throw new MalformedResponse("a choice has no 'text'");
        }
        text = choice.get("text").asText();
      }
      parsed.add(new RawChoice(text, reasoning, finish, finish.equals("length")));
    }
    return new Answer(
        parsed,
        usageOf(body.path("usage")),
        body.path("model").asText(""),
        body.path("system_fingerprint").asText(""));
  }

  @Override
  public Usage usage(JsonNode body) {
    return usageOf(body.path("usage"));
  }

  private static Usage usageOf(JsonNode usage) {
    return new Usage(
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
        Math.min(
            usage.path("prompt_tokens").asLong(0),
            Math.max(0, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0))));
  }

  @Override
  public Optional<String> errorMessage(JsonNode body) {
    JsonNode error = body.path("error");
    if (error.isTextual()) {
      return Optional.of(error.asText());
    }
    if (error.path("message").isTextual()) {
      return Optional.of(error.get("message").asText());
    }
    return body.path("message").isTextual()
        ? Optional.of(body.get("message").asText())
        : Optional.empty();
  }
}
