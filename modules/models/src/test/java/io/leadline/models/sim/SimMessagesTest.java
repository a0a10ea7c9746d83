package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Anthropic's Messages API on the simulator, over real HTTP. */
public class SimMessagesTest {
  static final SimAnswerKey KEY = BundledKeys.bundled(Set.of("gsm8k", "triviaqa"));
  private static final String SECRET = "sk-ant-test-secret";

  private SimServer server;
  private SimHttp anthropic;
  private SimHttp openAi;

  @BeforeClass
  public void start() {
    server =
        SimServer.start(
            SimServerTest.profile("default: 0.5", ""), KEY, "127.0.0.1", 0, Optional.of(SECRET));
    anthropic = SimHttp.anthropic(server, SECRET);
    openAi = SimHttp.openAi(server, SECRET);
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    server.close();
  }

  static String gsm8kPrompt(int index) {
    SimItem item =
        KEY.items().stream()
            .filter(i -> i.benchmark().equals("gsm8k"))
            .skip(index)
            .findFirst()
            .orElseThrow();
    return "Q: " + item.needle() + "\nA:";
  }

  static ObjectNode messages(String prompt, double temperature) {
    ObjectNode body = SimHttp.MAPPER.createObjectNode();
    body.put("model", "sim-test").put("max_tokens", 1024).put("temperature", temperature);
    body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    return body;
  }

  static ObjectNode chat(String prompt, double temperature) {
    ObjectNode body = SimHttp.MAPPER.createObjectNode();
    body.put("model", "sim-test").put("temperature", temperature);
    body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    return body;
  }

  @Test
  public void answersInAnthropicsShapeWithTheChatRoutesText() {
    for (int i = 0; i < 4; i++) {
      for (double temperature : List.of(0.0, 0.8)) {
        String prompt = gsm8kPrompt(i);
        HttpResponse<String> response = anthropic.post("/messages", messages(prompt, temperature));
        assertEquals(response.statusCode(), 200, response.body());
        assertEquals(response.headers().firstValue("X-Leadline-Simulated").orElse(""), "true");
        JsonNode message = SimHttp.json(response);
        assertTrue(message.get("id").asText().matches("msg_sim_[0-9a-f]{24}"), message.toString());
        assertEquals(message.get("type").asText(), "message");
        assertEquals(message.get("role").asText(), "assistant");
        assertEquals(message.get("model").asText(), "sim-test");
        assertEquals(message.get("stop_reason").asText(), "end_turn");
        assertTrue(message.get("stop_sequence").isNull());
        assertTrue(message.get("simulated").asBoolean());
        assertEquals(message.get("content").size(), 1);
        assertEquals(message.at("/content/0/type").asText(), "text");
        JsonNode completion =
            SimHttp.json(openAi.post("/chat/completions", chat(prompt, temperature)));
        assertEquals(
            message.at("/content/0/text").asText(),
            completion.at("/choices/0/message/content").asText(),
            "item " + i + " at T=" + temperature);
        assertEquals(
            message.at("/usage/input_tokens").asLong(),
            completion.at("/usage/prompt_tokens").asLong());
        assertEquals(
            message.at("/usage/output_tokens").asLong(),
            completion.at("/usage/completion_tokens").asLong());
      }
    }
  }

  @Test
  public void readsTextBlocksAndIgnoresSystemAndAssistantTurns() {
    String prompt = gsm8kPrompt(1);
    ObjectNode blocks = messages("", 0);
    blocks.put("system", "You are a careful solver.");
    var list = blocks.putArray("messages");
    var user = list.addObject().put("role", "user").putArray("content");
    user.addObject().put("type", "text").put("text", prompt.substring(0, 10));
    user.addObject().put("type", "text").put("text", prompt.substring(10));
    JsonNode message = SimHttp.json(anthropic.post("/messages", blocks));
    JsonNode plain = SimHttp.json(anthropic.post("/messages", messages(prompt, 0)));
    assertEquals(message.at("/content/0/text").asText(), plain.at("/content/0/text").asText());
    assertTrue(
        message.at("/content/0/text").asText().contains("The answer is"), message.toString());
  }

  @Test
  public void stopSequencesAndMaxTokensSetTheStopReason() {
    String prompt = gsm8kPrompt(0);
    String full =
        SimHttp.json(anthropic.post("/messages", messages(prompt, 0)))
            .at("/content/0/text")
            .asText();
    ObjectNode stopped = messages(prompt, 0);
    stopped.putArray("stop_sequences").add("zzz-never").add("The answer");
    JsonNode atStop = SimHttp.json(anthropic.post("/messages", stopped));
    assertEquals(atStop.get("stop_reason").asText(), "stop_sequence");
    assertEquals(atStop.get("stop_sequence").asText(), "The answer");
    assertEquals(
        atStop.at("/content/0/text").asText(), full.substring(0, full.indexOf("The answer")));
    ObjectNode capped = messages(prompt, 0).put("max_tokens", 3);
    JsonNode atCap = SimHttp.json(anthropic.post("/messages", capped));
    assertEquals(atCap.get("stop_reason").asText(), "max_tokens");
    assertEquals(atCap.at("/content/0/text").asText(), full.substring(0, 12));
    assertEquals(atCap.at("/usage/output_tokens").asLong(), 3);
  }

