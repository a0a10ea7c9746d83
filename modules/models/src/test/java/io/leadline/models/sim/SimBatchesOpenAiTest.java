package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** OpenAI's Files and Batch APIs on the simulator, over real HTTP. */
public class SimBatchesOpenAiTest {
  private static final SimAnswerKey KEY = SimMessagesTest.KEY;
  private static final List<String> TERMINAL =
      List.of("completed", "failed", "expired", "cancelled");

  static SimServer server(long delayMs, double expire, String extra) {
    return server(delayMs, expire, OptionalLong.empty(), OptionalLong.empty(), extra);
  }

  static SimServer server(
      long delayMs, double expire, OptionalLong maxRequests, OptionalLong maxBytes, String extra) {
    SimProfile profile =
        SimServerTest.profile("default: 0.5", extra)
            .withBatch(
                new SimProfile.Batch(Duration.ofMillis(delayMs), expire, maxRequests, maxBytes));
    return SimServer.start(profile, KEY, "127.0.0.1", 0, Optional.empty());
  }

  static ObjectNode line(String customId, String url, JsonNode body) {
    ObjectNode line = SimHttp.MAPPER.createObjectNode().put("custom_id", customId);
    line.put("method", "POST").put("url", url).set("body", body);
    return line;
  }

  static byte[] jsonl(List<? extends JsonNode> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode line : lines) {
      out.writeBytes(SimHttp.bytes(line));
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Chat lines over distinct bundled prompts, at two temperatures and with n and seed. */
  static Map<String, ObjectNode> chatBodies(int count) {
    Map<String, ObjectNode> bodies = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      ObjectNode body = SimMessagesTest.chat(SimMessagesTest.gsm8kPrompt(i), i % 2 == 0 ? 0 : 0.8);
      if (i % 3 == 1) {
        body.put("n", 2).put("seed", 5);
      }
      bodies.put("line-" + i, body);
    }
    return bodies;
  }

  static String upload(SimHttp http, byte[] content) {
    HttpResponse<String> response = http.upload("batch", "input.jsonl", content);
    assertEquals(response.statusCode(), 200, response.body());
    return SimHttp.json(response).get("id").asText();
  }

  static JsonNode create(SimHttp http, String fileId, String endpoint) {
    ObjectNode request = SimHttp.MAPPER.createObjectNode();
    request.put("input_file_id", fileId).put("endpoint", endpoint).put("completion_window", "24h");
    HttpResponse<String> response = http.post("/batches", request);
    assertEquals(response.statusCode(), 200, response.body());
    return SimHttp.json(response);
  }

