package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class DropTest {
  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("drop");
  }

  @Test(dataProvider = "golden")
  public void agreesWithOfficialAndSimpleEvals(GoldenRow row) {
    String prediction = row.text("prediction");
    List<List<String>> golds = golds(row.json().get("golds"));
    assertEquals(
        Drop.normalizeAnswer(prediction), row.text("normalized_prediction"), row.toString());
    assertEquals(
        Drop.OFFICIAL_EM.score(prediction, golds),
        row.json().get("expected_em").asDouble(),
        row + " em");
    assertEquals(
        Drop.OFFICIAL_F1.score(prediction, golds),
        row.json().get("expected_f1").asDouble(),
        0.0,
        row + " f1");

    boolean stringGolds = allTextual(row.json().get("golds"));
    JsonNode expectedEm = row.json().get("expected_em_simple_evals");
    JsonNode expectedFuzzy = row.json().get("expected_fuzzy_match_simple_evals");
    if (!stringGolds) {
      assertNull(row.nullableText("expected_em_simple_evals"), row.toString());
      assertNull(row.nullableText("expected_fuzzy_match_simple_evals"), row.toString());
      return;
    }
    List<String> spans = golds.stream().map(gold -> gold.get(0)).toList();
    assertEquals(
        FuzzyMatch.matchesAny(prediction, spans), expectedFuzzy.asBoolean(), row + " fuzzy");
    if (expectedEm.isNull()) {
      assertThrows(IllegalArgumentException.class, () -> Drop.simpleEvals(prediction, spans));
      return;
    }
    Drop.Scores scores = Drop.simpleEvals(prediction, spans);
    assertEquals(scores.em(), expectedEm.asDouble(), row + " simple-evals em");
    assertEquals(
        scores.f1(),
        row.json().get("expected_f1_simple_evals").asDouble(),
        0.0,
        row + " simple-evals f1");
  }

  @Test(dataProvider = "golden")
  public void answerJsonToStringsGivesTheGolds(GoldenRow row) {
    JsonNode answers = row.json().get("gold_answer_jsons");
    if (answers == null) {
      return;
    }
    List<List<String>> fromJson = new ArrayList<>();
    for (JsonNode answer : answers) {
      List<String> spans = new ArrayList<>();
      answer.path("spans").forEach(span -> spans.add(span.asText()));
      JsonNode date = answer.path("date");
      fromJson.add(
          Drop.answerJsonToStrings(
              answer.path("number").asText(""),
              spans,
              date.has("day") ? date.get("day").asText() : null,
              date.has("month") ? date.get("month").asText() : null,
              date.has("year") ? date.get("year").asText() : null));
    }
    assertEquals(fromJson, golds(row.json().get("golds")), row.toString());
  }

  private static boolean allTextual(JsonNode golds) {
    for (JsonNode gold : golds) {
      if (!gold.isTextual()) {
        return false;
      }
    }
    return true;
  }

  static List<List<String>> golds(JsonNode node) {
    List<List<String>> golds = new ArrayList<>();
    for (JsonNode gold : node) {
      if (gold.isTextual()) {
        golds.add(List.of(gold.asText()));
      } else {
        List<String> spans = new ArrayList<>();
        gold.forEach(span -> spans.add(span.asText()));
        golds.add(spans);
      }
    }
    return golds;
  }

  @Test
  public void numbersNormalizeThroughPythonFloat() {
    assertEquals(Drop.normalizeAnswer("7"), "7.0");
    assertEquals(Drop.normalizeAnswer("1,000"), "1000.0");
    assertEquals(Drop.normalizeAnswer("-5"), "5.0");
    assertEquals(Drop.normalizeAnswer("3/4"), "34.0");
    assertEquals(Drop.normalizeAnswer("1e16"), "1e+16");
    assertEquals(Drop.normalizeAnswer("The 28-yard field goal"), "28.0 yard field goal");
  }

  @Test
  public void numberMismatchZeroesF1EvenWithSharedWords() {
    assertEquals(Drop.official("28 yards", List.of(List.of("30 yards"))).f1(), 0.0);
    assertEquals(Drop.official("30 yards", List.of(List.of("30 yards"))).f1(), 1.0);
  }

  @Test
  public void multiSpanAnswersAreAlignedOneToOne() {
    Drop.Scores scores = Drop.official("Smith", List.of(List.of("Jones", "Smith")));
    assertEquals(scores.em(), 0.0);
    assertEquals(scores.f1(), 0.5);
  }

  @Test
  public void roundsHalfToEvenLikeNumPy() {
    assertEquals(NumPy.round(0.125, 2), 0.12);
    assertEquals(NumPy.round(0.375, 2), 0.38);
    assertEquals(NumPy.round(2.0 / 3.0, 2), 0.67);
  }

  @Test
  public void blankGoldsAreSkippedAndAllBlankScoresZero() {
    assertEquals(Drop.official("x", List.of(List.of("  "))), new Drop.Scores(0.0, 0.0));
    assertThrows(IllegalArgumentException.class, () -> Drop.simpleEvals("x", List.of(" ")));
  }

  @Test
  public void gptFathomF1ScoresTheWholeCompletion() {
    assertEquals(Drop.GPT_FATHOM_F1.score("3", List.of("3")), 1.0);
    assertEquals(Drop.GPT_FATHOM_F1.score("3\n\nPassage: more", List.of("3")), 0.5);
    assertEquals(Drop.GPT_FATHOM_F1.score("28-yard", List.of("28 yard")), 0.0);
  }
}
