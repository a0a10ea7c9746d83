package io.leadline.models;

import static org.testng.Assert.assertEquals;

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
  public void cutsAtTheEarliestStopSequence() {
    assertEquals(
        Reasoning.cutAtStop("    return 1\n\ndef g():\nprint", List.of("\nprint", "\ndef")),
        "    return 1\n");
    assertEquals(Reasoning.cutAtStop("no stop here", List.of("\nclass")), "no stop here");
  }
}
