package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import io.leadline.models.Budget;
import io.leadline.models.HttpModelClient;
import io.leadline.models.ModelClients;
import io.leadline.models.ModelsFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

public class ServeSimCommandTest {
  @Test(timeOut = 60_000)
  public void servesTheBundledItemsUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] exit = {-1};
    Thread server =
        new Thread(
            () ->
                exit[0] =
                    Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute("serve-sim", "--port", "0", "--profile", "sim-v2"));
    server.start();
    Matcher url = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/v1) ").matcher("");
    while (!url.reset(out.toString()).find()) {
      assertTrue(server.isAlive(), "serve-sim stopped: " + err);
      Thread.sleep(20);
    }
    assertTrue(out.toString().startsWith("serving sim-v2 (simulated) on "), out.toString());
    HttpModelClient client =
        ModelClients.create(
            ModelsFile.parse(
                    "m.yaml",
                    "models:\n  - {name: s, provider: openai-compatible, base_url: '"
                        + url.group(1)
                        + "', model: sim-v2}\n")
                .models()
                .get(0),
            Map.of(),
            Budget.unlimited());
    ModelResult result =
        client.complete(
            new CompletionRequest(
                "Q: Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning"
                    + " and bakes muffins for her friends every day with four. She sells the"
                    + " remainder at the farmers' market daily for $2 per fresh duck egg. How much"
                    + " in dollars does she make every day at the farmers' market?\nA:",
                ChatWrapping.GPT_FATHOM,
                Sampling.greedy(512)));
    String text = ((ModelResult.Completed) result).completion().choices().get(0).text();
    assertTrue(text.matches("(?s).*The answer is -?\\d+\\.$"), text);
    server.interrupt();
    server.join(10_000);
    assertEquals(exit[0], 0, err.toString());
  }

  @Test(timeOut = 60_000)
  public void servesTheLineageAndTheFamilyProfilesByName() throws Exception {
    for (String profile : List.of("sim-lineage-4", "sim-size-70b")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Thread server =
          new Thread(
              () ->
                  Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                      .execute("serve-sim", "--port", "0", "--profile", profile));
      server.start();
      Matcher url = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/v1) ").matcher("");
      while (!url.reset(out.toString()).find()) {
        assertTrue(server.isAlive(), "serve-sim stopped: " + err);
        Thread.sleep(20);
      }
      assertTrue(
          out.toString().startsWith("serving " + profile + " (simulated) on "), out.toString());
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url.group(1) + "/chat/completions"))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\""
                                  + profile
                                  + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Q: Janet’s"
                                  + " ducks lay 16 eggs per day. She eats three for breakfast every"
                                  + " morning and bakes muffins for her friends every day with four."
                                  + " She sells the remainder at the farmers' market daily for $2 per"
                                  + " fresh duck egg. How much in dollars does she make every day at"
                                  + " the farmers' market?\\nA:\"}],\"temperature\":0}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      server.interrupt();
      server.join(10_000);
      assertEquals(response.statusCode(), 200, response.body());
      assertTrue(response.body().contains("The answer is "), response.body());
      assertTrue(response.body().contains("\"model\":\"" + profile + "\""), response.body());
    }
  }

  @Test(timeOut = 60_000)
  public void ignoreEchoAnswersOnlyTheGeneratedText() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread server =
        new Thread(
            () ->
                Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute("serve-sim", "--port", "0", "--ignore-echo"));
    server.start();
    Matcher url = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/v1) ").matcher("");
    while (!url.reset(out.toString()).find()) {
      assertTrue(server.isAlive(), "serve-sim stopped: " + err);
      Thread.sleep(20);
    }
    String prompt = "Q: Which is larger?\\n\\n(A) 3\\n(B) 7\\nA: (B) 7";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url.group(1) + "/completions"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"sim-v1\",\"prompt\":\""
                                + prompt
                                + "\",\"max_tokens\":1,\"temperature\":0,\"logprobs\":1,"
                                + "\"echo\":true}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    server.interrupt();
    server.join(10_000);
    assertEquals(response.statusCode(), 200, response.body());
    // llama.cpp-like: neither the text nor the logprobs hold the prompt.
    assertTrue(response.body().contains("\"tokens\":[\"I\"]"), response.body());
    assertTrue(response.body().contains("\"text\":\"I\""), response.body());
  }

  @Test
  public void unknownProfileListsTheKnownOnes() {
    CliRun run = CliRun.of("serve-sim", "--port", "0", "--profile", "sim-v9");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err(),
        "leadline serve-sim: --profile: no profile file or settings profile 'sim-v9'; known:"
            + " sim-judge-a, sim-judge-b, sim-lineage-1, sim-lineage-2, sim-lineage-3,"
            + " sim-lineage-4, sim-lineage-5, sim-reasoner, sim-size-1b, sim-size-350m,"
            + " sim-size-70b, sim-size-7b, sim-v1, sim-v2\n");
  }

  @Test
  public void missingKeyVariableIsNamed() {
    CliRun run = CliRun.of("serve-sim", "--port", "0", "--api-key-env", "NO_SUCH_VARIABLE_X");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err(),
        "leadline serve-sim: --api-key-env: the environment variable NO_SUCH_VARIABLE_X is not"
            + " set\n");
  }
}
