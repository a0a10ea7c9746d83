package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ChatWrapping;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import io.leadline.models.Budget;
import io.leadline.models.HttpModelClient;
import io.leadline.models.ModelClients;
import io.leadline.models.ModelSpec;
import io.leadline.models.ModelsFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.testng.annotations.Test;

/** The simulated model server, through the real OpenAI-compatible client. */
public class SimServerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SimAnswerKey KEY = BundledKeys.bundled();

  static SimProfile profile(String accuracy, String extra) {
    return SimProfile.parse(
        "test.yaml",
        "snapshot: sim-test\ndifficulty_seed: 5\nseed: 9\naccuracy: {" + accuracy + "}\n" + extra);
  }

  static HttpModelClient client(SimServer server, String api) {
    ModelSpec spec =
        ModelsFile.parse(
                "models.yaml",
                "models:\n  - name: sim\n    provider: openai-compatible\n    base_url: "
                    + server.baseUrl()
                    + "\n    model: "
                    + server.profile().snapshot()
                    + "\n    api: "
                    + api
                    + "\n    max_concurrency: 16\n")
            .models()
            .get(0);
    return ModelClients.create(spec, Map.of(), Budget.unlimited());
  }

  static String ask(HttpModelClient client, String prompt, Sampling sampling) {
    ModelResult result =
        client.complete(new CompletionRequest(prompt, ChatWrapping.GPT_FATHOM, sampling));
    if (result instanceof ModelResult.Completed completed) {
      return completed.completion().choices().get(0).text();
    }
    throw new AssertionError(result.toString());
  }

  private static JsonNode firstRow(String file) throws Exception {
    return BundledKeys.rows(BundledKeys.BENCHMARKS.resolve(file)).get(0);
  }

  @Test
  public void answersEachBenchmarkInItsFormatWhenAlwaysRight() throws Exception {
    try (SimServer server =
        SimServer.start(profile("default: 1.0", ""), KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpModelClient chat = client(server, "chat");
      HttpModelClient completions = client(server, "completions");
      Sampling greedy = Sampling.greedy(1024);

      JsonNode gsm8k = firstRow("gsm8k/data/main/test.first50.jsonl");
      String answer =
          ask(
              chat,
              "Q: exemplar question\nA: The answer is 3.\n\nQ: "
                  + gsm8k.get("question").asText()
                  + "\nA:",
              greedy);
      String gold = gsm8k.get("answer").asText().replaceAll("(?s).*#### ", "");
      assertTrue(answer.endsWith("The answer is " + gold + "."), answer);

      JsonNode mmlu = firstRow("mmlu/data/abstract_algebra/test.jsonl");
      List<String> choices =
          MAPPER.convertValue(
              mmlu.get("choices"),
              new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
      String goldText = choices.get(mmlu.get("answer").asInt());
      // Options shuffled as GPT-Fathom shows them: the letter follows the gold text, not its index.
      String prompt =
          "Q: "
              + mmlu.get("question").asText()
              + "\n\n(A) "
              + choices.get(3)
              + "\n(B) "
              + choices.get(1)
              + "\n(C) "
              + choices.get(0)
              + "\n(D) "
              + choices.get(2)
              + "\nA: ";
      String letter =
          String.valueOf("ABCD".charAt(List.of(3, 1, 0, 2).indexOf(mmlu.get("answer").asInt())));
      assertEquals(ask(chat, prompt, greedy), "(" + letter + ") " + goldText);

      JsonNode bbh = firstRow("bbh/data/boolean_expressions/test.first30.jsonl");
      assertEquals(
          ask(chat, "Q: " + bbh.get("input").asText() + "\nA: Let's think step by step.", greedy),
          "We go through the question step by step. So the answer is "
              + bbh.get("target").asText()
              + ".");

      JsonNode trivia = firstRow("triviaqa/data/rc.nocontext/validation.first2.jsonl");
      assertEquals(
          ask(chat, "Q: " + trivia.get("question").asText() + "\nA: ", greedy),
          trivia.get("answer").get("value").asText());

      JsonNode drop = firstRow("drop/data/default/validation.first2.jsonl");
      assertEquals(
          ask(
              chat,
              "Passage: "
                  + drop.get("passage").asText()
                  + "\nQuestion: "
                  + drop.get("question").asText()
                  + "\nAnswer:",
              greedy),
          drop.get("answers_spans").get("spans").get(0).asText());

      JsonNode humaneval = firstRow("humaneval/data/openai_humaneval/test.jsonl");
      assertEquals(
          ask(completions, humaneval.get("prompt").asText(), greedy),
          humaneval.get("canonical_solution").asText());
      assertEquals(
          ask(chat, humaneval.get("prompt").asText(), greedy),
          "```python\n"
              + humaneval.get("prompt").asText()
              + humaneval.get("canonical_solution").asText()
              + "```\n");
    }
  }

  @Test
  public void matchesProfileAccuracyAndIsDeterministic() {
    SimProfile profile = profile("mmlu: 0.7", "");
    SimResponder responder = new SimResponder(profile, KEY);
    List<SimItem> mmlu = KEY.items().stream().filter(i -> i.benchmark().equals("mmlu")).toList();
    int right = 0;
    for (SimItem item : mmlu) {
      String prompt = "Q: " + item.needle() + "\n\n" + options(item) + "A: ";
      String first = responder.respond(prompt, true, 0, 0);
      assertEquals(
          responder.respond(prompt, true, 5, 0), first, "greedy answers ignore the sample");
      if (first.endsWith(" " + item.gold())) {
        right++;
      }
    }
    double accuracy = right / (double) mmlu.size();
    assertTrue(Math.abs(accuracy - 0.7) < 0.04, mmlu.size() + " items, accuracy " + accuracy);
  }

  private static String options(SimItem item) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < item.choices().size(); i++) {
      text.append('(')
          .append((char) ('A' + i))
          .append(") ")
          .append(item.choices().get(i))
          .append('\n');
    }
    return text.toString();
  }

  @Test
  public void samplesVaryWithIndexAtTemperatureButNotAcrossRuns() {
    SimResponder responder = new SimResponder(profile("gsm8k: 0.5", ""), KEY);
    SimItem item =
        KEY.items().stream().filter(i -> i.benchmark().equals("gsm8k")).findFirst().orElseThrow();
    String prompt = "Q: " + item.needle() + "\nA:";
    long distinct =
        java.util.stream.LongStream.range(0, 40)
            .mapToObj(s -> responder.respond(prompt, true, s, 0.8))
            .distinct()
            .count();
    assertEquals(distinct, 2, "right and wrong both appear among 40 samples at T=0.8");
    assertEquals(
        responder.respond(prompt, true, 17, 0.8),
        new SimResponder(profile("gsm8k: 0.5", ""), KEY).respond(prompt, true, 17, 0.8));
  }

  @Test
  public void sampledPassAtOneExpectationIsTheAccuracy() {
    SimResponder responder = new SimResponder(profile("bbh: 0.4", ""), KEY);
    List<SimItem> bbh = KEY.items().stream().filter(i -> i.benchmark().equals("bbh")).toList();
    long right = 0;
    long total = 0;
    for (SimItem item : bbh) {
      String prompt = "Q: " + item.needle() + "\nA: Let's think step by step.";
      for (int sample = 0; sample < 5; sample++) {
        total++;
        if (responder
            .respond(prompt, true, sample, 0.8)
            .endsWith("answer is " + item.gold() + ".")) {
          right++;
        }
      }
    }
    assertTrue(Math.abs(right / (double) total - 0.4) < 0.04, right + " of " + total);
  }

  @Test
  public void formatSensitivityLowersAccuracyWhenThePromptChanges() {
    SimProfile profile =
        profile(
            "triviaqa: 1.0",
            "format_sensitivity:\n  - contains: \"Question:\"\n    benchmarks: [triviaqa]\n    accuracy_delta: -1.0\n");
    SimResponder responder = new SimResponder(profile, KEY);
    SimItem item =
        KEY.items().stream()
            .filter(i -> i.benchmark().equals("triviaqa"))
            .findFirst()
            .orElseThrow();
    assertEquals(responder.respond("Q: " + item.needle() + "\nA: ", true, 0, 0), item.gold());
    assertEquals(
        responder.respond("Question: " + item.needle() + "\nAnswer: ", true, 0, 0), item.wrong());
  }

  @Test
  public void recognisesAQuestionWithTyposAndChangedNumbers() {
    SimItem item =
        KEY.items().stream()
            .filter(i -> i.benchmark().equals("gsm8k"))
            .skip(3)
            .findFirst()
            .orElseThrow();
    String perturbed = item.needle().replaceFirst("\\d+", "97").replaceFirst("the", "teh");
    assertEquals(KEY.find("Q: " + perturbed + "\nA:").orElseThrow().key(), item.key());
    assertTrue(KEY.find("Q: What is the capital of a country that does not exist?\nA:").isEmpty());
  }

  @Test
  public void seesawProfilesMoveBenchmarksApart() {
    SimProfile v1 = SimProfile.load(Path.of("../../settings/sim-v1.yaml"));
    SimProfile v2 = SimProfile.load(Path.of("../../settings/sim-v2.yaml"));
    assertEquals(v1.difficultySeed(), v2.difficultySeed(), "one family");
    assertTrue(v2.accuracy().get("humaneval") > v1.accuracy().get("humaneval") + 0.2);
    assertTrue(v2.accuracy().get("gsm8k") < v1.accuracy().get("gsm8k") - 0.2);
    SimResponder one = new SimResponder(v1, KEY);
    SimResponder two = new SimResponder(v2, KEY);
    int gained = 0;
    int lost = 0;
    for (SimItem item : KEY.items()) {
      if (!item.benchmark().equals("humaneval")) {
        continue;
      }
      boolean before = one.respond(item.needle(), false, 0, 0).equals(item.gold());
      boolean after = two.respond(item.needle(), false, 0, 0).equals(item.gold());
      gained += !before && after ? 1 : 0;
      lost += before && !after ? 1 : 0;
    }
    assertTrue(gained > 30, "gained " + gained);
    assertTrue(
        lost <= 5,
        "a better snapshot of the family loses few items (no-answer noise only): " + lost);
  }

  @Test
  public void survivesItsOwnFaultsThroughRetries() {
    SimProfile faulty =
        profile(
            "default: 1.0",
            "faults: {rate_limited: 0.2, server_error: 0.2, garbage: 0.2, retry_after_seconds: 0}\n");
    try (SimServer server = SimServer.start(faulty, KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpModelClient client = client(server, "chat");
      List<SimItem> items =
          KEY.items().stream().filter(i -> i.benchmark().equals("triviaqa")).toList();
      for (SimItem item : items) {
        assertEquals(
            ask(client, "Q: " + item.needle() + "\nA: ", Sampling.greedy(50)), item.gold());
      }
      assertTrue(server.requests() > items.size(), "faults made the client retry");
      assertTrue(client.usage().retries() > 0);
    }
  }

  @Test
  public void labelsEverythingSimulatedAndRefusesUnknownModelOrKey() throws Exception {
    try (SimServer server =
        SimServer.start(
            profile("default: 0.5", ""), KEY, "127.0.0.1", 0, Optional.of("secret-for-test"))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> noKey =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"sim-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(noKey.statusCode(), 401);
      HttpResponse<String> wrongModel =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                  .header("Authorization", "Bearer secret-for-test")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(wrongModel.statusCode(), 404);
      assertTrue(wrongModel.body().contains("model_not_found"));
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                  .header("Authorization", "Bearer secret-for-test")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"sim-test\",\"n\":2,\"seed\":4,\"temperature\":0.8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(ok.statusCode(), 200);
      assertEquals(ok.headers().firstValue("X-Leadline-Simulated").orElse(""), "true");
      JsonNode body = MAPPER.readTree(ok.body());
      assertTrue(body.get("simulated").asBoolean());
      assertEquals(body.get("model").asText(), "sim-test");
      assertTrue(body.get("system_fingerprint").asText().startsWith("sim-"));
      assertEquals(body.get("choices").size(), 2);
    }
  }

  @Test
  public void nSamplesEqualSplitSeededSamples() {
    try (SimServer server =
        SimServer.start(profile("default: 0.5", ""), KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpModelClient client = client(server, "chat");
      SimItem item =
          KEY.items().stream().filter(i -> i.benchmark().equals("gsm8k")).findFirst().orElseThrow();
      String prompt = "Q: " + item.needle() + "\nA:";
      Sampling three = new Sampling(0.8, Optional.empty(), 1024, List.of(), 3, OptionalLong.of(10));
      Completion together =
          ((ModelResult.Completed)
                  client.complete(new CompletionRequest(prompt, ChatWrapping.GPT_FATHOM, three)))
              .completion();
      for (int i = 0; i < 3; i++) {
        Sampling one =
            new Sampling(0.8, Optional.empty(), 1024, List.of(), 1, OptionalLong.of(10 + i));
        assertEquals(ask(client, prompt, one), together.choices().get(i).text(), "sample " + i);
      }
    }
  }

  @Test
  public void cutsAtMaxTokensAndMarksTruncation() {
    try (SimServer server =
        SimServer.start(profile("default: 1.0", ""), KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpModelClient client = client(server, "chat");
      SimItem item =
          KEY.items().stream().filter(i -> i.benchmark().equals("gsm8k")).findFirst().orElseThrow();
      ModelResult result =
          client.complete(
              new CompletionRequest(
                  "Q: " + item.needle() + "\nA:", ChatWrapping.GPT_FATHOM, Sampling.greedy(3)));
      var choice = ((ModelResult.Completed) result).completion().choices().get(0);
      assertTrue(choice.truncated());
      assertEquals(choice.text().length(), 12);
      assertFalse(choice.text().contains("The answer is"));
      assertNotEquals(choice.finishReason(), "stop");
    }
  }

  @Test
  public void malformedBenchmarkNameInProfileIsOneLineError() {
    try {
      profile("gsm8k: 0.5, Math: 0.4", "");
      throw new AssertionError("expected an error");
    } catch (io.leadline.api.LeadlineException e) {
      assertEquals(
          e.getMessage(),
          "test.yaml: accuracy: 'Math' is not a benchmark name (lower-case letters, digits, - and"
              + " _) or default");
    }
    // Which benchmarks exist is the suite's to say: the sweep checks the names (SimAnswers).
    assertEquals(
        profile("gsm8k: 0.5, math: 0.4", "").benchmarks(),
        new java.util.TreeSet<>(Set.of("gsm8k", "math")));
    assertTrue(
        Set.of("sim-v1", "sim-v2")
            .contains(SimProfile.load(Path.of("../../settings/sim-v1.yaml")).snapshot()));
  }
}
