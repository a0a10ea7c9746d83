package io.leadline.api;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.util.Optional;
import org.testng.annotations.Test;

public class ExtractionTest {
  @Test
  public void answerKeepsItsTextEvenWhenEmpty() {
    Extraction answer = Extraction.answer("");
    assertEquals(answer.answer(), Optional.of(""));
    assertEquals(answer.orElse("[invalid]"), "");
  }

  @Test
  public void noAnswerGivesTheSentinelOnlyWhenAsked() {
    Extraction none = Extraction.noAnswer("no '#### N' line");
    assertTrue(none.answer().isEmpty());
    assertEquals(none.orElse("[invalid]"), "[invalid]");
    assertEquals(((Extraction.NoAnswer) none).reason(), "no '#### N' line");
  }

  @Test
  public void nullsAreRejected() {
    assertThrows(NullPointerException.class, () -> Extraction.answer(null));
    assertThrows(NullPointerException.class, () -> Extraction.noAnswer(null));
  }
}
