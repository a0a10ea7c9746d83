package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extraction;
import org.testng.annotations.Test;

public class AgiEvalTest {
  private static double multipleChoice(String completion, String label) {
    return AgiEval.GPT_FATHOM_ACCURACY.score(completion, label);
  }

  @Test
  public void firstOptionInAlphabeticalOrderWinsNotFirstInTheText() {
    assertEquals(AgiEval.GPT_FATHOM.extract("(C) then (B)").orElse(""), "B");
    assertEquals(AgiEval.GPT_FATHOM.extract("(B) is right, not (A)").orElse(""), "A");
    assertEquals(multipleChoice("(B) is right, not (A)", "B"), 0.0);
    assertEquals(multipleChoice("The answer is (D)", "D"), 1.0);
    assertEquals(AgiEval.GPT_FATHOM.extract("(Z)").orElse(""), "Z");
  }

  @Test
  public void withoutAnOptionTheCompletionIsComparedUnstripped() {
    assertTrue(AgiEval.GPT_FATHOM.extract("B) Paris") instanceof Extraction.NoAnswer);
    assertEquals(multipleChoice("B) Paris", "B"), 1.0);
    assertEquals(multipleChoice(" B", "B"), 0.0, "no lstrip, unlike GPT-Fathom's MMLU");
    assertEquals(Mmlu.GPT_FATHOM_ACCURACY.score(" B", "B"), 1.0);
    assertEquals(multipleChoice("(a)", "A"), 0.0, "letters are upper-case only");
  }

  @Test
  public void clozeComparesTheCompletionAsItIs() {
    assertEquals(AgiEval.GPT_FATHOM_CLOZE.extract(" 5").orElse(null), " 5");
    assertEquals(AgiEval.GPT_FATHOM_CLOZE_ACCURACY.score("5 apples", "5"), 1.0);
    assertEquals(AgiEval.GPT_FATHOM_CLOZE_ACCURACY.score(" 5", "5"), 0.0);
    assertEquals(AgiEval.GPT_FATHOM_CLOZE_ACCURACY.score("(A) 5", "5"), 0.0, "no option search");
  }

  @Test
  public void chainOfThoughtReadsBetweenTheFirstAndSecondAnswerPhrase() {
    assertEquals(
        AgiEval.GPT_FATHOM_COT.extract("reasoning (A) ... So the answer is (C).").orElse(""), "C");
    assertEquals(
        AgiEval.GPT_FATHOM_COT_ACCURACY.score("So the answer is (B). So the answer is (A).", "B"),
        1.0);
    assertEquals(
        AgiEval.GPT_FATHOM_COT_CLOZE.extract("So the answer is 3 So the answer is 4").orElse(""),
        "3 ");
    assertEquals(AgiEval.gptFathomSampled("steps... So the answer is 12\n", false, true), "12\n");
  }

  @Test
  public void chainOfThoughtFallsBackToChinesePhraseThenTheWholeCompletion() {
    assertEquals(AgiEval.GPT_FATHOM_COT.extract("所以答案是(D)").orElse(""), "D");
    assertEquals(AgiEval.gptFathomSampled("So the answer is 所以答案是9", false, true), "所以答案是9");
    assertEquals(AgiEval.GPT_FATHOM_COT.extract("think (B) no phrase").orElse(""), "B");
    assertEquals(AgiEval.gptFathomSampled("So the answer is no letter", true, true), "no letter");
    assertTrue(AgiEval.GPT_FATHOM_COT_CLOZE.extract("no phrase 7") instanceof Extraction.NoAnswer);
    assertEquals(AgiEval.GPT_FATHOM_COT_CLOZE_ACCURACY.score("no phrase 7", "no"), 1.0);
  }

  @Test
  public void answerOnlyIgnoresTheAnswerPhrase() {
    assertEquals(
        AgiEval.gptFathomSampled("So the answer is 12", false, false), "So the answer is 12");
    assertEquals(AgiEval.GPT_FATHOM.extract("(A) ... So the answer is (C)").orElse(""), "A");
  }
}