  @Test
  public void refusesInAnthropicsErrorShape() {
    assertError(
        anthropic.post("/messages", messages("hi", 0).put("model", "claude-x")),
        404,
        "not_found_error");
    ObjectNode noMax = messages("hi", 0);
    noMax.remove("max_tokens");
    assertError(anthropic.post("/messages", noMax), 400, "invalid_request_error");
    assertError(
        anthropic.post("/messages", messages("hi", 0).put("max_tokens", 0)),
        400,
        "invalid_request_error");
    assertError(anthropic.post("/messages", messages("hi", 1.5)), 400, "invalid_request_error");
    ObjectNode empty = messages("hi", 0);
    empty.putArray("messages");
    assertError(anthropic.post("/messages", empty), 400, "invalid_request_error");
    ObjectNode badBlock = messages("hi", 0);
    badBlock
        .putArray("messages")
        .addObject()
        .put("role", "user")
        .putArray("content")
        .addObject()
        .put("type", "image");
    assertError(anthropic.post("/messages", badBlock), 400, "invalid_request_error");
    assertError(anthropic.post("/messages", "{not json"), 400, "invalid_request_error");
  }

  @Test
  public void authenticatesByXApiKeyAndNeedsTheVersionHeader() {
    assertError(
        SimHttp.anthropic(server, null).post("/messages", messages("hi", 0)),
        401,
        "authentication_error");
    assertError(
        SimHttp.anthropic(server, "wrong").post("/messages", messages("hi", 0)),
        401,
        "authentication_error");
    // Anthropic's route does not take OpenAI's Bearer header, nor OpenAI's route Anthropic's.
    HttpResponse<String> bearer = openAi.post("/messages", messages("hi", 0));
    assertError(bearer, 401, "authentication_error");
    assertEquals(anthropic.post("/chat/completions", chat("hi", 0)).statusCode(), 401);
    HttpResponse<String> noVersion =
        new SimHttpWithout(server, SECRET).post("/messages", messages("hi", 0));
    assertError(noVersion, 400, "invalid_request_error");
    assertTrue(SimHttp.json(noVersion).at("/error/message").asText().contains("anthropic-version"));
    assertEquals(anthropic.post("/messages", messages("hi", 0)).statusCode(), 200);
  }

  @Test
  public void transientFaultsUseAnthropicsErrorTypes() {
    SimProfile limited =
        SimServerTest.profile(
            "default: 0.5", "faults: {rate_limited: 1.0, retry_after_seconds: 3}\n");
    try (SimServer faulty = SimServer.start(limited, KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpResponse<String> response =
          SimHttp.anthropic(faulty, null).post("/messages", messages("hi", 0));
      assertError(response, 429, "rate_limit_error");
      assertEquals(response.headers().firstValue("Retry-After").orElse(""), "3");
    }
    SimProfile broken = SimServerTest.profile("default: 0.5", "faults: {server_error: 1.0}\n");
    try (SimServer faulty = SimServer.start(broken, KEY, "127.0.0.1", 0, Optional.empty())) {
      assertError(
          SimHttp.anthropic(faulty, null).post("/messages", messages("hi", 0)), 500, "api_error");
      assertEquals(faulty.promptTokensReported(), 0, "a fault reports no usage");
    }
  }

  @Test
  public void countsTheTokensOfSuccessfulAnswersInBothShapes() {
    try (SimServer fresh =
        SimServer.start(
            SimServerTest.profile("default: 0.5", ""), KEY, "127.0.0.1", 0, Optional.empty())) {
      JsonNode message =
          SimHttp.json(
              SimHttp.anthropic(fresh, null).post("/messages", messages(gsm8kPrompt(2), 0)));
      JsonNode completion =
          SimHttp.json(
              SimHttp.openAi(fresh, null).post("/chat/completions", chat(gsm8kPrompt(3), 0)));
      SimHttp.anthropic(fresh, null).post("/messages", messages("hi", 0).put("model", "nope"));
      assertEquals(
          fresh.promptTokensReported(),
          message.at("/usage/input_tokens").asLong()
              + completion.at("/usage/prompt_tokens").asLong());
      assertEquals(
          fresh.completionTokensReported(),
          message.at("/usage/output_tokens").asLong()
              + completion.at("/usage/completion_tokens").asLong());
    }
  }

  static void assertError(HttpResponse<String> response, int status, String type) {
    assertEquals(response.statusCode(), status, response.body());
    JsonNode body = SimHttp.json(response);
    assertEquals(body.get("type").asText(), "error", response.body());
    assertEquals(body.at("/error/type").asText(), type, response.body());
    assertTrue(body.at("/error/message").isTextual(), response.body());
  }

  /** Anthropic's key without its version header. */
  private static final class SimHttpWithout {
    private final SimServer server;
    private final String key;

    SimHttpWithout(SimServer server, String key) {
      this.server = server;
      this.key = key;
    }

    HttpResponse<String> post(String path, JsonNode body) {
      try {
        return java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path))
                    .header("x-api-key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(SimHttp.bytes(body)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
