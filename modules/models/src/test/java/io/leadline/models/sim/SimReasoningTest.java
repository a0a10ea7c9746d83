package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
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

/**
 * A reasoning profile over real HTTP: its reasoning in each of the chat route's shapes and in
 * Anthropic's thinking blocks, the answer after it, the exact share of items whose reasoning never
 * ends, and the requests a reasoning model refuses as OpenAI and Anthropic do.
 */
public class SimReasoningTest {
  private static final SimAnswerKey KEY = BundledKeys.bundled(Set.of("gsm8k"));
  private static final String REASONING = "reasoning: {chat: %s, truncated: 0.2}\n";

  private final java.util.Map<String, SimServer> servers = new java.util.LinkedHashMap<>();

  @BeforeClass
  public void start() {
    for (String shape : List.of("reasoning_content", "reasoning", "think", "hidden", "plain")) {
      SimProfile profile =
          SimServerTest.profile(
              "gsm8k: 0.6", shape.equals("plain") ? "" : String.format(REASONING, shape));
      servers.put(shape, SimServer.start(profile, KEY, "127.0.0.1", 0, Optional.empty()));
    }
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    servers.values().forEach(SimServer::close);
  }

  private static List<SimItem> gsm8k() {
    return KEY.items().stream().filter(i -> i.benchmark().equals("gsm8k")).toList();
  }

  private static String prompt(SimItem item) {
    return "Q: " + item.needle() + "\nA: Let's think step by step.";
  }

  private static ObjectNode chat(String prompt, int maxTokens) {
    ObjectNode body = SimMessagesTest.chat(prompt, 0);
    body.put("max_tokens", maxTokens);
    return body;
  }

  private JsonNode post(String shape, String path, JsonNode body) {
    SimHttp http =
        path.equals("/messages")
            ? SimHttp.anthropic(servers.get(shape), null)
            : SimHttp.openAi(servers.get(shape), null);
    HttpResponse<String> response = http.post(path, body);
    assertEquals(response.statusCode(), 200, response.body());
    return SimHttp.json(response);
  }

  @Test
  public void reasonsApartFromTheAnswerWhichIsThePlainProfiles() {
    SimProfile profile = servers.get("reasoning_content").profile();
    int withCandidate = 0;
    for (SimItem item : gsm8k()) {
      String prompt = prompt(item);
      SimServer.Reasoned reasoned = SimServer.reasoned(profile, KEY, prompt, 0).orElseThrow();
      String plain =
          post("plain", "/chat/completions", chat(prompt, 1024))
              .at("/choices/0/message/content")
              .asText();
      // The answer after the reasoning is what the profile answers without reasoning.
      assertEquals(reasoned.answer(), plain);
      for (String shape : List.of("reasoning_content", "reasoning")) {
        JsonNode choice = post(shape, "/chat/completions", chat(prompt, 1024)).at("/choices/0");
        JsonNode message = choice.get("message");
        if (reasoned.endless()) {
          assertTrue(message.get("content").isNull(), message.toString());
          assertEquals(choice.get("finish_reason").asText(), "length");
          assertTrue(message.get(shape).asText().startsWith(reasoned.reasoning()));
        } else {
          assertEquals(message.get("content").asText(), plain);
          assertEquals(message.get(shape).asText(), reasoned.reasoning());
          assertEquals(choice.get("finish_reason").asText(), "stop");
        }
        assertFalse(message.has(shape.equals("reasoning") ? "reasoning_content" : "reasoning"));
      }
      // The wrong candidate, in the answer format, is in the reasoning.
      if (reasoned.reasoning().contains("The answer is " + item.wrong() + ".")) {
        withCandidate++;
      }
    }
    assertEquals(withCandidate, gsm8k().size());
  }

