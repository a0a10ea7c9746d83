package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.benchmarks.JudgeTemplate;
import io.leadline.benchmarks.Suite;
import io.leadline.models.sim.SimJudge;
import io.leadline.models.sim.SimProfile;
import io.leadline.records.AgreementRow;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import io.leadline.scoring.Agreement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * TinyStories' GPT-Eval end to end: two simulated models continue the 44 beginnings and two
 * simulated judges grade every ending. The scores must be the means of the grades the judges gave
 * (read here from their replies with a pattern of the test's own, and checked against the
 * simulator's grading computed again), unreadable replies must be left out and counted, the
 * agreement must be that of those grades, and a second run must send nothing at all.
 */
public class JudgedSweepTest {
  private static final List<String> JUDGES = List.of("sim-judge-a", "sim-judge-b");
  private static final List<String> CRITERIA = List.of("grammar", "creativity", "consistency");
  private static final Pattern GRADE =
      Pattern.compile("(?m)^(Grammar|Creativity|Consistency): (\\d+)/10$");
  private static final Pattern AGE = Pattern.compile("(?m)^Age group: ([A-F])$");

  private SparkSession spark;
  private Path dir;
  private RunFolders.Run first;
  private RunFolders.Run second;

  @BeforeClass
  public void run() throws IOException {
    spark = SweepFixture.spark();
    dir = SweepFixture.tempDir("judged");
    Path home = dir.resolve("home");
    first = sweep(home, "first", SweepFixture.ROOT.resolve("settings"), "gpt-fathom");
    second = sweep(home, "second", SweepFixture.ROOT.resolve("settings"), "gpt-fathom");
    // The same judges' replies read by another parser: a new setting hash, no new request.
    Path settings = SweepFixture.settingsCopy(dir.resolve("settings"));
    Files.writeString(
        settings.resolve("lenient.yaml"),
        "name: lenient\ndescription: gpt-fathom, the judges read by the lenient parser\n"
            + "extends: gpt-fathom\nbenchmarks:\n  tinystories: {judge: {parser: lenient}}\n");
    lenient = sweep(home, "lenient", settings, "lenient");
    qa =
        RunFolders.read(
            run(SweepSpec.builder()
                    .checkout(SweepFixture.ROOT)
                    .settings(List.of("judged"))
                    .home(home)
                    .benchmarks(List.of("webqa"))
                    .limit(20)
                    .out(Optional.of(dir.resolve("qa").toString()))
                    .runsDir(dir)
                    .master("local[2]")
                    .build())
                .toString(),
            "RUN");
  }

  private RunFolders.Run qa;

  private static Path run(SweepSpec spec) {
    Sweep.run(spec, new SweepListener() {});
    return Path.of(spec.out().orElseThrow());
  }

  private RunFolders.Run lenient;

  private RunFolders.Run sweep(Path home, String name, Path settings, String setting) {
    SweepSpec spec =
        SweepSpec.builder()
            .checkout(SweepFixture.ROOT)
            .settingsDir(settings)
            .settings(List.of(setting))
            .home(home)
            .benchmarks(List.of("tinystories"))
            .out(Optional.of(dir.resolve(name).toString()))
            .runsDir(dir)
            .master("local[2]")
            .build();
    Sweep.run(spec, new SweepListener() {});
    return RunFolders.read(dir.resolve(name).toString(), "RUN");
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    spark.stop();
    SweepFixture.deleteRecursively(dir);
  }

  /** The grades in a reply, by field, as the test reads them; empty if it has none. */
  private static Map<String, String> grades(String reply) {
    Map<String, String> grades = new LinkedHashMap<>();
    Matcher m = GRADE.matcher(reply);
    while (m.find()) {
      grades.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    Matcher age = AGE.matcher(reply);
    if (age.find()) {
      grades.put("age_group", age.group(1));
    }
    return grades.size() == 4 ? grades : Map.of();
  }

  @Test
  public void theJudgesAreNotModelsUnderTestAndEveryEndingIsJudgedByBoth() {
    assertEquals(first.manifest().modelNames(), List.of("sim-v1", "sim-v2"));
    assertEquals(first.samples().size(), 88);
    for (SampleRow sample : first.samples()) {
      assertEquals(sample.judgements().stream().map(SampleRow.Judgement::judge).toList(), JUDGES);
    }
    assertEquals(first.manifest().judges().stream().map(RunManifest.Judge::name).toList(), JUDGES);
    for (RunManifest.Judge judge : first.manifest().judges()) {
      assertEquals(judge.calls(), 88);
      assertEquals(judge.sentRequests(), 88, judge.name());
      assertEquals(judge.reportedModels(), List.of(judge.name()));
    }
  }

  @Test
  public void theRepliesAreTheSimulatorsAndTheRecordedGradesAreTheirs() {
    Suite suite = Suite.load(SweepFixture.ROOT.resolve("benchmarks"));
    JudgeTemplate template =
        suite.benchmark("tinystories").judgeTemplates().get("tinystories/gpt-eval");
    Map<String, SimProfile> profiles = new LinkedHashMap<>();
    for (String judge : JUDGES) {
      profiles.put(
          judge, SimProfile.resolve(judge, SweepFixture.ROOT.resolve("settings"), "profile"));
    }
    var key = SimAnswers.bundled(SweepFixture.ROOT.resolve("benchmarks"));
    int unreadable = 0;
    for (SampleRow sample : first.samples()) {
      String prompt =
          template.render(
              Map.of(
                  "beginning", sample.prompt(),
                  "completion", sample.completion().orElseThrow(),
                  "prompt", sample.prompt()));
      for (SampleRow.Judgement judgement : sample.judgements()) {
        String again = SimJudge.reply(profiles.get(judgement.judge()), key, prompt).orElseThrow();
        assertEquals(judgement.reply(), again, sample.exampleId() + " " + judgement.judge());
        Map<String, String> read = grades(again);
        assertEquals(judgement.grades(), read, again);
        assertEquals(judgement.noGrade().isPresent(), read.isEmpty(), again);
        unreadable += read.isEmpty() ? 1 : 0;
      }
    }
    // sim-judge-b's profile gives 6% unreadable replies, sim-judge-a's 3%: some, not many.
    assertTrue(unreadable > 0 && unreadable < 20, "unreadable replies: " + unreadable);
  }

  private static MetricRow metric(RunFolders.Run run, String model, String name) {
    return run.metrics().stream()
        .filter(m -> m.model().equals(model) && m.metric().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " for " + model));
  }

  @Test
  public void eachCriterionIsTheMeanOfTheGradesAndNoGradeIsLeftOutAndCounted() {
    for (String model : List.of("sim-v1", "sim-v2")) {
      List<SampleRow> samples =
          first.samples().stream().filter(s -> s.model().equals(model)).toList();
      Map<String, List<Double>> perItem = new LinkedHashMap<>();
      int replies = 0;
      int unread = 0;
      for (SampleRow sample : samples) {
        List<Map<String, String>> graded = new ArrayList<>();
        for (SampleRow.Judgement judgement : sample.judgements()) {
          replies++;
          Map<String, String> read = grades(judgement.reply());
          if (read.isEmpty()) {
            unread++;
          } else {
            graded.add(read);
          }
        }
        if (graded.isEmpty()) {
          continue;
        }
        double score = 0;
        for (String criterion : CRITERIA) {
          double mean =
              graded.stream()
                  .mapToDouble(g -> Double.parseDouble(g.get(criterion)) / 10)
                  .average()
                  .orElseThrow();
          perItem.computeIfAbsent(criterion, k -> new ArrayList<>()).add(mean);
          score += mean;
        }
        perItem.computeIfAbsent("score", k -> new ArrayList<>()).add(score / 3);
      }
      for (String criterion : CRITERIA) {
        MetricRow row = metric(first, model, "tinystories/gpt-eval/" + criterion);
        double expected =
            perItem.get(criterion).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        assertEquals(row.value(), expected, 1e-9, model + " " + criterion);
        assertEquals(row.noGradeRate().orElseThrow(), unread / (double) replies, 1e-9);
        assertTrue(row.ciLow() <= row.value() && row.value() <= row.ciHigh());
      }
      MetricRow primary = metric(first, model, "tinystories/gpt-eval");
      assertTrue(primary.primary());
      assertEquals(
          primary.value(),
          perItem.get("score").stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
          1e-9);
      assertEquals(primary.n(), perItem.get("score").size());
      // The age groups' shares add up to one.
      double ages = 0;
      for (String group : List.of("A", "B", "C", "D", "E", "F")) {
        ages += metric(first, model, "tinystories/gpt-eval/age_group=" + group).value();
      }
      assertEquals(ages, 1.0, 1e-9);
    }
    assertTrue(
        metric(first, "sim-v2", "tinystories/gpt-eval").value()
            > metric(first, "sim-v1", "tinystories/gpt-eval").value(),
        "sim-v2 writes better endings");
  }

  @Test
  public void agreementIsThatOfTheGradesTheJudgesGave() {
    assertEquals(first.agreement().size(), 2 * 4);
    for (AgreementRow row : first.agreement()) {
      List<SampleRow> samples =
          first.samples().stream().filter(s -> s.model().equals(row.model())).toList();
      assertEquals(row.judges(), JUDGES);
      if (row.field().equals("age_group")) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (SampleRow sample : samples) {
          a.add(grades(sample.judgements().get(0).reply()).get("age_group"));
          b.add(grades(sample.judgements().get(1).reply()).get("age_group"));
        }
        assertEquals(row.statistic(), "cohen-kappa");
        assertEquals(row.value().orElseThrow(), Agreement.cohenKappa(a, b).getAsDouble(), 1e-12);
        continue;
      }
      double[][] data = new double[samples.size()][2];
      int over = 0;
      int pairable = 0;
      for (int u = 0; u < samples.size(); u++) {
        for (int j = 0; j < 2; j++) {
          String grade = grades(samples.get(u).judgements().get(j).reply()).get(row.field());
          data[u][j] = grade == null ? Double.NaN : Double.parseDouble(grade);
        }
        if (!Double.isNaN(data[u][0]) && !Double.isNaN(data[u][1])) {
          pairable++;
          over += Math.abs(data[u][0] - data[u][1]) > 2 ? 1 : 0;
        }
      }
      assertEquals(row.statistic(), "krippendorff-alpha-ordinal");
      assertEquals(row.units(), pairable);
      assertEquals(
          row.value().orElseThrow(),
          Agreement.krippendorffAlpha(data, Agreement.Level.ORDINAL).getAsDouble(),
          1e-12);
      assertEquals(row.disagreeShare().orElseThrow(), over / (double) pairable, 1e-12);
    }
  }

  @Test
  public void aSecondRunSendsNothingAndWritesTheSameRecords() throws IOException {
    for (RunManifest.Usage usage : second.manifest().usage()) {
      assertEquals(usage.thisRun().httpRequests(), 0, usage.model());
    }
    for (RunManifest.Judge judge : second.manifest().judges()) {
      assertEquals(judge.sentRequests(), 0, judge.name());
      assertEquals(judge.calls(), 88);
    }
    assertEquals(
        Files.readString(dir.resolve("second/metrics.json")),
        Files.readString(dir.resolve("first/metrics.json")));
    assertEquals(
        Files.readString(dir.resolve("second/agreement.json")),
        Files.readString(dir.resolve("first/agreement.json")));
    assertFalse(first.metrics().isEmpty());
  }

  @Test
  public void judgedClosedBookQaIsTheShareOfCorrectVerdictsBesideTheFuzzyMatch() {
    Pattern grade = Pattern.compile("(?m)^Grade: (CORRECT|INCORRECT|NOT_ATTEMPTED)$");
    for (String model : List.of("sim-v1", "sim-v2")) {
      double correct = 0;
      int graded = 0;
      int agree = 0;
      for (SampleRow sample : qa.samples()) {
        if (!sample.model().equals(model)) {
          continue;
        }
        SampleRow.Judgement judgement = sample.judgements().get(0);
        assertEquals(judgement.judge(), "sim-judge-a");
        Matcher m = grade.matcher(judgement.reply());
        if (!m.find()) {
          continue;
        }
        graded++;
        double verdict = m.group(1).equals("CORRECT") ? 1 : 0;
        correct += verdict;
        agree += verdict == sample.scores().get("triviaqa/gpt-fathom-fuzzy-match") ? 1 : 0;
      }
      MetricRow judged = metric(qa, model, "simpleqa");
      assertFalse(judged.primary());
      assertEquals(judged.value(), correct / graded, 1e-9, model);
      assertTrue(metric(qa, model, "triviaqa/gpt-fathom-fuzzy-match").primary());
      // The simulated judge reads the answers: it mostly agrees with the fuzzy match.
      assertTrue(agree >= graded * 0.7, model + ": " + agree + " of " + graded);
    }
  }

  @Test
  public void rescoringWithAnotherParserSendsNothing() {
    for (RunManifest.Judge judge : lenient.manifest().judges()) {
      assertEquals(judge.sentRequests(), 0, judge.name());
    }
    for (RunManifest.Usage usage : lenient.manifest().usage()) {
      assertEquals(usage.thisRun().httpRequests(), 0, usage.model());
    }
    String before = metric(first, "sim-v1", "tinystories/gpt-eval").settingHash();
    String after = metric(lenient, "sim-v1", "tinystories/gpt-eval").settingHash();
    assertFalse(before.equals(after), "the parser is part of the setting hash");
    // The lenient parser reads every reply the labels parser reads, with the same grades.
    assertTrue(
        metric(lenient, "sim-v1", "tinystories/gpt-eval").noGradeRate().orElseThrow()
            <= metric(first, "sim-v1", "tinystories/gpt-eval").noGradeRate().orElseThrow());
  }
}
