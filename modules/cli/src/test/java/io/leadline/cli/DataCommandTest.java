package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.datasets.ReplayServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class DataCommandTest {
  private ReplayServer server;
  private Path home;

  @BeforeMethod
  public void start() throws IOException {
    server = new ReplayServer();
    home = Files.createTempDirectory("leadline-data-test");
  }

  @AfterMethod(alwaysRun = true)
  public void stop() {
    server.close();
  }

  private CliRun run(Map<String, String> extra, String... args) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(extra);
    env.put("HF_ENDPOINT", server.uri().toString());
    env.put("HF_DATASETS_SERVER", server.uri().toString());
    env.put("LEADLINE_HOME", home.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), env)
            .execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  public void pullThenListShowsTheCachedSplit() throws IOException {
    CliRun pull = run(Map.of(), "data", "pull", "humaneval");
    assertEquals(pull.exitCode(), 0, pull.err());
    assertTrue(
        pull.out()
            .startsWith(
                "openai/openai_humaneval openai_humaneval/test: 164 rows, revision"
                    + " 7dce6050a7d6d172f3cc5c32aa97f52fa1a2e544, sha256 "),
        pull.out());

    CliRun list = run(Map.of(), "data", "list", "--format", "json");
    assertEquals(list.exitCode(), 0, list.err());
    JsonNode entries = Json.MAPPER.readTree(list.out());
    assertEquals(entries.size(), 1);
    JsonNode entry = entries.get(0);
    assertEquals(entry.get("dataset").asText(), "openai/openai_humaneval");
    assertEquals(entry.get("config").asText(), "openai_humaneval");
    assertEquals(entry.get("split").asText(), "test");
    assertEquals(entry.get("rows").asInt(), 164);
    assertEquals(entry.get("sha256").asText().length(), 64);
    assertTrue(entry.get("size").asLong() > 100_000);

    CliRun text = run(Map.of(), "data", "list");
    assertTrue(text.out().contains("openai/openai_humaneval"), text.out());
  }

  @Test
  public void offlinePullWithEmptyCacheSaysWhichCommandFetchesIt() {
    int before = server.requests().size();
    CliRun run = run(Map.of("HF_HUB_OFFLINE", "1"), "data", "pull", "humaneval");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline data pull: offline: openai/openai_humaneval openai_humaneval/test is not in the"
            + " cache; run 'leadline data pull humaneval' with network access first");
    assertEquals(server.requests().size(), before);
  }

  @Test
  public void offlineFlagServesWhatWasPulled() {
    assertEquals(run(Map.of(), "data", "pull", "humaneval").exitCode(), 0);
    int before = server.requests().size();
    CliRun run = run(Map.of(), "data", "pull", "humaneval", "--offline");
    assertEquals(run.exitCode(), 0, run.err());
    assertEquals(server.requests().size(), before);
  }

  @Test
  public void unknownBenchmarkListsTheKnownOnes() {
    CliRun run = run(Map.of(), "data", "pull", "winogrande");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline data pull: BENCHMARK: unknown benchmark 'winogrande'; known: agieval, arc-c,"
            + " arc-e, mmlu, nq, triviaqa, webqa, bbh, hellaswag, lambada, drop, race-h, race-m,"
            + " gsm8k, math, humaneval, mbpp, mgsm, tydiqa, truthfulqa, tinystories");
  }

  /** AGIEval has no Hub dataset (GPT-Fathom reads its upstream files): one line says so. */
  @Test
  public void aBenchmarkWithoutAHubDatasetIsOneLine() {
    CliRun run = run(Map.of(), "data", "pull", "agieval");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err().strip(),
        "leadline data pull: BENCHMARK: agieval is read from the upstream files of"
            + " ruixiangcui/AGIEval, not from a Hub dataset: only --data"
            + " bundled runs it");
  }

  @Test
  public void emptyCacheListsNothing() {
    CliRun run = run(Map.of(), "data", "list", "--format", "json");
    assertEquals(run.exitCode(), 0);
    assertEquals(run.out().strip(), "[]");
  }

  @Test
  public void badFormatNamesTheFlag() {
    CliRun run = run(Map.of(), "data", "list", "--format", "yaml");
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().contains("--format: expected text or json"), run.err());
  }
}
