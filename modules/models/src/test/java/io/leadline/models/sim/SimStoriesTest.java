package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** How a simulated snapshot continues a TinyStories beginning. */
public class SimStoriesTest {
  private static final List<String> BEGINNINGS = JudgeFixtures.BEGINNINGS;
  private static final SimAnswerKey KEY = JudgeFixtures.storyKey(BEGINNINGS);
  private static final SimProfile V1 = JudgeFixtures.profile("sim-v1");
  private static final SimProfile V2 = JudgeFixtures.profile("sim-v2");

  private static String ending(SimProfile profile, String beginning, long sample, double t) {
    return new SimResponder(profile, KEY).respond(beginning, false, sample, t);
  }

  @Test
  public void anEndingIsTheSameEveryTimeAndVariesOnlyWhenSampled() {
    for (String beginning : BEGINNINGS) {
      String greedy = ending(V1, beginning, 0, 0);
      assertEquals(ending(V1, beginning, 7, 0), greedy, "greedy ignores the sample index");
      assertEquals(
          new SimResponder(V1, JudgeFixtures.storyKey(BEGINNINGS)).respond(beginning, true, 0, 0),
          greedy,
          "a new responder, and chat, write the same");
      assertEquals(ending(V1, beginning, 3, 0.8), ending(V1, beginning, 3, 0.8));
      assertNotEquals(ending(V1, beginning, 3, 0.8), ending(V1, beginning, 4, 0.8));
      assertNotEquals(ending(V2, beginning, 0, 0), greedy, "another snapshot writes another");
    }
    // Pinned: the same inputs give the same bytes on any machine.
    assertEquals(
        ending(V1, BEGINNINGS.get(0), 0, 0),
        " go and see. Lily went to the river with her mom. She held the boat and she was happy."
            + " She kicked the green ball in the forest. Lily hugged the hat and she was happy."
            + " she hugged the soft ball in the forest.");
  }

  @Test
  public void finishesTheSplitSentenceFirst() {
    Map<Integer, String> firstSentence =
        Map.of(
            0, "^ [a-z][a-z ]*\\.", // She wanted to| catch it.
            1, "^ [a-z][a-z ]*\\.", // she could| not move.
            2, "^[A-Z][a-z ,]*!\"", // shouted out, "|Help me, please!"
            3, "^ \"[A-Z][a-z ,]*!\"", // She said,| "Look at this!"
            4, "^ [a-z][a-z ]*\\.", // Sue was sad and| she smiled.
            5, "^ [a-z][a-z ]*\\."); // saw a| shiny ball.
    for (Map.Entry<Integer, String> entry : firstSentence.entrySet()) {
      String beginning = BEGINNINGS.get(entry.getKey());
      for (SimProfile profile : List.of(V1, V2)) {
        for (int sample = 0; sample < 10; sample++) {
          String ending = ending(profile, beginning, sample, 1.0);
          assertTrue(
              java.util.regex.Pattern.compile(entry.getValue()).matcher(ending).find(),
              beginning + "|" + ending);
        }
      }
    }
    // A beginning that ends its sentence is followed by a new one.
    String whole = "Once upon a time, there was a girl named Mia. She had a red kite.";
    SimAnswerKey key = JudgeFixtures.storyKey(List.of(whole));
    String ending = new SimResponder(V1, key).respond(whole, false, 0, 0);
    assertTrue(ending.matches("^ [A-Z].*"), ending);
    assertFalse(SimStories.endsMidSentence(whole));
    assertTrue(SimStories.endsMidSentence("\"Let's go,\""));
    assertFalse(SimStories.endsMidSentence("\"Let's go!\""));
  }

