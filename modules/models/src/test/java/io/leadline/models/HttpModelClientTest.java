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
import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.Completed;
import io.leadline.api.ModelResult.Failed;
import io.leadline.api.ModelResult.FailureReason;
import io.leadline.api.RetryPolicy;
import io.leadline.api.Sampling;
import io.leadline.models.ScriptedServer.Reply;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;

/** Every client against a real server on 127.0.0.1 that answers from a script. */
public class HttpModelClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Made at run time, so no key-shaped literal sits in the source. */
  private static final String KEY = "canary-" + UUID.randomUUID().toString().replace("-", "");

  private ScriptedServer server;

  @AfterMethod(alwaysRun = true)
  public void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  static String chatAnswer(String... texts) {
    StringBuilder choices = new StringBuilder();
    for (int i = 0; i < texts.length; i++) {
      if (i > 0) {
        choices.append(',');
      }
      choices.append(
          String.format(
              "{\"index\":%d,\"message\":{\"role\":\"assistant\",\"content\":%s},\"finish_reason\":\"stop\"}",
              i, quote(texts[i])));
    }
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m-0613\","
        + "\"system_fingerprint\":\"fp_1\",\"choices\":["
        + choices
        + "],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":"
        + 5 * texts.length
        + ",\"total_tokens\":"
        + (10 + 5 * texts.length)
        + "}}";
  }

  private static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ModelSpec spec(Provider provider, ApiStyle api, String extra) {
    String yaml =
        "models:\n  - name: m\n    provider: "
            + provider.id()
            + "\n    base_url: "
            + server.baseUrl()
            + "\n    model: test-model\n    api: "
            + api.id()
            + "\n    api_key_env: TEST_KEY\n    timeout_seconds: 1\n    max_attempts: 4\n"
            + extra;
    return ModelsFile.parse("models.yaml", yaml).models().get(0);
  }

  private HttpModelClient client(ModelSpec spec) {
    return client(spec, Budget.unlimited());
  }

  private HttpModelClient client(ModelSpec spec, Budget budget) {
    return ModelClients.create(
        spec,
        Map.of("TEST_KEY", KEY),
        budget,
        ModelClients.retryPolicy(spec, Duration.ofMillis(10)));
  }

  private static CompletionRequest request(String prompt) {
    return new CompletionRequest(prompt, ChatWrapping.GPT_FATHOM, Sampling.greedy(64));
  }

  private static Completion completed(ModelResult result) {
    if (result instanceof Completed completed) {
      return completed.completion();
    }
    throw new AssertionError("expected a completion, got " + result);
  }

  private static Failed failed(ModelResult result) {
    if (result instanceof Failed failed) {
      return failed;
    }
    throw new AssertionError("expected a failure, got " + result);
  }

  private JsonNode body(int index) throws IOException {
    return MAPPER.readTree(server.requests().get(index).body());
  }

  @Test
  public void sendsGptFathomChatRequestToOpenAi() throws IOException {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("The answer is 4.")));
    ModelSpec spec = spec(Provider.OPENAI, ApiStyle.CHAT, "");
    Sampling sampling =
        new Sampling(
            0.8,
            Optional.of(0.95),
            512,
            List.of("\nclass", "\ndef", "\n#", "\nif", "\nprint"),
            1,
            OptionalLong.of(7));
    Completion completion =
        completed(
            client(spec)
                .complete(
                    new CompletionRequest("Q: 2+2?\nA: ", ChatWrapping.GPT_FATHOM, sampling)));

    ScriptedServer.Recorded sent = server.requests().get(0);
    assertEquals(sent.method(), "POST");
    assertEquals(sent.path(), "/v1/chat/completions");
    assertEquals(sent.header("Authorization"), "Bearer " + KEY);
    assertEquals(sent.header("Content-Type"), "application/json");
    assertEquals(
        body(0).toString(),
        "{\"model\":\"test-model\",\"messages\":[{\"role\":\"system\",\"content\":\"Follow the given"
            + " instructions and examples, answer the question.\"},{\"role\":\"user\",\"content\":\"Q:"
            + " 2+2?\\nA: \"}],\"temperature\":0.8,\"top_p\":0.95,\"max_completion_tokens\":512,"
            + "\"stop\":[\"\\nclass\",\"\\ndef\",\"\\n#\",\"\\nif\"],\"seed\":7}");
    assertEquals(completion.choices().get(0).text(), "The answer is 4.");
    assertEquals(completion.reportedModel(), "m-0613");
    assertEquals(completion.systemFingerprint(), "fp_1");
    assertEquals(completion.usage().promptTokens(), 10);
    assertEquals(completion.usage().completionTokens(), 5);
    assertEquals(completion.attempts(), 1);
  }

  @Test
  public void sendsPlainPromptToCompletionsWithoutSystemMessage() throws IOException {
    server =
        ScriptedServer.start(
            r ->
                Reply.json(
                    200,
                    "{\"object\":\"text_completion\",\"model\":\"llama\",\"choices\":[{\"index\":0,"
                        + "\"text\":\"    return x\\nprint(1)\",\"finish_reason\":\"length\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}"));
    ModelSpec spec = spec(Provider.OPENAI_COMPATIBLE, ApiStyle.COMPLETIONS, "");
    Sampling sampling =
        new Sampling(
            0,
            Optional.empty(),
            16,
            List.of("\nclass", "\ndef", "\n#", "\nif", "\nprint"),
            1,
            OptionalLong.empty());
    Choice choice =
        completed(
                client(spec)
                    .complete(
                        new CompletionRequest("def f(x):\n", ChatWrapping.GPT_FATHOM, sampling)))
            .choices()
            .get(0);

    assertEquals(server.requests().get(0).path(), "/v1/completions");
    assertEquals(
        body(0).toString(),
        "{\"model\":\"test-model\",\"prompt\":\"def f(x):\\n\",\"temperature\":0.0,\"max_tokens\":16,"
            + "\"stop\":[\"\\nclass\",\"\\ndef\",\"\\n#\",\"\\nif\"]}");
    // The fifth stop sequence did not fit OpenAI's four; the client applies it.
    assertEquals(choice.text(), "    return x");
    assertEquals(choice.rawText(), "    return x\nprint(1)");
    assertFalse(choice.truncated(), "cut at a stop sequence, so not truncated");
  }

  @Test
  public void chatPlainSendsNoSystemMessage() throws IOException {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, ""))
        .complete(new CompletionRequest("hi", ChatWrapping.NONE, Sampling.greedy(5)));
    assertEquals(body(0).get("messages").toString(), "[{\"role\":\"user\",\"content\":\"hi\"}]");
    assertEquals(body(0).get("max_tokens").asInt(), 5, "servers other than OpenAI take max_tokens");
  }

  @Test
  public void sendsAnthropicMessagesAndReadsThinking() throws IOException {
    server =
        ScriptedServer.start(
            r ->
                Reply.json(
                    200,
                    "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\","
                        + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"2+2 is 4\",\"signature\":\"s\"},"
                        + "{\"type\":\"text\",\"text\":\"The answer is 4\"}],\"stop_reason\":\"max_tokens\","
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":30}}"));
    ModelSpec spec = spec(Provider.ANTHROPIC, ApiStyle.CHAT, "");
    Sampling sampling =
        new Sampling(0, Optional.empty(), 30, List.of("\n\n"), 1, OptionalLong.of(3));
    Completion completion =
        completed(
            client(spec)
                .complete(new CompletionRequest("Q: 2+2?", ChatWrapping.GPT_FATHOM, sampling)));

    ScriptedServer.Recorded sent = server.requests().get(0);
    assertEquals(sent.path(), "/v1/messages");
    assertEquals(sent.header("x-api-key"), KEY);
    assertEquals(sent.header("anthropic-version"), "2023-06-01");
    assertEquals(sent.header("Authorization"), null);
    assertEquals(
        body(0).toString(),
        "{\"model\":\"test-model\",\"max_tokens\":30,\"system\":\"Follow the given instructions and"
            + " examples, answer the question.\",\"messages\":[{\"role\":\"user\",\"content\":\"Q:"
            + " 2+2?\"}],\"temperature\":0.0,\"stop_sequences\":[\"\\n\\n\"]}");
    Choice choice = completion.choices().get(0);
    assertEquals(choice.text(), "The answer is 4");
    assertEquals(choice.reasoning(), "2+2 is 4");
    assertTrue(choice.truncated());
    assertEquals(completion.usage().promptTokens(), 12);
    assertEquals(completion.reportedModel(), "claude-x");
  }

  @Test
  public void anthropicSplitsSeveralSamplesIntoRequests() throws IOException {
    server =
        ScriptedServer.start(
            r ->
                Reply.json(
                    200,
                    "{\"type\":\"message\",\"model\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],"
                        + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"));
    Sampling sampling = new Sampling(0.8, Optional.empty(), 10, List.of(), 3, OptionalLong.empty());
    Completion completion =
        completed(
            client(spec(Provider.ANTHROPIC, ApiStyle.CHAT, ""))
                .complete(new CompletionRequest("p", ChatWrapping.NONE, sampling)));
    assertEquals(completion.choices().size(), 3);
    assertEquals(completion.requests(), 3);
    assertEquals(server.requests().size(), 3);
    assertFalse(body(0).has("n"));
    assertEquals(completion.usage().totalTokens(), 6);
  }

  @Test
  public void requestsMissingSamplesWhenServerIgnoresN() throws IOException {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("one")));
    Sampling sampling = new Sampling(0.8, Optional.empty(), 10, List.of(), 3, OptionalLong.of(100));
    Completion completion =
        completed(
            client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, ""))
                .complete(new CompletionRequest("p", ChatWrapping.NONE, sampling)));
    assertEquals(completion.choices().size(), 3);
    assertEquals(body(0).get("n").asInt(), 3);
    assertEquals(body(0).get("seed").asLong(), 100);
    assertFalse(body(1).has("n"));
    assertEquals(body(1).get("seed").asLong(), 101, "sample 1 is seeded seed + 1");
    assertEquals(body(2).get("seed").asLong(), 102);
  }

  @Test
  public void keepsReasoningApartFromTheAnswer() {
    server =
        ScriptedServer.start(
            r ->
                Reply.json(
                    200,
                    "{\"model\":\"r1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"<think>add them</think>\\n\\nThe answer is 4.\","
                        + "\"reasoning_content\":\"first thoughts\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":20,"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":12}}}"));
    Completion completion =
        completed(
            client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "")).complete(request("2+2")));
    Choice choice = completion.choices().get(0);
    assertEquals(choice.text(), "The answer is 4.");
    assertEquals(choice.reasoning(), "first thoughts\nadd them");
    assertEquals(completion.usage().reasoningTokens(), 12);
  }

  @Test
  public void honoursRetryAfterSeconds() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    server.then(
        Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "1"));
    Completion completion =
        completed(
            client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "")).complete(request("p")));
    List<ScriptedServer.Recorded> sent = server.requests();
    assertEquals(completion.attempts(), 2);
    long waited = sent.get(1).nanos() - sent.get(0).nanos();
    assertTrue(waited >= 1_000_000_000L, "waited " + waited / 1e6 + " ms, expected >= 1000 ms");
  }

  @Test
  public void honoursRetryAfterAsHttpDate() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    String inTwoSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2));
    server.then(Reply.json(503, "{}").withHeader("Retry-After", inTwoSeconds));
    completed(client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "")).complete(request("p")));
    List<ScriptedServer.Recorded> sent = server.requests();
    long waited = sent.get(1).nanos() - sent.get(0).nanos();
    // The HTTP date has whole seconds, so the wait is between one and two seconds.
    assertTrue(waited >= 900_000_000L, "waited " + waited / 1e6 + " ms");
  }

  @Test
  public void honoursOpenAiRateLimitReset() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    server.then(
        Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached for requests\"}}")
            .withHeader("x-ratelimit-remaining-requests", "0")
            .withHeader("x-ratelimit-reset-requests", "700ms")
            .withHeader("x-ratelimit-remaining-tokens", "9000")
            .withHeader("x-ratelimit-reset-tokens", "6m0s"));
    completed(client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "")).complete(request("p")));
    long waited = server.requests().get(1).nanos() - server.requests().get(0).nanos();
    assertTrue(
        waited >= 700_000_000L && waited < 10_000_000_000L, "waited " + waited / 1e6 + " ms");
  }

  @Test
  public void retriesEveryTransientFault() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    server
        .then(Reply.json(408, "{}"))
        .then(Reply.json(409, "{}"))
        .then(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"))
        .then(Reply.json(502, "<html>bad gateway</html>"))
        .then(Reply.dropConnection())
        .then(Reply.json(200, chatAnswer("late")).after(Duration.ofMillis(1500)))
        .then(Reply.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"trun"))
        .then(Reply.json(200, "{\"object\":\"error\"}"));
    ModelSpec spec =
        spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "").withBaseUrl(server.baseUrl());
    HttpModelClient client =
        ModelClients.create(
            spec,
            Map.of("TEST_KEY", KEY),
            Budget.unlimited(),
            new RetryPolicy(
                12,
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                Duration.ofMinutes(1),
                Duration.ofSeconds(1)));
    Completion completion = completed(client.complete(request("p")));
    assertEquals(completion.choices().get(0).text(), "ok");
    assertEquals(completion.attempts(), 9);
    assertEquals(client.usage().retries(), 8);
  }

  @Test
  public void givesUpOnPersistentServerErrorWithinTheCap() {
    server = ScriptedServer.start(r -> Reply.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    Failed failed =
        failed(client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "")).complete(request("p")));
    assertEquals(failed.reason(), FailureReason.GAVE_UP);
    assertEquals(failed.attempts(), 4);
    assertEquals(failed.httpStatus(), 503);
    assertTrue(
        failed.message().startsWith("model m: gave up after 4 attempts: HTTP 503: overloaded"),
        failed.message());
  }

  @Test
  public void givesUpWhenTotalTimeWouldPassTheCap() {
    server = ScriptedServer.start(r -> Reply.json(500, "{}").withHeader("Retry-After", "30"));
    long start = System.nanoTime();
    Failed failed =
        failed(
            client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "    max_retry_seconds: 5\n"))
                .complete(request("p")));
    assertEquals(failed.attempts(), 1, "a 30 s wait does not fit a 5 s cap");
    assertTrue(System.nanoTime() - start < 3_000_000_000L);
  }

  @Test
  public void failsAtOnceOnBadRequestNamingModelAndServerWords() {
    for (int status : new int[] {400, 422}) {
      server =
          ScriptedServer.start(
              r ->
                  Reply.json(
                      status,
                      "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\"}}"));
      HttpModelClient client = client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, ""));
      Failed failed = failed(client.complete(request("p")));
      assertEquals(failed.reason(), FailureReason.REJECTED);
      assertEquals(failed.attempts(), 1);
      assertEquals(
          failed.message(),
          "model m: HTTP "
              + status
              + " from 127.0.0.1:"
              + server.baseUrl().getPort()
              + ": max_tokens is too large; a rerun fails the same way: change what the server"
              + " names in the setting or in model m's entry of the models file");
      assertFalse(failed.reason().rerunMayPass());
      // A rejected request says nothing about the next one: it is sent.
      failed(client.complete(request("q")));
      assertEquals(server.requests().size(), 2);
      stopServer();
    }
  }

  @Test
  public void stopsSendingToAModelThatRefusesTheKey() {
    for (int status : new int[] {401, 403, 404}) {
      server =
          ScriptedServer.start(
              r ->
                  Reply.json(
                      status,
                      "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
      HttpModelClient client = client(spec(Provider.OPENAI, ApiStyle.CHAT, ""));
      Failed first = failed(client.complete(request("p")));
      Failed second = failed(client.complete(request("q")));
      assertEquals(first.reason(), FailureReason.MODEL_UNAVAILABLE);
      assertEquals(second.reason(), FailureReason.MODEL_UNAVAILABLE);
      assertEquals(server.requests().size(), 1, "nothing more is sent after " + status);
      assertEquals(second.attempts(), 0);
      assertFalse(first.message().contains(KEY), first.message());
      assertTrue(first.message().contains("[redacted]"), first.message());
      assertTrue(first.message().startsWith("model m: HTTP " + status), first.message());
      stopServer();
    }
  }

  @Test
  public void keyNeverAppearsInMessagesRecordsOrStrings() {
    server =
        ScriptedServer.start(
            r ->
                Reply.json(
                    500,
                    "{\"error\":{\"message\":\"bad header " + r.header("Authorization") + "\"}}"));
    ModelSpec spec = spec(Provider.OPENAI, ApiStyle.CHAT, "");
    HttpModelClient client = client(spec);
    ModelResult result = client.complete(request("p"));
    for (String text :
        List.of(result.toString(), client.toString(), spec.toString(), client.usage().toString())) {
      assertFalse(text.contains(KEY), text);
    }
    assertTrue(server.requests().get(0).header("Authorization").contains(KEY), "the key was sent");
  }

  @Test
  public void missingKeyVariableIsOneLineNamingIt() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    ModelSpec spec = spec(Provider.OPENAI, ApiStyle.CHAT, "");
    try {
      ModelClients.create(spec, Map.of(), Budget.unlimited());
      throw new AssertionError("expected an error");
    } catch (io.leadline.api.LeadlineException e) {
      assertEquals(
          e.getMessage(), "model m: the environment variable TEST_KEY (api_key_env) is not set");
    }
  }

  @Test
  public void neverExceedsMaxConcurrency() throws Exception {
    server =
        ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")).after(Duration.ofMillis(30)));
    HttpModelClient client =
        client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "    max_concurrency: 4\n"));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<ModelResult>> results = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      String prompt = "p" + i;
      results.add(pool.submit(() -> client.complete(request(prompt))));
    }
    for (Future<ModelResult> result : results) {
      completed(result.get());
    }
    pool.shutdown();
    assertEquals(server.maxInFlight(), 4);
  }

  @Test
  public void keepsToRequestsPerMinute() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    HttpModelClient client =
        client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT, "    requests_per_minute: 600\n"));
    for (int i = 0; i < 6; i++) {
      completed(client.complete(request("p" + i)));
    }
    List<ScriptedServer.Recorded> sent = server.requests();
    long span = sent.get(5).nanos() - sent.get(0).nanos();
    assertTrue(span >= 450_000_000L, "6 requests at 10/s took " + span / 1e6 + " ms");
  }

  @Test
  public void stopsAtTheTokenBudgetAndCountsCost() {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    ModelSpec spec =
        spec(
            Provider.OPENAI_COMPATIBLE,
            ApiStyle.CHAT,
            "    price_per_million:\n      input: 2.5\n      output: 10\n");
    // Each request reserves up to 81 tokens (17 estimated prompt + max_tokens 64) and uses 15.
    Budget budget = new Budget(OptionalLong.of(120), Optional.empty());
    HttpModelClient client = client(spec, budget);
    completed(client.complete(request("a")));
    completed(client.complete(request("b")));
    completed(client.complete(request("c")));
    // 45 used + 81 reserved would pass 120.
    Failed failed = failed(client.complete(request("d")));
    assertEquals(failed.reason(), FailureReason.NOT_SENT);
    assertEquals(
        failed.message(),
        "model m: not sent: the next request (up to 81 tokens) would pass the token budget of 120"
            + " (45 used); rerun the sweep with a larger budget to continue");
    // Spent stays spent: a smaller request is not sent either.
    failed(client.complete(request("e")));
    assertEquals(server.requests().size(), 3);
    // 3 x (10 prompt x $2.5 + 5 completion x $10) per million tokens.
    assertEquals(client.usage().cost().orElseThrow(), new BigDecimal("0.000225"));
    assertEquals(budget.costSpent().compareTo(new BigDecimal("0.000225")), 0);
  }

  @Test
  public void costBudgetStopsWithinOneRequestOfTheLimitAndNeverPassesIt() throws Exception {
    server = ScriptedServer.start(r -> Reply.json(200, chatAnswer("ok")));
    ModelSpec spec =
        spec(
            Provider.OPENAI_COMPATIBLE,
            ApiStyle.CHAT,
            "    max_concurrency: 8\n    price_per_million:\n      input: 2.5\n      output: 10\n");
    BigDecimal limit = new BigDecimal("0.001");
    Budget budget = new Budget(OptionalLong.empty(), Optional.of(limit));
    HttpModelClient client = client(spec, budget);
    // The most one request can cost: 17 prompt tokens (system message and prompt, estimated) and
    // max_tokens 64; each answer costs 0.000075, so the fifth is the last that fits.
    BigDecimal oneRequest = new BigDecimal("0.0006825");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<ModelResult>> results = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String prompt = "p" + i;
      results.add(pool.submit(() -> client.complete(request(prompt))));
    }
    int sent = 0;
    for (java.util.concurrent.Future<ModelResult> result : results) {
      sent += result.get() instanceof ModelResult.Completed ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(server.requests().size(), sent);
    assertTrue(budget.costSpent().compareTo(limit) <= 0, budget.costSpent().toPlainString());
    assertTrue(
        limit.subtract(budget.costSpent()).compareTo(oneRequest) < 0,
        "stopped early: " + budget.costSpent().toPlainString());
    assertEquals(sent, 5);
  }
}
