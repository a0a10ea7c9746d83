package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.engine.SimAnswers;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Issue 22: sweeps through the simulator's batch APIs (OpenAI's and Anthropic's) give the metrics
 * of ordinary requests; a sweep killed while its batches run reattaches to them (no batch made
 * twice, no line sent twice); expired lines are recorded failed and sent again; the dry run's
 * estimates are within 10% of what the simulator reports; the budget stops within one request's
 * cost of its limit and a rerun with a larger one finishes.
 */
public class BatchSweepTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] PLAN = {"--benchmarks", "gsm8k,arc-e,mmlu", "--limit", "4"};
  private static final String[] BOTH = {"--settings", "gpt-fathom,loglikelihood"};

  private Path dir;

  /** The simulator the OpenAI-shaped sweeps share: a batch takes 4 s, no line expires. */
  private SimServer sim;

  @BeforeClass
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("batch-sweep");
    sim = sim(Duration.ofSeconds(4), 0);
  }

  @AfterClass(alwaysRun = true)
  public void tearDown() throws Exception {
    sim.close();
    CliRun.deleteRecursively(dir);
  }

  private static SimServer sim(Duration delay, double expire) {
    return sim(delay, expire, OptionalLong.empty());
  }

  /** A simulator whose batches take at most 40 requests and {@code maxBytes}. */
  private static SimServer sim(Duration delay, double expire, OptionalLong maxBytes) {
    SimProfile profile =
        SimProfile.resolve("sim-v1", Checkout.settings(), "--profile")
            .withBatch(new SimProfile.Batch(delay, expire, OptionalLong.of(40), maxBytes));
    return SimServer.start(
        profile, SimAnswers.bundled(Checkout.benchmarks()), "127.0.0.1", 0, Optional.empty());
  }

  /** A models file for {@code sim}: OpenAI-compatible, or Anthropic; batched or not; priced. */
  private Path models(String name, SimServer sim, String provider, String batch) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "models:\n"
            + "  - name: v1\n"
            + "    provider: "
            + provider
            + "\n    base_url: "
            + sim.baseUrl()
            + "\n    model: sim-v1\n"
            + (provider.equals("anthropic")
                ? "    api_key_env: PATH\n"
                : "    loglikelihood: true\n")
            + "    max_attempts: 20\n"
            + "    price_per_million: {input: 2.5, output: 10}\n"
            + batch,
        StandardCharsets.UTF_8);
    return file;
  }

  private CliRun sweep(String home, Path models, String out, String... more) {
    List<String> args = new ArrayList<>(List.of("sweep", "--models-file", models.toString()));
    args.addAll(List.of(PLAN));
    args.addAll(List.of("--out", dir.resolve(out).toString()));
    args.addAll(List.of(more));
    return CliRun.withEnvironment(
        Map.of("LEADLINE_HOME", dir.resolve(home).toString()), args.toArray(String[]::new));
  }

  private String metrics(String out) throws Exception {
    return Files.readString(dir.resolve(out).resolve("metrics.json"));
  }

  @Test(
      timeOut = 300_000,
      dependsOnMethods = "dryRunEstimatesAreWithinTenPercentOfWhatTheModelReports")
  public void batchedSweepsScoreAsOrdinaryRequestsAndAKilledOneReattaches() throws Exception {
    {
      Path batched =
          models(
              "batched",
              sim,
              "openai-compatible",
              "    batch: {max_requests: 40, poll_seconds: 0.1}\n");
      // A real sweep process, killed with SIGKILL once its batches are in progress.
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(CliRun.SHORT_LIVED_JVM);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("-Dleadline.root=" + Checkout.root());
      command.addAll(
          List.of("io.leadline.cli.Leadline", "sweep", "--models-file", batched.toString()));
      command.addAll(List.of(PLAN));
      command.addAll(List.of(BOTH));
      command.addAll(List.of("--out", dir.resolve("killed").toString()));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("LEADLINE_HOME", dir.resolve("home-batched").toString());
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      File err = dir.resolve("killed.txt").toFile();
      builder.redirectError(err);
      Process process = builder.start();
      Path records = dir.resolve("home-batched").resolve("results").resolve("batches");
      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      // Every item is submitted at once (in batches of 40 lines), then polled.
      while (!Files.readString(err.toPath()).contains("in_progress")) {
        assertTrue(process.isAlive(), Files.readString(err.toPath()));
        assertTrue(
            System.nanoTime() < deadline,
            "no batch in progress: " + Files.readString(err.toPath()));
        Thread.sleep(50);
      }
      long recorded;
      try (Stream<Path> files = Files.list(records)) {
        recorded = files.filter(f -> f.toString().endsWith(".json")).count();
      }
      new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start().waitFor();
      process.waitFor();
      long created = sim.batchesCreated(SimServer.BatchApi.OPENAI);
      assertTrue(created >= 2, "batches: " + created);
      assertEquals(recorded, created, "every batch made is recorded in the store");

      CliRun rerun = sweep("home-batched", batched, "killed", BOTH);
      assertEquals(rerun.exitCode(), 0, rerun.err());
      assertTrue(rerun.err().contains("reattached to batch"), rerun.err());
      assertFalse(rerun.err().contains("submitted batch"), rerun.err());
      assertEquals(sim.batchesCreated(SimServer.BatchApi.OPENAI), created, "no batch made twice");
      sim.batchLinesByDigest()
          .forEach(
              (digest, times) -> assertEquals((int) times, 1, "line " + digest + " sent twice"));

      // The same sweep with a request per item ("real"): the same metrics, byte for byte.
      assertEquals(metrics("killed"), metrics("real"));
      // serve-sim's batches say they are simulated, as its own requests do.
      assertTrue(simulated("killed"), "batched answers of serve-sim were not marked simulated");

      // The report shows the ledger, every answer batched.
      String report =
          Files.readString(dir.resolve("killed").resolve("report").resolve("leaderboard.md"));
      assertTrue(report.contains("## Cost"), report);
      assertTrue(report.matches("(?s).*\\| v1 \\| gsm8k \\| gpt-fathom \\| 4 \\| 4 \\|.*"), report);
      // The ledger: every answer batched at the batch price (half of 2.5 and 10), none of the
      // ordinary run's.
      JsonNode costs = MAPPER.readTree(dir.resolve("killed").resolve("manifest.json").toFile());
      JsonNode plainCosts = MAPPER.readTree(dir.resolve("real").resolve("manifest.json").toFile());
      for (int i = 0; i < costs.path("costs").size(); i++) {
        JsonNode row = costs.path("costs").get(i);
        JsonNode same = plainCosts.path("costs").get(i);
        assertEquals(row.path("batched_items").asLong(), row.path("answered_items").asLong());
        assertEquals(same.path("batched_items").asLong(), 0);
        BigDecimal expected =
            new BigDecimal(row.path("prompt_tokens").asLong())
                .multiply(new BigDecimal("1.25"))
                .add(
                    new BigDecimal(row.path("completion_tokens").asLong())
                        .multiply(new BigDecimal(5)))
                .divide(new BigDecimal(1_000_000));
        assertEquals(
            new BigDecimal(row.path("cost_usd").asText()).compareTo(expected), 0, row.toString());
        assertEquals(
            new BigDecimal(same.path("cost_usd").asText())
                .compareTo(
                    new BigDecimal(row.path("cost_usd").asText()).multiply(new BigDecimal(2))),
            0,
            same.toString());
      }
    }
  }

  /** Whether run {@code out}'s manifest records its one model simulated. */
  private boolean simulated(String out) throws Exception {
    JsonNode models = MAPPER.readTree(dir.resolve(out).resolve("manifest.json").toFile());
    assertEquals(models.path("models").size(), 1, models.path("models").toString());
    return models.path("models").get(0).path("simulated").asBoolean();
  }

  /** The metrics rows of the generative setting. */
  private String generative(String out) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode row : MAPPER.readTree(metrics(out))) {
      if (row.path("setting").asText().equals("gpt-fathom")) {
        rows.add(row);
      }
    }
    return rows.toString();
  }

  @Test(
      timeOut = 300_000,
      dependsOnMethods = "dryRunEstimatesAreWithinTenPercentOfWhatTheModelReports")
  public void anthropicBatchesScoreAsOrdinaryMessagesAndExpiredLinesAreSentAgain()
      throws Exception {
    // Batches of at most 12 kB: the sweep cuts its items to fit.
    try (SimServer expiring = sim(Duration.ofMillis(1500), 0.3, OptionalLong.of(12_000))) {
      Path batched =
          models(
              "anthropic-batched",
              expiring,
              "anthropic",
              "    batch: {max_bytes: 12000, poll_seconds: 0.1}\n");
      String[] generative = {"--settings", "gpt-fathom"};
      // --no-wait: submitted, and the sweep exits while they run.
      CliRun submitted =
          sweep("home-anthropic", batched, "anthropic-1", concat(generative, "--no-wait"));
      assertEquals(submitted.exitCode(), SweepCommand.BATCHES_RUNNING, submitted.err());
      assertTrue(
          submitted
              .err()
              .matches("(?s).*\\d+ batch(es)? still running; rerun the same command to collect.*"),
          submitted.err());
      assertFalse(Files.exists(dir.resolve("anthropic-1")), "no run folder while batches run");
      long batches = expiring.batchesCreated(SimServer.BatchApi.ANTHROPIC);
      assertTrue(batches >= 2, "batches: " + batches);
      CliRun first = sweep("home-anthropic", batched, "anthropic-1", generative);
      assertEquals(first.exitCode(), 0, first.err());
      assertTrue(first.err().contains("reattached to batch"), first.err());
      assertEquals(expiring.batchesCreated(SimServer.BatchApi.ANTHROPIC), batches);
      Matcher failed = Pattern.compile("([\\d,]+) items failed").matcher(first.err());
      assertTrue(failed.find(), first.err());
      assertTrue(first.err().contains("expired"), first.err());
      assertTrue(simulated("anthropic-1"), "Anthropic batches of serve-sim not marked simulated");
      // The next run sends the expired ones again, as ordinary requests here.
      Path ordinary = models("anthropic-ordinary", expiring, "anthropic", "");
      CliRun second = sweep("home-anthropic", ordinary, "anthropic-2", generative);
      assertEquals(second.exitCode(), 0, second.err());
      assertFalse(second.err().contains("items failed"), second.err());
      // The same answers as the OpenAI-shaped routes give: the metrics of the ordinary run.
      assertEquals(generative("anthropic-2"), generative("real"));
    }
  }

  private static String[] concat(String[] first, String... more) {
    return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
  }

  @Test(timeOut = 300_000)
  public void dryRunEstimatesAreWithinTenPercentOfWhatTheModelReports() throws Exception {
    {
      Path models = models("priced", sim, "openai-compatible", "");
      // An earlier, smaller run into the same store gives the mean completion tokens per item.
      CliRun earlier =
          CliRun.withEnvironment(
              Map.of("LEADLINE_HOME", dir.resolve("home-dry").toString()),
              concat(
                  new String[] {"sweep", "--models-file", models.toString(), "--limit", "2"},
                  concat(
                      BOTH,
                      "--benchmarks",
                      "gsm8k,arc-e,mmlu",
                      "--out",
                      dir.resolve("earlier").toString())));
      assertEquals(earlier.exitCode(), 0, earlier.err());
      CliRun dry = sweep("home-dry", models, "dry", concat(BOTH, "--dry-run"));
      assertEquals(dry.exitCode(), 0, dry.err());
      assertFalse(Files.exists(dir.resolve("dry")), "a dry run writes no run folder");
      Matcher totals =
          Pattern.compile("~([\\d,]+) prompt tokens, ~([\\d,]+) output tokens").matcher(dry.out());
      assertTrue(totals.find(), dry.out());
      long prompt = Long.parseLong(totals.group(1).replace(",", ""));
      long output = Long.parseLong(totals.group(2).replace(",", ""));
      long promptBefore = sim.promptTokensReported();
      long outputBefore = sim.completionTokensReported();
      long requestsBefore = sim.requests();
      CliRun real = sweep("home-dry", models, "real", BOTH);
      assertEquals(real.exitCode(), 0, real.err());
      long promptSent = sim.promptTokensReported() - promptBefore;
      long outputSent = sim.completionTokensReported() - outputBefore;
      assertTrue(Math.abs(prompt - promptSent) <= promptSent / 10, prompt + " vs " + promptSent);
      assertTrue(Math.abs(output - outputSent) <= outputSent / 10, output + " vs " + outputSent);
      assertTrue(sim.requests() > requestsBefore);
    }
  }

  @Test(
      timeOut = 300_000,
      dependsOnMethods = "dryRunEstimatesAreWithinTenPercentOfWhatTheModelReports")
  public void theBudgetStopsWithinOneRequestOfItsLimitAndALargerOneFinishes() throws Exception {
    {
      Path models = dir.resolve("priced.yaml");
      // A budget of a third of the run's cost: spent within one request's most of it.
      JsonNode manifest = MAPPER.readTree(dir.resolve("real").resolve("manifest.json").toFile());
      BigDecimal whole = new BigDecimal(manifest.path("usage").get(0).path("cost_usd").asText());
      BigDecimal limit = whole.divide(new BigDecimal(3), 6, java.math.RoundingMode.DOWN);
      CliRun budgeted =
          sweep("home-budget", models, "budgeted", concat(BOTH, "--budget", limit.toPlainString()));
      assertEquals(budgeted.exitCode(), 0, budgeted.err());
      Matcher stopped =
          Pattern.compile(
                  "budget: [\\d,]+ of [\\d,]+ items answered, [\\d,]+ not sent: the next request"
                      + " \\(up to \\$([\\d.]+)\\) would pass the cost budget of \\$[\\d.]+ \\(\\$([\\d.]+)"
                      + " spent\\)")
              .matcher(budgeted.err());
      assertTrue(stopped.find(), budgeted.err());
      BigDecimal next = new BigDecimal(stopped.group(1));
      BigDecimal spent = new BigDecimal(stopped.group(2));
      assertTrue(spent.compareTo(limit) <= 0, spent + " > " + limit);
      assertTrue(limit.subtract(spent).compareTo(next) < 0, "stopped early: " + spent);
      // A rerun with a larger budget finishes, and scores as the unbudgeted run did.
      CliRun more =
          sweep(
              "home-budget",
              models,
              "budgeted-2",
              concat(BOTH, "--budget", whole.multiply(new BigDecimal(2)).toPlainString()));
      assertEquals(more.exitCode(), 0, more.err());
      assertFalse(more.err().contains("not sent"), more.err());
      assertEquals(metrics("budgeted-2"), metrics("real"));
    }
  }

  @Test
  public void badBudgetsAndUnpricedModelsAreOneLine() throws Exception {
    CliRun word = CliRun.of("sweep", "--budget", "lots", "--dry-run");
    assertEquals(word.exitCode(), 2, word.err());
    assertEquals(
        word.err().strip(),
        "leadline sweep: --budget: expected US dollars, a decimal such as 25 or 2.50, got 'lots'");
    CliRun unpriced =
        CliRun.withEnvironment(
            Map.of("LEADLINE_HOME", dir.resolve("home-unpriced").toString()),
            "sweep",
            "--budget",
            "5",
            "--benchmarks",
            "gsm8k",
            "--limit",
            "1",
            "--dry-run");
    assertEquals(unpriced.exitCode(), 2, unpriced.err());
    assertTrue(
        unpriced
            .err()
            .contains(
                "--budget: a cost budget needs every model's price, and model sim-v1 has none"),
        unpriced.err());
  }
}