  @Test
  public void writesAboutTheBeginningsMainCharacter() {
    assertEquals(SimStories.protagonist(BEGINNINGS.get(0)).name(), "Lily");
    assertEquals(SimStories.protagonist(BEGINNINGS.get(1)).name(), "Tweet");
    assertEquals(SimStories.protagonist(BEGINNINGS.get(2)).name(), "Ben", "twice, first words");
    assertEquals(SimStories.protagonist(BEGINNINGS.get(3)).name(), "Tim");
    assertEquals(SimStories.protagonist(BEGINNINGS.get(4)).name(), "Tom");
    assertEquals(
        SimStories.protagonist(BEGINNINGS.get(4)).pronoun(),
        SimStories.Pronoun.HE,
        "as many hes as shes: the one after Tom");
    assertEquals(SimStories.protagonist(BEGINNINGS.get(5)).name(), "the cat");
    assertEquals(
        SimStories.protagonist("Sara had a new doll. She took it to the park.").name(), "Sara");
    assertEquals(
        SimStories.protagonist("One day, a girl went out. She saw a bird.").name(),
        "the little girl");
    List<String> names = List.of("Lily", "Tweet", "Ben", "Tim", "Tom", "The cat");
    for (int i = 0; i < BEGINNINGS.size(); i++) {
      for (SimProfile profile : List.of(V1, V2)) {
        String ending = ending(profile, BEGINNINGS.get(i), 0, 0);
        assertTrue(ending.contains(names.get(i)), ending);
        for (String other : names) {
          assertTrue(other.equals(names.get(i)) || !ending.contains(other), ending);
        }
      }
    }
  }

  @Test
  public void slipsAreAsManyAsTheProfileSaysAndTheJudgeSeesEach() {
    List<String> beginnings = JudgeFixtures.manyBeginnings(300);
    for (double rate : new double[] {0.0, 0.25, 0.6}) {
      SimProfile.Stories stories = new SimProfile.Stories(5, rate, 0.5);
      int slips = 0;
      int sentences = 0;
      for (String beginning : beginnings) {
        SimStories.Story story = SimStories.write(stories, 1, beginning, beginning);
        SimJudge.Quality quality = SimJudge.quality(beginning, story.text());
        assertEquals(quality.slips(), story.slips(), story.text());
        assertEquals(quality.sentences(), story.sentences(), story.text());
        slips += story.slips();
        sentences += stories.sentences();
      }
      double share = slips / (double) sentences;
      assertTrue(Math.abs(share - rate) < 0.04, rate + ": " + share);
    }
  }

  @Test
  public void varietyIsTheShareOfDistinctWords() {
    List<String> beginnings = JudgeFixtures.manyBeginnings(100);
    double previous = 0;
    for (double variety : new double[] {0.0, 0.5, 1.0}) {
      double creativity = 0;
      for (String beginning : beginnings) {
        String text =
            SimStories.write(new SimProfile.Stories(6, 0, variety), 2, beginning, beginning).text();
        creativity += SimJudge.quality(beginning, text).creativity();
      }
      creativity /= beginnings.size();
      assertTrue(creativity > previous + 0.05, variety + ": " + creativity);
      previous = creativity;
    }
  }

  @Test
  public void endingsStayWellUnderThreeHundredTokens() {
    SimProfile.Stories longest = new SimProfile.Stories(SimProfile.Stories.MAX_SENTENCES, 1.0, 1.0);
    for (String beginning : JudgeFixtures.manyBeginnings(200)) {
      String text = SimStories.write(longest, 5, beginning, beginning).text();
      assertTrue(SimAnswerKey.words(text).size() < 200, text);
      assertTrue(text.length() / 4 < 300, text);
    }
  }

  @Test
  public void otherItemsAreAnsweredAsBefore() {
    SimAnswerKey key =
        SimAnswerKey.builder()
            .add("tinystories", "default", JudgeFixtures.stories(BEGINNINGS))
            .add(
                "triviaqa",
                "rc",
                List.of(
                    new SimItem.Draft(
                        SimItem.Style.TEXT,
                        java.util.Optional.of("q1"),
                        "Which planet is known as the Red Planet?",
                        "Mars",
                        -1,
                        "",
                        List.of())))
            .judgeTemplate(JudgeFixtures.GPT_EVAL)
            .build();
    SimItem story = key.items().get(0);
    assertEquals(story.style(), SimItem.Style.STORY);
    assertEquals(story.gold(), "");
    assertEquals(story.wrong(), "");
    assertEquals(
        key.find("Q: Which planet is known as the Red Planet?\nA:").orElseThrow().key(),
        "triviaqa/rc/q1");
    SimProfile always = SimServerTest.profile("default: 1.0", "");
    assertEquals(
        new SimResponder(always, key)
            .respond("Q: Which planet is known as the Red Planet?\nA:", true, 0, 0),
        "Mars");
  }
}
