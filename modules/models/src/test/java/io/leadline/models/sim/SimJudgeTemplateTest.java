package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

/** Which prompts are a judge template's, and what its placeholders hold. */
public class SimJudgeTemplateTest {
  private static final SimJudgeTemplate TWO =
      new SimJudgeTemplate(
          "test/two",
          SimJudgeTemplate.Kind.GRADES,
          List.of("Story: ", "\nEnding: ", "\nGrade it: Score: {score}"),
          List.of("beginning", "completion"),
          "Score: {score}",
          ImmutableMap.of("score", SimJudgeTemplate.Field.ordinal(1, 5)));

  @Test
  public void matchesPrefixMiddleAndSuffix() {
    assertEquals(
        TWO.match("Story: Once there was a cat.\nEnding: It slept.\nGrade it: Score: {score}"),
        Optional.of(Map.of("beginning", "Once there was a cat.", "completion", "It slept.")));
    // The middle literal is found at its first occurrence: a later one belongs to the completion.
    assertEquals(
        TWO.match("Story: A\nEnding: B\nEnding: C\nGrade it: Score: {score}").orElseThrow(),
        Map.of("beginning", "A", "completion", "B\nEnding: C"));
    // Placeholders may be empty.
    assertEquals(
        TWO.match("Story: \nEnding: \nGrade it: Score: {score}").orElseThrow(),
        Map.of("beginning", "", "completion", ""));
  }

  @Test
  public void refusesPromptsOfOtherShapes() {
    assertEquals(TWO.match("Q: What is 2 + 2?\nA:"), Optional.empty());
    assertEquals(TWO.match("Story: A\nEnding: B\nGrade it: Score:"), Optional.empty(), "suffix");
    assertEquals(TWO.match("story: A\nEnding: B\nGrade it: Score: {score}"), Optional.empty());
    assertEquals(TWO.match("Story: A, no ending\nGrade it: Score: {score}"), Optional.empty());
    // Prefix and suffix may not overlap.
    SimJudgeTemplate tight =
        new SimJudgeTemplate(
            "test/tight",
            SimJudgeTemplate.Kind.GRADES,
            List.of("abc", "cde"),
            List.of("completion"),
            "{score}",
            ImmutableMap.of("score", SimJudgeTemplate.Field.ordinal(0, 10)));
    assertEquals(tight.match("abcde"), Optional.empty());
    assertEquals(tight.match("abcXcde").orElseThrow(), Map.of("completion", "X"));
  }

  @Test
  public void aRepeatedPlaceholderMustHoldTheSameBothTimes() {
    SimJudgeTemplate twice =
        new SimJudgeTemplate(
            "test/twice",
            SimJudgeTemplate.Kind.GRADES,
            List.of("Q: ", "\nA: ", "\nAgain, Q: ", "\nGrade: {g}"),
            List.of("question", "completion", "question"),
            "{g}",
            ImmutableMap.of("g", SimJudgeTemplate.Field.ordinal(0, 10)));
    assertEquals(
        twice.match("Q: x\nA: y\nAgain, Q: x\nGrade: {g}").orElseThrow(),
        Map.of("question", "x", "completion", "y"));
    assertEquals(twice.match("Q: x\nA: y\nAgain, Q: z\nGrade: {g}"), Optional.empty());
  }

  @Test
  public void rendersWhatItMatches() {
    for (SimJudgeTemplate template :
        List.of(JudgeFixtures.GPT_EVAL, JudgeFixtures.VERDICT, JudgeFixtures.PAIRWISE)) {
      Map<String, String> values = new java.util.HashMap<>();
      template.placeholders().forEach(p -> values.put(p, "the " + p + " text"));
      assertEquals(template.match(template.render(values)).orElseThrow(), values);
    }
    assertTrue(
        JudgeFixtures.GPT_EVAL
            .render(Map.of("beginning", "She wanted to", "completion", " catch it."))
            .contains("She wanted to*** catch it.\n\n"));
  }

  @Test
  public void refusesTemplatesThatCannotBeMatchedOrAnswered() {
    Map<String, SimJudgeTemplate.Field> score =
        ImmutableMap.of("score", SimJudgeTemplate.Field.ordinal(0, 10));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SimJudgeTemplate(
                "x",
                SimJudgeTemplate.Kind.GRADES,
                List.of("a"),
                List.of("completion"),
                "{score}",
                score));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SimJudgeTemplate(
                "x",
                SimJudgeTemplate.Kind.GRADES,
                List.of("a", "", "b"),
                List.of("beginning", "completion"),
                "{score}",
                score));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SimJudgeTemplate(
                "x",
                SimJudgeTemplate.Kind.GRADES,
                List.of("a", "b"),
                List.of("completion"),
                "Score: {score}, {other}",
                score));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SimJudgeTemplate(
                "x",
                SimJudgeTemplate.Kind.PAIRWISE,
                List.of("a", "b"),
                List.of("completion"),
                "{score}",
                score));
    assertThrows(
        IllegalArgumentException.class,
        () -> SimJudgeTemplate.Field.verdict(List.of("yes", "no"), "maybe"));
    assertThrows(IllegalArgumentException.class, () -> SimJudgeTemplate.Field.ordinal(5, 5));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SimAnswerKey.builder()
                .judgeTemplate(JudgeFixtures.GPT_EVAL)
                .judgeTemplate(JudgeFixtures.GPT_EVAL));
  }
}
