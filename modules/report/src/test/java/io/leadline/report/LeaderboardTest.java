package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class LeaderboardTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  private static RunData run() throws Exception {
    JsonNode manifest =
        json(
            "{'run_id': 'r1', 'created': 't', 'leadline': {'version': '0.1', 'commit': 'c'},"
                + " 'spark': {'master': 'local[2]'},"
                + " 'models': [{'name': 'm1', 'simulated': true}, {'name': 'm2', 'simulated': false}],"
                + " 'benchmarks': ["
                + "  {'name': 'gsm8k', 'title': 'GSM8K', 'category': 'Math', 'dataset': 'openai/gsm8k',"
                + "   'split': 'test', 'revision': 'rev1', 'examples': 2, 'examples_sha256': 'abcdefabcdef00'},"
                + "  {'name': 'mmlu', 'title': 'MMLU', 'category': 'Knowledge', 'dataset': 'cais/mmlu',"
                + "   'split': 'test', 'revision': 'rev2', 'examples': 2, 'examples_sha256': '123456789012ff'}],"
                + " 'settings': ["
                + "  {'name': 'gpt-fathom', 'benchmarks': [{'benchmark': 'gsm8k', 'label': '8-shot CoT', 'hash': 'h1'},"
                + "   {'benchmark': 'mmlu', 'label': '5-shot', 'hash': 'h2'}]},"
                + "  {'name': 'zero-shot', 'benchmarks': [{'benchmark': 'gsm8k', 'label': '0-shot CoT', 'hash': 'h3'},"
                + "   {'benchmark': 'mmlu', 'label': '0-shot', 'hash': 'h4'}]}]}");
    String row =
        "{'model': '%s', 'benchmark': '%s', 'subset': %s, 'setting': '%s', 'perturbation': %s,"
            + " 'metric': 'x', 'primary': true, 'value': %s, 'ci_low': %s, 'ci_high': %s, 'n': 2}";
    String metrics =
        "["
            + String.join(
                ",",
                List.of(
                    String.format(
                        row, "m1", "gsm8k", "null", "gpt-fathom", "null", "0.5", "0.25", "0.75"),
                    String.format(
                        row, "m2", "gsm8k", "null", "gpt-fathom", "null", "1.0", "1.0", "1.0"),
                    String.format(
                        row, "m1", "gsm8k", "null", "zero-shot", "null", "0.25", "0.0", "0.5"),
                    String.format(
                        row, "m1", "mmlu", "null", "gpt-fathom", "null", "0.7", "0.6", "0.8"),
                    String.format(
                        row, "m1", "mmlu", "'anatomy'", "gpt-fathom", "null", "0.6", "0.5", "0.7"),
                    String.format(
                        row,
                        "m1",
                        "mmlu",
                        "null",
                        "gpt-fathom",
                        "'format:x'",
                        "0.4",
                        "0.3",
                        "0.5")))
            + "]";
    return new RunData("runs/r1", manifest, json(metrics));
  }

  @Test
  public void followsGptFathomsLayout() throws Exception {
    Leaderboard board = Leaderboard.build(List.of(run()), Optional.empty());
    String md = board.markdown();
    assertTrue(
        md.contains(
            "| Capability | Benchmark | Setting | m1 (simulated) | m2 |\n"
                + "|---|---|---|---|---|\n"
                + "| Knowledge | MMLU | 5-shot | 70.0 [60.0, 80.0] | — |\n"
                + "| Math | GSM8K | 8-shot CoT | 50.0 [25.0, 75.0] | 100.0 [100.0, 100.0] |\n"
                + "|  | GSM8K | 0-shot CoT † | 25.0 [0.0, 50.0] | — |\n"),
        md);
    assertTrue(md.contains("† not GPT-Fathom's default setting"), md);
    assertTrue(md.contains("## MMLU — 5-shot by subset"), md);
    assertTrue(md.contains("| anatomy | 60.0 [50.0, 70.0] | — |"), md);
    assertTrue(md.contains("gsm8k: openai/gsm8k, split test, revision rev1"), md);
    assertTrue(md.contains("setting zero-shot for gsm8k: 0-shot CoT, hash h3"), md);

    String csv = board.csv();
    assertTrue(
        csv.startsWith(
            "category,benchmark,subset,setting,setting_label,metric,model,simulated,value,ci_low,ci_high,n\n"
                + "Knowledge,mmlu,,gpt-fathom,5-shot,x,m1,true,0.7,0.6,0.8,2\n"),
        csv);
    JsonNode json = MAPPER.readTree(board.json());
    assertEquals(json.get("rows").size(), 4);
    assertEquals(json.get("models").get(0).get("simulated").asBoolean(), true);

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
  }
}
