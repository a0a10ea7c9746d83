package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.ChatWrapping;
import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.Completed;
import io.leadline.api.ModelResult.Failed;
import io.leadline.api.ModelResult.FailureReason;
import io.leadline.api.Sampling;
import io.leadline.api.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/**
 * Issue 26: the HTTP client against a replay of a real llama-server — two slots (n above 2 is
 * refused), a context per slot, {@code /tokenize}, and its {@code system_fingerprint}.
 */
public class LlamaServerClientTest {
  private LlamaServerReplay server;

  @BeforeMethod
  public void start() throws Exception {
    server = LlamaServerReplay.start(256);
  }

  @AfterMethod(alwaysRun = true)
  public void stop() {
    server.close();
  }

  private HttpModelClient client(String extra) {
    String yaml =
        "models:\n  - name: llama\n    provider: openai-compatible\n    base_url: "
            + server.baseUrl()
            + "\n    model: stories260K\n    api: completions\n    max_attempts: 3\n"
            + extra;
    ModelSpec spec = ModelsFile.parse("models.yaml", yaml).models().get(0);
    return ModelClients.create(
        spec, Map.of(), Budget.unlimited(), ModelClients.retryPolicy(spec, Duration.ofMillis(10)));
  }

  private static CompletionRequest sampled(String prompt, int n) {
    return new CompletionRequest(
        prompt,
        ChatWrapping.GPT_FATHOM,
        new Sampling(0.8, Optional.empty(), 20, List.of(), n, OptionalLong.of(7)));
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

  @Test(timeOut = 30_000)
  public void refusedNFallsBackToOneRequestPerSampleForTheRestOfTheRun() {
    HttpModelClient client = client("");
    Completion first = completed(client.complete(sampled("Once upon a time", 5)));
    Completion second = completed(client.complete(sampled("One day", 5)));
    assertEquals(first.choices().size(), 5);
    assertEquals(second.choices().size(), 5);
    // One refused request of n = 5, then one request per sample; the second item asks n = 1 only.
    List<LlamaServerReplay.Seen> seen = server.seen();
    assertEquals(seen.size(), 1 + 5 + 5, seen.toString());
    assertEquals(seen.get(0), new LlamaServerReplay.Seen("/v1/completions", 5, 400));
    assertTrue(
        seen.subList(1, seen.size()).stream().allMatch(s -> s.n() == 1 && s.status() == 200));
    assertEquals(first.requests(), 5);
    assertEquals(first.attempts(), 6);
    assertEquals(second.attempts(), 5);
    assertEquals(client.notices().size(), 1);
    assertTrue(
        client.notices().get(0).contains("the server refuses n = 5")
            && client.notices().get(0).contains("Field 'n'"),
        client.notices().toString());
  }

  @Test(timeOut = 30_000)
  public void aSplitSampleHasItsOwnRequestsUsageAndTheTotalIsTheirSum() {
    Completion completion = completed(client("").complete(sampled("Once upon a time", 3)));
    Usage sum = Usage.ZERO;
    for (Choice choice : completion.choices()) {
      Usage own = choice.usage().orElseThrow();
      // "Once upon a time": BOS and 7 pieces; 20 tokens generated.
      assertEquals(own.promptTokens(), 8);
      assertEquals(own.completionTokens(), 20);
      sum = sum.plus(own);
    }
    assertEquals(completion.usage(), sum);
    assertEquals(completion.usage().promptTokens(), 24);
  }

  @Test(timeOut = 30_000)
  public void choicesOfOneRequestShareItsUsage() {
    Completion completion = completed(client("").complete(sampled("Once upon a time", 2)));
    assertEquals(server.seen().size(), 1);
    assertTrue(completion.choices().stream().allMatch(c -> c.usage().isEmpty()));
    assertEquals(completion.usage().completionTokens(), 40);
  }

  @Test(timeOut = 30_000)
  public void theServersFingerprintReachesTheCompletion() {
    Completion completion = completed(client("").complete(sampled("Once upon a time", 1)));
    assertEquals(completion.systemFingerprint(), "b1-80fb11a");
    assertEquals(completion.reportedModel(), "stories260K");
  }

  @Test(timeOut = 30_000)
  public void aPromptLongerThanTheContextIsOutOfContextAndNotRetried() {
    String longPrompt = "word ".repeat(400).strip();
    Failed failed = failed(client("").complete(sampled(longPrompt, 1)));
    assertEquals(failed.reason(), FailureReason.OUT_OF_CONTEXT);
    assertFalse(failed.reason().rerunMayPass());
    assertEquals(failed.attempts(), 1);
    assertEquals(server.seen().size(), 1);
    assertTrue(
        failed.message().contains("the prompt has 801 tokens, the context holds 256"),
        failed.message());
    assertTrue(failed.message().contains("fewer shots"), failed.message());
  }

  @Test(timeOut = 30_000)
  public void withTokenizeAPromptThatCannotFitIsCountedAndNeverSent() {
    HttpModelClient client = client("    tokenize: true\n");
    Failed failed = failed(client.complete(sampled("word ".repeat(400).strip(), 1)));
    assertEquals(failed.reason(), FailureReason.OUT_OF_CONTEXT);
    assertEquals(failed.attempts(), 0);
    assertTrue(server.seen().isEmpty(), server.seen().toString());
    // The context came from /v1/models (meta.n_ctx); BOS and 800 pieces counted.
    assertTrue(failed.message().contains("801 tokens"), failed.message());
    assertTrue(failed.message().contains("the context holds 256"), failed.message());
    // A prompt that fits is counted, then sent.
    completed(client.complete(sampled("Once upon a time", 1)));
    assertEquals(server.seen().size(), 1);
    assertEquals(server.tokenizeCalls(), 2);
  }

  @Test(timeOut = 30_000)
  public void theModelsFilesContextWindowWinsOverTheServers() {
    HttpModelClient client = client("    tokenize: true\n    context_window: 8\n");
    Failed failed = failed(client.complete(sampled("Once upon a time", 1)));
    assertEquals(failed.reason(), FailureReason.OUT_OF_CONTEXT);
    assertTrue(failed.message().contains("8 tokens"), failed.message());
    assertTrue(server.seen().isEmpty());
  }
}
