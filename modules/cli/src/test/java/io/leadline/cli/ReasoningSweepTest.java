package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Choice;
import io.leadline.engine.SimAnswers;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import io.leadline.scoring.Gsm8k;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Issue 24: a sweep of reasoning models through the command line, against the simulator's reasoning
 * profile over real HTTP, in every shape the reasoning comes in — {@code reasoning_content} beside
 * the content, inline {@code <think>} tags, Anthropic's thinking blocks and OpenAI's hidden
 * reasoning. The accuracy is that of the answers after the reasoning (whose reasoning tries a wrong
 * answer first, on purpose), the reasoning is kept in its own column, the share of answers whose
 * reasoning never closed is the profile's, and the requests carry and omit what each provider's
 * reasoning models take.
 */
public class ReasoningSweepTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";

  private Path dir;
  private SimAnswerKey key;
  private SimProfile profile;

  /** reasoning_content on chat (r-content), thinking blocks on messages (r-claude). */
  private SimServer content;

  /** Inline {@code <think>} tags (r-think). */
  private SimServer think;

  /** OpenAI's: the reasoning only counted (r-openai). */
  private SimServer hidden;

  private CliRun sweep;
  private RunFolders.Run run;

  @BeforeClass
  public void sweep() throws Exception {
    dir = Files.createTempDirectory("reasoning-sweep");
    key = SimAnswers.bundled(Checkout.benchmarks());
    profile = SimProfile.resolve("sim-reasoner", Checkout.settings(), "--profile");
    double truncated = profile.reasoning().orElseThrow().truncated();
    content = SimServer.start(profile, key, "127.0.0.1", 0, Optional.empty());
    think = start(new SimProfile.Reasoning(SimProfile.ReasoningShape.THINK, truncated));
    hidden = start(new SimProfile.Reasoning(SimProfile.ReasoningShape.HIDDEN, truncated));
    Path models = dir.resolve("models.yaml");
    Files.writeString(
        models,
        "models:\n"
            + "  - {name: r-content, provider: openai-compatible, model: sim-reasoner, base_url: "
            + content.baseUrl()
            + "}\n"
            + "  - {name: r-think, provider: openai-compatible, model: sim-reasoner, base_url: "
            + think.baseUrl()
            + "}\n"
            + "  - name: r-claude\n"
            + "    provider: anthropic\n"
            + "    model: sim-reasoner\n"
            + "    base_url: "
            + content.baseUrl()
            + "\n    api_key_env: PATH\n"
            + "    thinking: {type: enabled, budget_tokens: 1024}\n"
            + "    max_tokens: 1500\n"
            + "  - name: r-openai\n"
            + "    provider: openai\n"
            + "    model: sim-reasoner\n"
            + "    base_url: "
            + hidden.baseUrl()
            + "\n    api_key_env: PATH\n"
            + "    reasoning_effort: high\n"
            + "    max_completion_tokens: 1500\n"
            + "    price_per_million: {input: 1, output: 4}\n",
        StandardCharsets.UTF_8);
    // Every bundled GSM8K item: the truncated share is then exactly the profile's.
    sweep =
        CliRun.withEnvironment(
            Map.of("LEADLINE_HOME", dir.resolve("home").toString()),
            "sweep",
            "--models-file",
            models.toString(),
            "--benchmarks",
            "gsm8k",
            "--settings",
            "gpt-fathom",
            "--out",
            dir.resolve("run").toString());
    assertEquals(sweep.exitCode(), 0, sweep.err());
    run = RunFolders.read(dir.resolve("run").toString(), "--out");
  }

  private SimServer start(SimProfile.Reasoning reasoning) {
    return SimServer.start(
        profile.withReasoning(Optional.of(reasoning)), key, "127.0.0.1", 0, Optional.empty());
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    for (SimServer server : new SimServer[] {content, think, hidden}) {
      if (server != null) {
        server.close();
      }
    }
    CliRun.deleteRecursively(dir);
  }

  private List<SampleRow> samples(String model) {
    List<SampleRow> rows = run.samples().stream().filter(s -> s.model().equals(model)).toList();
    assertEquals(rows.size(), 50, model);
    return rows;
  }

  /** The temperature the simulator answered at: reasoning models are sent none, so 1. */
  private static double temperature(String model) {
    return model.equals("r-claude") || model.equals("r-openai") ? 1 : 0;
  }

  private SimServer.Reasoned reasoned(String model, SampleRow row) {
    return SimServer.reasoned(profile, key, row.prompt(), temperature(model)).orElseThrow();
  }

  private String gold(SampleRow row) {
    return key.find(row.prompt()).orElseThrow().gold();
  }

  private MetricRow accuracy(String model) {
    return run.metrics().stream()
        .filter(m -> m.model().equals(model) && m.metric().equals("gsm8k/gpt-fathom-accuracy"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  public void accuracyIsThatOfTheAnswersAfterTheReasoning() {
    for (String model : List.of("r-content", "r-think", "r-claude", "r-openai")) {
      double right = 0;
      double readingTheReasoning = 0;
      for (SampleRow row : samples(model)) {
        SimServer.Reasoned reasoned = reasoned(model, row);
        String gold = "#### " + gold(row);
        boolean correct = !reasoned.endless() && Gsm8k.isGptFathomCorrect(reasoned.answer(), gold);
        right += correct ? 1 : 0;
        // An extractor reading the reasoning as well would find its wrong candidate first.
        readingTheReasoning +=
            Gsm8k.isGptFathomCorrect(reasoned.reasoning() + "\n" + reasoned.answer(), gold) ? 1 : 0;
        assertEquals(row.scores().get("gsm8k/gpt-fathom-accuracy"), correct ? 1.0 : 0.0, model);
      }
      MetricRow metric = accuracy(model);
      assertEquals(metric.n(), 50);
      assertEquals(metric.value(), right / 50, 1e-12, model);
      assertTrue(right > 0, model);
      assertNotEquals(readingTheReasoning, right, model);
    }
  }

  @Test
  public void theReasoningIsItsOwnColumnNeverTheCompletion() {
    for (String model : List.of("r-content", "r-think", "r-claude", "r-openai")) {
      for (SampleRow row : samples(model)) {
        SimServer.Reasoned reasoned = reasoned(model, row);
        String reasoning = row.reasoning().orElseThrow();
        if (model.equals("r-openai")) {
          assertTrue(
              reasoning.matches("\\[not returned by the server: [0-9]+ reasoning tokens\\]"),
              reasoning);
        } else if (reasoned.endless()) {
          assertTrue(reasoning.startsWith(reasoned.reasoning()), model + ": " + reasoning);
        } else {
          assertEquals(reasoning, reasoned.reasoning(), model);
        }
        String completion = row.completion().orElseThrow();
        assertFalse(completion.contains("<think>") || completion.contains("first attempt"), model);
        assertEquals(completion, reasoned.endless() ? "" : reasoned.answer(), model);
      }
    }
  }

  @Test
  public void exactlyTheProfilesShareOfReasoningIsTruncatedAndNeverGraded() {
    double rate = profile.reasoning().orElseThrow().truncated();
    for (String model : List.of("r-content", "r-think", "r-claude", "r-openai")) {
      long truncated = 0;
      for (SampleRow row : samples(model)) {
        boolean endless = reasoned(model, row).endless();
        assertEquals(
            row.noAnswerReason().filter(Choice.REASONING_TRUNCATED::equals).isPresent(),
            endless,
            model + " " + row.exampleId());
        if (endless) {
          truncated++;
          assertTrue(row.truncated().orElseThrow());
          assertTrue(row.extracted().isEmpty());
          assertTrue(row.scores().values().stream().allMatch(v -> v == 0), row.scores().toString());
        }
      }
      assertEquals(truncated, Math.round(rate * 50), model);
      MetricRow metric = accuracy(model);
      assertEquals(metric.reasoningTruncatedRate().orElseThrow(), rate, 1e-12, model);
      assertTrue(metric.noAnswerRate() >= rate, model);
      RunManifest.Usage usage =
          run.manifest().usage().stream().filter(u -> u.model().equals(model)).findFirst().get();
      assertEquals(usage.reasoningTruncated().orElseThrow(), truncated, model);
    }
    assertTrue(
        sweep.err().contains("r-think on gsm8k (gpt-fathom): 20.0% of the answers'"), sweep.err());
  }

  @Test
  public void requestsCarryWhatEachProvidersReasoningModelsTake() {
    SortedMap<String, Long> openAi = hidden.fieldsReceived();
    assertEquals(openAi.get(CHAT + " reasoning_effort=\"high\""), 50L, openAi.toString());
    assertEquals(openAi.get(CHAT + " max_completion_tokens=1500"), 50L, openAi.toString());
    for (String field : List.of("temperature", "top_p", "stop", "max_tokens")) {
      assertTrue(
          openAi.keySet().stream().noneMatch(k -> k.startsWith(CHAT + " " + field + "=")),
          field + ": " + openAi);
    }
    SortedMap<String, Long> both = content.fieldsReceived();
    assertEquals(
        both.get(MESSAGES + " thinking={\"type\":\"enabled\",\"budget_tokens\":1024}"),
        50L,
        both.toString());
    assertEquals(both.get(MESSAGES + " max_tokens=1500"), 50L, both.toString());
    assertTrue(both.keySet().stream().noneMatch(k -> k.startsWith(MESSAGES + " temperature")));
    assertTrue(both.keySet().stream().noneMatch(k -> k.startsWith(MESSAGES + " top_p")));
    // The plain OpenAI-compatible model is asked as the setting says.
    assertEquals(both.get(CHAT + " temperature=0.0"), 50L, both.toString());
    assertEquals(both.get(CHAT + " max_tokens=1024"), 50L, both.toString());
    assertTrue(both.keySet().stream().noneMatch(k -> k.startsWith(CHAT + " reasoning_effort")));

    assertTrue(
        sweep
            .err()
            .contains(
                "model r-openai: a reasoning model (reasoning_effort) takes only its default"
                    + " temperature and top_p and no stop sequences, so the settings' stop,"
                    + " temperature and top_p are not sent; the client still cuts at the stop"
                    + " sequences"),
        sweep.err());
    assertTrue(
        sweep
            .err()
            .contains(
                "model r-claude: extended thinking takes temperature 1 only, so the settings'"
                    + " temperature and top_p are not sent"),
        sweep.err());
  }

  @Test
  public void theManifestAndTheReportSayHowEachModelWasAsked() throws Exception {
    RunManifest manifest = run.manifest();
    RunManifest.Model openAi = manifest.model("r-openai").orElseThrow();
    assertEquals(
        openAi.requestOptions(),
        Map.of("max_completion_tokens", "1500", "reasoning_effort", "high"));
    assertEquals(openAi.notSent(), List.of("stop", "temperature", "top_p"));
    RunManifest.Model claude = manifest.model("r-claude").orElseThrow();
    assertEquals(
        claude.requestOptions(), Map.of("max_tokens", "1500", "thinking.budget_tokens", "1024"));
    assertEquals(claude.notSent(), List.of("temperature", "top_p"));
    assertTrue(manifest.model("r-content").orElseThrow().requestOptions().isEmpty());

    // The setting hash of a model asked with options of its own is its own.
    String plain = manifest.setting("gpt-fathom", "gsm8k").orElseThrow().hash();
    assertEquals(accuracy("r-content").settingHash(), plain);
    assertEquals(accuracy("r-think").settingHash(), plain);
    assertNotEquals(accuracy("r-openai").settingHash(), plain);
    assertNotEquals(accuracy("r-claude").settingHash(), plain);
    assertNotEquals(accuracy("r-claude").settingHash(), accuracy("r-openai").settingHash());
    for (SampleRow row : run.samples()) {
      assertEquals(row.settingHash(), accuracy(row.model()).settingHash());
    }

    String leaderboard =
        Files.readString(dir.resolve("run").resolve("report").resolve("leaderboard.md"));
    assertTrue(leaderboard.contains("r-openai (simulated, reasoning: effort high)"), leaderboard);
    assertTrue(
        leaderboard.contains("r-claude (simulated, reasoning: thinking, budget 1024 tokens)"),
        leaderboard);
    assertFalse(leaderboard.contains("r-content (reasoning"), leaderboard);
  }

  @Test
  public void reasoningTokensAreRecordedAndBilledAsOutput() {
    RunManifest.Usage usage =
        run.manifest().usage().stream().filter(u -> u.model().equals("r-openai")).findFirst().get();
    assertEquals(usage.promptTokens(), hidden.promptTokensReported());
    assertEquals(usage.completionTokens(), hidden.completionTokensReported());
    long reasoning = usage.reasoningTokens().orElseThrow();
    long answers =
        samples("r-openai").stream()
            .mapToLong(
                s -> s.completion().map(c -> c.isEmpty() ? 0L : (c.length() + 3) / 4).orElse(0L))
            .sum();
    assertEquals(reasoning + answers, usage.completionTokens());
    assertEquals(
        samples("r-openai").stream().mapToLong(s -> s.reasoningTokens().orElseThrow()).sum(),
        reasoning);
    BigDecimal expected =
        BigDecimal.valueOf(usage.promptTokens())
            .add(BigDecimal.valueOf(usage.completionTokens()).multiply(BigDecimal.valueOf(4)))
            .divide(BigDecimal.valueOf(1_000_000));
    assertEquals(new BigDecimal(usage.costUsd().orElseThrow()).compareTo(expected), 0);
    // Anthropic counts thinking within its output tokens only.
    assertTrue(
        run.manifest().usage().stream()
            .filter(u -> u.model().equals("r-claude"))
            .findFirst()
            .get()
            .reasoningTokens()
            .isEmpty());
  }

  @Test
  public void aWrongRequestOptionIsOneLineNamingTheFileModelAndKey() throws Exception {
    Path models = dir.resolve("wrong.yaml");
    Files.writeString(
        models,
        "models:\n"
            + "  - {name: gpt, provider: openai, model: o3, thinking: {type: enabled,"
            + " budget_tokens: 2048}}\n");
    CliRun wrong =
        CliRun.withEnvironment(
            Map.of("LEADLINE_HOME", dir.resolve("home").toString()),
            "sweep",
            "--models-file",
            models.toString(),
            "--benchmarks",
            "gsm8k");
    assertEquals(wrong.exitCode(), 2, wrong.err());
    assertEquals(
        wrong.err().strip(),
        "leadline sweep: "
            + models
            + ": models[0].thinking: model gpt: only provider anthropic takes thinking; OpenAI's"
            + " reasoning models take reasoning_effort");
  }
}