  @Test
  public void exactlyTheProfilesShareOfItemsReasonsWithoutEnd() {
    SimProfile profile = servers.get("reasoning_content").profile();
    long endless =
        gsm8k().stream()
            .filter(
                item -> SimServer.reasoned(profile, KEY, prompt(item), 0).orElseThrow().endless())
            .count();
    assertEquals(gsm8k().size(), 50);
    assertEquals(endless, 10, "0.2 of 50 items");
    // Another seed picks other items, as many.
    SimProfile other =
        SimProfile.parse(
            "other.yaml",
            "snapshot: sim-test\ndifficulty_seed: 5\nseed: 10\naccuracy: {gsm8k: 0.6}\n"
                + String.format(REASONING, "reasoning"));
    List<Boolean> mine =
        gsm8k().stream()
            .map(item -> SimServer.reasoned(profile, KEY, prompt(item), 0).orElseThrow().endless())
            .toList();
    List<Boolean> theirs =
        gsm8k().stream()
            .map(item -> SimServer.reasoned(other, KEY, prompt(item), 0).orElseThrow().endless())
            .toList();
    assertEquals(theirs.stream().filter(b -> b).count(), 10);
    assertFalse(mine.equals(theirs));
  }

  @Test
  public void endlessReasoningRunsToTheTokenLimitAndCountsAsCompletionTokens() {
    SimProfile profile = servers.get("reasoning_content").profile();
    for (SimItem item : gsm8k()) {
      String prompt = prompt(item);
      SimServer.Reasoned reasoned = SimServer.reasoned(profile, KEY, prompt, 0).orElseThrow();
      JsonNode response = post("reasoning_content", "/chat/completions", chat(prompt, 300));
      JsonNode usage = response.get("usage");
      long reasoning = usage.at("/completion_tokens_details/reasoning_tokens").asLong();
      String content = response.at("/choices/0/message/content").asText("");
      assertEquals(
          usage.get("completion_tokens").asLong(),
          reasoning + (content.isEmpty() ? 0 : SimServer.tokens(content)));
      if (reasoned.endless()) {
        assertEquals(usage.get("completion_tokens").asLong(), 300);
      } else {
        assertEquals(reasoning, SimServer.tokens(reasoned.reasoning()));
      }
    }
  }

  @Test
  public void thinkShapeWritesTheReasoningInlineAndHiddenOnlyCountsIt() {
    SimProfile profile = servers.get("think").profile();
    for (SimItem item : gsm8k().subList(0, 20)) {
      String prompt = prompt(item);
      SimServer.Reasoned reasoned = SimServer.reasoned(profile, KEY, prompt, 0).orElseThrow();
      JsonNode think = post("think", "/chat/completions", chat(prompt, 1024));
      String content = think.at("/choices/0/message/content").asText();
      assertTrue(content.startsWith("<think>\n" + reasoned.reasoning()), content);
      assertEquals(content.contains("</think>"), !reasoned.endless(), content);
      if (!reasoned.endless()) {
        assertTrue(content.endsWith("</think>\n\n" + reasoned.answer()), content);
      }
      assertTrue(think.at("/usage/completion_tokens_details").isMissingNode());

      JsonNode hidden = post("hidden", "/chat/completions", chat(prompt, 1024));
      JsonNode message = hidden.at("/choices/0/message");
      assertFalse(message.has("reasoning_content") || message.has("reasoning"));
      assertTrue(hidden.at("/usage/completion_tokens_details/reasoning_tokens").asLong() > 0);
    }
  }

  @Test
  public void anthropicThinkingBlocksOnlyWhenThinkingIsEnabled() {
    SimProfile profile = servers.get("reasoning_content").profile();
    for (SimItem item : gsm8k().subList(0, 20)) {
      String prompt = prompt(item);
      // Thinking takes temperature 1 only: the answer is sampled at 1.
      SimServer.Reasoned reasoned = SimServer.reasoned(profile, KEY, prompt, 1).orElseThrow();
      ObjectNode body = SimMessagesTest.messages(prompt, 1);
      body.remove("temperature");
      body.put("max_tokens", 1500);
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
      JsonNode message = post("reasoning_content", "/messages", body);
      JsonNode content = message.get("content");
      assertEquals(content.get(0).get("type").asText(), "thinking");
      assertTrue(content.get(0).get("signature").asText().startsWith("sim-"));
      if (reasoned.endless()) {
        assertEquals(content.size(), 1, message.toString());
        assertEquals(message.get("stop_reason").asText(), "max_tokens");
        assertEquals(message.at("/usage/output_tokens").asLong(), 1500);
      } else {
        assertEquals(content.get(0).get("thinking").asText(), reasoned.reasoning());
        assertEquals(content.get(1).get("text").asText(), reasoned.answer());
        assertEquals(message.get("stop_reason").asText(), "end_turn");
        assertEquals(
            message.at("/usage/output_tokens").asLong(),
            SimServer.tokens(reasoned.reasoning()) + SimServer.tokens(reasoned.answer()));
      }
      // Without thinking: the plain answer, no thinking block.
      JsonNode plain = post("reasoning_content", "/messages", SimMessagesTest.messages(prompt, 1));
      assertEquals(plain.get("content").size(), 1);
      assertEquals(plain.at("/content/0/text").asText(), reasoned.answer());
    }
  }

