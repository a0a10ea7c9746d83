package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extraction;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class Gsm8kTest {
  private static final String GOLD = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72";

  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("gsm8k");
  }

  @Test(dataProvider = "golden")
  public void agreesWithLmEvalAndGradeSchoolMath(GoldenRow row) {
    String completion = row.text("completion");
    String answerField = row.text("gold_answer_field");
    String strict = Gsm8k.LM_EVAL_STRICT.extract(completion).orElse(Gsm8k.INVALID);
    String flexible = Gsm8k.LM_EVAL_FLEXIBLE.extract(completion).orElse(Gsm8k.INVALID);
    assertEquals(strict, row.text("expected_strict"), row + " strict");
    assertEquals(flexible, row.text("expected_flexible"), row + " flexible");
    assertEquals(Gsm8k.lmEvalNormalize(answerField), row.text("expected_gold"), row + " gold");
    assertEquals(
        Gsm8k.lmEvalNormalize(strict),
        row.text("expected_strict_normalized"),
        row + " strict norm");
    assertEquals(
        Gsm8k.lmEvalNormalize(flexible),
        row.text("expected_flexible_normalized"),
        row + " flexible norm");
    assertEquals(
        Gsm8k.LM_EVAL_EXACT_MATCH.score(strict, answerField),
        row.json().get("expected_strict_correct").asDouble(),
        row + " strict correct");
    assertEquals(
        Gsm8k.LM_EVAL_EXACT_MATCH.score(flexible, answerField),
        row.json().get("expected_flexible_correct").asDouble(),
        row + " flexible correct");
    assertEquals(
        Gsm8k.openAiGold(answerField), row.text("expected_gold_openai_extract"), row + " openai");
  }

  @Test
  public void emptyCompletionHasNoAnswerUnderEveryConvention() {
    assertTrue(Gsm8k.LM_EVAL_STRICT.extract("") instanceof Extraction.NoAnswer);
    assertTrue(Gsm8k.LM_EVAL_FLEXIBLE.extract("") instanceof Extraction.NoAnswer);
    assertTrue(Gsm8k.GPT_FATHOM.extract("") instanceof Extraction.NoAnswer);
    assertFalse(Gsm8k.isGptFathomCorrect("", GOLD));
  }

  @Test
  public void gptFathomTakesFirstNumberAfterTheAnswerIs() {
    assertEquals(
        Gsm8k.GPT_FATHOM.extract("48 + 24 = 72. The answer is 72 clips, not 70.").orElse(""), "72");
    assertTrue(Gsm8k.isGptFathomCorrect("48 + 24 = 72. The answer is 72.", GOLD));
  }

  @Test
  public void gptFathomFallsBackToLastNumber() {
    assertEquals(Gsm8k.GPT_FATHOM.extract("She sold 48 then 24, so 72 in all").orElse(""), "72");
  }

  @Test
  public void gptFathomReadsOnlyUpToASecondAnswerPhrase() {
    assertEquals(Gsm8k.GPT_FATHOM.extract("The answer is 5. The answer is 6.").orElse(""), "5");
    Extraction none = Gsm8k.GPT_FATHOM.extract("The answer is The answer is 7");
    assertTrue(none instanceof Extraction.NoAnswer, none.toString());
  }

  @Test
  public void gptFathomComparesByPrefixSoLongerNumbersCount() {
    assertTrue(Gsm8k.isGptFathomCorrect("The answer is 720.", GOLD));
    assertFalse(Gsm8k.isGptFathomCorrect("The answer is 7.", GOLD));
  }

  @Test
  public void gptFathomSplitsThousandsSeparatorsIntoRuns() {
    String gold = "x\n#### 1,000";
    assertTrue(Gsm8k.isGptFathomCorrect("The answer is 1,000.", gold));
    assertTrue(Gsm8k.isGptFathomCorrect("The answer is 1.", gold), "gold runs are 1 and 000");
  }

  @Test
  public void gptFathomReadsUnicodeDigitsAsPythonDoes() {
    assertEquals(Gsm8k.GPT_FATHOM.extract("The answer is ٧٢.").orElse(""), "٧٢");
    assertFalse(Gsm8k.isGptFathomCorrect("The answer is ٧٢.", GOLD));
  }

  @Test
  public void gptFathomIgnoresSignsAndDecimalPoints() {
    assertEquals(Gsm8k.GPT_FATHOM.extract("The answer is -3.5").orElse(""), "3");
  }

  @Test
  public void gptFathomComparesRawCompletionWhenNoNumberFollowsThePhrase() {
    assertTrue(Gsm8k.isGptFathomCorrect("72 is it. The answer is seventy-two.", GOLD));
    assertFalse(Gsm8k.isGptFathomCorrect("The answer is seventy-two.", GOLD));
  }

  @Test
  public void gptFathomReadsLatexBoxedAnswers() {
    assertTrue(Gsm8k.isGptFathomCorrect("So $\\boxed{72}$.", GOLD));
    assertEquals(Gsm8k.LM_EVAL_FLEXIBLE.extract("So $\\boxed{72}$.").orElse(""), "$.");
  }

  @Test
  public void gptFathomRejectsGoldWithoutMarker() {
    assertThrows(IllegalArgumentException.class, () -> Gsm8k.isGptFathomCorrect("72", "72"));
  }

  @Test
  public void lmEvalNormalizationRemovesOnlyOneTrailingPeriod() {
    assertEquals(Gsm8k.lmEvalNormalize("1,000.."), "1000.");
    assertEquals(Gsm8k.lmEvalNormalize("$72.\n"), "72\n");
    assertEquals(Gsm8k.lmEvalNormalize("a #### b #### C"), "c");
  }

  @Test
  public void negativeAndDecimalAnswersKeepTheirSignAndDigits() {
    assertEquals(Gsm8k.LM_EVAL_STRICT.extract("#### -12.5").orElse(""), "-12.5");
    assertEquals(Gsm8k.LM_EVAL_FLEXIBLE.extract("it is -12.5 now").orElse(""), "-12.5");
  }
}
