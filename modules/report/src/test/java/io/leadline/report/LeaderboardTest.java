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
}
