package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.ChatWrapping;
import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelClient;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The committed stories260K model run by the in-process engine: greedy determinism (in one JVM and
 * across two), stop sequences, seeded sampling, usage from the tokeniser and prompts too long for
 * the context. The model is loaded once for the class.
 */
public class LlamaEngineTest {
  /** Tests run in the module folder; the model is at the checkout's top. */
  static final Path MODEL = Path.of("../../models/stories260K/stories260K.gguf").toAbsolutePath();

  static final String PROMPT = "Once upon a time";

  /** The continuation llama-server gives the same model (the model's attribution quotes it). */
  static final String GREEDY_START =
      ", there was a little girl named Lily. She loved to play outside";

  private LlamaEngine engine;
  private ModelClient client;

  @BeforeClass
  public void load() {
    ModelsFile file =
        ModelsFile.parse(
            "m.yaml",
            "models:\n  - {name: tiny, provider: llama-cpp, model_file: '"
                + MODEL
                + "', context_size: 256, threads: 1}\n");
    ModelSpec spec = file.model("tiny");
    engine = LlamaEngine.load(spec.local().orElseThrow());
    client = ModelClients.local(spec, engine, Budget.unlimited());
  }

  @AfterClass(alwaysRun = true)
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static Sampling sampling(
      double temperature, int maxTokens, List<String> stop, int n, long seed) {
    return new Sampling(temperature, Optional.empty(), maxTokens, stop, n, OptionalLong.of(seed));
  }

  private Completion complete(String prompt, Sampling sampling) {
    ModelResult result =
        client.complete(new CompletionRequest(prompt, ChatWrapping.NONE, sampling));
    assertTrue(result instanceof ModelResult.Completed, result.toString());
    return ((ModelResult.Completed) result).completion();
  }

  @Test
  public void readsTheModelsFactsFromItsHeader() {
    GgufFile file = engine.file();
    assertEquals(file.architecture(), "llama");
    // What llama-server's /v1/models reports for the same file.
    assertEquals(file.parameters(), 292_800);
    assertEquals(file.vocabulary(), 512);
    assertEquals(file.trainedContext(), 2048);
    assertEquals(file.sha256(), "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");
    assertEquals(engine.contextSize(), 256);
  }

  @Test
  public void greedyDecodingGivesTheSameTextEveryTime() {
    Completion first = complete(PROMPT, sampling(0, 40, List.of(), 1, 0));
    Completion second = complete(PROMPT, sampling(0, 40, List.of(), 1, 7));
    String text = first.choices().get(0).text();
    assertTrue(text.startsWith(GREEDY_START), text);
    assertEquals(second.choices().get(0).text(), text);
    assertEquals(first.choices().get(0).finishReason(), "length");
    assertTrue(first.choices().get(0).truncated());
    assertFalse(first.simulated());
  }

