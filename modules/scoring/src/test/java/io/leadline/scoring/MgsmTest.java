package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extraction;
import org.testng.annotations.Test;

public class MgsmTest {
  private static String extract(String completion) {
    return Mgsm.GPT_FATHOM.extract(completion).orElse(null);
  }

  @Test
  public void takesTheLastNumberOfTheWholeCompletion() {
    assertEquals(extract("Es sind 5 und dann 7, also 12 Äpfel"), "12");
    assertTrue(Mgsm.isGptFathomCorrect("Es sind 5 und dann 7, also 12 Äpfel", "12"));
  }

  @Test
  public void keepsTrailingPeriodAndComparesByPrefix() {
    assertEquals(extract("Die Antwort ist 18."), "18.");
    assertTrue(Mgsm.isGptFathomCorrect("Die Antwort ist 18.", "18"));
    assertTrue(Mgsm.isGptFathomCorrect("Die Antwort ist 180", "18"), "prefix, not equality");
    assertFalse(Mgsm.isGptFathomCorrect("Die Antwort ist 1", "18"));
  }

  @Test
  public void keepsCommasSoThousandsSeparatorsFailAgainstPlainGold() {
    assertEquals(extract("total 1,000 Euro"), "1,000");
    assertFalse(Mgsm.isGptFathomCorrect("total 1,000 Euro", "1000"));
    assertTrue(Mgsm.isGptFathomCorrect("total 1,000 Euro", "1"), "startswith is literal");
    assertEquals(extract("total: 1,000.50 dollars"), "1,000.50");
    assertEquals(extract("1,2,3,"), "1,2,3,");
  }

  @Test
  public void negativeNumbersKeepTheirSign() {
    assertEquals(extract("It is -3 degrees"), "-3");
    assertFalse(Mgsm.isGptFathomCorrect("It is -3 degrees", "3"));
    assertEquals(extract("-12."), "-12.");
    assertEquals(extract("5--3"), "-3");
  }

  @Test
  public void numberFollowedByDigitOrHyphenIsNotAMatch() {
    assertEquals(extract("3-4"), "-4");
    assertTrue(Mgsm.GPT_FATHOM.extract("12-") instanceof Extraction.NoAnswer);
  }

  @Test
  public void decimalsTakeOnePeriod() {
    assertEquals(extract("x 1.5.6 y"), "6");
    assertEquals(extract("a 3.14abc"), "3.14");
  }

  @Test
  public void unicodeDigitsAreDigitsAsInPython() {
    assertEquals(extract("২৫ টাকা"), "২৫");
    assertEquals(extract("答案是١٢٣"), "١٢٣");
    assertFalse(Mgsm.isGptFathomCorrect("২৫ টাকা", "25"), "no digit folding");
  }

  @Test
  public void noNumberComparesTheRawCompletion() {
    Extraction none = Mgsm.GPT_FATHOM.extract("keine Zahl");
    assertEquals(none, Extraction.noAnswer("no number in the completion"));
    assertTrue(Mgsm.isGptFathomCorrect("keine Zahl", "keine"));
    assertFalse(Mgsm.isGptFathomCorrect("", "5"));
    assertEquals(Mgsm.GPT_FATHOM_ACCURACY.score("zwölf", "12"), 0.0);
  }
}
