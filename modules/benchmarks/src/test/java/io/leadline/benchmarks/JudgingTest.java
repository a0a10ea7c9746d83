package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelCalls;
import io.leadline.api.ModelResult;
import io.leadline.api.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * Judge templates as data, and the judges' scorer: rendering, the parsers (an unreadable reply is
 * no grade, never 0), the means over the judges that graded, and what a setting's hash records.
 */
public class JudgingTest {
  private static final Suite SUITE = Checkout.suite();
  private static final String BEGINNING =
      "Once upon a time, there was a little girl named Lily. She loved to play outside. She wanted"
          + " to";

  private static JudgeTemplate gptEval() {
    return SUITE.benchmark("tinystories").judgeTemplates().get("tinystories/gpt-eval");
  }

  @Test
  public void rendersTheBeginningAndTheEndingAroundTheSeparator() {
    String prompt =
        gptEval()
            .render(Map.of("beginning", BEGINNING, "completion", " fly a kite.", "prompt", ""));
    assertTrue(prompt.contains(BEGINNING + "*** fly a kite.\n"), prompt);
    assertTrue(prompt.endsWith("Age group: {age_group}"), prompt);
    List<List<String>> split = gptEval().split();
    assertEquals(split.get(1), List.of("beginning", "completion"));
    assertTrue(
        split
            .get(0)
            .get(2)
            .endsWith(
                "Grammar: {grammar}/10\nCreativity: {creativity}/10"
                    + "\nConsistency: {consistency}/10\nAge group: {age_group}"));
  }

  @Test
  public void theLabelsParserReadsTheFormatAndRefusesWhatIsNotThere() {
    JudgeTemplate template = gptEval();
    JudgeTemplate.Parsed read =
        template.parse(
            "The ending is fine.\nGrammar: 8/10\nCreativity: 6.5/10\nConsistency: 7/10\n"
                + "Age group: c",
            "labels");
    assertEquals(
        read.grades(),
        Map.of("grammar", "8", "creativity", "6.5", "consistency", "7", "age_group", "C"));
    assertTrue(read.noGrade().isEmpty());
    // The last occurrence wins: a judge that restates its grades is read at its final word.
    assertEquals(
        template
            .parse(
                "Grammar: 3/10 at first, but on reflection:\nGrammar: 9/10\nCreativity: 1/10\n"
                    + "Consistency: 2/10\nAge group: F",
                "labels")
            .grades()
            .get("grammar"),
        "9");
    assertEquals(
        template.parse("A lovely story, well told.", "labels").noGrade().orElseThrow(),
        "the labels parser found no grammar");
    assertEquals(
        template
            .parse("Grammar: 12/10\nCreativity: 6/10\nConsistency: 7/10\nAge group: C", "labels")
            .noGrade()
            .orElseThrow(),
        "grammar 12 is outside 0-10");
    assertEquals(
        template
            .parse("Grammar: 8/10\nCreativity: 6/10\nConsistency: 7/10\nAge group: G", "labels")
            .noGrade()
            .orElseThrow(),
        "the labels parser found no age_group");
  }

  @Test
  public void anotherParserReadsWhatTheLabelsParserCannot() {
    String drifting =
        "I would give grammar a score of 7, creativity maybe 5 and consistency: 6. The age group"
            + " is (D).";
    assertTrue(gptEval().parse(drifting, "labels").noGrade().isPresent());
    assertEquals(
        gptEval().parse(drifting, "lenient").grades(),
        Map.of("grammar", "7", "creativity", "5", "consistency", "6", "age_group", "D"));
  }

  /** Model calls that answer each judge from a script, counting the calls. */
  private static final class Scripted implements ModelCalls {
    private final Map<String, String> replies;
    final List<String> asked = new ArrayList<>();

    Scripted(Map<String, String> replies) {
      this.replies = replies;
    }

    @Override
    public ModelResult call(String model, io.leadline.api.CompletionRequest request) {
      asked.add(model + ":" + request.sampling().temperature() + ":" + request.sampling().seed());
      String reply = replies.get(model);
      if (reply == null) {
        return new ModelResult.Failed(ModelResult.FailureReason.GAVE_UP, "no such judge", 0, 1);
      }
      return new ModelResult.Completed(
          new Completion(
              List.of(new Choice(reply, reply, "", "stop", false)),
              new Usage(10, 10, 0),
              model,
              "",
              1,
              1,
              Duration.ZERO));
    }
  }

  private static Example story() {
    return BenchmarkData.examples(
            SUITE.benchmark("tinystories"), "default", SplitSource.bundled(Checkout.benchmarks()))
        .get(0);
  }