  @Test
  public void refusesWhatReasoningModelsRefuse() {
    String prompt = prompt(gsm8k().get(0));
    ObjectNode ok = SimMessagesTest.chat(prompt, 0);
    ok.remove("temperature");
    ok.put("reasoning_effort", "high").put("max_completion_tokens", 500);
    post("hidden", "/chat/completions", ok);
    assertRefused(
        "hidden",
        "/chat/completions",
        ok.deepCopy().put("temperature", 0),
        "'temperature' does not support 0");
    assertRefused(
        "hidden",
        "/chat/completions",
        ok.deepCopy().put("top_p", 0.9),
        "'top_p' does not support 0.9");
    assertRefused(
        "hidden", "/chat/completions", ok.deepCopy().put("stop", "Q:"), "'stop' is not supported");
    ObjectNode maxTokens = ok.deepCopy();
    maxTokens.remove("max_completion_tokens");
    maxTokens.put("max_tokens", 500);
    assertRefused("hidden", "/chat/completions", maxTokens, "Use 'max_completion_tokens'");
    assertRefused(
        "hidden",
        "/chat/completions",
        ok.deepCopy().put("reasoning_effort", "max"),
        "Invalid value: 'max'");
    assertRefused("plain", "/chat/completions", ok, "'reasoning_effort' is not supported");

    ObjectNode thinking = SimMessagesTest.messages(prompt, 1);
    thinking.put("max_tokens", 2000);
    thinking.putObject("thinking").put("type", "enabled").put("budget_tokens", 1024);
    post("hidden", "/messages", thinking);
    assertRefused(
        "hidden",
        "/messages",
        thinking.deepCopy().put("temperature", 0),
        "temperature: may only be set to 1");
    assertRefused(
        "hidden",
        "/messages",
        thinking.deepCopy().put("max_tokens", 1024),
        "max_tokens: must be greater");
    ObjectNode small = thinking.deepCopy();
    ((ObjectNode) small.get("thinking")).put("budget_tokens", 512);
    assertRefused("hidden", "/messages", small, "budget_tokens: an integer >= 1024");
    assertRefused("plain", "/messages", thinking, "does not support extended thinking");
  }

  private void assertRefused(String shape, String path, JsonNode body, String message) {
    SimHttp http =
        path.equals("/messages")
            ? SimHttp.anthropic(servers.get(shape), null)
            : SimHttp.openAi(servers.get(shape), null);
    HttpResponse<String> response = http.post(path, body);
    assertEquals(response.statusCode(), 400, response.body());
    assertTrue(response.body().contains(message), response.body());
  }

  @Test
  public void countsTheFieldsItReceived() {
    try (SimServer server =
        SimServer.start(servers.get("plain").profile(), KEY, "127.0.0.1", 0, Optional.empty())) {
      SimHttp http = SimHttp.openAi(server, null);
      for (int i = 0; i < 3; i++) {
        assertEquals(
            http.post("/chat/completions", chat(prompt(gsm8k().get(i)), 64)).statusCode(), 200);
      }
      assertEquals(
          server.fieldsReceived(),
          new java.util.TreeMap<>(
              java.util.Map.of(
                  "/v1/chat/completions max_tokens=64", 3L,
                  "/v1/chat/completions messages", 3L,
                  "/v1/chat/completions model=\"sim-test\"", 3L,
                  "/v1/chat/completions temperature=0.0", 3L)));
    }
  }
}
