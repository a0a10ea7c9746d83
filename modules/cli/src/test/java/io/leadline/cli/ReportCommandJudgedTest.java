package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@code leadline report} on a real judged sweep: TinyStories graded by two judges and TriviaQA by
 * one under the judged setting. The report reads what only the run folder holds — {@code
 * agreement.json} and the judges' replies in {@code samples.parquet} — into its model-graded
 * section. The judges are the built-in simulated ones, sim-judge-a and sim-judge-b.
 */
public class ReportCommandJudgedTest {
  private Path dir;
  private Path run;

  private CliRun leadline(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  @BeforeClass
  public void sweep() throws Exception {
    dir = Files.createTempDirectory("report-judged");
    run = dir.resolve("run");
    CliRun sweep =
        leadline(
            "sweep",
            "--models",
            "sim-v1",
            "--benchmarks",
            "tinystories,triviaqa",
            "--settings",
            "judged",
            "--limit",
            "2",
            "--out",
            run.toString());
    assertEquals(sweep.exitCode(), 0, sweep.err());
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    CliRun.deleteRecursively(dir);
  }

  @Test
  public void theModelGradedSectionReadsAgreementAndJudgedSamplesFromTheRunFolder()
      throws Exception {
    assertTrue(Files.exists(run.resolve("agreement.json")), "two judges: agreement.json");
    Path out = dir.resolve("report");
    CliRun report = leadline("report", run.toString(), "--out", out.toString());
    assertEquals(report.exitCode(), 0, report.err());

    String md = Files.readString(out.resolve("leaderboard.md"));
    assertTrue(md.contains("\n## Model-graded\n"), md);
    assertTrue(md.contains("\n### TriviaQA — 1-shot (setting judged)\n"), md);
    assertTrue(md.contains("\n### TinyStories GPT-Eval — 0-shot (setting judged)\n"), md);
    assertTrue(
        md.contains(
            "Template `tinystories/gpt-eval`. Judges: sim-judge-a (sim/sim-judge-a, reported"
                + " sim-judge-a, simulated); sim-judge-b (sim/sim-judge-b, reported sim-judge-b,"
                + " simulated)."),
        md);
    // From agreement.json.
    assertTrue(md.contains("| sim-v1 (simulated) | grammar | krippendorff-alpha-ordinal |"), md);
    assertTrue(md.contains("| sim-v1 (simulated) | age_group | cohen-kappa |"), md);
    assertTrue(md.contains("#### Where the fuzzy match and the judge disagree"), md);

    // From the judges' replies in samples.parquet: a story per example, each judge's reply.
    String html = Files.readString(out.resolve("index.html"));
    assertEquals(html.split("<details class=\"story\"").length - 1, 2, "two examples");
    assertEquals(html.split("<div class=\"judgement\" data-judge=\"sim-judge-a\">").length - 1, 2);
    assertEquals(html.split("<div class=\"judgement\" data-judge=\"sim-judge-b\">").length - 1, 2);

    JsonNode json = new ObjectMapper().readTree(out.resolve("leaderboard.json").toFile());
    assertEquals(json.get("model_graded").size(), 2, json.toString());
    assertEquals(json.get("model_graded").get(1).get("stories").asInt(), 2);
  }
}
