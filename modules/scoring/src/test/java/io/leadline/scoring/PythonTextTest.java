package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.util.List;
import org.testng.annotations.Test;

public class PythonTextTest {
  @Test
  public void whitespaceIsPythonsIncludingNbspAndFileSeparators() {
    for (char c :
        new char[] {
          ' ', '\t', '\n', '\u000b', '\u000c', '\r', '\u001c', '\u001f', '\u0085', '\u00a0',
          '\u2003', '\u2028', '\u202f', '\u3000'
        }) {
      assertTrue(PythonText.isSpace(c), Integer.toHexString(c));
    }
    assertFalse(PythonText.isSpace('\u200b'));
    assertFalse(PythonText.isSpace('\ufeff'));
  }

  @Test
  public void stripAndSplitFollowPython() {
    assertEquals(PythonText.strip("\u00a0 a b \u3000"), "a b");
    assertEquals(PythonText.split(" a\u00a0b\n\nc "), List.of("a", "b", "c"));
    assertEquals(PythonText.split("a\u200bb"), List.of("a\u200bb"));
    assertEquals(PythonText.collapseWhitespace("  a \t b  "), "a b");
  }

  @Test
  public void splitOnSeparatorKeepsEmptyPiecesAsPythonDoes() {
    assertEquals(PythonText.splitOn("a=b", "="), List.of("a", "b"));
    assertEquals(PythonText.splitOn("=a==", "="), List.of("", "a", "", ""));
    assertEquals(PythonText.splitOn("abc", "/"), List.of("abc"));
    assertEquals(PythonText.splitOn("", "/"), List.of(""));
    assertEquals(PythonText.splitOn("x\\sqrt\\sqrt", "\\sqrt"), List.of("x", "", ""));
  }

  @Test
  public void lengthCountsCodePoints() {
    assertEquals(PythonText.length("\uD835\uDC65y"), 2);
    assertEquals(PythonText.length(""), 0);
  }

  @Test
  public void articlesAreWholeWordsOnly() {
    assertEquals(PythonText.replaceArticles("the cat ate an apple"), "  cat ate   apple");
    assertEquals(PythonText.replaceArticles("then another theatre"), "then another theatre");
    assertEquals(PythonText.replaceArticles("a_b"), "a_b");
    assertEquals(PythonText.replaceArticles("é a"), "é  ");
  }

  @Test
  public void combiningMarksAreNotWordCharactersInPython() {
    assertEquals(PythonText.replaceArticles("the\u0301"), " \u0301");
  }

  @Test
  public void lowerIsFullAndLocaleIndependent() {
    assertEquals(PythonText.lower("İ"), "i\u0307");
    assertEquals(PythonText.lower("ÀB"), "àb");
    assertEquals(PythonText.lower("ß"), "ß");
  }
}
