package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.api.Extraction;
import java.util.Optional;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class MathAnswersTest {
  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("math");
  }

  @Test(dataProvider = "golden")
  public void agreesWithHendrycksAndGptFathom(GoldenRow row) {
    String completion = row.text("completion");
    String gold = row.text("gold_answer");
    assertEquals(
        MathAnswers.lastBoxedOnlyString(completion).orElse(null),
        row.nullableText("expected_last_boxed_only_string"),
        row + " last_boxed_only_string");
    String prediction = MathAnswers.LAST_BOXED.extract(completion).answer().orElse(null);
    assertEquals(prediction, row.nullableText("expected_prediction"), row + " prediction");
    assertEquals(
        MathAnswers.isEquiv(prediction, gold),
        row.json().get("expected_is_equiv").asBoolean(),
        row + " is_equiv");
    assertEquals(
        MathAnswers.HENDRYCKS_EQUIV.score(completion, gold),
        row.json().get("expected_is_equiv").asBoolean() ? 1.0 : 0.0,
        row + " hendrycks-equiv");
    assertStripped(row, prediction, "expected_strip_prediction");
    assertStripped(row, gold, "expected_strip_gold");
    assertEquals(
        MathAnswers.gptFathomSampled(completion, gold),
        row.text("expected_gptfathom_sampled"),
        row + " gptfathom_sampled");
    assertEquals(
        MathAnswers.GPT_FATHOM_ACCURACY.score(completion, gold),
        row.json().get("expected_gptfathom_correct").asBoolean() ? 1.0 : 0.0,
        row + " gptfathom_correct");
  }

  private static void assertStripped(GoldenRow row, String input, String field) {
    JsonNode expected = row.json().get(field);
    if (expected.isNull()) {
      assertEquals(input, null, row + " " + field);
    } else if (expected.isObject()) {
      MathAnswers.StripError error =
          expectThrows(MathAnswers.StripError.class, () -> MathAnswers.stripString(input));
      assertEquals(error.pythonException(), expected.get("exception").asText(), row + " " + field);
    } else {
      assertEquals(MathAnswers.stripString(input), expected.asText(), row + " " + field);
    }
  }

  @Test
  public void goldIsTheLastBoxOfTheSolution() {
    assertEquals(
        MathAnswers.goldOf("So $x=\\boxed{3}$, not \\boxed{\\frac{1}{2}}."), "\\frac{1}{2}");
    assertThrows(IllegalArgumentException.class, () -> MathAnswers.goldOf("x = 3"));
    assertThrows(IllegalArgumentException.class, () -> MathAnswers.goldOf("\\fbox{3}"));
  }

  @Test
  public void extractionTakesTheLastBoxWithBalancedBraces() {
    assertEquals(
        MathAnswers.LAST_BOXED.extract("\\boxed{1} then \\boxed{\\frac{a}{b}}").orElse(""),
        "\\frac{a}{b}");
    assertEquals(MathAnswers.lastBoxedOnlyString("\\fbox{2} only"), Optional.of("\\fbox{2}"));
    assertTrue(MathAnswers.LAST_BOXED.extract("\\fbox{2} only") instanceof Extraction.NoAnswer);
    assertTrue(MathAnswers.LAST_BOXED.extract("\\boxed{1 + {2}") instanceof Extraction.NoAnswer);
    assertTrue(MathAnswers.LAST_BOXED.extract("\\boxed 5") instanceof Extraction.NoAnswer);
    assertEquals(MathAnswers.LAST_BOXED.extract("\\boxed{}").orElse("x"), "");
  }

  @Test
  public void closingBraceBeforeAnyOpeningOneNeverBalances() {
    assertEquals(MathAnswers.lastBoxedOnlyString("\\boxed}{5}"), Optional.empty());
  }

  @Test
  public void noBoxesTellsWhyInTheReason() {
    Extraction none = MathAnswers.LAST_BOXED.extract("the answer is 5");
    assertEquals(none, Extraction.noAnswer("no \\boxed or \\fbox in the completion"));
  }

  @Test
  public void bothNullAreEquivalentOneNullIsNot() {
    assertTrue(MathAnswers.isEquiv(null, null));
    assertFalse(MathAnswers.isEquiv(null, "2"));
    assertFalse(MathAnswers.isEquiv("2", null));
    assertEquals(MathAnswers.HENDRYCKS_EQUIV.score("no box here 2", "2"), 0.0);
  }

  @Test
  public void stripErrorsFallBackToRawEquality() {
    assertEquals(
        expectThrows(MathAnswers.StripError.class, () -> MathAnswers.stripString("3\\frac"))
            .pythonException(),
        "IndexError");
    assertEquals(
        expectThrows(
                MathAnswers.StripError.class,
                () -> MathAnswers.stripString("3\\text{ m}\\text{ s}"))
            .pythonException(),
        "AssertionError");
    assertTrue(MathAnswers.isEquiv("3\\text{ m}\\text{ s}", "3\\text{ m}\\text{ s}"));
    assertFalse(MathAnswers.isEquiv("3\\text{ m}\\text{ s}", "3"));
    assertFalse(MathAnswers.isEquiv("2\\sqrt", "2"));
  }

  @Test
  public void normalisationFollowsTheReferenceStepByStep() {
    assertEquals(MathAnswers.stripString("\\dfrac{1}{2}"), "\\frac{1}{2}");
    assertEquals(MathAnswers.stripString("0.5"), "\\frac{1}{2}");
    assertEquals(MathAnswers.stripString(".5"), "\\frac{1}{2}");
    assertEquals(MathAnswers.stripString("x = 3"), "3");
    assertEquals(MathAnswers.stripString("xyz = 3"), "xyz=3");
    assertEquals(MathAnswers.stripString("\\left( 1, 2 \\right)"), "(1,2)");
    assertEquals(MathAnswers.stripString("90^\\circ"), "90");
    assertEquals(MathAnswers.stripString("50\\%"), "50");
    assertEquals(MathAnswers.stripString("50%"), "50%", "only the escaped percent goes");
    assertEquals(MathAnswers.stripString("\\$5"), "5");
    assertEquals(MathAnswers.stripString("5\\text{ cm}"), "5");
    assertEquals(MathAnswers.stripString("5\\text{cm}"), "5\\text{cm}");
    assertEquals(MathAnswers.stripString("\\sqrt3"), "\\sqrt{3}");
    assertEquals(MathAnswers.stripString("\\sqrt 3"), "\\sqrt{}3");
    assertEquals(MathAnswers.stripString("\\frac12"), "\\frac{1}{2}");
    assertEquals(MathAnswers.stripString("\\frac1{72}"), "\\frac{1}{72}");
    assertEquals(MathAnswers.stripString("\\frac{7}2"), "\\frac{7}2");
    assertEquals(MathAnswers.stripString(""), "");
  }

  @Test
  public void shortFracArgumentLeavesTheWholeStringAsItWas() {
    assertEquals(MathAnswers.fixFracs("\\frac12+\\frac3"), "\\frac12+\\frac3");
  }

  @Test
  public void slashFractionsOnlyForIntegersPythonWouldPrintTheSame() {
    assertEquals(MathAnswers.stripString("3/4"), "\\frac{3}{4}");
    assertEquals(MathAnswers.stripString("-1/8"), "\\frac{-1}{8}");
    assertFalse(MathAnswers.isEquiv("-1/8", "-\\frac{1}{8}"));
    assertEquals(MathAnswers.stripString("03/4"), "03/4");
    assertEquals(MathAnswers.stripString("+3/4"), "+3/4");
    assertEquals(MathAnswers.stripString("-0/4"), "-0/4");
    assertEquals(MathAnswers.stripString("٣/4"), "٣/4");
    assertEquals(MathAnswers.stripString("1/2/3"), "1/2/3");
  }

  @Test
  public void slashFractionsStopAtCPythonsIntegerDigitLimit() {
    String limit = "1".repeat(4300);
    assertEquals(MathAnswers.fixASlashB(limit + "/2"), "\\frac{" + limit + "}{2}");
    assertEquals(MathAnswers.fixASlashB("-" + limit + "/2"), "\\frac{-" + limit + "}{2}");
    assertEquals(MathAnswers.fixASlashB(limit + "1/2"), limit + "1/2");
  }

  @Test
  public void lengthsAndFirstCharactersAreCodePoints() {
    String x = "\uD835\uDC65";
    assertEquals(MathAnswers.stripString(x + " = 3"), "3", "left side is 2 code points, 3 units");
    assertEquals(MathAnswers.stripString(x + "y = 3"), x + "y=3");
    assertEquals(MathAnswers.stripString("\\frac" + x + "2"), "\\frac{" + x + "}{2}");
    assertEquals(MathAnswers.stripString("\\sqrt" + x), "\\sqrt{" + x + "}");
  }

  @Test
  public void gptFathomComparesByPrefix() {
    assertTrue(MathAnswers.isGptFathomCorrect("so \\boxed{2x}", "2"));
    assertFalse(MathAnswers.HENDRYCKS_EQUIV.score("so \\boxed{2x}", "2") == 1.0);
    assertTrue(MathAnswers.isGptFathomCorrect("so \\boxed{\\dfrac12}", "\\frac{1}{2}"));
    assertEquals(
        MathAnswers.gptFathomSampled("so \\boxed{\\dfrac12}", "\\frac{1}{2}"), "\\frac{1}{2}");
  }

  @Test
  public void gptFathomComparesTheRawCompletionWhenThereIsNoBox() {
    assertTrue(MathAnswers.isGptFathomCorrect("12 apples", "12"));
    assertFalse(MathAnswers.isGptFathomCorrect(" 12 apples", "12"));
    assertFalse(MathAnswers.isGptFathomCorrect("\\boxed{}", "12"));
  }
}
