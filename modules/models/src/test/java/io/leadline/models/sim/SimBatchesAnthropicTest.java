package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.testng.annotations.Test;

/** Anthropic's Message Batches API on the simulator, over real HTTP. */
public class SimBatchesAnthropicTest {
  private static final SimAnswerKey KEY = SimMessagesTest.KEY;

  private static SimServer server(long delayMs, double expire) {
    return SimBatchesOpenAiTest.server(delayMs, expire, "");
  }

  static ObjectNode batch(Map<String, ObjectNode> params) {
    ObjectNode batch = SimHttp.MAPPER.createObjectNode();
    ArrayNode requests = batch.putArray("requests");
    params.forEach((id, body) -> requests.addObject().put("custom_id", id).set("params", body));
    return batch;
  }

  static Map<String, ObjectNode> messageBodies(int count) {
    Map<String, ObjectNode> bodies = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      bodies.put(
          "msg_" + i,
          SimMessagesTest.messages(SimMessagesTest.gsm8kPrompt(i), i % 2 == 0 ? 0 : 0.8));
    }
    return bodies;
  }

  static JsonNode create(SimHttp http, JsonNode batch) {
    HttpResponse<String> response = http.post("/messages/batches", batch);
    assertEquals(response.statusCode(), 200, response.body());
    return SimHttp.json(response);
  }

  static List<String> pollToEnd(SimHttp http, String id, JsonNode[] last) {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode batch = SimHttp.json(http.get("/messages/batches/" + id));
      String status = batch.get("processing_status").asText();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
        seen.add(status);
      }
      if (status.equals("ended")) {
        last[0] = batch;
        return seen;
      }
      assertTrue(System.nanoTime() < deadline, "still " + seen);
      SimBatchesOpenAiTest.sleepMillis(5);
    }
  }

  static Map<String, JsonNode> results(SimHttp http, JsonNode ended) {
    String url = ended.get("results_url").asText();
    String path = URI.create(url).getPath().substring("/v1".length());
    HttpResponse<String> response = http.get(path);
    assertEquals(response.statusCode(), 200, response.body());
    return SimBatchesOpenAiTest.byCustomId(response.body());
  }

  @Test(timeOut = 30_000)
  public void runsToEndedAndAnswersEachRequestAsTheMessagesRoute() {
    try (SimServer server = server(300, 0)) {
      SimHttp http = SimHttp.anthropic(server, null);
      Map<String, ObjectNode> bodies = messageBodies(5);
      JsonNode created = create(http, batch(bodies));
      assertTrue(created.get("id").asText().startsWith("msgbatch_"), created.toString());
      assertEquals(created.get("type").asText(), "message_batch");
      assertEquals(created.get("processing_status").asText(), "in_progress");
      assertEquals(created.at("/request_counts/processing").asInt(), 5);
      for (String field :
          List.of("ended_at", "archived_at", "cancel_initiated_at", "results_url")) {
        assertTrue(created.get(field).isNull(), field + " in " + created);
      }
      Instant createdAt = Instant.parse(created.get("created_at").asText());
      assertEquals(
          Instant.parse(created.get("expires_at").asText()), createdAt.plusSeconds(86_400));
      HttpResponse<String> early =
          http.get("/messages/batches/" + created.get("id").asText() + "/results");
      SimMessagesTest.assertError(early, 400, "invalid_request_error");
      assertEquals(server.batchesCreated(SimServer.BatchApi.ANTHROPIC), 1);

      JsonNode[] last = new JsonNode[1];
      assertEquals(
          pollToEnd(http, created.get("id").asText(), last), List.of("in_progress", "ended"));
      JsonNode ended = last[0];
      assertEquals(ended.at("/request_counts/succeeded").asInt(), 5);
      for (String zero : List.of("processing", "errored", "canceled", "expired")) {
        assertEquals(ended.at("/request_counts/" + zero).asInt(), 0, zero);
      }
      assertFalse(Instant.parse(ended.get("ended_at").asText()).isBefore(createdAt));
      assertEquals(
          ended.get("results_url").asText(),
          server.baseUrl() + "/messages/batches/" + ended.get("id").asText() + "/results");
      Map<String, JsonNode> results = results(http, ended);
      assertEquals(results.keySet(), bodies.keySet());
      long input = 0;
      long output = 0;
      for (var entry : bodies.entrySet()) {
        JsonNode result = results.get(entry.getKey()).get("result");
        assertEquals(result.get("type").asText(), "succeeded");
        input += result.at("/message/usage/input_tokens").asLong();
        output += result.at("/message/usage/output_tokens").asLong();
        assertEquals(
            result.get("message"),
            SimHttp.json(http.post("/messages", entry.getValue())),
            entry.getKey());
      }
      assertEquals(server.promptTokensReported(), input * 2, "batch results, then sync");
      assertEquals(server.completionTokensReported(), output * 2);
      assertEquals(server.batchLinesByCustomId().keySet(), bodies.keySet());
      assertEquals(server.batchLinesByDigest().size(), 5);
    }
  }

  @Test(timeOut = 30_000)
  public void refusedParamsAreErroredWithTheMessagesRoutesError() {
    try (SimServer server = server(0, 0)) {
      SimHttp http = SimHttp.anthropic(server, null);
      ObjectNode wrongModel = SimMessagesTest.messages("hi", 0).put("model", "claude-x");
      ObjectNode noMax = SimMessagesTest.messages("hi", 0);
      noMax.remove("max_tokens");
      Map<String, ObjectNode> bodies = new LinkedHashMap<>();
      bodies.put("good", SimMessagesTest.messages(SimMessagesTest.gsm8kPrompt(0), 0));
      bodies.put("wrong-model", wrongModel);
      bodies.put("no-max", noMax);
      JsonNode[] last = new JsonNode[1];
      pollToEnd(http, create(http, batch(bodies)).get("id").asText(), last);
      assertEquals(last[0].at("/request_counts/succeeded").asInt(), 1);
      assertEquals(last[0].at("/request_counts/errored").asInt(), 2);
      Map<String, JsonNode> results = results(http, last[0]);
      for (String id : List.of("wrong-model", "no-max")) {
        JsonNode result = results.get(id).get("result");
        assertEquals(result.get("type").asText(), "errored");
        HttpResponse<String> sync = http.post("/messages", bodies.get(id));
        assertTrue(sync.statusCode() >= 400);
        assertEquals(result.get("error"), SimHttp.json(sync), id);
      }
      assertEquals(
          results.get("wrong-model").at("/result/error/error/type").asText(), "not_found_error");
      assertEquals(
          results.get("no-max").at("/result/error/error/type").asText(), "invalid_request_error");
    }
  }

  @Test(timeOut = 30_000)
  public void aShareOfRequestsExpiresTheSameWayOnEveryServer() {
    Map<String, ObjectNode> bodies = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      bodies.put("r" + i, SimMessagesTest.messages("question " + i, 0));
    }
    List<String> first = null;
    for (int run = 0; run < 2; run++) {
      try (SimServer server = server(100, 0.3)) {
        SimHttp http = SimHttp.anthropic(server, null);
        JsonNode[] last = new JsonNode[1];
        pollToEnd(http, create(http, batch(bodies)).get("id").asText(), last);
        Map<String, JsonNode> results = results(http, last[0]);
        assertEquals(results.size(), 200);
        List<String> expired =
            results.entrySet().stream()
                .filter(e -> e.getValue().at("/result/type").asText().equals("expired"))
                .map(Map.Entry::getKey)
                .toList();
        assertTrue(expired.size() > 40 && expired.size() < 80, expired.size() + " of 200");
        assertEquals(last[0].at("/request_counts/expired").asInt(), expired.size());
        assertEquals(last[0].at("/request_counts/succeeded").asInt(), 200 - expired.size());
        for (String id : expired) {
          assertEquals(
              results.get(id).get("result").size(), 1, "only the type: " + results.get(id));
        }
        if (first == null) {
          first = expired;
        } else {
          assertEquals(expired, first);
        }
      }
    }
  }

  @Test(timeOut = 30_000)
  public void refusesBadBatchesWhenCreated() {
    try (SimServer server =
        SimBatchesOpenAiTest.server(0, 0, OptionalLong.of(2), OptionalLong.of(2000), "")) {
      SimHttp http = SimHttp.anthropic(server, null);
      ObjectNode hi = SimMessagesTest.messages("hi", 0);
      ObjectNode repeated = SimHttp.MAPPER.createObjectNode();
      ArrayNode requests = repeated.putArray("requests");
      requests.addObject().put("custom_id", "same").set("params", hi);
      requests.addObject().put("custom_id", "same").set("params", hi);
      SimMessagesTest.assertError(
          http.post("/messages/batches", repeated), 400, "invalid_request_error");
      SimMessagesTest.assertError(
          http.post("/messages/batches", batch(Map.of("has space", hi))),
          400,
          "invalid_request_error");
      SimMessagesTest.assertError(
          http.post("/messages/batches", batch(Map.of("x".repeat(65), hi))),
          400,
          "invalid_request_error");
      SimMessagesTest.assertError(
          http.post("/messages/batches", "{\"requests\":[]}"), 400, "invalid_request_error");
      Map<String, ObjectNode> three = new LinkedHashMap<>();
      for (String id : List.of("a", "b", "c")) {
        three.put(id, hi);
      }
      SimMessagesTest.assertError(
          http.post("/messages/batches", batch(three)), 400, "invalid_request_error");
      ObjectNode big = SimMessagesTest.messages("x".repeat(2000), 0);
      SimMessagesTest.assertError(
          http.post("/messages/batches", batch(Map.of("big", big))), 413, "request_too_large");
      assertEquals(server.batchesCreated(SimServer.BatchApi.ANTHROPIC), 0);
      assertTrue(server.batchLinesByCustomId().isEmpty());
      // With no delay a batch has ended as soon as it is created.
      assertEquals(
          create(http, batch(Map.of("a", hi, "b", hi))).at("/request_counts/succeeded").asInt(), 2);
      SimMessagesTest.assertError(
          http.get("/messages/batches/msgbatch_nope"), 404, "not_found_error");
    }
  }

  @Test(timeOut = 30_000)
  public void cancelCancelsTheRequestsNotYetDone() {
    try (SimServer server = server(1000, 0)) {
      SimHttp http = SimHttp.anthropic(server, null);
      Map<String, ObjectNode> bodies = new LinkedHashMap<>();
      for (int i = 0; i < 10; i++) {
        bodies.put("c" + i, SimMessagesTest.messages("question " + i, 0));
      }
      String id = create(http, batch(bodies)).get("id").asText();
      JsonNode polled;
      do {
        SimBatchesOpenAiTest.sleepMillis(5);
        polled = SimHttp.json(http.get("/messages/batches/" + id));
        assertTrue(
            polled.get("processing_status").asText().equals("in_progress"), polled.toString());
      } while (polled.at("/request_counts/succeeded").asInt() == 0);
      JsonNode canceling = SimHttp.json(http.post("/messages/batches/" + id + "/cancel", ""));
      assertEquals(canceling.get("processing_status").asText(), "canceling");
      assertFalse(canceling.get("cancel_initiated_at").isNull());
      JsonNode[] last = new JsonNode[1];
      assertEquals(pollToEnd(http, id, last), List.of("canceling", "ended"));
      int succeeded = last[0].at("/request_counts/succeeded").asInt();
      int canceled = last[0].at("/request_counts/canceled").asInt();
      assertTrue(succeeded >= 1 && canceled >= 1 && succeeded + canceled == 10, last[0].toString());
      assertEquals(
          succeeded,
          canceling.at("/request_counts/succeeded").asInt(),
          "no request finishes after the cancel");
      Map<String, JsonNode> results = results(http, last[0]);
      assertEquals(
          results.values().stream()
              .filter(r -> r.at("/result/type").asText().equals("canceled"))
              .count(),
          canceled);
      SimMessagesTest.assertError(
          http.post("/messages/batches/" + id + "/cancel", ""), 400, "invalid_request_error");
    }
  }

  @Test(timeOut = 30_000)
  public void listsNewestFirst() {
    try (SimServer server = server(0, 0)) {
      SimHttp http = SimHttp.anthropic(server, null);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(
            create(http, batch(Map.of("a", SimMessagesTest.messages("hi", 0)))).get("id").asText());
      }
      JsonNode page = SimHttp.json(http.get("/messages/batches?limit=2"));
      assertEquals(page.at("/data/0/id").asText(), ids.get(2));
      assertEquals(page.at("/data/1/id").asText(), ids.get(1));
      assertTrue(page.get("has_more").asBoolean());
      assertEquals(page.get("last_id").asText(), ids.get(1));
      JsonNode rest = SimHttp.json(http.get("/messages/batches?limit=2&after_id=" + ids.get(1)));
      assertEquals(rest.get("data").size(), 1);
      assertEquals(rest.at("/data/0/id").asText(), ids.get(0));
      assertFalse(rest.get("has_more").asBoolean());
    }
  }

  @Test(timeOut = 30_000)
  public void batchRoutesNeedTheAnthropicHeaders() {
    try (SimServer server =
        SimServer.start(
            SimServerTest.profile("default: 0.5", ""), KEY, "127.0.0.1", 0, Optional.of("k-2"))) {
      SimMessagesTest.assertError(
          SimHttp.anthropic(server, null).get("/messages/batches"), 401, "authentication_error");
      SimMessagesTest.assertError(
          SimHttp.openAi(server, "k-2").get("/messages/batches"), 401, "authentication_error");
      assertEquals(SimHttp.anthropic(server, "k-2").get("/messages/batches").statusCode(), 200);
      assertEquals(Set.of(), server.batchLinesByDigest().keySet());
    }
  }
}
