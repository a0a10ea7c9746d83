package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import io.leadline.models.HttpModelClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

/** A simulated profile as the judge of model-graded scorers. */
public class SimJudgeTest {
  private static final List<String> BEGINNINGS = JudgeFixtures.BEGINNINGS;
  private static final SimAnswerKey KEY = JudgeFixtures.storyKey(BEGINNINGS);
  private static final SimProfile V1 = JudgeFixtures.profile("sim-v1");
  private static final SimProfile V2 = JudgeFixtures.profile("sim-v2");
  private static final SimProfile JUDGE_A = JudgeFixtures.profile("sim-judge-a");
  private static final SimProfile JUDGE_B = JudgeFixtures.profile("sim-judge-b");

  /** The reply's fields, read by a regex made from the format alone; empty if it has none. */
  static Optional<Map<String, String>> parse(SimJudgeTemplate template, String reply) {
    Matcher fields = Pattern.compile("\\{([a-z_]+)\\}").matcher(template.format());
    StringBuilder regex = new StringBuilder();
    List<String> names = new ArrayList<>();
    int at = 0;
    while (fields.find()) {
      regex.append(Pattern.quote(template.format().substring(at, fields.start())));
      regex.append("([A-Za-z_]+|-?\\d+)");
      names.add(fields.group(1));
      at = fields.end();
    }
    regex.append(Pattern.quote(template.format().substring(at)));
    Matcher matcher = Pattern.compile(regex.toString()).matcher(reply);
    if (!matcher.find()) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      values.put(names.get(i), matcher.group(i + 1));
    }
    return Optional.of(values);
  }

  private static String ending(SimProfile profile, SimAnswerKey key, String beginning, long s) {
    return new SimResponder(profile, key).respond(beginning, false, s, s == 0 ? 0 : 1.0);
  }

  private static String gptEval(String beginning, String completion) {
    return JudgeFixtures.GPT_EVAL.render(Map.of("beginning", beginning, "completion", completion));
  }

  private static SimJudge.Judgement judge(SimProfile judge, SimAnswerKey key, String prompt) {
    return SimJudge.judge(judge, key, prompt).orElseThrow(() -> new AssertionError(prompt));
  }

  @Test
  public void gradesParseFromTheFormatAndLieOnTheScale() {
    int read = 0;
    for (SimProfile judge : List.of(JUDGE_A, JUDGE_B)) {
      for (String beginning : BEGINNINGS) {
        for (SimProfile writer : List.of(V1, V2)) {
          for (long sample = 0; sample < 5; sample++) {
            String prompt = gptEval(beginning, ending(writer, KEY, beginning, sample));
            String reply = new SimResponder(judge, KEY).respond(prompt, true, 0, 0);
            SimJudge.Judgement judgement = judge(judge, KEY, prompt);
            assertEquals(reply, judgement.reply());
            assertEquals(judgement.item().orElseThrow(), KEY.find(beginning).orElseThrow().key());
            assertTrue(reply.indexOf('.') > 0, "an assessment first: " + reply);
            Optional<Map<String, String>> fields = parse(JudgeFixtures.GPT_EVAL, reply);
            assertEquals(fields.isEmpty(), judgement.unreadable(), reply);
            if (fields.isEmpty()) {
              continue;
            }
            read++;
            assertEquals(fields.get(), judgement.fields());
            for (String name : List.of("grammar", "creativity", "consistency")) {
              int grade = Integer.parseInt(fields.get().get(name));
              assertTrue(grade >= 0 && grade <= 10, reply);
            }
            assertTrue(fields.get().get("age_group").matches("[A-F]"), reply);
          }
        }
      }
    }
    assertTrue(read > 100, "read " + read);
  }

  @Test
  public void withoutNoiseTheGradesAreTheFeaturesOnTheScale() {
    SimProfile exact = JudgeFixtures.judgeProfile("{noise: 0}");
    SimProfile lenient = JudgeFixtures.judgeProfile("{noise: 0, leniency: 2.5}");
    for (String beginning : BEGINNINGS) {
      String completion = ending(V1, KEY, beginning, 0);
      SimJudge.Quality quality = SimJudge.quality(beginning, completion);
      Map<String, String> fields = judge(exact, KEY, gptEval(beginning, completion)).fields();
      assertEquals(fields.get("grammar"), Long.toString(Math.round(10 * quality.grammar())));
      assertEquals(fields.get("creativity"), Long.toString(Math.round(10 * quality.creativity())));
      assertEquals(
          fields.get("consistency"), Long.toString(Math.round(10 * quality.consistency())));
      Map<String, String> more = judge(lenient, KEY, gptEval(beginning, completion)).fields();
      assertEquals(
          more.get("grammar"),
          Long.toString(Math.min(10, Math.round(10 * quality.grammar() + 2.5))));
    }
    // An ending that slips everywhere and forgets the beginning grades low; an empty one lowest.
    String bad = " the the ball. she she ran She ran and and";
    Map<String, String> low = judge(exact, KEY, gptEval(BEGINNINGS.get(0), bad)).fields();
    assertTrue(Integer.parseInt(low.get("grammar")) <= 2, low.toString());
    assertTrue(Integer.parseInt(low.get("consistency")) <= 5, low.toString());
    Map<String, String> none = judge(exact, KEY, gptEval(BEGINNINGS.get(0), "")).fields();
    assertEquals(
        none, Map.of("grammar", "0", "creativity", "0", "consistency", "0", "age_group", "A"));
  }

  @Test
  public void theBetterWriterGetsTheBetterGrades() {
    for (SimProfile judge : List.of(JUDGE_A, JUDGE_B)) {
      double[] totals = new double[2];
      int[] counts = new int[2];
      double[] ages = new double[2];
      for (String beginning : BEGINNINGS) {
        for (long sample = 0; sample < 8; sample++) {
          for (int w = 0; w < 2; w++) {
            SimProfile writer = w == 0 ? V1 : V2;
            Map<String, String> fields =
                judge(judge, KEY, gptEval(beginning, ending(writer, KEY, beginning, sample)))
                    .fields();
            totals[w] +=
                Integer.parseInt(fields.get("grammar"))
                    + Integer.parseInt(fields.get("creativity"))
                    + Integer.parseInt(fields.get("consistency"));
            ages[w] += fields.get("age_group").charAt(0) - 'A';
            counts[w]++;
          }
        }
      }
      double v1 = totals[0] / counts[0] / 3;
      double v2 = totals[1] / counts[1] / 3;
      assertTrue(v2 > v1 + 0.4, judge.snapshot() + ": v1 " + v1 + ", v2 " + v2);
      assertTrue(ages[1] >= ages[0], judge.snapshot() + ": older for v2");
    }
  }

  @Test
  public void theLenientJudgeGradesAboutAPointHigher() {
    double difference = 0;
    int count = 0;
    for (String beginning : JudgeFixtures.manyBeginnings(150)) {
      SimAnswerKey key = JudgeFixtures.storyKey(List.of(beginning));
      String prompt = gptEval(beginning, ending(V1, key, beginning, 0));
      Map<String, String> a = judge(JUDGE_A, key, prompt).fields();
      Map<String, String> b = judge(JUDGE_B, key, prompt).fields();
      for (String name : List.of("grammar", "creativity", "consistency")) {
        difference += Integer.parseInt(b.get(name)) - Integer.parseInt(a.get(name));
        count++;
      }
    }
    difference /= count;
    // Less than the full point where the scale's top clamps it.
    assertTrue(difference > 0.6 && difference < 1.2, "difference " + difference);
  }

  @Test
  public void unreadableRepliesComeAtTheConfiguredRate() {
    List<String> beginnings = JudgeFixtures.manyBeginnings(1000);
    SimAnswerKey key = JudgeFixtures.storyKey(beginnings);
    SimProfile never = JudgeFixtures.judgeProfile("{no_grade_rate: 0}");
    SimProfile third = JudgeFixtures.judgeProfile("{no_grade_rate: 0.3}");
    int[] unreadable = new int[4];
    for (String beginning : beginnings) {
      String completion =
          SimStories.write(SimProfile.Stories.DEFAULT, 4, beginning, beginning).text();
      String prompt = gptEval(beginning, completion);
      List<SimProfile> judges = List.of(never, JUDGE_A, JUDGE_B, third);
      for (int j = 0; j < judges.size(); j++) {
        String reply = SimJudge.reply(judges.get(j), key, prompt).orElseThrow();
        boolean unread = parse(JudgeFixtures.GPT_EVAL, reply).isEmpty();
        assertEquals(unread, judge(judges.get(j), key, prompt).unreadable());
        if (unread) {
          unreadable[j]++;
          assertFalse(reply.contains("/10"), reply);
          assertFalse(reply.contains("Age group"), reply);
        }
      }
    }
    assertEquals(unreadable[0], 0);
    assertTrue(Math.abs(unreadable[1] / 1000.0 - 0.03) < 0.017, "judge-a " + unreadable[1]);
    assertTrue(Math.abs(unreadable[2] / 1000.0 - 0.06) < 0.023, "judge-b " + unreadable[2]);
    assertTrue(Math.abs(unreadable[3] / 1000.0 - 0.3) < 0.045, "0.3: " + unreadable[3]);
  }

  private static SimAnswerKey qaKey(int count) {
    List<SimItem.Draft> drafts = new ArrayList<>();
    drafts.add(draft("q-mars", "Which planet is known as the Red Planet?", "Mars"));
    drafts.add(draft("q-paris", "What is the capital city of France called?", "Paris"));
    drafts.add(
        draft("q-shakespeare", "Who wrote the play Romeo and Juliet?", "William Shakespeare"));
    for (int i = 0; i < count; i++) {
      drafts.add(
          draft(
              "q" + i,
              "In the list of made up facts, what is fact number " + i + " about the lake?",
              "answer" + i));
    }
    return SimAnswerKey.builder()
        .add("triviaqa", "rc", drafts)
        .judgeTemplate(JudgeFixtures.VERDICT)
        .build();
  }

  private static SimItem.Draft draft(String id, String question, String gold) {
    return new SimItem.Draft(
        SimItem.Style.TEXT, Optional.of(id), question, gold, -1, "", List.of());
  }

  private static String verdict(SimProfile judge, SimAnswerKey key, String q, String answer) {
    String prompt =
        JudgeFixtures.VERDICT.render(
            Map.of("question", q, "gold", "(shown)", "completion", answer));
    SimJudge.Judgement judgement = judge(judge, key, prompt);
    if (!judgement.unreadable()) {
      assertEquals(
          parse(JudgeFixtures.VERDICT, judgement.reply()).orElseThrow(), judgement.fields());
    }
    return judgement.fields().get("verdict");
  }

  @Test
  public void verdictsAreCorrectIncorrectOrNotAttempted() {
    SimAnswerKey key = qaKey(0);
    SimProfile judge = JudgeFixtures.judgeProfile("{verdict_error_rate: 0}");
    String mars = "Which planet is known as the Red Planet?";
    assertEquals(verdict(judge, key, mars, "Mars"), "CORRECT");
    assertEquals(verdict(judge, key, mars, "It is mars, the fourth planet."), "CORRECT");
    assertEquals(verdict(judge, key, mars, "Marshmallow"), "INCORRECT", "words, not letters");
    assertEquals(verdict(judge, key, mars, "Venus"), "INCORRECT");
    assertEquals(verdict(judge, key, mars, "I do not know."), "NOT_ATTEMPTED");
    assertEquals(verdict(judge, key, mars, "I don't know"), "NOT_ATTEMPTED");
    assertEquals(verdict(judge, key, mars, ""), "NOT_ATTEMPTED");
    String play = "Who wrote the play Romeo and Juliet?";
    assertEquals(verdict(judge, key, play, "william shakespeare"), "CORRECT");
    assertEquals(verdict(judge, key, play, "Shakespeare"), "INCORRECT", "the whole gold");
    // The prompt's own references count too, when the item is known.
    String prompt =
        JudgeFixtures.VERDICT.render(
            Map.of("question", play, "gold", "Shakespeare", "completion", "Shakespeare"));
    assertEquals(judge(judge, key, prompt).fields().get("verdict"), "CORRECT");
    // A question the key does not know gets no CORRECT.
    assertEquals(verdict(judge, key, "What colour is a ripe banana?", "Yellow"), "INCORRECT");
    assertEquals(
        verdict(judge, key, "What colour is a ripe banana?", "I do not know"), "NOT_ATTEMPTED");
    // With two categories a refusal is the one that is not right.
    SimJudgeTemplate yesNo =
        JudgeFixtures.template(
            "closed-qa/yes-no",
            SimJudgeTemplate.Kind.GRADES,
            "Question: {question}\nAnswer: {completion}\nIs the answer right? Right: {right}",
            "Right: {right}",
            Map.of("right", SimJudgeTemplate.Field.verdict(List.of("yes", "no"), "yes")));
    SimAnswerKey two =
        SimAnswerKey.builder()
            .add("triviaqa", "rc", List.of(draft("q-mars", mars, "Mars")))
            .judgeTemplate(yesNo)
            .build();
    for (String answer : List.of("", "I do not know.", "Venus")) {
      String yesNoPrompt = yesNo.render(Map.of("question", mars, "completion", answer));
      assertEquals(judge(judge, two, yesNoPrompt).fields().get("right"), "no", answer);
    }
    assertEquals(
        judge(judge, two, yesNo.render(Map.of("question", mars, "completion", "Mars")))
            .fields()
            .get("right"),
        "yes");
  }

  @Test
  public void aShareOfVerdictsIsWrong() {
    SimAnswerKey key = qaKey(800);
    SimProfile sloppy = JudgeFixtures.judgeProfile("{verdict_error_rate: 0.2}");
    int wrong = 0;
    int total = 0;
    for (SimItem item : key.items()) {
      String right = verdict(sloppy, key, item.needle(), "The answer is " + item.gold() + ".");
      String bad = verdict(sloppy, key, item.needle(), "Something else entirely");
      wrong += (right.equals("CORRECT") ? 0 : 1) + (bad.equals("INCORRECT") ? 0 : 1);
      total += 2;
    }
    assertTrue(Math.abs(wrong / (double) total - 0.2) < 0.03, wrong + " of " + total);
    SimProfile exact = JudgeFixtures.judgeProfile("{verdict_error_rate: 0}");
    for (SimItem item : key.items().subList(0, 100)) {
      assertEquals(verdict(exact, key, item.needle(), item.gold()), "CORRECT");
    }
  }

  private static String pairwise(SimProfile judge, SimAnswerKey key, String b, String x, String y) {
    String prompt =
        JudgeFixtures.PAIRWISE.render(Map.of("beginning", b, "completion_a", x, "completion_b", y));
    return judge(judge, key, prompt).fields().get("better");
  }

  /** Which text a verdict prefers: the first or second argument shown, or neither (a tie). */
  private static int preferred(String verdict, boolean swapped) {
    return switch (verdict) {
      case "A" -> swapped ? 1 : 0;
      case "B" -> swapped ? 0 : 1;
      default -> -1;
    };
  }

  private static double flipShare(SimProfile judge, List<String> beginnings, SimAnswerKey key) {
    int flipped = 0;
    for (String beginning : beginnings) {
      String x = ending(V1, key, beginning, 0);
      String y = ending(V2, key, beginning, 0);
      int first = preferred(pairwise(judge, key, beginning, x, y), false);
      int second = preferred(pairwise(judge, key, beginning, y, x), true);
      flipped += first == second ? 0 : 1;
    }
    return flipped / (double) beginnings.size();
  }

  @Test
  public void orderBiasFlipsAShareOfPairsWhenSwapped() {
    List<String> beginnings = JudgeFixtures.manyBeginnings(600);
    SimAnswerKey key = JudgeFixtures.storyKey(beginnings);
    assertEquals(flipShare(JUDGE_A, beginnings, key), 0.0);
    double b = flipShare(JUDGE_B, beginnings, key);
    assertTrue(Math.abs(b - 0.3) < 0.06, "judge-b flips " + b);
    SimProfile always = JudgeFixtures.judgeProfile("{order_bias: 1}");
    assertEquals(flipShare(always, beginnings.subList(0, 50), key), 1.0);
  }

  @Test
  public void theBetterEndingWinsAndEqualOnesTie() {
    String beginning = BEGINNINGS.get(0);
    String good = ending(V2, KEY, beginning, 0);
    String bad = " the the ball. she she ran She ran and and";
    assertEquals(pairwise(JUDGE_A, KEY, beginning, good, bad), "A");
    assertEquals(pairwise(JUDGE_A, KEY, beginning, bad, good), "B");
    assertEquals(pairwise(JUDGE_A, KEY, beginning, good, good), "C");
  }

  /**
   * The bias is drawn per unordered pair: two endings of equal quality get the same verdict in both
   * orders, a tie or (biased) "the first", never a tie one way and the first the other.
   */
  @Test
  public void theBiasOfAPairIsTheSameInBothOrders() {
    String beginning = BEGINNINGS.get(0);
    List<String> colours =
        List.of(
            "purple", "golden", "silver", "pink", "brown", "black", "white", "grey", "violet",
            "amber", "scarlet", "crimson", "olive", "navy", "teal", "coral", "ivory", "maroon",
            "indigo", "cyan");
    int biased = 0;
    int pairs = 0;
    for (int i = 0; i < colours.size(); i++) {
      for (int j = i + 1; j < colours.size(); j++) {
        String x = " catch it. Lily found a " + colours.get(i) + " kite. She was happy.";
        String y = " catch it. Lily found a " + colours.get(j) + " kite. She was happy.";
        String one = pairwise(JUDGE_B, KEY, beginning, x, y);
        String other = pairwise(JUDGE_B, KEY, beginning, y, x);
        assertEquals(one, other, x + " / " + y);
        biased += one.equals("A") ? 1 : 0;
        pairs++;
      }
    }
    assertTrue(Math.abs(biased / (double) pairs - 0.3) < 0.1, biased + " of " + pairs);
  }

  @Test
  public void aProfileWithoutJudgeSettingsJudgesWithTheDefaults() {
    String prompt = gptEval(BEGINNINGS.get(0), ending(V2, KEY, BEGINNINGS.get(0), 0));
    SimProfile defaults =
        SimProfile.parse("d.yaml", "snapshot: sim-d\nseed: 3\naccuracy: {default: 0.5}\n");
    assertEquals(defaults.judgeOrDefault(), SimProfile.Judge.defaults(3));
    assertEquals(
        SimJudge.reply(defaults, KEY, prompt),
        SimJudge.reply(
            JudgeFixtures.judgeProfile(
                "{seed: 3, leniency: 0, noise: 0.5, no_grade_rate: 0, order_bias: 0,"
                    + " verdict_error_rate: 0}"),
            KEY,
            prompt));
    // A prompt of no template is not judged.
    assertEquals(SimJudge.judge(JUDGE_A, KEY, "Grade this: " + prompt), Optional.empty());
  }

  @Test
  public void profilesReadTheirStoriesAndJudgeSectionsStrictly() {
    assertEquals(V1.stories().orElseThrow(), new SimProfile.Stories(5, 0.25, 0.45));
    assertTrue(V2.storiesOrDefault().slips() < V1.storiesOrDefault().slips());
    assertTrue(V2.storiesOrDefault().variety() > V1.storiesOrDefault().variety());
    assertEquals(JUDGE_A.snapshot(), "sim-judge-a");
    assertEquals(JUDGE_A.judge().orElseThrow(), new SimProfile.Judge(11, 0, 0.6, 0.03, 0, 0.01));
    assertEquals(
        JUDGE_B.judge().orElseThrow(), new SimProfile.Judge(12, 1.0, 1.2, 0.06, 0.3, 0.05));
    assertTrue(JUDGE_A.accuracy().isEmpty(), "a judge-only profile needs no accuracy");
    assertEquals(
        JudgeFixtures.judgeProfile("{leniency: -1}").judgeOrDefault().seed(), 3, "the profile's");
    assertError(
        "snapshot: s\njudge: {lenient: 1}\n",
        "p.yaml: judge: unknown key 'lenient'; known: leniency, no_grade_rate, noise, order_bias,"
            + " seed, verdict_error_rate");
    assertError(
        "snapshot: s\naccuracy: {default: 0.5}\nstories: {sentences: 5, slip: 0.1}\n",
        "p.yaml: stories: unknown key 'slip'; known: sentences, slips, variety");
    assertError(
        "snapshot: s\naccuracy: {default: 0.5}\nstories: {slips: 1.5}\n",
        "p.yaml: stories.slips: expected a number in [0.0, 1.0], got 1.5");
    assertError(
        "snapshot: s\naccuracy: {default: 0.5}\nstories: {sentences: 40}\n",
        "p.yaml: stories.sentences: expected a whole number in [1, 12], got 40");
    assertError(
        "snapshot: s\njudge: {order_bias: -0.1}\n",
        "p.yaml: judge.order_bias: expected a number in [0.0, 1.0], got -0.1");
    assertError("snapshot: s\nstories: {slips: 0.1}\n", "p.yaml: accuracy: is required");
  }

  private static void assertError(String yaml, String message) {
    try {
      SimProfile.parse("p.yaml", yaml);
      throw new AssertionError("expected an error for " + yaml);
    } catch (LeadlineException e) {
      assertEquals(e.getMessage(), message);
    }
  }

  @Test
  public void aRoundTripThroughTheServer() {
    String beginning = BEGINNINGS.get(0);
    String ending;
    try (SimServer writer = SimServer.start(V2, KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpModelClient client = SimServerTest.client(writer, "completions");
      ending = SimServerTest.ask(client, beginning, Sampling.greedy(400));
      assertEquals(ending, ending(V2, KEY, beginning, 0));
    }
    String prompt = gptEval(beginning, ending);
    try (SimServer judge = SimServer.start(JUDGE_B, KEY, "127.0.0.1", 0, Optional.empty())) {
      HttpModelClient client = SimServerTest.client(judge, "chat");
      ModelResult result =
          client.complete(new CompletionRequest(prompt, ChatWrapping.NONE, Sampling.greedy(400)));
      String reply = ((ModelResult.Completed) result).completion().choices().get(0).text();
      SimJudge.Judgement expected = judge(JUDGE_B, KEY, prompt);
      assertEquals(reply, expected.reply());
      assertEquals(parse(JudgeFixtures.GPT_EVAL, reply).orElseThrow(), expected.fields());
      // The same prompt again (a retry, another run) gets the same reply.
      assertEquals(SimServerTest.ask(client, prompt, Sampling.greedy(400)), reply);
    }
  }
}
