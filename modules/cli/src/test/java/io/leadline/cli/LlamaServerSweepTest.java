package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.models.LlamaServerReplay;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Issue 26: a sweep against a replay of the real llama-server of the fixtures (two slots, slots of
 * 700 tokens here), through the command line: HumanEval's {@code n: 100} refused and split, prompts
 * too long for a slot recorded out of context, every planned cell in the table, metrics.json and
 * the leaderboard, per-sample usage, the server's fingerprint, and the {@code gpt-fathom} setting
 * of a completions model named apart from the chat model's.
 */
public class LlamaServerSweepTest {
  private static final int CONTEXT = 700;

  private Path dir;
  private LlamaServerReplay server;
  private CliRun sweep;
  private RunFolders.Run run;
  private String[] args;
  private Map<String, String> environment;

  @BeforeClass
  public void sweep() throws Exception {
    dir = Files.createTempDirectory("llama-server-sweep");
    server = LlamaServerReplay.start(CONTEXT);
    Path models = dir.resolve("models.yaml");
    Files.writeString(
        models,
        "models:\n"
            + "  - {name: llama, provider: openai-compatible, model: stories260K, api: completions,"
            + " base_url: "
            + server.baseUrl()
            + "}\n"
            + "  - {name: llama-chat, provider: openai-compatible, model: stories260K, api: chat,"
            + " base_url: "
            + server.baseUrl()
            + "}\n",
        StandardCharsets.UTF_8);
    environment = Map.of("LEADLINE_HOME", dir.resolve("home").toString());
    args =
        new String[] {
          "sweep",
          "--models-file",
          models.toString(),
          "--benchmarks",
          "humaneval,mmlu,drop",
          "--settings",
          "gpt-fathom",
          "--limit",
          "1",
          "--out",
          dir.resolve("run").toString()
        };
    sweep = CliRun.withEnvironment(environment, args);
    assertEquals(sweep.exitCode(), 0, sweep.err());
    run = RunFolders.read(dir.resolve("run").toString(), "--out");
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    CliRun.deleteRecursively(dir);
  }

  private List<MetricRow> primary(String model, String benchmark) {
    return run.metrics().stream()
        .filter(m -> m.model().equals(model) && m.benchmark().equals(benchmark) && m.primary())
        .toList();
  }

  @Test
  public void aRefusedNIsSplitOnceForTheRunAndSaidOnce() {
    // Per model: one request asked n = 100 and was refused; every other asked one sample.
    Map<String, Long> refused =
        server.seen().stream()
            .filter(s -> s.n() > 1)
            .collect(Collectors.groupingBy(LlamaServerReplay.Seen::path, Collectors.counting()));
    assertEquals(refused, Map.of("/v1/completions", 1L, "/v1/chat/completions", 1L));
    assertTrue(server.seen().stream().filter(s -> s.n() > 1).allMatch(s -> s.status() == 400));
    for (String model : List.of("llama", "llama-chat")) {
      String line = "model " + model + ": the server refuses n = 100";
      assertEquals(
          sweep.err().split(java.util.regex.Pattern.quote(line), -1).length - 1, 1, sweep.err());
      // The HumanEval item answered, all 100 samples.
      List<SampleRow> samples =
          run.samples().stream()
              .filter(s -> s.model().equals(model) && s.benchmark().equals("humaneval"))
              .toList();
      assertEquals(samples.size(), 100);
      assertTrue(samples.stream().allMatch(s -> s.error().isEmpty()), samples.get(0).toString());
    }
  }

  @Test
  public void aSplitSampleRowHasItsOwnRequestsTokens() {
    List<SampleRow> samples =
        run.samples().stream()
            .filter(s -> s.model().equals("llama") && s.benchmark().equals("humaneval"))
            .toList();
    for (SampleRow sample : samples) {
      // The replay's count of the prompt (BOS and its pieces), and at most max_tokens generated.
      long prompt = LlamaServerReplay.pieces(sample.prompt()).size() + 1;
      assertEquals(sample.promptTokens().orElseThrow().longValue(), prompt, sample.toJson());
      assertTrue(sample.completionTokens().orElseThrow() <= 512, sample.toJson());
    }
    // The manifest's totals are the sums of the samples' own.
    RunManifest.Usage usage =
        run.manifest().usage().stream().filter(u -> u.model().equals("llama")).findFirst().get();
    long samplePrompts =
        run.samples().stream()
            .filter(s -> s.model().equals("llama") && s.error().isEmpty())
            .filter(s -> s.benchmark().equals("humaneval"))
            .mapToLong(s -> s.promptTokens().orElseThrow())
            .sum();
    long otherPrompts =
        run.samples().stream()
            .filter(s -> s.model().equals("llama") && s.error().isEmpty())
            .filter(s -> !s.benchmark().equals("humaneval"))
            .mapToLong(s -> s.promptTokens().orElseThrow())
            .sum();
    assertEquals(usage.promptTokens(), samplePrompts + otherPrompts);
  }