  /** Polls until the batch is terminal; every status seen, in order, without repeats. */
  static List<String> pollToEnd(SimHttp http, String batchId, JsonNode[] last) {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode batch = SimHttp.json(http.get("/batches/" + batchId));
      String status = batch.get("status").asText();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
        seen.add(status);
      }
      if (TERMINAL.contains(status)) {
        last[0] = batch;
        return seen;
      }
      assertTrue(System.nanoTime() < deadline, "still " + seen);
      sleepMillis(5);
    }
  }

  static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Map<String, JsonNode> byCustomId(String jsonl) {
    Map<String, JsonNode> lines = new LinkedHashMap<>();
    for (JsonNode line : SimHttp.jsonLines(jsonl)) {
      assertTrue(lines.put(line.get("custom_id").asText(), line) == null, "repeated " + line);
    }
    return lines;
  }

  static String content(SimHttp http, JsonNode fileId) {
    HttpResponse<String> response = http.get("/files/" + fileId.asText() + "/content");
    assertEquals(response.statusCode(), 200, response.body());
    return response.body();
  }

  @Test(timeOut = 30_000)
  public void runsThroughEveryStatusAndAnswersEachLineAsTheSyncRoute() {
    try (SimServer server = server(600, 0, "")) {
      SimHttp http = SimHttp.openAi(server, null);
      Map<String, ObjectNode> bodies = chatBodies(6);
      List<ObjectNode> lines = new ArrayList<>();
      bodies.forEach((id, body) -> lines.add(line(id, "/v1/chat/completions", body)));
      byte[] input = jsonl(lines);
      HttpResponse<String> uploaded = http.upload("batch", "input.jsonl", input);
      JsonNode file = SimHttp.json(uploaded);
      assertTrue(file.get("id").asText().startsWith("file-"), file.toString());
      assertEquals(file.get("object").asText(), "file");
      assertEquals(file.get("bytes").asLong(), input.length);
      assertEquals(file.get("filename").asText(), "input.jsonl");
      assertEquals(file.get("purpose").asText(), "batch");
      assertTrue(file.get("created_at").asLong() > 1_600_000_000L);
      assertEquals(SimHttp.json(http.get("/files/" + file.get("id").asText())), file);
      assertEquals(content(http, file.get("id")), new String(input, StandardCharsets.UTF_8));

      JsonNode created = create(http, file.get("id").asText(), "/v1/chat/completions");
      assertTrue(created.get("id").asText().startsWith("batch_"), created.toString());
      assertEquals(created.get("object").asText(), "batch");
      assertEquals(created.get("status").asText(), "validating");
      for (String field :
          List.of(
              "endpoint",
              "errors",
              "input_file_id",
              "completion_window",
              "status",
              "output_file_id",
              "error_file_id",
              "created_at",
              "in_progress_at",
              "expires_at",
              "finalizing_at",
              "completed_at",
              "failed_at",
              "expired_at",
              "cancelling_at",
              "cancelled_at",
              "request_counts",
              "metadata")) {
        assertTrue(created.has(field), field + " in " + created);
      }
      assertEquals(created.get("expires_at").asLong(), created.get("created_at").asLong() + 86_400);
      assertTrue(created.get("output_file_id").isNull());
      assertEquals(server.batchesCreated(SimServer.BatchApi.OPENAI), 1);
      assertEquals(server.batchesCreated(SimServer.BatchApi.ANTHROPIC), 0);

      JsonNode[] last = new JsonNode[1];
      assertEquals(
          pollToEnd(http, created.get("id").asText(), last),
          List.of("validating", "in_progress", "finalizing", "completed"));
      JsonNode done = last[0];
      assertEquals(done.at("/request_counts/total").asInt(), 6);
      assertEquals(done.at("/request_counts/completed").asInt(), 6);
      assertEquals(done.at("/request_counts/failed").asInt(), 0);
      assertTrue(done.get("error_file_id").isNull(), "no error file when no line failed");
      assertTrue(done.get("errors").isNull());
      assertTrue(done.get("in_progress_at").asLong() <= done.get("finalizing_at").asLong());
      assertTrue(done.get("finalizing_at").asLong() <= done.get("completed_at").asLong());
      assertTrue(done.get("failed_at").isNull() && done.get("cancelled_at").isNull());

      Map<String, JsonNode> output = byCustomId(content(http, done.get("output_file_id")));
      assertEquals(output.keySet(), bodies.keySet());
      long promptTokens = 0;
      long completionTokens = 0;
      for (var entry : bodies.entrySet()) {
        JsonNode out = output.get(entry.getKey());
        assertTrue(out.get("id").asText().startsWith("batch_req_"), out.toString());
        assertTrue(out.get("error").isNull());
        assertEquals(out.at("/response/status_code").asInt(), 200);
        assertTrue(out.at("/response/request_id").isTextual());
        promptTokens += out.at("/response/body/usage/prompt_tokens").asLong();
        completionTokens += out.at("/response/body/usage/completion_tokens").asLong();
        HttpResponse<String> sync = http.post("/chat/completions", entry.getValue());
        assertEquals(out.at("/response/body"), SimHttp.json(sync), entry.getKey());
      }
      assertEquals(server.promptTokensReported(), promptTokens * 2, "batch lines, then sync");
      assertEquals(server.completionTokensReported(), completionTokens * 2);
      assertEquals(
          new TreeSet<>(server.batchLinesByCustomId().keySet()), new TreeSet<>(bodies.keySet()));
      assertTrue(server.batchLinesByCustomId().values().stream().allMatch(n -> n == 1));
      assertEquals(server.batchLinesByDigest().size(), 6);
      // Seeing the batch again counts its tokens no second time.
      http.get("/batches/" + done.get("id").asText());
      assertEquals(server.promptTokensReported(), promptTokens * 2);
    }
  }

  @Test(timeOut = 30_000)
  public void completionsLinesWithLogprobsMatchTheSyncRouteToo() {
    try (SimServer server = server(0, 0, "")) {
      SimHttp http = SimHttp.openAi(server, null);
      ObjectNode scored = SimHttp.MAPPER.createObjectNode();
      scored.put("model", "sim-test").put("prompt", SimMessagesTest.gsm8kPrompt(0));
      scored.put("max_tokens", 5).put("logprobs", 2).put("temperature", 0);
      ObjectNode plain = SimHttp.MAPPER.createObjectNode();
      plain.put("model", "sim-test").put("prompt", SimMessagesTest.gsm8kPrompt(1));
      String fileId =
          upload(
              http,
              jsonl(
                  List.of(
                      line("scored", "/v1/completions", scored),
                      line("plain", "/v1/completions", plain))));
      JsonNode[] last = new JsonNode[1];
      pollToEnd(http, create(http, fileId, "/v1/completions").get("id").asText(), last);
      Map<String, JsonNode> output = byCustomId(content(http, last[0].get("output_file_id")));
      assertEquals(
          output.get("scored").at("/response/body"),
          SimHttp.json(http.post("/completions", scored)));
      assertEquals(
          output.get("plain").at("/response/body"), SimHttp.json(http.post("/completions", plain)));
    }
  }

  @Test(timeOut = 30_000)
  public void refusedLinesGoToTheErrorFileWithTheSyncErrorBody() {
    try (SimServer server = server(0, 0, "")) {
      SimHttp http = SimHttp.openAi(server, null);
      ObjectNode good = SimMessagesTest.chat(SimMessagesTest.gsm8kPrompt(0), 0);
      ObjectNode wrongModel = SimMessagesTest.chat("hi", 0).put("model", "gpt-4");
      ObjectNode badTemperature = SimMessagesTest.chat("hi", 3);
      String fileId =
          upload(
              http,
              jsonl(
                  List.of(
                      line("good", "/v1/chat/completions", good),
                      line("wrong-model", "/v1/chat/completions", wrongModel),
                      line("bad-temperature", "/v1/chat/completions", badTemperature))));
      JsonNode[] last = new JsonNode[1];
      pollToEnd(http, create(http, fileId, "/v1/chat/completions").get("id").asText(), last);
      assertEquals(last[0].get("status").asText(), "completed");
      assertEquals(last[0].at("/request_counts/completed").asInt(), 1);
      assertEquals(last[0].at("/request_counts/failed").asInt(), 2);
      assertEquals(
          byCustomId(content(http, last[0].get("output_file_id"))).keySet(), Set.of("good"));
      Map<String, JsonNode> errors = byCustomId(content(http, last[0].get("error_file_id")));
      assertEquals(errors.keySet(), Set.of("wrong-model", "bad-temperature"));
      for (var entry :
          Map.of("wrong-model", wrongModel, "bad-temperature", badTemperature).entrySet()) {
        HttpResponse<String> sync = http.post("/chat/completions", entry.getValue());
        JsonNode error = errors.get(entry.getKey());
        assertTrue(error.get("error").isNull(), error.toString());
        assertEquals(error.at("/response/status_code").asInt(), sync.statusCode());
        assertEquals(error.at("/response/body"), SimHttp.json(sync));
      }
      assertEquals(errors.get("wrong-model").at("/response/status_code").asInt(), 404);
      assertEquals(errors.get("bad-temperature").at("/response/status_code").asInt(), 400);

      String allBad =
          upload(http, jsonl(List.of(line("only", "/v1/chat/completions", wrongModel))));
      pollToEnd(http, create(http, allBad, "/v1/chat/completions").get("id").asText(), last);
      assertTrue(last[0].get("output_file_id").isNull(), "no output file when no line succeeded");
      assertFalse(last[0].get("error_file_id").isNull());
    }
  }

  @Test(timeOut = 30_000)
  public void expiredLinesGoToTheErrorFileAndTheBatchEndsExpired() {
    List<ObjectNode> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(line("req-" + i, "/v1/chat/completions", SimMessagesTest.chat("question " + i, 0)));
    }
    Set<String> firstExpired = null;
    for (int run = 0; run < 2; run++) {
      try (SimServer server = server(100, 0.3, "")) {
        SimHttp http = SimHttp.openAi(server, null);
        JsonNode[] last = new JsonNode[1];
        List<String> seen =
            pollToEnd(
                http,
                create(http, upload(http, jsonl(lines)), "/v1/chat/completions").get("id").asText(),
                last);
        assertEquals(seen.get(seen.size() - 1), "expired");
        assertNotNull(last[0].get("expired_at").numberValue());
        assertTrue(last[0].get("completed_at").isNull());
        Map<String, JsonNode> output = byCustomId(content(http, last[0].get("output_file_id")));
        Map<String, JsonNode> errors = byCustomId(content(http, last[0].get("error_file_id")));
        for (JsonNode error : errors.values()) {
          assertTrue(error.get("response").isNull(), error.toString());
          assertEquals(error.at("/error/code").asText(), "batch_expired");
          assertEquals(
              error.at("/error/message").asText(),
              "This request could not be executed before the completion window expired.");
          assertTrue(error.get("id").asText().startsWith("batch_req_"));
        }
        assertTrue(errors.size() > 40 && errors.size() < 80, errors.size() + " of 200 expired");
        assertEquals(output.size() + errors.size(), 200);
        Set<String> all = new HashSet<>(output.keySet());
        all.addAll(errors.keySet());
        assertEquals(all.size(), 200, "every line is in one file");
        assertEquals(last[0].at("/request_counts/completed").asInt(), output.size());
        assertEquals(last[0].at("/request_counts/failed").asInt(), errors.size());
        if (firstExpired == null) {
          firstExpired = errors.keySet();
        } else {
          assertEquals(errors.keySet(), firstExpired, "the same lines expire on every server");
        }
      }
    }
  }

  @DataProvider
  public Object[][] invalidFiles() {
    ObjectNode body = SimMessagesTest.chat("hi", 0);
    String good =
        SimHttp.bytes(line("a", "/v1/chat/completions", body)).length > 0
            ? new String(
                SimHttp.bytes(line("a", "/v1/chat/completions", body)), StandardCharsets.UTF_8)
            : "";
    String second =
        new String(SimHttp.bytes(line("b", "/v1/chat/completions", body)), StandardCharsets.UTF_8);
    ObjectNode noId = line("x", "/v1/chat/completions", body);
    noId.remove("custom_id");
    return new Object[][] {
      {"not JSON", good + "\n{oops\n", "invalid_json_line", 2},
      {"no custom_id", good + "\n" + noId + "\n", "missing_required_parameter", 2},
      {"repeated custom_id", good + "\n" + good + "\n", "duplicate_custom_id", 2},
      {"wrong url", good + "\n" + line("b", "/v1/completions", body) + "\n", "url_mismatch", 2},
      {
        "over max_requests",
        good + "\n" + second + "\n" + line("c", "/v1/chat/completions", body) + "\n",
        "too_many_tasks",
        -1
      },
      {
        "over max_bytes", good + "\n" + second + "\n" + "x".repeat(700) + "\n", "file_too_large", -1
      },
      {"empty", "\n", "empty_file", -1},
    };
  }

  @Test(dataProvider = "invalidFiles", timeOut = 30_000)
  public void aFileThatFailsValidationFailsTheBatch(
      String name, String file, String code, int line) {
    try (SimServer server = server(200, 0, OptionalLong.of(2), OptionalLong.of(600), "")) {
      SimHttp http = SimHttp.openAi(server, null);
      String fileId = upload(http, file.getBytes(StandardCharsets.UTF_8));
      JsonNode[] last = new JsonNode[1];
      List<String> states =
          pollToEnd(http, create(http, fileId, "/v1/chat/completions").get("id").asText(), last);
      // A slow first poll on a loaded machine may miss the 50 ms of validating.
      assertEquals(states.get(states.size() - 1), "failed", name);
      assertTrue(List.of("validating", "failed").containsAll(states), name + ": " + states);
      JsonNode failed = last[0];
      assertEquals(failed.at("/errors/object").asText(), "list");
      JsonNode error = failed.at("/errors/data/0");
      assertEquals(error.get("code").asText(), code, failed.toString());
      assertTrue(error.get("message").isTextual());
      assertTrue(error.has("param"));
      if (line > 0) {
        assertEquals(error.get("line").asInt(), line, failed.toString());
      } else {
        assertTrue(error.get("line").isNull(), failed.toString());
      }
      assertFalse(failed.get("failed_at").isNull());
      assertTrue(failed.get("in_progress_at").isNull());
      assertTrue(failed.get("output_file_id").isNull() && failed.get("error_file_id").isNull());
      assertTrue(server.batchLinesByCustomId().isEmpty(), "a failed batch runs no line");
    }
  }

  @Test(timeOut = 30_000)
  public void createRefusesWhatOpenAiRefuses() {
    try (SimServer server = server(0, 0, "")) {
      SimHttp http = SimHttp.openAi(server, null);
      String fileId =
          upload(
              http,
              jsonl(List.of(line("a", "/v1/chat/completions", SimMessagesTest.chat("hi", 0)))));
      String ok = "\"input_file_id\":\"" + fileId + "\",\"completion_window\":\"24h\"";
      for (String bad :
          List.of(
              "{" + ok + ",\"endpoint\":\"/v1/embeddings\"}",
              "{\"input_file_id\":\""
                  + fileId
                  + "\",\"completion_window\":\"1h\",\"endpoint\":\"/v1/completions\"}",
              "{\"input_file_id\":\"file-nope\",\"completion_window\":\"24h\",\"endpoint\":\"/v1/completions\"}",
              "{" + ok + ",\"endpoint\":\"/v1/completions\",\"priority\":1}",
              "{" + ok + ",\"endpoint\":\"/v1/completions\",\"metadata\":{\"k\":1}}",
              "[]")) {
        HttpResponse<String> response = http.post("/batches", bad);
        assertEquals(response.statusCode(), 400, bad + " → " + response.body());
        assertEquals(SimHttp.json(response).at("/error/type").asText(), "invalid_request_error");
      }
      HttpResponse<String> metadata =
          http.post(
              "/batches",
              "{" + ok + ",\"endpoint\":\"/v1/chat/completions\",\"metadata\":{\"run\":\"r1\"}}");
      assertEquals(SimHttp.json(metadata).at("/metadata/run").asText(), "r1");
      assertEquals(http.upload("fine-tune", "x.jsonl", new byte[] {'{', '}'}).statusCode(), 400);
      assertEquals(http.get("/batches/batch_nope").statusCode(), 404);
      assertEquals(http.get("/files/file-nope/content").statusCode(), 404);
      assertEquals(server.batchesCreated(SimServer.BatchApi.OPENAI), 1);
    }
  }

  @Test(timeOut = 30_000)
  public void cancelKeepsTheLinesFinishedBeforeIt() {
    try (SimServer server = server(1000, 0, "")) {
      SimHttp http = SimHttp.openAi(server, null);
      List<ObjectNode> lines = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        lines.add(line("c" + i, "/v1/chat/completions", SimMessagesTest.chat("question " + i, 0)));
      }
      String batchId =
          create(http, upload(http, jsonl(lines)), "/v1/chat/completions").get("id").asText();
      JsonNode polled;
      do {
        sleepMillis(5);
        polled = SimHttp.json(http.get("/batches/" + batchId));
        assertTrue(
            List.of("validating", "in_progress").contains(polled.get("status").asText()),
            polled.toString());
      } while (polled.at("/request_counts/completed").asInt() == 0);
      HttpResponse<String> cancel = http.post("/batches/" + batchId + "/cancel", "");
      assertEquals(cancel.statusCode(), 200, cancel.body());
      JsonNode cancelling = SimHttp.json(cancel);
      assertEquals(cancelling.get("status").asText(), "cancelling");
      assertFalse(cancelling.get("cancelling_at").isNull());
      JsonNode[] last = new JsonNode[1];
      assertEquals(pollToEnd(http, batchId, last), List.of("cancelling", "cancelled"));
      JsonNode cancelled = last[0];
      assertFalse(cancelled.get("cancelled_at").isNull());
      assertTrue(cancelled.get("finalizing_at").isNull(), "cancelled in progress");
      int completed = cancelled.at("/request_counts/completed").asInt();
      assertTrue(completed >= 1 && completed < 10, cancelled.toString());
      assertEquals(
          completed,
          cancelling.at("/request_counts/completed").asInt(),
          "no line finishes after the cancel");
      Map<String, JsonNode> output = byCustomId(content(http, cancelled.get("output_file_id")));
      assertEquals(output.size(), completed);
      assertTrue(cancelled.get("error_file_id").isNull());
      assertEquals(http.post("/batches/" + batchId + "/cancel", "").statusCode(), 409);
    }
  }

  @Test(timeOut = 30_000)
  public void listsNewestFirstWithLimitAndAfter() {
    try (SimServer server = server(0, 0, "")) {
      SimHttp http = SimHttp.openAi(server, null);
      String fileId =
          upload(
              http,
              jsonl(List.of(line("a", "/v1/chat/completions", SimMessagesTest.chat("hi", 0)))));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(create(http, fileId, "/v1/chat/completions").get("id").asText());
      }
      JsonNode page = SimHttp.json(http.get("/batches?limit=2"));
      assertEquals(page.get("object").asText(), "list");
      assertEquals(page.at("/data/0/id").asText(), ids.get(2));
      assertEquals(page.at("/data/1/id").asText(), ids.get(1));
      assertTrue(page.get("has_more").asBoolean());
      JsonNode rest =
          SimHttp.json(http.get("/batches?limit=2&after=" + page.get("last_id").asText()));
      assertEquals(rest.get("data").size(), 1);
      assertEquals(rest.at("/data/0/id").asText(), ids.get(0));
      assertFalse(rest.get("has_more").asBoolean());
      assertEquals(http.get("/batches?limit=0").statusCode(), 400);
      // The same file in three batches: each line arrived three times.
      assertEquals(server.batchLinesByCustomId().get("a"), 3);
    }
  }

  @Test(timeOut = 30_000)
  public void batchLinesSkipTheProfilesFaultsAndLatency() {
    String faults =
        "latency_ms: {fixed: 3000}\n"
            + "faults: {rate_limited: 0.4, server_error: 0.3, garbage: 0.3}\n";
    Map<String, ObjectNode> bodies = chatBodies(5);
    List<ObjectNode> lines = new ArrayList<>();
    bodies.forEach((id, body) -> lines.add(line(id, "/v1/chat/completions", body)));
    Map<String, JsonNode> output;
    long started = System.nanoTime();
    try (SimServer faulty = server(100, 0, faults)) {
      SimHttp http = SimHttp.openAi(faulty, null);
      JsonNode[] last = new JsonNode[1];
      pollToEnd(
          http,
          create(http, upload(http, jsonl(lines)), "/v1/chat/completions").get("id").asText(),
          last);
      assertEquals(last[0].at("/request_counts/completed").asInt(), 5, last[0].toString());
      output = byCustomId(content(http, last[0].get("output_file_id")));
    }
    assertTrue(
        System.nanoTime() - started < Duration.ofMillis(2500).toNanos(), "no per-line latency");
    // The same profile without its faults and latency answers as the faulty one (same fingerprint).
    SimProfile clean =
        SimServerTest.profile("default: 0.5", faults)
            .with(SimProfile.Latency.NONE, SimProfile.Faults.NONE);
    try (SimServer cleanServer = SimServer.start(clean, KEY, "127.0.0.1", 0, Optional.empty())) {
      SimHttp http = SimHttp.openAi(cleanServer, null);
      bodies.forEach(
          (id, body) ->
              assertEquals(
                  output.get(id).at("/response/body"),
                  SimHttp.json(http.post("/chat/completions", body)),
                  id));
    }
  }

  @Test(timeOut = 30_000)
  public void batchRoutesNeedTheBearerKey() {
    try (SimServer server =
        SimServer.start(
            SimServerTest.profile("default: 0.5", ""), KEY, "127.0.0.1", 0, Optional.of("k-1"))) {
      assertEquals(SimHttp.openAi(server, null).get("/batches").statusCode(), 401);
      assertEquals(SimHttp.anthropic(server, "k-1").get("/batches").statusCode(), 401);
      assertEquals(
          SimHttp.openAi(server, null).upload("batch", "a.jsonl", new byte[] {'{'}).statusCode(),
          401);
      assertEquals(SimHttp.openAi(server, "k-1").get("/batches").statusCode(), 200);
    }
  }
}
