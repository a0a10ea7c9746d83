package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The multiple-choice benchmarks scored by log-likelihood against a real {@code serve-sim} on
 * 127.0.0.1: each item's acc is what the server's profile made the likeliest option, the metrics
 * are their means, one request goes out per option and a rerun sends none; servers that would score
 * chance are refused after the probe alone, chat-only and Anthropic models before anything.
 */
public class LikelihoodSweepTest {
  private static final List<String> MULTIPLE_CHOICE =
      List.of("mmlu", "arc-e", "arc-c", "hellaswag", "truthfulqa", "race-m", "race-h");
  private static final int LIMIT = 4;

  private SparkSession spark;
  private Path dir;
  private Path home;
  private SimProfile profile;
  private SimAnswerKey key;
  private SimServer server;
  private RunFolders.Run first;
  private long sentFirst;
  private long sentAgain;
  private long sentOtherSetting;

  @BeforeClass
  public void run() throws IOException {
    spark = SweepFixture.spark();
    dir = SweepFixture.tempDir("loglikelihood");
    home = dir.resolve("home");
    profile =
        SimProfile.resolve("sim-v1", SweepFixture.ROOT.resolve("settings"), "profile")
            .with(SimProfile.Latency.NONE, SimProfile.Faults.NONE);
    key = SimAnswers.bundled(SweepFixture.ROOT.resolve("benchmarks"));
    server = SimServer.start(profile, key, "127.0.0.1", 0, Optional.empty());
    first = sweep("first", SweepFixture.ROOT.resolve("settings"), "loglikelihood", models(server));
    sentFirst = server.requests();
    sweep("again", SweepFixture.ROOT.resolve("settings"), "loglikelihood", models(server));
    sentAgain = server.requests() - sentFirst;
    // Another setting that asks the same options of the same prompts (its max_tokens, which a
    // likelihood request does not send, differs): a new setting hash, no new request.
    Path settings = SweepFixture.settingsCopy(dir.resolve("settings"));
    Files.writeString(
        settings.resolve("loglikelihood-long.yaml"),
        "name: loglikelihood-long\ndescription: loglikelihood with another max_tokens\n"
            + "extends: loglikelihood\nevery_benchmark: {max_tokens: 99}\n");
    long before = server.requests();
    other = sweep("other", settings, "loglikelihood-long", models(server));
    sentOtherSetting = server.requests() - before;
  }

  private RunFolders.Run other;

  private static String models(SimServer server) {
    return models(server, "api: completions");
  }

  private static String models(SimServer server, String api) {
    return String.format(
        "models:%n  - {name: base, provider: openai-compatible, base_url: '%s', model: %s, %s,"
            + " max_concurrency: 8, max_attempts: 2}%n",
        server.baseUrl(), server.profile().snapshot(), api);
  }

  /** The first sweeps share {@link #home}; one of another server gets its own result store. */
  private SweepSpec spec(String name, Path settings, String setting, String models) {
    return spec(name, settings, setting, models, home);
  }

  private SweepSpec spec(String name, Path settings, String setting, String models, Path store) {
    return SweepSpec.builder()
        .checkout(SweepFixture.ROOT)
        .settingsDir(settings)
        .settings(List.of(setting))
        .home(store)
        .modelsFile("models.yaml", models)
        .benchmarks(MULTIPLE_CHOICE)
        .limit(LIMIT)
        .out(Optional.of(dir.resolve(name).toString()))
        .runsDir(dir)
        .master("local[2]")
        .build();
  }

  private RunFolders.Run sweep(String name, Path settings, String setting, String models) {
    Sweep.run(spec(name, settings, setting, models), new SweepListener() {});
    return RunFolders.read(dir.resolve(name).toString(), "RUN");
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    if (server != null) {
      server.close();
    }
    spark.stop();
    SweepFixture.deleteRecursively(dir);
  }

