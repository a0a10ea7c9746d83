package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;

import io.leadline.models.sim.SimTokenizer.Token;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class SimTokenizerTest {
  private static List<String> texts(String text) {
    return SimTokenizer.tokenize(text).stream().map(Token::text).toList();
  }

  @Test
  public void splitsWordsNumbersAndPunctuationWithOneLeadingSpace() {
    assertEquals(
        texts("Q: What is 12+30?\nA: (B) forty-two"),
        List.of(
            "Q", ":", " What", " is", " 12", "+", "30", "?", "\n", "A", ":", " (", "B", ")",
            " forty", "-", "two"));
  }

  @Test
  public void keepsOtherWhitespaceAsItsOwnTokensAndGivesTheLastSpaceToTheWord() {
    assertEquals(texts("a\n\nb  c   \t"), List.of("a", "\n\n", "b", " ", " c", "   \t"));
    assertEquals(texts(" x"), List.of(" x"));
    assertEquals(texts(" "), List.of(" "));
    assertEquals(texts(""), List.of());
  }

  @DataProvider
  public Object[][] texts() {
    return new Object[][] {
      {"Q: Find the degree for the given field extension Q(sqrt(2)) over Q.\n\n(A) 0\n(B) 4\nA:"},
      {"  leading spaces, trailing ones   "},
      {"tabs\tand\r\nwindows lines\n"},
      {"digits123mixed456 and ünïcödé wörds 😀 emoji"},
      {"\n"},
    };
  }

  @Test(dataProvider = "texts")
  public void tokensConcatenateToTheTextAtTheirOffsets(String text) {
    List<Token> tokens = SimTokenizer.tokenize(text);
    StringBuilder joined = new StringBuilder();
    for (Token token : tokens) {
      assertEquals(token.offset(), joined.length(), token.toString());
      assertEquals(text.substring(token.offset(), token.end()), token.text());
      assertEquals(token.text().isEmpty(), false);
      joined.append(token.text());
    }
    assertEquals(joined.toString(), text);
  }
}
