package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extraction;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class BbhTest {
  private static final String INVALID = "[invalid]";

  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("bbh");
  }

  @Test(dataProvider = "golden")
  public void agreesWithLmEval(GoldenRow row) {
    String completion = row.text("completion");
    String target = row.text("target");
    String extracted = Bbh.LM_EVAL.extract(completion).orElse(INVALID);
    assertEquals(extracted, row.text("expected_extracted"), row.toString());
    assertEquals(
        Bbh.EXACT_MATCH.score(extracted, target),
        row.json().get("expected_exact_match").asDouble(),
        row.toString());
    assertEquals(extracted.equals(target), row.json().get("expected_correct").asBoolean());

    String cut = Bbh.applyStopSequences(completion, Bbh.LM_EVAL_STOP_SEQUENCES);
    String extractedAfterStop = Bbh.LM_EVAL.extract(cut).orElse(INVALID);
    assertEquals(
        extractedAfterStop, row.text("expected_extracted_after_stop_sequences"), row + " stop");
    assertEquals(
        extractedAfterStop.equals(target),
        row.json().get("expected_correct_after_stop_sequences").asBoolean(),
        row + " stop");
  }

  @Test
  public void lmEvalCaptureIsEmptyForASingleCharacterWithoutPeriod() {
    assertEquals(Bbh.LM_EVAL.extract("So the answer is 6").orElse(INVALID), "");
  }

  @Test
  public void lmEvalFindsNothingWhenTheLineEndsAfterThePhrase() {
    assertTrue(Bbh.LM_EVAL.extract("So the answer is \nvalid.") instanceof Extraction.NoAnswer);
  }

  @Test
  public void gptFathomTakesTextUpToASecondPhraseAndScoresByPrefix() {
    String completion = "A then B. So the answer is (B). So the answer is (C).";
    assertEquals(Bbh.GPT_FATHOM_COT.extract(completion).orElse(""), "(B).");
    assertTrue(Bbh.isGptFathomCorrect(completion, "(B)", Bbh.GPT_FATHOM_COT));
    assertFalse(Bbh.isGptFathomCorrect(completion, "(C)", Bbh.GPT_FATHOM_COT));
  }

  @Test
  public void gptFathomScoresWholeStrippedCompletionWithoutThePhrase() {
    assertTrue(Bbh.GPT_FATHOM_COT.extract(" True, because") instanceof Extraction.NoAnswer);
    assertTrue(Bbh.isGptFathomCorrect(" True, because", "True", Bbh.GPT_FATHOM_COT));
  }

  @Test
  public void gptFathomAnswerOnlyUsesItsOwnPhrase() {
    assertEquals(Bbh.GPT_FATHOM_ANSWER_ONLY.extract("The answer is valid.").orElse(""), "valid.");
    assertEquals(Bbh.GPT_FATHOM_ANSWER_ONLY_ACCURACY.score("The answer is valid.", "valid"), 1.0);
  }

  @Test
  public void stopSequencesApplyInOrder() {
    assertEquals(Bbh.applyStopSequences("a</s>Q\n\nb", Bbh.LM_EVAL_STOP_SEQUENCES), "a");
    assertEquals(Bbh.applyStopSequences("x\n\ny Q", Bbh.LM_EVAL_STOP_SEQUENCES), "x");
  }
}
