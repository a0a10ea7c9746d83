package io.leadline.perturb;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import org.testng.annotations.Test;

public class TextPerturbationsTest {
  private static final String QUESTION =
      "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in"
          + " May. How many clips did Natalia sell altogether in April and May?";

  @Test
  public void typosAreSeededAndLeaveDigitsAlone() {
    String once = TextPerturbations.typos(QUESTION, 0.05, 7);
    assertEquals(TextPerturbations.typos(QUESTION, 0.05, 7), once);
    assertNotEquals(TextPerturbations.typos(QUESTION, 0.05, 8), once);
    assertNotEquals(once, QUESTION);
    assertTrue(once.contains("48"), once);
    assertEquals(TextPerturbations.typos(QUESTION, 0, 7), QUESTION);
  }

  @Test
  public void changedNumbersAreAllDifferentAndSeeded() {
    String changed =
        TextPerturbations.changeNumbers("Tom has 3 apples and 1,250 pears at $2.50.", 3);
    assertEquals(
        TextPerturbations.changeNumbers("Tom has 3 apples and 1,250 pears at $2.50.", 3), changed);
    assertTrue(changed.matches("Tom has \\d+ apples and \\d+ pears at \\$\\d+\\.50\\."), changed);
    assertTrue(!changed.contains(" 3 ") && !changed.contains("1250") && !changed.contains("$2.50"));
  }

  @Test
  public void labelsAndLayoutChangeOnlyWhatTheySay() {
    String prompt = "Follow the examples.\n\nQ: 1+1?\nA: 2\n\nQ: 2+2?\nA:";
    assertEquals(
        TextPerturbations.relabel(prompt, "Q: ", "A:", "Question: ", "Answer:"),
        "Follow the examples.\n\nQuestion: 1+1?\nAnswer: 2\n\nQuestion: 2+2?\nAnswer:");
    assertEquals(TextPerturbations.extraNewlines("a\n\nb\nc"), "a\n\n\n\nb\n\nc");
    assertEquals(TextPerturbations.fewerNewlines("a\n\nb"), "a\nb");
    assertEquals(TextPerturbations.trailingSpaces("a\nb"), "a \nb");
    assertEquals(
        TextPerturbations.optionsInline("Q: x\n\n(A) one\n(B) two\n(C) three\nA: "),
        "Q: x\n\n(A) one (B) two (C) three\nA: ");
  }

  @Test
  public void shufflesArePermutationsFromTheirSeed() {
    int[] order = TextPerturbations.shuffled(8, 5);
    assertEquals(TextPerturbations.shuffled(8, 5), order);
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    assertEquals(sorted, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
  }

  @Test
  public void variantIdsRoundTripAndUnknownKindsNameTheKnownOnes() {
    Variant variant = new Variant(Kind.QA_LABELS, "question-answer");
    assertEquals(variant.id(), "qa-labels:question-answer");
    assertEquals(Variant.parse(variant.id()), variant);
    try {
      Kind.fromId("typoes");
      throw new AssertionError("expected an error");
    } catch (io.leadline.api.LeadlineException e) {
      assertTrue(
          e.getMessage()
              .startsWith(
                  "--perturbations: unknown perturbation 'typoes' (did you mean typos?); known:"
                      + " instruction, qa-labels"));
    }
  }
}
