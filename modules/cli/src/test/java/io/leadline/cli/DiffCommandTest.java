package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@code leadline diff} on the main job's run: its two models sim-v1 and sim-v2 differ like a
 * seesaw (their profiles: HumanEval 0.45 → 0.80, GSM8K 0.58 → 0.30, BBH 0.62 → 0.40, MMLU 0.70 →
 * 0.72, DROP and TriviaQA unchanged).
 */
public class DiffCommandTest {
  private Path dir;
  private Path main;

  /** {@code leadline diff MAIN MAIN --model-a A --model-b B} and {@code more}. */
  private String[] diff(String modelA, String modelB, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "diff",
                main.toString(),
                main.toString(),
                "--model-a",
                modelA,
                "--model-b",
                modelB));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private CliRun run(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  @BeforeClass
  public void sweeps() throws Exception {
    dir = Files.createTempDirectory("diff-command");
    main = MainJob.folder();
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    CliRun.deleteRecursively(dir);
  }

  private JsonNode diffJson(String modelA, String modelB) throws Exception {
    CliRun diff = run(diff(modelA, modelB, "--format", "json"));
    assertEquals(diff.exitCode(), 0, diff.err());
    return Json.MAPPER.readTree(diff.out());
  }

  @Test
  public void flagsTheSeesawOfSimV1AndSimV2AndNothingElse() throws Exception {
    JsonNode diff = diffJson("sim-v1", "sim-v2");
    assertTrue(diff.get("compatible").asBoolean());
    assertTrue(diff.get("seesaw").asBoolean());
    Map<String, String> directions = new HashMap<>();
    for (JsonNode row : diff.get("benchmarks")) {
      if (row.get("subset").isNull()) {
        directions.put(row.get("benchmark").asText(), row.get("direction").asText());
        assertTrue(row.get("ci_low").asDouble() <= row.get("delta").asDouble());
        assertTrue(row.get("min_detectable_delta").asDouble() > 0);
      }
    }
    assertEquals(directions.get("humaneval"), "up");
    assertEquals(directions.get("gsm8k"), "down");
    assertEquals(directions.get("bbh"), "down");
    assertEquals(directions.get("drop"), "flat");
    assertEquals(directions.get("triviaqa"), "flat");
    // The whole table's seesaw: MBPP up with HumanEval, MGSM down with GSM8K.
    assertEquals(directions.get("mbpp"), "up");
    assertEquals(directions.get("mgsm"), "down");
    // MMLU's two points are a real, small gain: found or not, never a loss.
    assertNotEquals(directions.get("mmlu"), "down");
    assertEquals(diff.get("gains").get(0).asText(), "humaneval");
    assertTrue(
        diff.get("headline").asText().startsWith("HumanEval 46.5 → 77.7 (+31.1, p = 0.002) while "),
        diff.get("headline").asText());
    assertEquals(diff.get("run_a").get("model").asText(), "sim-v1");
    assertTrue(diff.get("run_a").get("simulated").asBoolean());

    CliRun markdown = run(diff("sim-v1", "sim-v2"));
    assertTrue(
        markdown.out().startsWith("# sim-v1 → sim-v2\n\nHumanEval 46.5 → 77.7"), markdown.out());
    Path html = dir.resolve("diff.html");
    assertEquals(
        run(diff("sim-v1", "sim-v2", "--format", "html", "--out", html.toString())).exitCode(), 0);
    assertTrue(Files.readString(html).contains("<h1>sim-v1 → sim-v2</h1>"));
  }

  @Test
  public void aRunAgainstItselfIsAllFlat() throws Exception {
    JsonNode diff = diffJson("sim-v1", "sim-v1");
    assertFalse(diff.get("seesaw").asBoolean());
    assertEquals(diff.get("gains").size(), 0);
    assertEquals(diff.get("regressions").size(), 0);
    for (JsonNode row : diff.get("benchmarks")) {
      assertEquals(row.get("direction").asText(), "flat", row.toString());
      assertEquals(row.get("flips_up").size() + row.get("flips_down").size(), 0);
    }
  }

  @Test
  public void runsWithDifferentSettingsAreRefused() throws Exception {
    Path zeroShot = dir.resolve("zero-shot");
    Path fewShot = dir.resolve("few-shot");
    assertEquals(
        run(
                "sweep",
                "--models",
                "sim-v1",
                "--benchmarks",
                "gsm8k",
                "--limit",
                "5",
                "--settings",
                "zero-shot",
                "--out",
                zeroShot.toString())
            .exitCode(),
        0);
    assertEquals(
        run(
                "sweep",
                "--models",
                "sim-v1",
                "--benchmarks",
                "gsm8k",
                "--limit",
                "5",
                "--out",
                fewShot.toString())
            .exitCode(),
        0);
    CliRun refused = run("diff", fewShot.toString(), zeroShot.toString());
    assertEquals(refused.exitCode(), 2);
    List<String> lines = refused.err().lines().toList();
    assertTrue(
        lines.get(0).startsWith("leadline diff: the runs are not comparable (1 mismatches"),
        refused.err());
    assertTrue(
        lines.get(1).startsWith("  - gsm8k: setting hashes differ (A gpt-fathom "), refused.err());
    assertTrue(lines.get(1).contains(", B zero-shot "), refused.err());

    CliRun allowed = run("diff", fewShot.toString(), zeroShot.toString(), "--allow-mismatch");
    assertEquals(allowed.exitCode(), 0, allowed.err());
    assertTrue(allowed.out().startsWith("> **Only the items both runs share"), allowed.out());
  }

  @Test
  public void aFolderThatIsNotARunIsOneLine() {
    CliRun run =
        run("diff", main.toString(), dir.resolve("nowhere").toString(), "--model-a", "sim-v1");
    assertEquals(run.exitCode(), 2);
    assertTrue(run.err().startsWith("leadline diff: RUN_B: "), run.err());
    assertTrue(run.err().contains("is not a run folder"), run.err());
  }

  /**
   * The pairwise result of judging sim-v1's and sim-v2's TinyStories endings with {@code judge}.
   */
  private JsonNode pairwise(String judge) throws Exception {
    CliRun diff = run(diff("sim-v1", "sim-v2", "--judge", judge, "--format", "json"));
    assertEquals(diff.exitCode(), 0, diff.err());
    JsonNode results =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(diff.out()).get("pairwise");
    assertEquals(results.size(), 1, results.toString());
    JsonNode result = results.get(0);
    assertEquals(result.get("benchmark").asText(), "tinystories");
    assertEquals(result.get("judge").asText(), judge);
    assertEquals(result.get("template").asText(), "tinystories/pairwise");
    assertEquals(result.get("pairs").asInt(), 44);
    return result;
  }

  @Test
  public void pairwiseJudgingMeasuresAnOrderBiasAndCancelsIt() throws Exception {
    JsonNode fair = pairwise("sim-judge-a");
    JsonNode biased = pairwise("sim-judge-b");
    // sim-judge-a has no position bias: no verdict changes with the order.
    assertEquals(fair.get("flips").asInt(), 0, fair.toString());
    // sim-judge-b prefers whichever ending it is shown first on 30% of pairs: those verdicts
    // flip with the order, and count as ties.
    int graded = biased.get("graded").asInt();
    double flipShare = biased.get("flip_share").asDouble();
    assertTrue(flipShare > 0.12 && flipShare < 0.5, "flip share " + flipShare);
    assertTrue(
        biased.get("first_shown_share").asDouble() > fair.get("first_shown_share").asDouble());
    Map<String, String> fairWinners = new HashMap<>();
    fair.get("verdicts")
        .forEach(v -> fairWinners.put(v.get("example_id").asText(), v.get("winner").asText()));
    int flipped = 0;
    for (JsonNode verdict : biased.get("verdicts")) {
      if (verdict.get("winner").isNull()) {
        continue;
      }
      boolean flips = !verdict.get("in_order").asText().equals(verdict.get("swapped").asText());
      if (flips) {
        flipped++;
        assertEquals(verdict.get("winner").asText(), "TIE", verdict.toString());
      } else if (fairWinners.containsKey(verdict.get("example_id").asText())
          && !fairWinners.get(verdict.get("example_id").asText()).equals("null")) {
        // Where the order did not decide, the biased judge agrees with the fair one.
        assertEquals(
            verdict.get("winner").asText(),
            fairWinners.get(verdict.get("example_id").asText()),
            verdict.toString());
      }
    }
    assertEquals(flipped, biased.get("flips").asInt());
    assertEquals(
        biased.get("wins_a").asInt() + biased.get("wins_b").asInt() + biased.get("ties").asInt(),
        graded);
    // Judging again answers every request from the result store.
    assertEquals(pairwise("sim-judge-b").get("sent_requests").asInt(), 0);
  }

  @Test
  public void aJudgeTemplateWithoutAJudgeIsOneLine() {
    CliRun run = run(diff("sim-v1", "sim-v2", "--judge-template", "tinystories/pairwise"));
    assertEquals(run.exitCode(), 2);
    assertEquals(run.err().strip(), "leadline diff: --judge-template: needs --judge NAME");
  }
}
