package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelClient;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import io.leadline.models.Budget;
import io.leadline.models.LlamaEngine;
import io.leadline.models.LocalModel;
import io.leadline.models.ModelClients;
import io.leadline.models.ModelsFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

/**
 * {@code leadline serve}: the committed model behind OpenAI's API, answering Leadline's own client
 * with the text the in-process engine gives; bad flags are one line.
 */
public class ServeCommandTest {
  private static final Path MODEL =
      Path.of("../../models/stories260K/stories260K.gguf").toAbsolutePath().normalize();

  @Test(timeOut = 60_000)
  public void servesTheEnginesTextUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] exit = {-1};
    Thread server =
        new Thread(
            () ->
                exit[0] =
                    Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(
                            "serve",
                            "--model-file",
                            MODEL.toString(),
                            "--port",
                            "0",
                            "--context-size",
                            "512",
                            "--threads",
                            "1"));
    server.start();
    Matcher url = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/v1)").matcher("");
    while (!url.reset(out.toString()).find()) {
      assertTrue(server.isAlive(), "serve stopped: " + err);
      Thread.sleep(20);
    }
    assertTrue(
        out.toString()
            .startsWith(
                "serving stories260K (llama, 292,800 parameters, vocabulary 512, trained context"
                    + " 2048; llama.cpp in-process, context 512, 1 slot) on "),
        out.toString());
    CompletionRequest request =
        new CompletionRequest(
            "Once upon a time, there was a big dog",
            ChatWrapping.NONE,
            new Sampling(0, Optional.empty(), 50, List.of("."), 1, java.util.OptionalLong.empty()));
    String served;
    try (ModelClient client =
        ModelClients.create(
            ModelsFile.parse(
                    "m.yaml",
                    "models:\n  - {name: s, provider: openai-compatible, base_url: '"
                        + url.group(1)
                        + "', model: stories260K, api: completions}\n")
                .models()
                .get(0),
            Map.of(),
            Budget.unlimited())) {
      ModelResult result = client.complete(request);
      assertTrue(result instanceof ModelResult.Completed, result.toString());
      served = ((ModelResult.Completed) result).completion().choices().get(0).text();
    }
    try (LlamaEngine engine =
        LlamaEngine.load(new LocalModel(MODEL.toString(), OptionalInt.of(512), 1, 1))) {
      String direct =
          engine
              .generate(
                  request.prompt(),
                  engine.promptTokens(request.prompt()),
                  50,
                  0,
                  Optional.empty(),
                  0,
                  List.of("."))
              .text();
      assertEquals(served, direct);
      assertTrue(!direct.isEmpty() && !direct.contains("."), direct);
    }
    server.interrupt();
    server.join(10_000);
    assertEquals(exit[0], 0, err.toString());
  }

  @Test
  public void aMissingModelFileIsOneLine() {
    CliRun run = CliRun.of("serve", "--model-file", "no/such.gguf", "--port", "0");
    assertEquals(run.exitCode(), 2, run.err());
    assertEquals(run.err().strip(), "leadline serve: --model-file: cannot read no/such.gguf");
    CliRun notGguf = CliRun.of("serve", "--model-file", "../../pom.xml", "--port", "0");
    assertEquals(notGguf.exitCode(), 2, notGguf.err());
    assertTrue(notGguf.err().contains("is not a GGUF file"), notGguf.err());
    assertEquals(
        CliRun.of("serve", "--model-file", MODEL.toString(), "--slots", "0").exitCode(), 2);
  }
}