  @Test
  public void valuesAreMeansOverTheJudgesThatGradedAndNoGradeIsNotZero() {
    BenchmarkSetting setting = SUITE.setting(Checkout.settings(), "gpt-fathom").of("tinystories");
    assertEquals(setting.judging().orElseThrow().judges(), List.of("sim-judge-a", "sim-judge-b"));
    Scripted calls =
        new Scripted(
            Map.of(
                "sim-judge-a",
                "Good.\nGrammar: 8/10\nCreativity: 6/10\nConsistency: 10/10\nAge group: C",
                "sim-judge-b",
                "I cannot grade this."));
    ItemScoring scoring = ItemScoring.of(setting, "");
    assertEquals(scoring.primaryMetric(), "tinystories/gpt-eval");
    ItemScoring.ItemScore item =
        scoring.item(story(), "p", List.of(" fly."), false, List.of(), calls);
    assertEquals(
        calls.asked,
        List.of("sim-judge-a:0.0:OptionalLong[47]", "sim-judge-b:0.0:OptionalLong[47]"));
    Map<String, Double> metrics = item.metrics();
    assertEquals(metrics.get("tinystories/gpt-eval"), (0.8 + 0.6 + 1.0) / 3, 1e-12);
    assertEquals(metrics.get("tinystories/gpt-eval/grammar"), 0.8, 1e-12);
    assertEquals(metrics.get("tinystories/gpt-eval/age_group=C"), 1.0);
    assertEquals(metrics.get("tinystories/gpt-eval/age_group=A"), 0.0);
    assertEquals(metrics.get("tinystories/gpt-eval[sim-judge-a]"), (0.8 + 0.6 + 1.0) / 3, 1e-12);
    // Judge b gave no grade: it has no value (not 0), and half the replies are no grade.
    assertFalse(metrics.containsKey("tinystories/gpt-eval[sim-judge-b]"), metrics.toString());
    assertEquals(item.noGrade().get("tinystories/gpt-eval"), 0.5);
    assertEquals(item.noGrade().get("tinystories/gpt-eval[sim-judge-b]"), 1.0);
    assertEquals(item.noGrade().get("tinystories/gpt-eval[sim-judge-a]"), 0.0);
    ItemScoring.SampleScore sample = item.samples().get(0);
    assertEquals(sample.judgements().size(), 2);
    assertEquals(sample.judgements().get(1).reply(), "I cannot grade this.");
    assertEquals(
        sample.judgements().get(1).noGrade().orElseThrow(), "the labels parser found no grammar");
    assertTrue(sample.explanation().contains("sim-judge-b gave no grade"), sample.explanation());
  }

  @Test
  public void aSettingChoosesJudgesTemplatesAndParsersAndItsHashRecordsThem() throws IOException {
    Setting gptFathom = SUITE.setting(Checkout.settings(), "gpt-fathom");
    assertTrue(gptFathom.of("triviaqa").judging().isEmpty());
    Setting judged = SUITE.setting(Checkout.settings(), "judged");
    Judging qa = judged.of("triviaqa").judging().orElseThrow();
    assertEquals(qa.template().name(), "simpleqa");
    assertEquals(qa.judges(), List.of("sim-judge-a"));
    assertEquals(
        ItemScoring.of(judged.of("triviaqa"), "").primaryMetric(),
        "triviaqa/gpt-fathom-fuzzy-match");
    // The fuzzy match's setting is unchanged apart from the judge.
    assertNotEquals(judged.of("triviaqa").hash(), gptFathom.of("triviaqa").hash());
    assertEquals(judged.of("gsm8k").hash(), gptFathom.of("gsm8k").hash());

    BenchmarkSetting story = gptFathom.of("tinystories");
    String identified =
        story.withJudgeIdentities(Map.of("sim-judge-a", "{a}", "sim-judge-b", "{b}")).hash();
    assertNotEquals(identified, story.hash());
    assertNotEquals(
        story.withJudgeIdentities(Map.of("sim-judge-a", "{a2}", "sim-judge-b", "{b}")).hash(),
        identified);

    Path dir = Files.createTempDirectory("settings");
    Files.copy(Checkout.settings().resolve("gpt-fathom.yaml"), dir.resolve("gpt-fathom.yaml"));
    Files.writeString(
        dir.resolve("lenient.yaml"),
        "name: lenient\ndescription: d\nextends: gpt-fathom\nbenchmarks:\n"
            + "  tinystories: {judge: {models: [sim-judge-a], parser: lenient}}\n");
    BenchmarkSetting lenient = SUITE.setting(dir, "lenient").of("tinystories");
    assertEquals(lenient.judging().orElseThrow().parser(), "lenient");
    assertEquals(lenient.judging().orElseThrow().judges(), List.of("sim-judge-a"));
    assertNotEquals(lenient.hash(), story.hash(), "the parser is part of the hash");

    Files.writeString(
        dir.resolve("bad.yaml"),
        "name: bad\ndescription: d\nextends: gpt-fathom\nbenchmarks:\n"
            + "  tinystories: {judge: {template: tinystories/nope}}\n");
    LeadlineException e = expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "bad"));
    assertTrue(
        e.getMessage()
            .contains("no judge template 'tinystories/nope'; known: tinystories/gpt-eval"),
        e.getMessage());
    Files.writeString(
        dir.resolve("pairwise.yaml"),
        "name: pairwise\ndescription: d\nextends: gpt-fathom\nbenchmarks:\n"
            + "  tinystories: {judge: {template: tinystories/pairwise}}\n");
    e = expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "pairwise"));
    assertTrue(e.getMessage().contains("it is for leadline diff --judge"), e.getMessage());
    Files.writeString(
        dir.resolve("question.yaml"),
        "name: question\ndescription: d\nextends: gpt-fathom\njudge_templates:\n"
            + "  q: {text: '{question} {completion} {format}', format: 'G: {g}',"
            + " fields: {g: {scale: [1, 5]}}, score: [g]}\n"
            + "benchmarks:\n  tinystories: {judge: {template: q}}\n");
    e = expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "question"));
    assertTrue(
        e.getMessage().contains("q uses {question}, which tinystories's items do not have"),
        e.getMessage());
  }
}
