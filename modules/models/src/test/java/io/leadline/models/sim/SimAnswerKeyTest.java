package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;

import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

/** Which item a prompt is about when it shows more than one whole. */
public class SimAnswerKeyTest {
  private static SimItem.Draft option(String question, List<String> choices, int gold) {
    return new SimItem.Draft(
        SimItem.Style.OPTION, Optional.empty(), question, choices.get(gold), gold, "", choices);
  }

  private static SimItem.Draft text(String question, String gold) {
    return new SimItem.Draft(
        SimItem.Style.BOXED, Optional.empty(), question, gold, -1, "", List.of());
  }

  /**
   * Another benchmark's longer item in an exemplar does not win over the item whose options follow.
   */
  @Test
  public void theItemWhoseOptionsFollowItIsAsked() {
    SimAnswerKey key =
        SimAnswerKey.builder()
            .add(
                "math",
                "default",
                List.of(
                    text(
                        "Simplify and write the result with a rational denominator of the nested"
                            + " square roots of one over seven hundred and twenty nine",
                        "3")))
            .add(
                "mmlu",
                "high_school_mathematics",
                List.of(
                    option("What is the value of the sum here", List.of("two", "five", "nine"), 1)))
            .build();
    String prompt =
        "Q: Simplify and write the result with a rational denominator of the nested square roots"
            + " of one over seven hundred and twenty nine\n(A) 3\n(B) 9\nA: (A) 3\n\n"
            + "Q: What is the value of the sum here\n\n(A) nine\n(B) two\n(C) five\nA: ";
    assertEquals(key.find(prompt).orElseThrow().benchmark(), "mmlu");
  }

  /** Of two items of a benchmark whose exemplars are items (RACE), the later one is asked. */
  @Test
  public void ofTwoItemsWhereExemplarsAreItemsTheLaterIsAsked() {
    List<SimItem.Draft> rows =
        List.of(
            option(
                "A long passage about the prom and where it comes from in schools\nQ: Where did it"
                    + " start according to the passage",
                List.of("Canada", "America"),
                1),
            option("A short passage about a cow\nQ: What did she do", List.of("ran", "sat"), 0));
    String prompt =
        "Passage: A long passage about the prom and where it comes from in schools\nQ: Where did it"
            + " start according to the passage\n(A) Canada\n(B) America\nA: (B) America\n\n\n\n"
            + "Passage: A short passage about a cow\nQ: What did she do(A) ran\n(B) sat\nA: ";
    SimAnswerKey race =
        SimAnswerKey.builder().add("race-m", "middle", rows).itemsAsExemplars("race-m").build();
    assertEquals(race.find(prompt).orElseThrow().gold(), "ran");
    // Without the mark, the longer text wins, as for exemplars from elsewhere.
    SimAnswerKey other = SimAnswerKey.builder().add("race-m", "middle", rows).build();
    assertEquals(other.find(prompt).orElseThrow().gold(), "America");
  }

  /** A story's empty gold, and empty golds of other styles, still make a key and wrong answers. */
  @Test
  public void emptyGoldsMakeItemsToo() {
    List<SimItem.Draft> stories =
        List.of(
            new SimItem.Draft(
                SimItem.Style.STORY,
                Optional.empty(),
                "Once upon a time, there was a little girl named Lily. She wanted to",
                "",
                -1,
                "",
                List.of()),
            new SimItem.Draft(
                SimItem.Style.STORY,
                Optional.empty(),
                "Tom had a red kite. One day, the wind took it and",
                "",
                -1,
                "",
                List.of()));
    SimAnswerKey.Builder builder = SimAnswerKey.builder().add("tinystories", "default", stories);
    for (SimItem.Style style :
        List.of(
            SimItem.Style.MATH,
            SimItem.Style.BOXED,
            SimItem.Style.BBH,
            SimItem.Style.SPAN,
            SimItem.Style.TEXT)) {
      builder.add(
          style.name().toLowerCase(java.util.Locale.ROOT),
          "default",
          List.of(
              new SimItem.Draft(
                  style, Optional.empty(), "A question of style " + style, "", -1, "", List.of()),
              new SimItem.Draft(
                  style,
                  Optional.empty(),
                  "Another question, also " + style,
                  "",
                  -1,
                  "",
                  List.of())));
    }
    SimAnswerKey key = builder.build();
    SimItem story = key.find("Tom had a red kite. One day, the wind took it and").orElseThrow();
    assertEquals(story.key(), "tinystories/default/1");
    assertEquals(story.style(), SimItem.Style.STORY);
    assertEquals(story.gold(), "");
    assertEquals(story.wrong(), "");
    for (SimItem item : key.items()) {
      if (item.style() != SimItem.Style.STORY) {
        org.testng.Assert.assertNotEquals(item.wrong(), item.gold(), item.key());
      }
    }
  }
}