  @Test
  public void greedyDecodingGivesTheSameTextInAnotherJvm() throws Exception {
    String here = complete(PROMPT, sampling(0, 60, List.of(), 1, 0)).choices().get(0).text();
    Path errors = java.nio.file.Files.createTempFile("greedy", ".err");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GreedyMain.class.getName(),
                MODEL.toString(),
                PROMPT,
                "60")
            .redirectError(errors.toFile())
            .start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the other JVM did not finish");
    }
    assertEquals(process.exitValue(), 0, java.nio.file.Files.readString(errors));
    java.nio.file.Files.delete(errors);
    assertEquals(new String(out, StandardCharsets.UTF_8), here);
  }

  @Test
  public void stopSequencesCutTheTextBeforeThem() {
    String whole = complete(PROMPT, sampling(0, 40, List.of(), 1, 0)).choices().get(0).text();
    int park = whole.indexOf(" park");
    assertTrue(park > 0, whole);
    Completion stopped = complete(PROMPT, sampling(0, 40, List.of(" park", "zebra"), 1, 0));
    Choice choice = stopped.choices().get(0);
    assertEquals(choice.text(), whole.substring(0, park));
    assertTrue(choice.rawText().startsWith(whole.substring(0, park) + " park"), choice.rawText());
    assertEquals(choice.finishReason(), "stop");
    assertFalse(choice.truncated());
    // Generation stopped at the token that completed the stop sequence.
    assertTrue(stopped.usage().completionTokens() < 40, stopped.usage().toString());
    // The earliest of several stop sequences wins.
    Choice earlier =
        complete(PROMPT, sampling(0, 40, List.of(" park", "Lily"), 1, 0)).choices().get(0);
    assertEquals(earlier.text(), whole.substring(0, whole.indexOf("Lily")));
  }

  /**
   * Seeded completions are the same with another engine of the JVM generating beside them (before
   * one engine at a time worked in llama.cpp, a few in every 40 differed, some into garbage; 200
   * here).
   */
  @Test(timeOut = 60_000) // and neither engine waits for ever while the other keeps generating
  public void aSecondEngineGeneratingBesideChangesNoCompletion() throws Exception {
    int tokens = engine.promptTokens(PROMPT);
    List<String> alone = new ArrayList<>();
    for (int seed = 0; seed < 200; seed++) {
      alone.add(
          engine.generate(PROMPT, tokens, 30, 0.9, Optional.of(0.95), seed, List.of()).text());
    }
    try (LlamaEngine other =
        LlamaEngine.load(new LocalModel(MODEL.toString(), OptionalInt.of(256), 1, 1))) {
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread beside =
          new Thread(
              () -> {
                for (int seed = 1000; !done.get(); seed++) {
                  other.generate(PROMPT, tokens, 30, 0.9, Optional.of(0.95), seed, List.of());
                }
              });
      beside.start();
      List<String> together = new ArrayList<>();
      try {
        for (int seed = 0; seed < 200; seed++) {
          together.add(
              engine.generate(PROMPT, tokens, 30, 0.9, Optional.of(0.95), seed, List.of()).text());
        }
      } finally {
        done.set(true);
        beside.join();
      }
      assertEquals(together, alone);
    }
  }

  @Test
  public void seededSamplingIsReproducible() {
    Completion first = complete(PROMPT, sampling(1.0, 30, List.of(), 3, 42));
    Completion again = complete(PROMPT, sampling(1.0, 30, List.of(), 3, 42));
    Completion other = complete(PROMPT, sampling(1.0, 30, List.of(), 3, 43));
    List<String> texts = first.choices().stream().map(Choice::text).toList();
    assertEquals(again.choices().stream().map(Choice::text).toList(), texts);
    assertNotEquals(other.choices().stream().map(Choice::text).toList(), texts);
    // Each sample has its own seed: the three are not one text three times.
    assertTrue(texts.stream().distinct().count() > 1, texts.toString());
    assertEquals(first.requests(), 3);
    // Sample i of seed s is sample 0 of seed s + i.
    assertEquals(
        complete(PROMPT, sampling(1.0, 30, List.of(), 1, 43)).choices().get(0).text(),
        texts.get(1));
  }

  @Test
  public void usageIsWhatTheTokeniserCounts() {
    Completion completion = complete(PROMPT, sampling(0, 25, List.of(), 2, 0));
    // BOS and the prompt's tokens; greedy generates once for both samples.
    assertEquals(engine.tokenize(PROMPT).length, 4);
    assertEquals(completion.usage().promptTokens(), 1 + engine.tokenize(PROMPT).length);
    assertEquals(completion.usage().completionTokens(), 25);
    assertEquals(completion.requests(), 1);
    assertEquals(completion.choices().size(), 2);
    Completion sampled = complete(PROMPT, sampling(0.8, 10, List.of(), 3, 5));
    assertEquals(sampled.usage().promptTokens(), 3 * 5);
    assertEquals(sampled.usage().completionTokens(), 3 * 10);
  }

  @Test
  public void aPromptLongerThanTheContextIsOutOfContextAndNotGenerated() {
    String prompt = "Once upon a time ".repeat(80);
    int tokens = engine.promptTokens(prompt);
    assertTrue(tokens > 256, "prompt tokens " + tokens);
    ModelResult result =
        client.complete(
            new CompletionRequest(prompt, ChatWrapping.NONE, sampling(0, 10, List.of(), 1, 0)));
    assertTrue(result instanceof ModelResult.Failed, result.toString());
    ModelResult.Failed failed = (ModelResult.Failed) result;
    assertEquals(failed.reason(), ModelResult.FailureReason.OUT_OF_CONTEXT);
    assertFalse(failed.reason().rerunMayPass());
    assertEquals(failed.attempts(), 0);
    assertTrue(failed.message().contains(tokens + " tokens"), failed.message());
    assertTrue(failed.message().contains("context of 256 tokens"), failed.message());
    // A prompt that fits is cut at the end of the context, as a length finish.
    String fits = "Once upon a time ".repeat(60);
    int fitting = engine.promptTokens(fits);
    assertTrue(fitting < 256 && fitting > 200, "prompt tokens " + fitting);
    Completion near = complete(fits, sampling(0, 100, List.of(), 1, 0));
    assertEquals(near.usage().completionTokens(), 256 - fitting);
    assertEquals(near.choices().get(0).finishReason(), "length");
  }

  /** Prints the greedy completion of a prompt, for the test in another JVM. */
  public static final class GreedyMain {
    public static void main(String[] args) throws IOException {
      LocalModel local = new LocalModel(args[0], OptionalInt.of(256), 1, 1);
      try (LlamaEngine engine = LlamaEngine.load(local)) {
        LlamaEngine.Generation generation =
            engine.generate(
                args[1],
                engine.promptTokens(args[1]),
                Integer.parseInt(args[2]),
                0,
                Optional.empty(),
                0,
                List.of());
        System.out.write(generation.text().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
      }
      // java-llama.cpp leaves a thread that keeps the JVM alive; the CLI exits explicitly too.
      System.exit(0);
    }
  }
}
