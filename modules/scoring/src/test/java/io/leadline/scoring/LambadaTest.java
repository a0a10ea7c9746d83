package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Extraction;
import org.testng.annotations.Test;

public class LambadaTest {
  private static String word(String completion) {
    return Lambada.GPT_FATHOM.extract(completion).orElse(null);
  }

  @Test
  public void takesTheFirstWordAfterStripping() {
    assertEquals(word(" signs of life"), "signs");
    assertTrue(Lambada.isGptFathomCorrect(" signs of life", "signs"));
    assertTrue(Lambada.isGptFathomCorrect("\u00a0signs", "signs"), "Python whitespace");
  }

  @Test
  public void dropsOneLeadingAnswerPrefixCaseSensitively() {
    assertEquals(word("A: dog."), "dog");
    assertEquals(word("A:dog"), "dog");
    assertEquals(word("  A: A: cat"), "A", "only the first 'A:' goes");
    assertEquals(word("a: dog"), "a", "'a:' is not the prefix");
    assertEquals(word("Q: what A: no"), "Q");
  }

  @Test
  public void comparesByCaseSensitivePrefix() {
    assertTrue(Lambada.isGptFathomCorrect("A: dogs", "dog"));
    assertFalse(Lambada.isGptFathomCorrect("A: Dog", "dog"));
    assertFalse(Lambada.isGptFathomCorrect("A: do", "dog"));
  }

  @Test
  public void wordMustBeAWholeRunOfPythonWordCharacters() {
    assertEquals(word("café au lait"), "au", "é is a word character, so 'caf' has no \\b");
    assertEquals(word("x2 y"), "y");
    assertEquals(word("_abc def"), "def");
    assertEquals(word("naïve idea"), "idea");
    assertEquals(word("\uD835\uDC00bc def"), "def", "a supplementary letter is a word character");
  }

  @Test
  public void punctuationAndCombiningMarksEndAWord() {
    assertEquals(word("don't go"), "don");
    assertEquals(word("he\u2019s here"), "he");
    assertEquals(word("word\u0301 next"), "word", "Python's \\w has no combining marks");
  }

  @Test
  public void withoutAWordTheStrippedTextIsCompared() {
    assertTrue(Lambada.GPT_FATHOM.extract("123") instanceof Extraction.NoAnswer);
    assertTrue(Lambada.isGptFathomCorrect("  123 ", "123"));
    assertTrue(Lambada.isGptFathomCorrect("A: 42!", " 42"), "the space after 'A:' stays");
    assertFalse(Lambada.isGptFathomCorrect("A: 42!", "42"));
    assertFalse(Lambada.isGptFathomCorrect("A:", "a"));
    assertEquals(Lambada.GPT_FATHOM_ACCURACY.score("", "x"), 0.0);
  }
}
