package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.records.AgreementRow;
import io.leadline.records.MetricRow;
import io.leadline.records.RecordFixtures;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Test;

/**
 * The model-graded section: a run with a story benchmark graded by two judges (one of which gives
 * no grade on one story) and a closed-book QA benchmark graded by one judge beside its fuzzy match,
 * written to disk and read back as {@code leadline report} reads it; the page in headless Chromium.
 */
public class ModelGradedTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HASH = "0".repeat(64);
  private static final String LONG_WORD = "Zzz".repeat(100);
  private static final String STORY_TEMPLATE =
      "{\"benchmark\":\"tinystories\",\"format\":\"story\",\"judge\":{\"judges\":["
          + "{\"identity\":\"{a}\",\"name\":\"sim-judge-a\"},"
          + "{\"identity\":\"{b}\",\"name\":\"sim-judge-b\"}],\"parser\":\"labels\","
          + "\"template\":{\"name\":\"tinystories/gpt-eval\","
          + "\"score\":[\"grammar\",\"creativity\",\"consistency\"]}},"
          + "\"template\":{\"chat_query\":\"Continue the story.\\n\\n{beginning}\","
          + "\"query\":\"{beginning}\"}}";
  private static final String QA_TEMPLATE =
      "{\"benchmark\":\"triviaqa\",\"format\":\"closed-qa\",\"judge\":{\"judges\":["
          + "{\"identity\":\"{a}\",\"name\":\"sim-judge-a\"}],\"parser\":\"labels\","
          + "\"template\":{\"name\":\"simpleqa\",\"score\":[\"grade\"]}},"
          + "\"template\":{\"query\":\"Q: {question}\\nA: \"}}";
  static final String BEGINNING =
      "Once upon a time, Tom & Lily found a <box> in the park. They wanted to open it, but";
  static final String ENDING = " it was locked. Lily found a key under a <rock> and they smiled.";

  /** The fixture manifest with TinyStories (two judges) and TriviaQA under judged (one judge). */
  static RunManifest manifest() {
    RunManifest fixture = RecordFixtures.manifest();
    List<RunManifest.Benchmark> benchmarks = new ArrayList<>(fixture.benchmarks());
    benchmarks.add(benchmark("tinystories", "TinyStories GPT-Eval", "Generation"));
    benchmarks.add(benchmark("triviaqa", "TriviaQA", "Knowledge"));
    List<RunManifest.Setting> settings = new ArrayList<>();
    for (RunManifest.Setting setting : fixture.settings()) {
      List<RunManifest.SettingBenchmark> entries = new ArrayList<>(setting.benchmarks());
      entries.add(
          new RunManifest.SettingBenchmark(
              "tinystories", "0-shot", "4".repeat(64), "tinystories/gpt-eval", STORY_TEMPLATE));
      settings.add(new RunManifest.Setting(setting.name(), entries));
    }
    settings.add(
        new RunManifest.Setting(
            "judged",
            List.of(
                new RunManifest.SettingBenchmark(
                    "triviaqa",
                    "1-shot",
                    "5".repeat(64),
                    "triviaqa/gpt-fathom-fuzzy-match",
                    QA_TEMPLATE))));
    return new RunManifest(
        fixture.schemaVersion(),
        fixture.leadline(),
        fixture.runId(),
        fixture.created(),
        fixture.planHash(),
        fixture.command(),
        fixture.models(),
        benchmarks,
        settings,
        fixture.seeds(),
        fixture.sandbox(),
        fixture.counts(),
        fixture.usage(),
        fixture.spark(),
        List.of(
            new RunManifest.Judge(
                "sim-judge-a",
                "sim",
                "sim-judge-a",
                "chat",
                true,
                Optional.of("sim-0123456789ab"),
                List.of("sim-judge-a"),
                60,
                2,
                60,
                0,
                6000,
                600),
            new RunManifest.Judge(
                "sim-judge-b",
                "openai",
                "gpt-4o-mini",
                "chat",
                false,
                Optional.empty(),
                List.of("gpt-4o-mini-2024-07-18"),
                40,
                3,
                40,
                1,
                4000,
                400)),
        List.of());
  }

  private static RunManifest.Benchmark benchmark(String name, String title, String category) {
    return new RunManifest.Benchmark(
        name,
        title,
        category,
        "org/" + name,
        "test",
        "bundled",
        Optional.empty(),
        "bundled",
        4,
        "6".repeat(64),
        List.of());
  }

  static MetricRow judged(
      String model,
      String benchmark,
      String setting,
      String metric,
      boolean primary,
      double value,
      double low,
      double high,
      Optional<Double> noGrade) {
    return new MetricRow(
        model,
        benchmark,
        Optional.empty(),
        setting,
        HASH,
        Optional.empty(),
        metric,
        primary,
        value,
        low,
        high,
        44,
        0.0,
        noGrade);
  }

  private static MetricRow story(String model, String metric, double value, double noGrade) {
    return judged(
        model,
        "tinystories",
        "gpt-fathom",
        metric,
        metric.equals("tinystories/gpt-eval"),
        value,
        value - 0.05,
        value + 0.05,
        Optional.of(noGrade));
  }

  static List<MetricRow> metrics() {
    List<MetricRow> rows = new ArrayList<>();
    // Shuffled on purpose: the section orders them.
    rows.add(story("sim-v1", "tinystories/gpt-eval/age_group=D", 0.4, 0.04));
    rows.add(story("sim-v1", "tinystories/gpt-eval[sim-judge-b]", 0.69, 0.08));
    rows.add(story("sim-v1", "tinystories/gpt-eval/creativity", 0.62, 0.04));
    rows.add(
        judged(
            "sim-v1",
            "tinystories",
            "gpt-fathom",
            "tinystories/gpt-eval",
            true,
            0.723,
            0.681,
            0.76,
            Optional.of(0.04)));
    rows.add(
        judged(
            "sim-v2",
            "tinystories",
            "gpt-fathom",
            "tinystories/gpt-eval",
            true,
            0.651,
            0.602,
            0.699,
            Optional.of(0.125)));
    rows.add(story("sim-v1", "tinystories/gpt-eval/grammar[sim-judge-a]", 0.8, 0.0));
    rows.add(story("sim-v1", "tinystories/gpt-eval/consistency", 0.74, 0.04));
    rows.add(story("sim-v1", "tinystories/gpt-eval[sim-judge-a]", 0.75, 0.0));
    rows.add(story("sim-v1", "tinystories/gpt-eval/age_group=C", 0.6, 0.04));
    rows.add(story("sim-v1", "tinystories/gpt-eval/grammar", 0.81, 0.04));
    // A perturbed variant is the sensitivity chart's, not the section's.
    rows.add(
        new MetricRow(
            "sim-v1",
            "tinystories",
            Optional.empty(),
            "gpt-fathom",
            HASH,
            Optional.of("format:x"),
            "tinystories/gpt-eval",
            true,
            0.333,
            0.3,
            0.4,
            44,
            0.0,
            Optional.of(0.5)));
    rows.add(
        judged(
            "sim-v1",
            "triviaqa",
            "judged",
            "triviaqa/gpt-fathom-fuzzy-match",
            true,
            0.6,
            0.2,
            1.0,
            Optional.empty()));
    rows.add(judged("sim-v1", "triviaqa", "judged", "simpleqa", false, 0.5, 0.0, 1.0, opt(0.2)));
    rows.add(
        judged(
            "sim-v1", "triviaqa", "judged", "simpleqa/grade=CORRECT", false, 0.5, 0, 1, opt(0.2)));
    rows.add(
        judged(
            "sim-v1",
            "triviaqa",
            "judged",
            "simpleqa/grade=INCORRECT",
            false,
            0.5,
            0,
            1,
            opt(0.2)));
    rows.add(
        RecordFixtures.metric(
            "sim-v1",
            "gsm8k",
            Optional.empty(),
            "gpt-fathom",
            Optional.empty(),
            "gsm8k/gpt-fathom-accuracy",
            true,
            0.5));
    return rows;
  }

  private static Optional<Double> opt(double value) {
    return Optional.of(value);
  }

  static List<AgreementRow> agreement() {
    return List.of(
        new AgreementRow(
            "sim-v1",
            "tinystories",
            Optional.empty(),
            "gpt-fathom",
            HASH,
            Optional.empty(),
            "tinystories/gpt-eval",
            "age_group",
            List.of("sim-judge-a", "sim-judge-b"),
            "cohen-kappa",
            Optional.empty(),
            42,
            Optional.empty()),
        new AgreementRow(
            "sim-v1",
            "tinystories",
            Optional.empty(),
            "gpt-fathom",
            HASH,
            Optional.empty(),
            "tinystories/gpt-eval",
            "grammar",
            List.of("sim-judge-a", "sim-judge-b"),
            "krippendorff-alpha-ordinal",
            Optional.of(0.412),
            42,
            Optional.of(0.119)));
  }

  static SampleRow sample(
      String model,
      String benchmark,
      String setting,
      String exampleId,
      int exampleIndex,
      String prompt,
      String gold,
      String completion,
      Map<String, Double> scores,
      List<SampleRow.Judgement> judgements) {
    return new SampleRow(
        model,
        benchmark,
        Optional.empty(),
        setting,
        HASH,
        Optional.empty(),
        exampleId,
        exampleIndex,
        0,
        "1".repeat(64),
        prompt,
        gold,
        0,
        Optional.of(completion),
        Optional.of(completion),
        Optional.empty(),
        Optional.empty(),
        scores,
        scores,
        Optional.empty(),
        Optional.empty(),
        Optional.of("stop"),
        Optional.of(false),
        Optional.empty(),
        Optional.of(12L),
        Optional.of(100L),
        Optional.of(5L),
        Optional.of(1),
        Optional.of(model),
        judgements,
        List.of());
  }

  private static SampleRow.Judgement graded(
      String judge, String reply, Map<String, String> grades) {
    return new SampleRow.Judgement(judge, reply, grades, Optional.empty());
  }

  private static SampleRow.Judgement noGrade(String judge, String reply, String why) {
    return new SampleRow.Judgement(judge, reply, Map.of(), Optional.of(why));
  }

  private static Map<String, String> storyGrades(String g, String cr, String co, String age) {
    Map<String, String> grades = new LinkedHashMap<>();
    grades.put("grammar", g);
    grades.put("creativity", cr);
    grades.put("consistency", co);
    grades.put("age_group", age);
    return grades;
  }

  private static SampleRow qa(
      String id, int index, String completion, double fuzzy, Optional<String> grade) {
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("triviaqa/gpt-fathom-fuzzy-match", fuzzy);
    grade.ifPresent(g -> scores.put("simpleqa", g.equals("CORRECT") ? 1.0 : 0.0));
    SampleRow.Judgement judgement =
        grade.isPresent()
            ? graded(
                "sim-judge-a",
                "Reply on " + id + ".\nGrade: " + grade.get(),
                Map.of("grade", grade.get()))
            : noGrade("sim-judge-a", "Hmm on " + id, "the labels parser found no grade");
    return sample(
        "sim-v1",
        "triviaqa",
        "judged",
        id,
        index,
        "Q: question " + index + "\nA: ",
        "Paris; City of Light",
        completion,
        scores,
        List.of(judgement));
  }

  static List<SampleRow> samples() {
    List<SampleRow> samples = new ArrayList<>();
    samples.add(
        sample(
            "sim-v1",
            "tinystories",
            "gpt-fathom",
            "evaluation/0",
            0,
            "Continue the story.\n\n" + BEGINNING,
            "(no gold: judges grade the ending)",
            ENDING,
            Map.of("tinystories/gpt-eval", 0.8),
            List.of(
                graded(
                    "sim-judge-a",
                    "A fine ending by judge-a-0.\nGrammar: 8/10\nCreativity: 7/10\n"
                        + "Consistency: 9/10\nAge group: C",
                    storyGrades("8", "7", "9", "C")),
                noGrade(
                    "sim-judge-b",
                    "I would rather not grade <this> one (judge-b-0).",
                    "the labels parser found no grammar"))));
    samples.add(
        sample(
            "sim-v2",
            "tinystories",
            "gpt-fathom",
            "evaluation/0",
            0,
            BEGINNING,
            "(no gold: judges grade the ending)",
            " it opened by itself: " + LONG_WORD,
            Map.of("tinystories/gpt-eval", 0.6),
            List.of(
                graded(
                    "sim-judge-a",
                    "Odd. " + LONG_WORD + "\nGrammar: 6/10",
                    storyGrades("6", "6", "6", "B")),
                graded("sim-judge-b", "Fine (judge-b-0-v2).", storyGrades("6", "5", "7", "B")))));
    samples.add(
        sample(
            "sim-v1",
            "tinystories",
            "gpt-fathom",
            "evaluation/1",
            1,
            "Continue the story.\n\nJack wanted to ride his bike to grandma's house.",
            "(no gold: judges grade the ending)",
            " He rode slowly in the rain.",
            Map.of("tinystories/gpt-eval", 0.7),
            List.of(
                graded("sim-judge-a", "Good.", storyGrades("7", "7", "7", "C")),
                graded("sim-judge-b", "Good too.", storyGrades("7", "6", "8", "C")))));
    samples.add(qa("tq-0", 0, "Paris, I think, or maybe Lyon", 1.0, Optional.of("INCORRECT")));
    samples.add(qa("tq-1", 1, "Paris", 1.0, Optional.of("CORRECT")));
    samples.add(qa("tq-2", 2, "no idea", 0.0, Optional.empty()));
    samples.add(qa("tq-3", 3, "the City of Light", 0.0, Optional.of("CORRECT")));
    samples.add(qa("tq-4", 4, "London", 0.0, Optional.of("INCORRECT")));
    // Not judged: the report leaves it out.
    samples.add(
        RecordFixtures.sample(
            "sim-v1",
            "gsm8k",
            Optional.empty(),
            "gpt-fathom",
            Optional.empty(),
            0,
            "gsm8k/gpt-fathom-accuracy",
            1.0));
    return samples;
  }

  /** The run written to disk and read back; agreement and samples as the report command adds. */
  static RunData run(List<MetricRow> metrics, List<SampleRow> samples) throws IOException {
    Path dir = Files.createTempDirectory("model-graded").resolve("r1");
    RecordFixtures.writeRunFolder(dir, manifest(), metrics, List.of());
    RunFolders.Run read = RunFolders.read(dir.toString(), "RUN");
    return new RunData("runs/r1", read.manifest(), read.metrics(), agreement(), samples);
  }

  private static Leaderboard board() throws IOException {
    return Leaderboard.build(List.of(run(metrics(), samples())), Optional.empty());
  }

  @Test
  public void runDataKeepsOnlyJudgedSamples() throws IOException {
    RunData run = run(metrics(), samples());
    assertEquals(run.judgedSamples().size(), 8);
    assertTrue(run.judgedSamples().stream().noneMatch(s -> s.benchmark().equals("gsm8k")));
    assertEquals(run.agreement().size(), 2);
    RunData old = new RunData("runs/r1", run.manifest(), run.metrics());
    assertEquals(old.agreement(), List.of());
    assertEquals(old.judgedSamples(), List.of());
  }

  @Test
  public void markdownShowsJudgesValuesNoGradeRatesAndAgreement() throws IOException {
    String md = board().markdown();
    assertTrue(
        md.contains(
            "| Knowledge | TriviaQA | 1-shot † | 60.0 [20.0, 100.0] | — | — |\n"
                + "| Math | GSM8K | 8-shot CoT | 50.0 [40.0, 60.0] | — | — |\n"
                + "| Generation | TinyStories GPT-Eval | 0-shot, judged by sim-judge-a,"
                + " sim-judge-b | 72.3 [68.1, 76.0] | 65.1 [60.2, 69.9] | — |\n"),
        md);
    String table =
        "### TinyStories GPT-Eval — 0-shot (setting gpt-fathom)\n\n"
            + "Template `tinystories/gpt-eval`. Judges: sim-judge-a (sim/sim-judge-a, reported"
            + " sim-judge-a, simulated); sim-judge-b (openai/gpt-4o-mini, reported"
            + " gpt-4o-mini-2024-07-18).\n\n"
            + "| Metric | sim-v1 (simulated) | sim-v2 (simulated) | local-llama |\n"
            + "|---|---|---|---|\n"
            + "| tinystories/gpt-eval | 72.3 [68.1, 76.0] · no grade 4% |"
            + " 65.1 [60.2, 69.9] · no grade 12.5% | — |\n"
            + "| tinystories/gpt-eval/grammar | 81.0 [76.0, 86.0] · no grade 4% | — | — |\n"
            + "| tinystories/gpt-eval/creativity | 62.0 [57.0, 67.0] · no grade 4% | — | — |\n"
            + "| tinystories/gpt-eval/consistency | 74.0 [69.0, 79.0] · no grade 4% | — | — |\n"
            + "| tinystories/gpt-eval[sim-judge-a] | 75.0 [70.0, 80.0] · no grade 0% | — | — |\n"
            + "| tinystories/gpt-eval/grammar[sim-judge-a] | 80.0 [75.0, 85.0] · no grade 0% |"
            + " — | — |\n"
            + "| tinystories/gpt-eval[sim-judge-b] | 69.0 [64.0, 74.0] · no grade 8% | — | — |\n"
            + "| tinystories/gpt-eval/age_group=C | 60.0 [55.0, 65.0] · no grade 4% | — | — |\n"
            + "| tinystories/gpt-eval/age_group=D | 40.0 [35.0, 45.0] · no grade 4% | — | — |\n"
            + "\nAgreement between the judges:\n\n"
            + "| Model | Field | Statistic | Value | Units | Disagree by > 1/5 of the scale |\n"
            + "|---|---|---|---|---|---|\n"
            + "| sim-v1 (simulated) | grammar | krippendorff-alpha-ordinal | 0.412 | 42 | 11.9% |\n"
            + "| sim-v1 (simulated) | age_group | cohen-kappa | undefined | 42 | — |\n";
    assertTrue(md.contains(table), md);
    assertFalse(md.contains("33.3"), "the perturbed variant is not in the section");
    assertTrue(md.indexOf("## Model-graded") < md.indexOf("## Reproducibility"), md);
    assertTrue(
        md.indexOf("### TriviaQA — 1-shot (setting judged)")
            < md.indexOf("### TinyStories GPT-Eval"),
        "in the leaderboard's order: Knowledge before Generation");
    assertTrue(
        md.contains(
            "Template `simpleqa`. Judge: sim-judge-a (sim/sim-judge-a, reported sim-judge-a,"
                + " simulated).\n\n| Metric |"),
        md);
    assertTrue(
        md.contains(
            "| simpleqa | 50.0 [0.0, 100.0] · no grade 20% | — | — |\n"
                + "| simpleqa/grade=CORRECT | 50.0 [0.0, 100.0] · no grade 20% | — | — |\n"
                + "| simpleqa/grade=INCORRECT | 50.0 [0.0, 100.0] · no grade 20% | — | — |\n"),
        md);
    assertTrue(
        md.contains(
            "  - judge sim-judge-b: openai/gpt-4o-mini (chat API), reported"
                + " gpt-4o-mini-2024-07-18; 40 replies, 3 without a grade; 40 requests sent,"
                + " 1 failed; 4000 prompt and 400 completion tokens\n"),
        md);
  }

  @Test
  public void markdownListsWhereTheFuzzyMatchAndTheJudgeDisagree() throws IOException {
    String md = board().markdown();
    assertTrue(
        md.contains(
            "#### Where the fuzzy match and the judge disagree\n\n"
                + "2 of 4 items graded both ways (`triviaqa/gpt-fathom-fuzzy-match` against the"
                + " judge's `simpleqa`):\n\n"
                + "- **sim-v1 (simulated)**, `tq-0`: fuzzy match 1, judge INCORRECT"
                + " (sim-judge-a)\n"
                + "  - completion: `Paris, I think, or maybe Lyon`\n"
                + "  - gold: `Paris; City of Light`\n"
                + "  - sim-judge-a's reply:\n\n"
                + "    ```text\n"
                + "    Reply on tq-0.\n"
                + "    Grade: INCORRECT\n"
                + "    ```\n\n"
                + "- **sim-v1 (simulated)**, `tq-3`: fuzzy match 0, judge CORRECT"
                + " (sim-judge-a)\n"),
        md);
    assertFalse(md.contains("`tq-1`"), "fuzzy match and judge agree on tq-1");
    assertFalse(md.contains("`tq-4`"), "fuzzy match and judge agree on tq-4");
    assertFalse(md.contains("`tq-2`"), "no grade on tq-2: nothing to compare");
    assertFalse(md.contains(ENDING.strip()), "stories are the page's, not the Markdown's");
  }

  @Test
  public void jsonHoldsTheSection() throws IOException {
    JsonNode json = MAPPER.readTree(board().json());
    JsonNode rows = json.get("rows");
    JsonNode story = null;
    for (JsonNode row : rows) {
      if (row.get("benchmark").asText().equals("tinystories")) {
        story = row;
      } else {
        assertFalse(row.has("judges"), row.toString());
      }
    }
    assertEquals(story.get("judges").toString(), "[\"sim-judge-a\",\"sim-judge-b\"]");
    JsonNode graded = json.get("model_graded");
    assertEquals(graded.size(), 2);
    JsonNode qa = graded.get(0);
    assertEquals(qa.get("benchmark").asText(), "triviaqa");
    assertEquals(qa.get("template").asText(), "simpleqa");
    assertEquals(qa.get("primary_metric").asText(), "triviaqa/gpt-fathom-fuzzy-match");
    assertEquals(qa.get("disagreements").toString(), "{\"compared\":4,\"count\":2}");
    JsonNode stories = graded.get(1);
    assertEquals(stories.get("setting").asText(), "gpt-fathom");
    assertEquals(stories.get("stories").asInt(), 2);
    assertEquals(
        stories.get("judges").toString(),
        "[{\"name\":\"sim-judge-a\",\"provider\":\"sim\",\"model\":\"sim-judge-a\","
            + "\"reported_models\":[\"sim-judge-a\"],\"simulated\":true},"
            + "{\"name\":\"sim-judge-b\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
            + "\"reported_models\":[\"gpt-4o-mini-2024-07-18\"],\"simulated\":false}]");
    JsonNode first = stories.get("metrics").get(0);
    assertEquals(first.get("metric").asText(), "tinystories/gpt-eval");
    assertEquals(
        first.get("scores").get("sim-v1").toString(),
        "{\"value\":0.723,\"ci_low\":0.681,\"ci_high\":0.76,\"n\":44,\"no_grade_rate\":0.04}");
    assertEquals(first.get("scores").get("sim-v2").get("no_grade_rate").asDouble(), 0.125);
    assertEquals(stories.get("metrics").size(), 9);
    JsonNode kappa = stories.get("agreement").get(1);
    assertEquals(kappa.get("field").asText(), "age_group");
    assertTrue(kappa.get("value").isNull());
    assertTrue(kappa.get("disagree_share").isNull());
    assertEquals(stories.get("agreement").get(0).get("value").asDouble(), 0.412);
  }

  @Test
  public void thePageEscapesTheStoriesAndTheReplies() throws IOException {
    String html = board().html();
    assertTrue(html.contains("<h2 id=\"model-graded\">Model-graded</h2>"));
    assertEquals(html.split("<details class=\"story\"").length - 1, 2, "one per example");
    assertEquals(html.split("<details class=\"disagreements\"").length - 1, 1, "for TriviaQA");
    assertFalse(html.contains("<box>"), "escaped");
    assertFalse(html.contains("<this>"), "escaped");
    assertTrue(html.contains("Tom &amp; Lily found a &lt;box&gt;"), "escaped");
    assertTrue(
        html.contains(
            "<summary>evaluation/0 — Once upon a time, Tom &amp; Lily found a &lt;box&gt; in the"
                + " park. They wanted to open it,…</summary>"),
        "the summary is the beginning without the chat instruction, cut at 80 characters");
    assertTrue(
        html.contains(
            "sim-judge-b: <span class=\"grades\">no grade (the labels parser found no grammar)"
                + "</span>"));
    assertTrue(
        html.contains(
            "sim-judge-a: <span class=\"grades\">grammar 8, creativity 7, consistency 9,"
                + " age_group C</span>"));
    assertTrue(
        html.contains(
            "<span class=\"v\">72.3</span> <span class=\"ci\">[68.1, 76.0]</span> <span"
                + " class=\"n\">n=44</span> <span class=\"nograde\">· no grade 4%</span></td>"),
        "a judged score is a score cell of the family, with its no-grade share");
    assertTrue(html.contains("data-example=\"tq-0\""));
    assertFalse(html.contains("data-example=\"tq-1\""), "agreeing items are not listed");
    assertTrue(
        html.contains("pre.wrap { white-space: pre-wrap; overflow-wrap: anywhere;"),
        "the family's stylesheet wraps model text");
  }

  @Test
  public void atMostFiftyDisagreementsAreListed() throws IOException {
    List<SampleRow> samples = new ArrayList<>();
    for (int i = 0; i < 53; i++) {
      samples.add(qa("tq-" + i, i, "Paris", 1.0, Optional.of("INCORRECT")));
    }
    Leaderboard board = Leaderboard.build(List.of(run(metrics(), samples)), Optional.empty());
    String md = board.markdown();
    assertTrue(md.contains("53 of 53 items graded both ways"), md);
    assertTrue(md.contains("`tq-49`"), md);
    assertFalse(md.contains("`tq-50`"), md);
    assertTrue(md.contains("… and 3 more (samples.parquet holds every judge reply).\n"), md);
    String html = board.html();
    assertEquals(html.split("<div class=\"item\"").length - 1, 50);
    assertTrue(html.contains("<p>… and 3 more"));
  }

  @Test
  public void aJudgeThatNeverGradedStillHasItsSection() throws IOException {
    List<MetricRow> metrics = new ArrayList<>();
    for (MetricRow row : metrics()) {
      if (row.noGradeRate().isEmpty() || !row.benchmark().equals("tinystories")) {
        metrics.add(row);
      }
    }
    String md = Leaderboard.build(List.of(run(metrics, samples())), Optional.empty()).markdown();
    assertTrue(
        md.contains(
            "gpt-4o-mini-2024-07-18).\n\nNo judged metric has a value: no judge gave a grade.\n"),
        md);
  }

  @Test
  public void inChromiumOpeningAStoryShowsTheEndingAndBothReplies() throws Exception {
    // In target/, for a human to open; the next build replaces it.
    Path dir = Path.of("target", "model-graded-page").toAbsolutePath();
    board().write(dir);
    // A probe for the test only: it opens the first story and records what is visible before and
    // after, and whether any of its text runs wider than its box on a phone-wide window.
    String probe =
        """
        <script>
        const story = document.querySelector('details.story[data-example="evaluation/0"]');
        const parts = () => Array.from(story.querySelectorAll(
          '.ending[data-model="sim-v1"] pre.ending-text, .ending[data-model="sim-v1"] .judgement'));
        const section = document.querySelector('section.judged[data-benchmark="tinystories"]');
        const shown = () => parts().filter(e => e.checkVisibility()).length;
        // Headless windows are at least 500 pixels wide: the page body is made as narrow as a
        // phone's instead.
        document.body.style.maxWidth = '360px';
        const before = shown();
        story.open = true;
        document.body.dataset.story = JSON.stringify({
          before: before,
          after: shown(),
          parts: parts().length,
          judges: Array.from(story.querySelectorAll('.ending[data-model="sim-v1"] .judgement'))
            .map(j => j.dataset.judge),
          text: story.innerText,
          tooWide: Array.from(story.querySelectorAll('pre.wrap'))
            .filter(p => p.scrollWidth > p.clientWidth + 1).length,
          sectionWidth: section.scrollWidth,
          sectionBox: section.clientWidth
        });
        </script>
        </body>""";
    Path page = dir.resolve("probe.html");
    Files.writeString(
        page,
        Files.readString(dir.resolve("index.html")).replace("</body>", probe),
        StandardCharsets.UTF_8);
    String dom =
        chromium(
            dir.resolve("chromium-profile"),
            "--window-size=500,900",
            "--dump-dom",
            page.toUri().toString());
    assertTrue(dom.contains("data-charts=\"2\""), "the charts still draw");
    int at = dom.indexOf("data-story=\"");
    assertTrue(at > 0, dom.substring(0, Math.min(300, dom.length())));
    String attribute = dom.substring(at + "data-story=\"".length(), dom.indexOf('"', at + 12));
    JsonNode story =
        MAPPER.readTree(
            attribute
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&"));
    assertEquals(story.get("parts").asInt(), 3, story.toString());
    assertEquals(story.get("before").asInt(), 0, "closed, the story hides them: " + story);
    assertEquals(story.get("after").asInt(), 3, "open, the ending and both replies show");
    assertEquals(story.get("judges").toString(), "[\"sim-judge-a\",\"sim-judge-b\"]");
    String text = story.get("text").asText();
    assertTrue(text.contains(BEGINNING), text);
    assertFalse(text.contains("Continue the story."), "the beginning, not the chat prompt");
    assertTrue(text.contains(ENDING.strip()), text);
    assertTrue(text.contains("A fine ending by judge-a-0."), text);
    assertTrue(text.contains("I would rather not grade <this> one (judge-b-0)."), text);
    assertTrue(text.contains("no grade (the labels parser found no grammar)"), text);
    assertTrue(text.contains("Fine (judge-b-0-v2)."), "sim-v2's ending is there too");
    assertEquals(story.get("tooWide").asInt(), 0, "long text wraps: " + story);
    assertTrue(
        story.get("sectionWidth").asInt() <= story.get("sectionBox").asInt(),
        "the section fits a phone: " + story);
  }

  static String chromium(Path profile, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError(
          "chromium is missing: run bin/ensure-tools (apt-get install chromium)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "chromium finishes");
    assertEquals(process.exitValue(), 0, "chromium: " + output);
    return output;
  }
}
