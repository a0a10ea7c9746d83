package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.api.Choice;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class ReasoningTest {
  @DataProvider
  public Object[][] texts() {
    return new Object[][] {
      {"The answer is 4.", "The answer is 4.", ""},
      {"<think>2+2</think>\n\nThe answer is 4.", "The answer is 4.", "2+2"},
      {"a <think>x</think>b<think>y</think> c", "a b c", "x\ny"},
      {"<think>still thinking when max_tokens hit", "", "still thinking when max_tokens hit"},
      {
        "opened by the template</think>\nThe answer is 4.",
        "The answer is 4.",
        "opened by the template"
      },
    };
  }

  @Test(dataProvider = "texts")
  public void removesThinkBlocksBeforeExtraction(String text, String answer, String reasoning) {
    Reasoning.Split split = Reasoning.split(text);
    assertEquals(split.answer(), answer);
    assertEquals(split.reasoning(), reasoning);
  }

  @Test
  public void removesTheBlocksOfAModelsOwnTags() {
    RequestOptions.ReasoningTags tags =
        new RequestOptions.ReasoningTags("<reasoning>", "</reasoning>");
    Reasoning.Split split =
        Reasoning.split("<reasoning>maybe 5</reasoning>The answer is 4. <think>kept</think>", tags);
    assertEquals(split.answer(), "The answer is 4. <think>kept</think>");
    assertEquals(split.reasoning(), "maybe 5");
    Reasoning.Split open = Reasoning.split("<reasoning>The answer is 5, or", tags);
    assertEquals(open.answer(), "");
    assertEquals(open.reasoning(), "The answer is 5, or");
  }

  @Test
  public void aBlockTheChatTemplateOpenedRunsFromTheStart() {
    RequestOptions.ReasoningTags opened = new RequestOptions.ReasoningTags("", "</think>");
    Reasoning.Split closed = Reasoning.split("maybe 5\n</think>\n\nThe answer is 4.", opened);
    assertEquals(closed.answer(), "The answer is 4.");
    assertEquals(closed.reasoning(), "maybe 5");
    // Cut off before the closing tag: all of it is reasoning, none of it an answer.
    Reasoning.Split cut = Reasoning.split("The answer is 5? Let me check", opened);
    assertEquals(cut.answer(), "");
    assertEquals(cut.reasoning(), "The answer is 5? Let me check");
  }

  @Test
  public void aChoiceCutOffInsideItsReasoningHasNoAnswer() {
    assertTrue(new Choice("", "<think>so", "so", "length", true).reasoningTruncated());
    assertTrue(new Choice(" ", "", "so", "length", true).reasoningTruncated());
    // Cut off in the answer, after the reasoning: graded on what there is.
    assertFalse(new Choice("The answer", "", "so", "length", true).reasoningTruncated());
    // Not cut off: an empty answer is the model's.
    assertFalse(new Choice("", "", "so", "stop", false).reasoningTruncated());
    // Cut off without reasoning: an ordinary truncated answer.
    assertFalse(new Choice("", "", "", "length", true).reasoningTruncated());
  }

  @Test
  public void cutsAtTheEarliestStopSequence() {
    assertEquals(
        Reasoning.cutAtStop("    return 1\n\ndef g():\nprint", List.of("\nprint", "\ndef")),
        "    return 1\n");
    assertEquals(Reasoning.cutAtStop("no stop here", List.of("\nclass")), "no stop here");
  }
}
