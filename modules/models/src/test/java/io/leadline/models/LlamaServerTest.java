package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ChatWrapping;
import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelClient;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@code leadline serve}'s server: Leadline's own OpenAI-compatible client, pointed at it, gets the
 * embedded engine's exact text, on completions and chat; the model's facts on {@code /v1/models};
 * llama.cpp's context error for a prompt too long.
 */
public class LlamaServerTest {
  private LlamaEngine engine;
  private LlamaServer server;
  private ModelClient direct;

  @BeforeClass
  public void start() {
    engine =
        LlamaEngine.load(
            new LocalModel(LlamaEngineTest.MODEL.toString(), OptionalInt.of(256), 1, 2));
    server = LlamaServer.start("stories260K", engine, "127.0.0.1", 0);
    ModelSpec spec =
        ModelsFile.parse(
                "m.yaml",
                "models:\n  - {name: tiny, provider: llama-cpp, model_file: '"
                    + LlamaEngineTest.MODEL
                    + "'}\n")
            .model("tiny");
    direct = ModelClients.local(spec, engine, Budget.unlimited());
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  private ModelClient http(String api) {
    return ModelClients.create(
        ModelsFile.parse(
                "m.yaml",
                "models:\n  - {name: served, provider: openai-compatible, base_url: "
                    + server.baseUrl()
                    + ", model: stories260K, api: "
                    + api
                    + "}\n")
            .model("served"),
        Map.of(),
        Budget.unlimited());
  }

  private static Completion completed(ModelResult result) {
    assertTrue(result instanceof ModelResult.Completed, result.toString());
    return ((ModelResult.Completed) result).completion();
  }

  private static List<String> texts(Completion completion) {
    return completion.choices().stream().map(Choice::text).toList();
  }

  @Test
  public void theOpenAiClientGetsTheEnginesExactText() {
    List<Sampling> samplings =
        List.of(
            new Sampling(0, Optional.empty(), 40, List.of(), 1, OptionalLong.empty()),
            new Sampling(0, Optional.empty(), 60, List.of(" park"), 1, OptionalLong.of(3)),
            new Sampling(0.9, Optional.of(0.95), 30, List.of(), 2, OptionalLong.of(11)));
    try (ModelClient completions = http("completions");
        ModelClient chat = http("chat")) {
      for (Sampling sampling : samplings) {
        CompletionRequest request =
            new CompletionRequest(LlamaEngineTest.PROMPT, ChatWrapping.NONE, sampling);
        Completion expected = completed(direct.complete(request));
        Completion served = completed(completions.complete(request));
        assertEquals(texts(served), texts(expected), sampling.toString());
        assertEquals(
            served.choices().get(0).finishReason(), expected.choices().get(0).finishReason());
        assertEquals(served.usage().promptTokens(), expected.usage().promptTokens());
        assertEquals(served.usage().completionTokens(), expected.usage().completionTokens());
        assertFalse(served.simulated());
        // Without a chat template, the one user message is the prompt.
        assertEquals(texts(completed(chat.complete(request))), texts(expected));
      }
    }
    assertTrue(
        texts(
                completed(
                    direct.complete(
                        new CompletionRequest(
                            LlamaEngineTest.PROMPT, ChatWrapping.NONE, Sampling.greedy(20)))))
            .get(0)
            .startsWith(", there was a little girl"));
  }

  @Test
  public void modelsListsTheModelsFacts() throws Exception {
    JsonNode body = get("/models");
    JsonNode model = body.path("data").path(0);
    assertEquals(model.path("id").asText(), "stories260K");
    assertEquals(model.path("meta").path("n_params").asLong(), 292_800);
    assertEquals(model.path("meta").path("n_vocab").asInt(), 512);
    assertEquals(model.path("meta").path("n_ctx_train").asInt(), 2048);
    assertEquals(model.path("meta").path("n_ctx").asInt(), 256);
  }

  @Test
  public void aPromptLongerThanTheContextIsLlamaCppsContextError() throws Exception {
    String prompt = "Once upon a time ".repeat(80);
    HttpResponse<String> response = post("/completions", Map.of("prompt", prompt, "max_tokens", 5));
    assertEquals(response.statusCode(), 400, response.body());
    JsonNode error = new ObjectMapper().readTree(response.body()).path("error");
    assertEquals(error.path("type").asText(), "exceed_context_size_error");
    assertEquals(error.path("n_prompt_tokens").asInt(), engine.promptTokens(prompt));
    assertEquals(error.path("n_ctx").asInt(), 256);
    HttpResponse<String> bad = post("/completions", Map.of("prompt", 3));
    assertEquals(bad.statusCode(), 400, bad.body());
    assertTrue(bad.body().contains("'prompt' must be a string"), bad.body());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(response.statusCode(), 200, response.body());
    return new ObjectMapper().readTree(response.body());
  }

  private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new ObjectMapper().writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