  @Test
  public void accIsWhatTheProfileMadeLikeliestItemByItemAndOnAverage() {
    Map<String, double[]> bySubset = new TreeMap<>();
    for (SampleRow sample : first.samples()) {
      boolean right =
          SimServer.likelihoodRight(profile, key, sample.prompt().stripTrailing())
              .orElseThrow(() -> new AssertionError("not recognised: " + sample.exampleId()));
      assertEquals(sample.problemScores().get("acc"), right ? 1.0 : 0.0, sample.exampleId());
      double[] sum =
          bySubset.computeIfAbsent(
              sample.benchmark() + "/" + sample.subset().orElse(""), k -> new double[2]);
      sum[0] += right ? 1 : 0;
      sum[1]++;
      // The extracted answer is the likeliest option; acc_norm is there too.
      SampleRow.OptionLikelihood likeliest =
          sample.options().stream()
              .max(java.util.Comparator.comparingDouble(SampleRow.OptionLikelihood::logprob))
              .orElseThrow();
      assertEquals(sample.extracted(), Optional.of(likeliest.letter()));
      // acc_norm again from the stored options: the likeliest per character is the gold.
      SampleRow.OptionLikelihood perCharacter =
          sample.options().stream()
              .max(
                  java.util.Comparator.comparingDouble(
                      (SampleRow.OptionLikelihood o) -> o.logprob() / o.chars()))
              .orElseThrow();
      String gold = sample.gold().substring(1, 2);
      assertEquals(
          sample.problemScores().get("acc_norm"),
          perCharacter.letter().equals(gold) ? 1.0 : 0.0,
          sample.exampleId());
      assertEquals(sample.problemScores().get("acc"), likeliest.letter().equals(gold) ? 1.0 : 0.0);
      assertTrue(sample.options().stream().allMatch(o -> o.tokens() >= 1 && o.logprob() < 0));
    }
    for (String benchmark : MULTIPLE_CHOICE) {
      double expected =
          bySubset.entrySet().stream()
              .filter(e -> e.getKey().startsWith(benchmark + "/"))
              .mapToDouble(e -> e.getValue()[0] / e.getValue()[1])
              .average()
              .orElseThrow();
      MetricRow acc = metric(first, benchmark, "acc");
      assertEquals(acc.value(), expected, 1e-12, benchmark);
      MetricRow norm = metric(first, benchmark, "acc_norm");
      assertTrue(norm.ciLow() <= norm.value() && norm.value() <= norm.ciHigh(), norm.toString());
      assertTrue(acc.primary());
    }
    assertEquals(
        first.manifest().setting("loglikelihood", "mmlu").orElseThrow().label(),
        "5-shot, log-likelihood");
  }

  private static MetricRow metric(RunFolders.Run run, String benchmark, String name) {
    return run.metrics().stream()
        .filter(m -> m.benchmark().equals(benchmark) && m.subset().isEmpty())
        .filter(m -> m.metric().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(benchmark + " has no " + name));
  }

  @Test
  public void oneRequestPerOptionThenNoneOnARerunOrUnderAnotherSettingOfTheSameRequests() {
    long options = first.samples().stream().mapToLong(s -> s.options().size()).sum();
    assertTrue(first.samples().size() > 40, "items: " + first.samples().size());
    assertEquals(sentFirst, 1 + options, "the probe, then one request per option");
    assertEquals(sentAgain, 0);
    assertEquals(sentOtherSetting, 0);
    assertEquals(other.samples().size(), first.samples().size());
    assertTrue(!other.samples().get(0).settingHash().equals(first.samples().get(0).settingHash()));
  }

  /** The loglikelihood sweep of {@code models}, with a result store of its own, refused. */
  private LeadlineException refused(String name, String models) {
    SweepSpec refused =
        spec(
            name,
            SweepFixture.ROOT.resolve("settings"),
            "loglikelihood",
            models,
            dir.resolve("home-" + name));
    return expectThrows(LeadlineException.class, () -> Sweep.run(refused, new SweepListener() {}));
  }

  @Test
  public void serversThatWouldScoreChanceAreRefusedAfterTheProbeAlone() {
    for (SimProfile.Echo echo :
        List.of(
            SimProfile.Echo.IGNORED,
            SimProfile.Echo.NO_PROMPT_LOGPROBS,
            SimProfile.Echo.NO_OFFSETS)) {
      try (SimServer broken =
          SimServer.start(profile.withEcho(echo), key, "127.0.0.1", 0, Optional.empty())) {
        LeadlineException refused = refused("refused-" + echo, models(broken));
        String missing =
            switch (echo) {
              case IGNORED -> "echo ignored";
              case NO_PROMPT_LOGPROBS -> "no prompt logprobs";
              default -> "offsets missing";
            };
        String host = broken.baseUrl().getHost() + ":" + broken.baseUrl().getPort();
        assertTrue(
            refused
                .getMessage()
                .startsWith(
                    "model base ("
                        + host
                        + "/v1/completions): cannot score by log-likelihood: "
                        + missing
                        + " ("),
            refused.getMessage());
        assertTrue(refused.getMessage().endsWith("; nothing else was sent to it"));
        assertEquals(broken.requests(), 1, echo + ": the probe only");
      }
    }
  }

  @Test
  public void chatOnlyAndAnthropicModelsAreRefusedBeforeAnythingIsSent() {
    try (SimServer idle = SimServer.start(profile, key, "127.0.0.1", 0, Optional.empty())) {
      LeadlineException chat = refused("chat", models(idle, "api: chat"));
      assertTrue(
          chat.getMessage()
              .startsWith("model base: api: chat has no echoed prompt log-probabilities"),
          chat.getMessage());
      assertTrue(
          chat.getMessage().endsWith("(setting loglikelihood scores mmlu by log-likelihood)"));
      String anthropic =
          String.format(
              "models:%n  - {name: claude, provider: anthropic, base_url: '%s', model: c}%n",
              idle.baseUrl());
      LeadlineException refused = refused("anthropic", anthropic);
      assertTrue(
          refused.getMessage().startsWith("model claude: Anthropic's API has no log-probabilities"),
          refused.getMessage());
      assertEquals(idle.requests(), 0);
    }
  }
}
