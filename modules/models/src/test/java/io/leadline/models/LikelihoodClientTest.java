package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.Completion;
import io.leadline.api.Likelihood;
import io.leadline.api.LikelihoodRequest;
import io.leadline.api.ModelResult;
import io.leadline.models.ScriptedServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.Test;

/**
 * Log-likelihood requests against real servers on 127.0.0.1: one that echoes the prompt with
 * log-probabilities as OpenAI documents it, and ones that do not (a real llama.cpp server's
 * response, an echo without the prompt's log-probabilities, one without offsets), which must be
 * refused after the probe request alone.
 */
public class LikelihoodClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("\\s?[^\\s]+|\\s+");

  private ScriptedServer server;

  @AfterMethod(alwaysRun = true)
  public void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /**
   * An OpenAI legacy completions response echoing {@code prompt}: tokens are words with their
   * leading space, each with log-probability -len/10, the first null; one token generated.
   */
  static String echoed(String prompt, boolean withPromptLogprobs, boolean withOffsets) {
    List<String> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(prompt);
    while (matcher.find()) {
      tokens.add(matcher.group());
    }
    String generated = "\n";
    ObjectNode root = MAPPER.createObjectNode();
    root.put("object", "text_completion").put("model", "base-model");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0).put("text", prompt + generated).put("finish_reason", "length");
    ObjectNode logprobs = choice.putObject("logprobs");
    ArrayNode names = logprobs.putArray("tokens");
    ArrayNode values = logprobs.putArray("token_logprobs");
    ArrayNode tops = logprobs.putArray("top_logprobs");
    ArrayNode offsets = logprobs.putArray("text_offset");
    int offset = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (withPromptLogprobs) {
        names.add(token);
        if (i == 0) {
          values.addNull();
          tops.addNull();
        } else {
          values.add(-token.length() / 10.0);
          tops.addObject().put(token, -token.length() / 10.0);
        }
        offsets.add(offset);
      }
      offset += token.length();
    }
    names.add(generated);
    values.add(-0.5);
    tops.addObject().put(generated, -0.5);
    offsets.add(offset);
    if (!withOffsets) {
      logprobs.remove("text_offset");
    }
    root.putObject("usage").put("prompt_tokens", tokens.size()).put("completion_tokens", 1);
    return root.toString();
  }

  private static Function<ScriptedServer.Recorded, Reply> echoing(
      boolean withPromptLogprobs, boolean withOffsets) {
    return request -> {
      try {
        String prompt = MAPPER.readTree(request.body()).path("prompt").asText();
        return Reply.json(200, echoed(prompt, withPromptLogprobs, withOffsets));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private ModelSpec spec(Provider provider, ApiStyle api) {
    String yaml =
        "models:\n  - name: base\n    provider: "
            + provider.id()
            + "\n    base_url: "
            + server.baseUrl()
            + "\n    model: base-model\n    api: "
            + api.id()
            + "\n    timeout_seconds: 1\n    max_attempts: 4\n";
    return ModelsFile.parse("models.yaml", yaml).models().get(0);
  }

  private HttpModelClient client(ModelSpec spec) {
    return ModelClients.create(
        spec,
        Map.of("ANTHROPIC_API_KEY", "not-a-key"),
        Budget.unlimited(),
        ModelClients.retryPolicy(spec, Duration.ofMillis(10)));
  }

  @Test
  public void sendsOneEchoedRequestPerOptionAndSumsTheContinuationsTokens() throws IOException {
    server = ScriptedServer.start(echoing(true, true));
    HttpModelClient client = client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.COMPLETIONS));
    ModelResult result =
        client.likelihoods(
            new LikelihoodRequest("Q: Which is red?\nA:", List.of(" (A) the sky", " (B) blood")));
    Completion completion = ((ModelResult.Completed) result).completion();
    assertEquals(server.requests().size(), 2);
    JsonNode body = MAPPER.readTree(server.requests().get(0).body());
    assertEquals(body.path("prompt").asText(), "Q: Which is red?\nA: (A) the sky");
    assertTrue(body.path("echo").asBoolean());
    assertEquals(body.path("logprobs").asInt(), 1);
    assertEquals(body.path("max_tokens").asInt(), 1);
    assertEquals(body.path("temperature").asInt(), 0);
    assertFalse(body.has("messages"));
    assertEquals(server.requests().get(0).path(), "/v1/completions");
    // " (A)" -0.4, " the" -0.4, " sky" -0.4; " (B)" -0.4, " blood" -0.6: by hand.
    Likelihood a = completion.choices().get(0).likelihood().orElseThrow();
    Likelihood b = completion.choices().get(1).likelihood().orElseThrow();
    assertEquals(a.tokenLogprobs(), List.of(-0.4, -0.4, -0.4));
    assertEquals(a.logprob(), -1.2, 1e-12);
    assertEquals(b.tokenLogprobs(), List.of(-0.4, -0.6));
    assertEquals(b.logprob(), -1.0, 1e-12);
    assertEquals(a.greedy(), Optional.of(true));
    assertEquals(completion.choices().get(1).text(), " (B) blood");
    assertEquals(completion.requests(), 2);
    assertEquals(completion.usage().promptTokens(), 8 + 7);
    assertEquals(client.likelihoodProblem(), Optional.empty());
  }

  @Test
  public void aTokenAcrossTheBoundaryCountsToTheContinuationAndAnUntopTokenIsNotGreedy()
      throws Exception {
    JsonNode choice =
        MAPPER.readTree(
            "{\"text\":\"Hello world!\",\"logprobs\":{\"tokens\":[\"Hello\",\" world\",\"!\"],"
                + "\"token_logprobs\":[null,-1.5,-0.25],"
                + "\"top_logprobs\":[null,{\" there\":-0.5},{\"!\":-0.25}],"
                + "\"text_offset\":[0,5,11]}}");
    Likelihood straddling = EchoLogprobs.continuation(choice, "Hello world!", 9);
    assertEquals(straddling.tokenLogprobs(), List.of(-1.5, -0.25));
    assertEquals(straddling.greedy(), Optional.of(false));
    Likelihood last = EchoLogprobs.continuation(choice, "Hello world!", 11);
    assertEquals(last.tokenLogprobs(), List.of(-0.25));
    assertEquals(last.greedy(), Optional.of(true));
    // Offsets count code points: "𝑥" is one character, two UTF-16 units.
    JsonNode wide =
        MAPPER.readTree(
            "{\"text\":\"Let 𝑥 be (A)!\",\"logprobs\":{\"tokens\":[\"Let\",\" 𝑥\",\" be\","
                + "\" (A)\",\"!\"],\"token_logprobs\":[null,-2.0,-0.5,-0.75,-0.1],"
                + "\"text_offset\":[0,3,5,8,12]}}");
    assertEquals(
        EchoLogprobs.continuation(wide, "Let 𝑥 be (A)", "Let 𝑥 be".length()).tokenLogprobs(),
        List.of(-0.75));
    // Offsets in UTF-16 units drift past a wide character: refused, not misread.
    JsonNode drifted =
        MAPPER.readTree(
            "{\"text\":\"Let 𝑥 be (A)!\",\"logprobs\":{\"tokens\":[\"Let\",\" 𝑥\",\" be\","
                + "\" (A)\",\"!\"],\"token_logprobs\":[null,-2.0,-0.5,-0.75,-0.1],"
                + "\"text_offset\":[0,3,6,9,13]}}");
    EchoLogprobs.Unscorable drift =
        expectThrows(
            EchoLogprobs.Unscorable.class,
            () -> EchoLogprobs.continuation(drifted, "Let 𝑥 be (A)", "Let 𝑥 be".length()));
    assertTrue(drift.getMessage().startsWith("offsets missing"), drift.getMessage());
    EchoLogprobs.Unscorable first =
        expectThrows(
            EchoLogprobs.Unscorable.class,
            () -> EchoLogprobs.continuation(choice, "Hello world!", 3));
    assertTrue(first.getMessage().startsWith("no prompt logprobs"), first.getMessage());
  }

  @Test
  public void refusesARealLlamaCppServerThatIgnoresEchoAfterOneRequest() throws IOException {
    String recorded;
    try (InputStream in =
        getClass().getResourceAsStream("/llama-server/completions_logprobs.json")) {
      recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    server = ScriptedServer.start(request -> Reply.json(200, recorded));
    HttpModelClient client = client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.COMPLETIONS));
    String problem = client.likelihoodProblem().orElseThrow();
    assertTrue(problem.startsWith("model base (127.0.0.1:"), problem);
    assertTrue(problem.contains("/v1/completions): cannot score by log-likelihood: echo ignored"));
    assertEquals(server.requests().size(), 1, "no retry of a response that cannot be scored");
  }

  @Test
  public void refusesAnEchoWithoutThePromptsLogprobsAndOneWithoutOffsets() {
    server = ScriptedServer.start(echoing(false, true));
    HttpModelClient client = client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.COMPLETIONS));
    String problem = client.likelihoodProblem().orElseThrow();
    assertTrue(problem.contains(": no prompt logprobs ("), problem);
    assertEquals(server.requests().size(), 1);
    server.close();

    server = ScriptedServer.start(echoing(true, false));
    client = client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.COMPLETIONS));
    problem = client.likelihoodProblem().orElseThrow();
    assertTrue(problem.contains(": offsets missing ("), problem);
    assertEquals(server.requests().size(), 1);
    // An item answered that way fails, recorded, never scored at chance.
    ModelResult.Failed failed =
        (ModelResult.Failed)
            client.likelihoods(new LikelihoodRequest("Q: ?\nA:", List.of(" (A)", " (B)")));
    assertEquals(failed.reason(), ModelResult.FailureReason.REJECTED);
    assertTrue(failed.message().contains("offsets missing"), failed.message());
  }

  @Test
  public void aProbeTheServerRefusesSaysWhereItWent() {
    server =
        ScriptedServer.start(
            request -> Reply.json(404, "{\"error\": {\"message\": \"Not Found\"}}"));
    String problem =
        client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.COMPLETIONS))
            .likelihoodProblem()
            .orElseThrow();
    String host = server.baseUrl().getHost() + ":" + server.baseUrl().getPort();
    assertTrue(
        problem.startsWith(
            "model base ("
                + host
                + "/v1/completions): the log-likelihood probe failed after 1 attempt: HTTP 404"),
        problem);
    assertEquals(server.requests().size(), 1);
  }

  @Test
  public void refusesChatAndAnthropicWithoutSendingAnything() {
    server = ScriptedServer.start(echoing(true, true));
    HttpModelClient chat = client(spec(Provider.OPENAI_COMPATIBLE, ApiStyle.CHAT));
    assertEquals(
        chat.likelihoodProblem().orElseThrow(),
        "model base: api: chat has no echoed prompt log-probabilities, so it cannot score by"
            + " log-likelihood; if its server also serves /v1/completions with echo and logprobs,"
            + " say loglikelihood: true in the models file, else leave it out of log-likelihood"
            + " settings");
    ModelResult refused = chat.likelihoods(new LikelihoodRequest("Q:", List.of(" A")));
    assertEquals(((ModelResult.Failed) refused).attempts(), 0);
    HttpModelClient anthropic = client(spec(Provider.ANTHROPIC, ApiStyle.CHAT));
    assertTrue(
        anthropic.likelihoodProblem().orElseThrow().contains("Anthropic's API has no log-prob"));
    assertEquals(server.requests().size(), 0);
  }
}
