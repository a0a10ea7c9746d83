package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.records.MetricRow;
import io.leadline.records.RecordFixtures;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class LeaderboardTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The fixture manifest (sim-v1, sim-v2, local-llama; mmlu, gsm8k, humaneval) plus zero-shot. */
  private static RunManifest manifest() {
    RunManifest fixture = RecordFixtures.manifest();
    List<RunManifest.Setting> settings = new ArrayList<>(fixture.settings());
    settings.add(
        new RunManifest.Setting(
            "zero-shot",
            List.of(
                new RunManifest.SettingBenchmark(
                    "gsm8k", "0-shot CoT", "3".repeat(64), "gsm8k/gpt-fathom-accuracy", "{}"))));
    return new RunManifest(
        fixture.schemaVersion(),
        fixture.leadline(),
        fixture.runId(),
        fixture.created(),
        fixture.planHash(),
        fixture.command(),
        fixture.models(),
        fixture.benchmarks(),
        settings,
        fixture.seeds(),
        fixture.sandbox(),
        fixture.counts(),
        fixture.usage(),
        fixture.spark(),
        List.of(),
        List.of());
  }

  private static MetricRow row(
      String model,
      String benchmark,
      Optional<String> subset,
      String setting,
      Optional<String> perturbation,
      double value) {
    return RecordFixtures.metric(model, benchmark, subset, setting, perturbation, "x", true, value);
  }

  /** A run written to disk and read back, as {@code leadline report} reads it. */
  private static RunData run() throws Exception {
    List<MetricRow> metrics =
        List.of(
            row("local-llama", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), 1.0),
            row("sim-v1", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), 0.5),
            row("sim-v1", "gsm8k", Optional.empty(), "zero-shot", Optional.empty(), 0.25),
            row("sim-v1", "mmlu", Optional.empty(), "gpt-fathom", Optional.empty(), 0.7),
            row("sim-v1", "mmlu", Optional.of("anatomy"), "gpt-fathom", Optional.empty(), 0.6),
            row("sim-v1", "mmlu", Optional.empty(), "gpt-fathom", Optional.of("format:x"), 0.4));
    Path dir = Files.createTempDirectory("leaderboard").resolve("r1");
    RecordFixtures.writeRunFolder(dir, manifest(), metrics, List.of());
    RunFolders.Run read = RunFolders.read(dir.toString(), "RUN");
    return new RunData("runs/r1", read.manifest(), read.metrics());
  }

  @Test
  public void followsGptFathomsLayout() throws Exception {
    Leaderboard board = Leaderboard.build(List.of(run()), Optional.empty());
    String md = board.markdown();
    assertTrue(
        md.contains(
            "| Capability | Benchmark | Setting | sim-v1 (simulated) | sim-v2 (simulated) |"
                + " local-llama |\n"
                + "|---|---|---|---|---|---|\n"
                + "| Knowledge | MMLU | 5-shot | 70.0 [60.0, 80.0] | — | — |\n"
                + "| Math | GSM8K | 8-shot CoT | 50.0 [40.0, 60.0] | — | 100.0 [90.0, 100.0] |\n"
                + "|  | GSM8K | 0-shot CoT † | 25.0 [15.0, 35.0] | — | — |\n"),
        md);
    assertTrue(md.contains("† not GPT-Fathom's default setting"), md);
    assertTrue(md.contains("## MMLU — 5-shot by subset"), md);
    assertTrue(md.contains("| anatomy | 60.0 [50.0, 70.0] | — | — |"), md);
    assertTrue(md.contains("gsm8k: openai/gsm8k, split test, revision bundled"), md);
    assertTrue(md.contains("setting zero-shot for gsm8k: 0-shot CoT, hash 333333"), md);

    String csv = board.csv();
    assertTrue(
        csv.startsWith(
            "category,benchmark,subset,setting,setting_label,metric,model,simulated,value,ci_low,ci_high,n\n"
                + "Knowledge,mmlu,,gpt-fathom,5-shot,x,sim-v1,true,0.7,"),
        csv);
    assertTrue(
        csv.contains("Math,gsm8k,,gpt-fathom,\"8-shot CoT\",x,local-llama,false,1.0,0.9,1.0,10\n"),
        csv);
    JsonNode json = MAPPER.readTree(board.json());
    assertEquals(json.get("rows").size(), 4);
    assertEquals(json.get("models").get(0).get("simulated").asBoolean(), true);
    assertEquals(json.get("rows").get(0).get("category").asText(), "Knowledge");

    String html = board.html();
    assertTrue(html.contains("<canvas id=\"capabilities\"></canvas>"));
    assertTrue(
        html.contains("<canvas id=\"sensitivity\"></canvas>"),
        "perturbed rows give a sensitivity chart");
    assertFalse(html.contains("<canvas id=\"seesaw\">"), "no diff, no seesaw chart");
    assertFalse(html.contains("<script src"), "self-contained");
    assertFalse(html.contains("<link "), "self-contained");
    assertTrue(html.contains("Chart.js v4.4.7"), "Chart.js is inlined");
    assertEquals(html.split("<tr data-benchmark=").length - 1, 3);
    // Every score cell shows n; the best of its row is bold; fewer than 30 items is marked.
    assertTrue(
        html.contains(
            "<td class=\"score best small\" data-label=\"local-llama\" data-sort=\"1.000000\">"
                + "<span class=\"v\">100.0</span> <span class=\"ci\">[90.0, 100.0]</span>"
                + " <span class=\"n\">n=10</span> <span class=\"small-mark\""),
        html);
    String[] rows = html.split("<tr data-benchmark=");
    for (int i = 1; i < rows.length; i++) {
      String row = rows[i].substring(0, rows[i].indexOf("</tr>"));
      assertEquals(row.split("class=\"score best").length - 1, 1, "one best per row: " + row);
    }
  }

  /** The fixture manifest as run {@code runId}, created at {@code minute}, GSM8K's hash given. */
  private static RunManifest manifest(String runId, int minute, String gsm8kHash) {
    return manifest(runId, minute, gsm8kHash, RecordFixtures.manifest().models());
  }

  private static RunManifest manifest(
      String runId, int minute, String gsm8kHash, List<RunManifest.Model> models) {
    RunManifest fixture = RecordFixtures.manifest();
    List<RunManifest.Setting> settings = new ArrayList<>();
    for (RunManifest.Setting setting : fixture.settings()) {
      List<RunManifest.SettingBenchmark> benchmarks = new ArrayList<>();
      for (RunManifest.SettingBenchmark b : setting.benchmarks()) {
        benchmarks.add(
            b.benchmark().equals("gsm8k")
                ? new RunManifest.SettingBenchmark(
                    b.benchmark(), b.label(), gsm8kHash, b.primaryMetric(), b.canonical())
                : b);
      }
      settings.add(new RunManifest.Setting(setting.name(), benchmarks));
    }
    return new RunManifest(
        fixture.schemaVersion(),
        fixture.leadline(),
        runId,
        java.time.Instant.parse("2026-12-01T10:00:00Z").plusSeconds(60L * minute),
        fixture.planHash(),
        fixture.command(),
        models,
        fixture.benchmarks(),
        settings,
        fixture.seeds(),
        fixture.sandbox(),
        fixture.counts(),
        fixture.usage(),
        fixture.spark(),
        List.of(),
        List.of());
  }

  private static final String GSM8K_HASH =
      "862081b240a11375473fecd7b729095397c71425294ec0936ea3bae08b860ac7";

  private static RunData run(String runId, int minute, String gsm8kHash, MetricRow... metrics) {
    return new RunData("runs/" + runId, manifest(runId, minute, gsm8kHash), List.of(metrics));
  }

  private static MetricRow primary(String model, String benchmark, double value) {
    return row(model, benchmark, Optional.empty(), "gpt-fathom", Optional.empty(), value);
  }

  @Test
  public void aModelsRunsOfDifferentBenchmarksMakeOneColumn() {
    RunData gsm8k = run("r1", 0, GSM8K_HASH, primary("sim-v1", "gsm8k", 0.5));
    RunData mmlu = run("r2", 1, GSM8K_HASH, primary("sim-v1", "mmlu", 0.7));
    String md = Leaderboard.build(List.of(mmlu, gsm8k), Optional.empty()).markdown();
    assertTrue(
        md.contains(
            "| Capability | Benchmark | Setting | sim-v1 (simulated) | sim-v2 (simulated) |"
                + " local-llama |\n|---|---|---|---|---|---|\n"
                + "| Knowledge | MMLU | 5-shot | 70.0 [60.0, 80.0] | — | — |\n"
                + "| Math | GSM8K | 8-shot CoT | 50.0 [40.0, 60.0] | — | — |\n"),
        md);
    assertFalse(md.contains("both hold it"), md);
    assertTrue(md.indexOf("run `r1`") < md.indexOf("run `r2`"), "oldest first: " + md);
  }

  @Test
  public void aScoreTwoRunsHoldIsTheLaterRunsAndThePageSaysSo() {
    RunData earlier = run("r1", 0, GSM8K_HASH, primary("sim-v1", "gsm8k", 0.5));
    RunData later = run("r2", 1, GSM8K_HASH, primary("sim-v1", "gsm8k", 0.6));
    for (List<RunData> given : List.of(List.of(later, earlier), List.of(earlier, later))) {
      Leaderboard board = Leaderboard.build(given, Optional.empty());
      String md = board.markdown();
      assertTrue(md.contains("| Math | GSM8K | 8-shot CoT | 60.0 [50.0, 70.0] | — | — |"), md);
      assertTrue(
          md.contains(
              "- sim-v1, GSM8K, setting gpt-fathom: runs r1 and r2 both hold it (the same setting"
                  + " hash); the later run's (r2) is shown\n"),
          md);
      assertTrue(board.html().contains("the later run&#39;s (r2) is shown"));
    }
  }

  @Test
  public void aSettingThatChangedKeepsARunsColumnApart() {
    RunData earlier = run("r1", 0, GSM8K_HASH, primary("sim-v1", "gsm8k", 0.5));
    RunData later = run("r2", 1, "9".repeat(64), primary("sim-v1", "gsm8k", 0.6));
    String md = Leaderboard.build(List.of(earlier, later), Optional.empty()).markdown();
    assertTrue(
        md.contains(
            "| sim-v1 @ r1 (simulated) | sim-v2 @ r1 (simulated) | local-llama @ r1 |"
                + " sim-v1 @ r2 (simulated) |"),
        md);
    assertTrue(md.contains("| 50.0 [40.0, 60.0] | — | — | 60.0 [50.0, 70.0] | — | — |"), md);
  }

  @Test
  public void aModelAskedToReasonKeepsItsRunsColumnApart() {
    RunData plain = run("r1", 0, GSM8K_HASH, primary("sim-v1", "gsm8k", 0.5));
    List<RunManifest.Model> models = new ArrayList<>();
    for (RunManifest.Model m : RecordFixtures.manifest().models()) {
      models.add(
          !m.name().equals("sim-v1")
              ? m
              : new RunManifest.Model(
                  m.name(),
                  m.provider(),
                  m.model(),
                  m.api(),
                  m.endpointHost(),
                  m.simulated(),
                  m.profile(),
                  m.profileFingerprint(),
                  m.reportedModels(),
                  java.util.Map.of("reasoning_effort", "high"),
                  List.of("temperature")));
    }
    RunData reasoning =
        new RunData(
            "runs/r2",
            manifest("r2", 1, GSM8K_HASH, models),
            List.of(primary("sim-v1", "gsm8k", 0.6)));
    String md = Leaderboard.build(List.of(plain, reasoning), Optional.empty()).markdown();
    assertTrue(
        md.contains(
            "| sim-v1 @ r1 (simulated) | sim-v2 (simulated) | local-llama |"
                + " sim-v1 @ r2 (simulated, reasoning: effort high) |"),
        md);
    assertFalse(md.contains("both hold it"), md);
  }

  /** {@code sample} as a failed request: no completion, {@code error}. */
  private static io.leadline.records.SampleRow failed(
      io.leadline.records.SampleRow s, String error) {
    return new io.leadline.records.SampleRow(
        s.model(),
        s.benchmark(),
        s.subset(),
        s.setting(),
        s.settingHash(),
        s.perturbation(),
        s.exampleId(),
        s.exampleIndex(),
        s.sampleIndex(),
        s.requestHash(),
        s.prompt(),
        s.gold(),
        s.shotsUsed(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        s.explanation(),
        java.util.Map.of(),
        java.util.Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(error),
        s.latencyMs(),
        Optional.empty(),
        Optional.empty(),
        s.attempts(),
        Optional.empty(),
        List.of(),
        List.of());
  }

  @Test
  public void anEmptyCellSaysWhy() {
    List<io.leadline.records.SampleRow> samples = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      samples.add(
          failed(
              RecordFixtures.sample(
                  "sim-v2", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), i, "x", 0),
              i == 2 ? "timed out" : "HTTP 404: The model 'nope'\ndoes not exist"));
    }
    // local-llama: one of two failed; the other was scored, but the run has no row of it.
    samples.add(
        RecordFixtures.sample(
            "local-llama", "mmlu", Optional.empty(), "gpt-fathom", Optional.empty(), 0, "x", 1));
    samples.add(
        failed(
            RecordFixtures.sample(
                "local-llama", "mmlu", Optional.empty(), "gpt-fathom", Optional.empty(), 1, "x", 0),
            "HTTP 500"));
    RunData run =
        new RunData(
            "runs/r1",
            manifest("r1", 0, GSM8K_HASH),
            List.of(
                primary("sim-v1", "gsm8k", 0.5),
                primary("sim-v1", "mmlu", 0.7),
                primary("local-llama", "gsm8k", 0.4),
                row("sim-v1", "gsm8k", Optional.empty(), "zero-shot", Optional.empty(), 0.2)),
            List.of(),
            samples);
    Leaderboard board = Leaderboard.build(List.of(run), Optional.empty());
    String html = board.html();
    assertTrue(
        html.contains(
            "<td class=\"empty\" data-label=\"sim-v2 (simulated)\" data-sort=\"-1\">— <span"
                + " class=\"why\">all 3 requests failed: HTTP 404: The model &#39;nope&#39; does"
                + " not exist</span></td>"),
        "the most common error, on one line");
    assertTrue(
        html.contains("<span class=\"why\">no score: 1 of 2 requests failed: HTTP 500</span>"),
        html);
    assertTrue(html.contains("<span class=\"why\">not run</span>"), "zero-shot is not in r1");
    assertTrue(
        html.contains(
            "data-label=\"sim-v2 (simulated)\" data-sort=\"-1\">— <span class=\"why\">no score in"
                + " metrics.json</span>"),
        "MMLU was swept and nothing of sim-v2's failed there");
    assertTrue(
        html.contains(
            "<li><strong>sim-v2 (simulated)</strong>: no score: all its requests failed (all 3 on"
                + " gsm8k, setting gpt-fathom: HTTP 404: The model &#39;nope&#39; does not"
                + " exist)</li>"),
        "why the column is empty");
    String md = board.markdown();
    assertTrue(
        md.contains("| Math | GSM8K | 8-shot CoT | 50.0 [40.0, 60.0] | — (all failed) |"), md);
    assertTrue(
        md.contains("| Knowledge | MMLU | 5-shot | 70.0 [60.0, 80.0] | — | — (some failed) |"), md);
    assertTrue(
        md.contains("- local-llama, MMLU (5-shot): no score: 1 of 2 requests failed: HTTP 500\n"),
        md);
  }
}
