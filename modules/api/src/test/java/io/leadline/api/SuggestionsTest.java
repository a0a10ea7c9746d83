package io.leadline.api;

import static org.testng.Assert.assertEquals;

import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class SuggestionsTest {
  private static final List<String> BENCHMARKS =
      List.of("agieval", "arc-c", "arc-e", "mmlu", "gsm8k", "math", "humaneval", "mbpp", "mgsm");

  @Test
  public void suggestsTheNearestNameForATypo() {
    assertEquals(Suggestions.closest("gsm8", BENCHMARKS), Optional.of("gsm8k"));
    assertEquals(Suggestions.closest("mmmu", BENCHMARKS), Optional.of("mmlu"));
    assertEquals(Suggestions.closest("humanevla", BENCHMARKS), Optional.of("humaneval"));
    assertEquals(
        Suggestions.closest("gpt-fathm", List.of("cot-off", "gpt-fathom")),
        Optional.of("gpt-fathom"));
  }

  @Test
  public void caseAloneIsTheNearestThereIs() {
    assertEquals(Suggestions.closest("GSM8K", BENCHMARKS), Optional.of("gsm8k"));
  }

  @Test
  public void aPrefixOfThreeOrMoreCharactersFindsItsName() {
    assertEquals(Suggestions.closest("human", BENCHMARKS), Optional.of("humaneval"));
  }

  @Test
  public void offersNothingForAWildGuessOrAShortName() {
    assertEquals(Suggestions.closest("winogrande", BENCHMARKS), Optional.empty());
    // One letter off a one-letter name is any name: no hint.
    assertEquals(Suggestions.closest("c", List.of("a", "b")), Optional.empty());
    assertEquals(Suggestions.didYouMean("winogrande", BENCHMARKS), "");
  }

  @Test
  public void ofEquallyNearNamesTheFirstWins() {
    assertEquals(Suggestions.closest("arc-x", BENCHMARKS), Optional.of("arc-c"));
    assertEquals(Suggestions.closest("sim-v3", List.of("sim-v1", "sim-v2")), Optional.of("sim-v1"));
  }

  @Test
  public void didYouMeanFollowsTheQuotedName() {
    assertEquals(Suggestions.didYouMean("gsm8", BENCHMARKS), " (did you mean gsm8k?)");
  }

  @Test
  public void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertEquals(Suggestions.distance("", "abc"), 3);
    assertEquals(Suggestions.distance("kitten", "sitting"), 3);
    assertEquals(Suggestions.distance("gsm8k", "gsm8k"), 0);
    assertEquals(Suggestions.distance("flaw", "lawn"), 2);
  }
}
