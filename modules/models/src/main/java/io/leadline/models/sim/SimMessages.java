package io.leadline.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Anthropic's Messages API on the simulator ({@code POST /v1/messages}): the chat route's answer in
 * Anthropic's shape. The prompt is the user messages' text concatenated, as the chat route builds
 * it, and the text is the responder's for sample index 0 (Anthropic has no {@code n} and no seed),
 * so a chat request and a messages request with the same prompt and temperature get the same text.
 */
final class SimMessages {
  private SimMessages() {}

  /**
   * The answer to {@code request}, whose body has sha256 {@code digest}.
   *
   * @throws SimServer.BadRequest for a request Anthropic would refuse
   */
  static ObjectNode answer(
      JsonNode request, String digest, SimProfile profile, SimResponder responder) {
    if (request == null || !request.isObject()) {
      throw new SimServer.BadRequest(400, "The request body must be a JSON object.", null);
    }
    String model = request.path("model").asText("");
    if (!model.equals(profile.snapshot())) {
      throw new SimServer.BadRequest(404, "model: " + model, null);
    }
    JsonNode maxTokensNode = request.path("max_tokens");
    if (!maxTokensNode.isIntegralNumber() || maxTokensNode.asLong() < 1) {
      throw new SimServer.BadRequest(400, "max_tokens: an integer >= 1 is required", null);
    }
    long maxTokens = maxTokensNode.asLong();
    JsonNode messages = request.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new SimServer.BadRequest(400, "messages: a non-empty array is required", null);
    }
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new SimServer.BadRequest(
            400, "messages." + i + ".role: expected 'user' or 'assistant'", null);
      }
      String text = text(message.path("content"), "messages." + i + ".content");
      if (role.equals("user")) {
        prompt.append(text);
      }
    }
    JsonNode system = request.path("system");
    if (!system.isMissingNode() && !system.isNull() && !system.isTextual()) {
      // The chat route ignores its system message for the answer; so does this one.
      text(system, "system");
    }
    JsonNode temperatureNode = request.path("temperature");
    if (!temperatureNode.isMissingNode() && !temperatureNode.isNumber()) {
      throw new SimServer.BadRequest(400, "temperature: a number in [0, 1] is required", null);
    }
    double temperature = temperatureNode.asDouble(1.0);
    if (temperature < 0 || temperature > 1) {
      throw new SimServer.BadRequest(400, "temperature: must be in [0, 1]", null);
    }
    JsonNode topP = request.path("top_p");
    if (!topP.isMissingNode()
        && !(topP.isNumber() && topP.asDouble() >= 0 && topP.asDouble() <= 1)) {
      throw new SimServer.BadRequest(400, "top_p: must be a number in [0, 1]", null);
    }
    List<String> stops = new ArrayList<>();
    JsonNode stopNode = request.path("stop_sequences");
    if (!stopNode.isMissingNode()) {
      if (!stopNode.isArray()) {
        throw new SimServer.BadRequest(
            400, "stop_sequences: an array of strings is required", null);
      }
      for (JsonNode stop : stopNode) {
        if (!stop.isTextual() || stop.asText().isEmpty()) {
          throw new SimServer.BadRequest(
              400, "stop_sequences: each must be a non-empty string", null);
        }
        stops.add(stop.asText());
      }
    }
    boolean thinking = thinking(request, maxTokens, temperatureNode, topP, profile);
    SimResponder.Reply reply =
        thinking
            ? responder.reply(prompt.toString(), true, 0, temperature)
            : new SimResponder.Reply(
                Optional.empty(), responder.respond(prompt.toString(), true, 0, temperature));
    String text = reply.answer();
    // The chat route cuts at every stop it finds, which leaves the earliest; so does this one.
    String stopReason = "end_turn";
    String stopSequence = null;
    int cut = text.length();
    for (String stop : stops) {
      int at = text.indexOf(stop);
      if (at >= 0 && at < cut) {
        cut = at;
        stopSequence = stop;
        stopReason = "stop_sequence";
      }
    }
    text = text.substring(0, cut);
    String thought = null;
    long tokens = SimServer.tokens(text);
    if (reply.thought().isPresent()) {
      SimThoughts.Generated generated =
          SimThoughts.separate(reply.thought().get(), text, maxTokens);
      thought = generated.reasoning();
      text = generated.answer();
      tokens = generated.tokens();
      if (generated.truncated()) {
        stopReason = "max_tokens";
        stopSequence = null;
      }
    } else if (tokens > maxTokens) {
      text = text.substring(0, (int) Math.min(text.length(), maxTokens * 4));
      tokens = maxTokens;
      stopReason = "max_tokens";
      stopSequence = null;
    }
    ObjectNode response = SimServer.mapper().createObjectNode();
    response.put("id", "msg_sim_" + digest.substring(0, 24));
    response.put("type", "message");
    response.put("role", "assistant");
    response.put("model", profile.snapshot());
    com.fasterxml.jackson.databind.node.ArrayNode content = response.putArray("content");
    if (thought != null) {
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", thought)
          .put("signature", "sim-" + digest.substring(0, 32));
    }
    if (thought == null || !text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    response.put("stop_reason", stopReason);
    if (stopSequence == null) {
      response.putNull("stop_sequence");
    } else {
      response.put("stop_sequence", stopSequence);
    }
    response
        .putObject("usage")
        .put("input_tokens", SimServer.tokens(prompt.toString()))
        .put("output_tokens", tokens);
    response.put("simulated", true);
    return response;
  }

  /**
   * Whether {@code request} enables extended thinking, refusing it as Anthropic does: to a model
   * that does not think, with a budget under 1,024 tokens or not below {@code max_tokens}, or with
   * a temperature other than 1 or a top_p under 0.95.
   */
  private static boolean thinking(
      JsonNode request, long maxTokens, JsonNode temperature, JsonNode topP, SimProfile profile) {
    JsonNode thinking = request.path("thinking");
    if (thinking.isMissingNode() || thinking.isNull()) {
      return false;
    }
    String type = thinking.path("type").asText("");
    if (type.equals("disabled")) {
      return false;
    }
    if (!type.equals("enabled")) {
      throw new SimServer.BadRequest(400, "thinking.type: expected 'enabled' or 'disabled'", null);
    }
    if (profile.reasoning().isEmpty()) {
      throw new SimServer.BadRequest(
          400, "thinking: this model does not support extended thinking", null);
    }
    JsonNode budget = thinking.path("budget_tokens");
    if (!budget.isIntegralNumber() || budget.asLong() < 1024) {
      throw new SimServer.BadRequest(
          400, "thinking.budget_tokens: an integer >= 1024 is required", null);
    }
    if (budget.asLong() >= maxTokens) {
      throw new SimServer.BadRequest(
          400, "max_tokens: must be greater than thinking.budget_tokens", null);
    }
    if (!temperature.isMissingNode() && temperature.asDouble() != 1.0) {
      throw new SimServer.BadRequest(
          400, "temperature: may only be set to 1 when thinking is enabled", null);
    }
    if (!topP.isMissingNode() && topP.asDouble() < 0.95) {
      throw new SimServer.BadRequest(
          400, "top_p: must be between 0.95 and 1 when thinking is enabled", null);
    }
    return true;
  }

  /** A message's content: a string, or the text of an array of {@code text} blocks. */
  private static String text(JsonNode content, String where) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw new SimServer.BadRequest(
          400, where + ": expected a string or an array of text blocks", null);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      if (!block.path("type").asText("").equals("text") || !block.path("text").isTextual()) {
        throw new SimServer.BadRequest(
            400, where + "." + i + ": expected {type: text, text: <string>}", null);
      }
      text.append(block.get("text").asText());
    }
    return text.toString();
  }

  /** Anthropic's error type for an HTTP status. */
  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** An error body in Anthropic's shape: {@code {type: error, error: {type, message}}}. */
  static ObjectNode error(String type, String message) {
    ObjectNode error = SimServer.mapper().createObjectNode().put("type", "error");
    error.putObject("error").put("type", type).put("message", message);
    return error;
  }
}
