package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import org.testng.annotations.Test;

public class SimProfileTest {
  private static final String PROFILE =
      "snapshot: s\naccuracy: {gsm8k: 0.7, mmlu: 0.5}\nanswer_only_delta: {gsm8k: -0.4}\n";

  @Test
  public void aPromptWithoutAChainOfThoughtLosesTheAnswerOnlyDelta() {
    SimProfile profile = SimProfile.parse("p.yaml", PROFILE);
    String exemplars = "Q: one?\nA: Let's think step by step. 1 + 1 = 2. The answer is 2.\n\n";
    assertEquals(
        profile.accuracyFor("gsm8k", exemplars + "Q: two?\nA: Let's think step by step"),
        0.7,
        1e-12);
    // Worked exemplars do not make an answer-only prompt a chain-of-thought one: the last line
    // does.
    assertEquals(profile.accuracyFor("gsm8k", exemplars + "Q: two?\nA:"), 0.3, 1e-12);
    assertEquals(profile.accuracyFor("mmlu", "Q: two?\nA:"), 0.5, 1e-12);
    assertTrue(SimProfile.asksForReasoning("Q: x\nA: Let's think step by step. "));
    assertFalse(SimProfile.asksForReasoning("Q: step by step?\nA: "));
    assertTrue(profile.benchmarks().contains("gsm8k"));
  }

  @Test
  public void theFamilyAtFourSizesLosesAccuracyWithoutCotOnlyAtTheTwoLargest() {
    java.nio.file.Path settings = java.nio.file.Path.of("../../settings");
    for (String size : new String[] {"350m", "1b", "7b", "70b"}) {
      SimProfile profile = SimProfile.resolve("sim-size-" + size, settings, "--profile");
      double delta = profile.answerOnly().getOrDefault("gsm8k", 0.0);
      boolean large = size.equals("7b") || size.equals("70b");
      assertEquals(delta < -0.3, large, size);
      assertEquals(delta == 0, !large, size);
      assertEquals(profile.answerOnly().getOrDefault("bbh", 0.0), delta, 1e-12, size);
    }
  }

  @Test
  public void anAnswerOnlyDeltaOutOfRangeIsOneLine() {
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () ->
                SimProfile.parse(
                    "p.yaml", "snapshot: s\naccuracy: {}\nanswer_only_delta: {gsm8k: -2}\n"));
    assertEquals(
        e.getMessage(),
        "p.yaml: answer_only_delta.gsm8k: expected a number in [-1.0, 1.0], got -2");
  }
}
