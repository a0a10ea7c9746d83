package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class MmluTest {
  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("mmlu");
  }

  @Test(dataProvider = "golden")
  public void agreesWithSimpleEvals(GoldenRow row) {
    String completion = row.text("completion");
    String target = row.text("target");
    check(row, Mmlu.SIMPLE_EVALS, completion, target, "");
    check(row, Mmlu.SIMPLE_EVALS_MULTICHOICE, completion, target, "_answer_pattern_multichoice");
    check(row, Mmlu.SIMPLE_EVALS_LEGACY_2024, completion, target, "_legacy_2024");
  }

  private static void check(
      GoldenRow row, Extractor extractor, String completion, String target, String suffix) {
    Extraction extraction = extractor.extract(completion);
    assertEquals(
        extraction.answer().orElse(null),
        row.nullableText("expected_extracted" + suffix),
        row + suffix);
    boolean correct = extraction.answer().map(target::equals).orElse(false);
    assertEquals(correct, row.json().get("expected_correct" + suffix).asBoolean(), row + suffix);
  }

  @Test
  public void gptFathomTakesFirstOptionInAlphabeticalOrder() {
    assertEquals(Mmlu.GPT_FATHOM.extract("(C) is wrong; (B) is right").orElse(""), "B");
    assertTrue(Mmlu.isGptFathomCorrect("(C) is wrong; (B) is right", "B"));
  }

  @Test
  public void gptFathomFallsBackToPrefixOfTheStrippedCompletion() {
    assertTrue(Mmlu.GPT_FATHOM.extract("  C) Paris") instanceof Extraction.NoAnswer);
    assertTrue(Mmlu.isGptFathomCorrect("  C) Paris", "C"));
    assertTrue(Mmlu.isGptFathomCorrect("\nC", "C"));
    assertFalse(Mmlu.isGptFathomCorrect("The answer is C", "C"));
    assertFalse(Mmlu.isGptFathomCorrect("", "A"));
  }

  @Test
  public void simpleEvalsLowerCaseLetterIsCapturedButNotUpperCased() {
    assertEquals(Mmlu.SIMPLE_EVALS.extract("answer: c").orElse(""), "c");
  }

  @Test
  public void simpleEvalsNormalizesArabicAndFullWidthLetters() {
    assertEquals(Mmlu.SIMPLE_EVALS.extract("الإجابة: ج").orElse(""), "C");
    assertEquals(Mmlu.SIMPLE_EVALS.extract("答案：Ｄ").orElse(""), "D");
  }

  @Test
  public void simpleEvalsPrefersEnglishEntryOverLaterLanguages() {
    assertEquals(Mmlu.SIMPLE_EVALS.extract("Antwort: A\nAnswer: B").orElse(""), "B");
  }

  @Test
  public void simpleEvalsTreatsPythonWhitespaceAsSpaceBeforeColon() {
    assertEquals(Mmlu.SIMPLE_EVALS.extract("Answer\u2003: D").orElse(""), "D");
    assertTrue(Mmlu.SIMPLE_EVALS.extract("Answer\u200b: D") instanceof Extraction.NoAnswer);
  }

  @Test
  public void boxedLatexAnswerIsUnwrapped() {
    assertEquals(Mmlu.SIMPLE_EVALS.extract("Answer: $\\boxed{B}$").orElse(""), "B");
  }
}