  @Test
  public void promptsTooLongForASlotAreOutOfContextAndCountedApart() {
    List<SampleRow> unfit =
        run.samples().stream()
            .filter(s -> s.error().map(e -> e.startsWith("out_of_context: ")).orElse(false))
            .toList();
    assertFalse(unfit.isEmpty());
    for (SampleRow sample : unfit) {
      assertTrue(
          sample.error().get().contains("the context holds " + CONTEXT), sample.error().get());
      long tokens = LlamaServerReplay.pieces(sample.prompt()).size() + 1;
      assertTrue(sample.error().get().contains("the prompt has "), sample.error().get());
      assertTrue(tokens >= CONTEXT, tokens + " tokens: " + sample.error().get());
    }
    long counted =
        run.manifest().usage().stream().mapToLong(u -> u.outOfContextItems().orElse(0L)).sum();
    assertEquals(counted, unfit.stream().map(SampleRow::requestHash).distinct().count());
    assertTrue(sweep.err().contains("items out of context (recorded, not failed; never retried)"));
    assertFalse(sweep.err().contains("rerun the same sweep"), sweep.err());
  }

  @Test
  public void everyPlannedCellHasItsRowWithItsCounts() {
    Set<String> planned =
        run.samples().stream()
            .map(s -> s.model() + "/" + s.benchmark() + "/" + s.subset().orElse(""))
            .collect(Collectors.toSet());
    for (String cell : planned) {
      String[] parts = cell.split("/", -1);
      assertTrue(
          primary(parts[0], parts[1]).stream()
              .anyMatch(m -> m.subset().orElse("").equals(parts[2])),
          "no metric row for " + cell);
    }
    // DROP's 3-shot passages never fit a slot of 700: a row without a value, all out of context.
    for (String model : List.of("llama", "llama-chat")) {
      MetricRow drop = primary(model, "drop").get(0);
      assertFalse(drop.scored(), drop.toString());
      assertEquals(drop.n(), 0);
      assertEquals(drop.items().orElseThrow(), 1L);
      assertEquals(drop.outOfContext().orElseThrow(), 1L);
      assertEquals(drop.failed().orElseThrow(), 0L);
      assertTrue(
          sweep
              .out()
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith(model + " ")
                          && l.contains(" drop ")
                          && l.contains(" * 0 of 1 items answered: 0 failed, 1 out of context")),
          sweep.out());
    }
    // HumanEval had every item answered: its row is as ever, no counts.
    MetricRow humaneval = primary("llama", "humaneval").get(0);
    assertTrue(humaneval.scored() && !humaneval.partial(), humaneval.toString());
    assertTrue(humaneval.items().isEmpty());
    String json = readString(dir.resolve("run/metrics.json"));
    assertTrue(json.contains("\"value\" : null") || json.contains("\"value\":null"), json);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  public void theLeaderboardShowsTheUnansweredAndMarksThePartial() throws Exception {
    String md = Files.readString(dir.resolve("run/report/leaderboard.md"));
    assertTrue(md.contains("DROP") || md.contains("drop"), md);
    assertTrue(md.contains("— (not answered)"), md);
    boolean partial = run.metrics().stream().anyMatch(MetricRow::partial);
    boolean partialScored =
        run.metrics().stream()
            .anyMatch(m -> m.partial() && m.scored() && m.primary() && m.subset().isEmpty());
    assertTrue(partial);
    if (partialScored) {
      assertTrue(md.contains("‡"), md);
    }
  }

  @Test
  public void theServersFingerprintIsInTheManifestAndTheSamples() {
    for (RunManifest.Model model : run.manifest().models()) {
      assertEquals(model.systemFingerprints(), List.of("b1-80fb11a"), model.name());
    }
    assertTrue(
        run.samples().stream()
            .filter(s -> s.error().isEmpty())
            .allMatch(s -> s.systemFingerprint().equals(java.util.Optional.of("b1-80fb11a"))));
  }

  @Test
  public void aCompletionsModelsGptFathomIsNamedAndHashedApart() {
    MetricRow completions = primary("llama", "humaneval").get(0);
    MetricRow chat = primary("llama-chat", "humaneval").get(0);
    assertEquals(completions.setting(), "gpt-fathom@completions");
    assertEquals(chat.setting(), "gpt-fathom");
    assertNotEquals(completions.settingHash(), chat.settingHash());
    RunManifest.Setting named =
        run.manifest().settings().stream()
            .filter(s -> s.name().equals("gpt-fathom@completions"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        named.benchmarks().stream()
            .allMatch(b -> b.canonical().contains("\"chat_wrapping\":\"none\"")),
        named.toString());
  }

  @Test(
      dependsOnMethods = {
        "aRefusedNIsSplitOnceForTheRunAndSaidOnce",
        "promptsTooLongForASlotAreOutOfContextAndCountedApart"
      })
  public void aRerunResendsNothingNotEvenTheOutOfContext() throws Exception {
    int before = server.seen().size();
    String[] again = args.clone();
    again[again.length - 1] = dir.resolve("run2").toString();
    CliRun rerun = CliRun.withEnvironment(environment, again);
    assertEquals(rerun.exitCode(), 0, rerun.err());
    assertEquals(server.seen().size(), before);
    assertEquals(
        Files.readString(dir.resolve("run2/metrics.json")),
        Files.readString(dir.resolve("run/metrics.json")));
  }
}
