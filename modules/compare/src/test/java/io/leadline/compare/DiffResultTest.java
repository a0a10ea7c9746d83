package io.leadline.compare;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;

import org.testng.annotations.Test;

/** How {@link DiffResult}'s Markdown quotes a model's output. */
public class DiffResultTest {
  @Test
  public void modelOutputInMarkdownIsTextNotHtmlOrTable() {
    String answer = "</script><img src=x onerror=alert(1)> a|b `code` *x* [l](u)\nnext & more";
    String line = DiffResult.oneLine(answer);
    assertFalse(line.contains("<"), line);
    assertFalse(line.contains(">"), line);
    assertEquals(
        line,
        "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; a\\|b \\`code\\` \\*x\\* \\[l\\](u)"
            + " next &amp; more");
  }

  @Test
  public void longOutputIsCutBeforeEscapingSoNoEntityIsHalved() {
    String line = DiffResult.oneLine("a".repeat(116) + "<<<<<<");
    assertEquals(line, "a".repeat(116) + "&lt;…");
  }
}
