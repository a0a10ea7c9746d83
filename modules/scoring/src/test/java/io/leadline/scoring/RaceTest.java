package io.leadline.scoring;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * RACE's rule from GPT-Fathom's reading_comprehension.py (MC): the first of (A)..(Z) in letter
 * order, else the completion itself, unstripped; right when it starts with the gold letter.
 */
public class RaceTest {
  @DataProvider
  public Object[][] completions() {
    return new Object[][] {
      {"(B) the dog", "B", 1.0},
      {"I think (C), not (B)", "B", 1.0}, // letter order, not position: (B) comes first
      {"B", "B", 1.0}, // no parentheses: the completion itself starts with B
      {" B", "B", 0.0}, // not stripped, unlike MMLU's rule
      {"b) the dog", "B", 0.0},
      {"The answer is D.", "D", 0.0}, // "The..." does not start with D
      {"(D)", "D", 1.0},
    };
  }

  @Test(dataProvider = "completions")
  public void theFirstLetterInLetterOrderElseTheCompletion(
      String completion, String gold, double expected) {
    assertEquals(Race.GPT_FATHOM_ACCURACY.score(completion, gold), expected);
  }

  @Test
  public void tydiQaF1IsGptFathomsTokenF1() {
    assertEquals(
        TydiQa.GPT_FATHOM_F1.score("in the 1920s", java.util.List.of("1920s")),
        Drop.GPT_FATHOM_F1.score("in the 1920s", java.util.List.of("1920s")));
    assertEquals(TydiQa.GPT_FATHOM_F1.score("1920s", java.util.List.of("x", "1920s")), 1.0);
  }
}
