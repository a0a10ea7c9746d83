package io.leadline.cli;

import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

/** Issue 26: which recorded errors a rerun may mend, from the model client's own reason. */
public class SweepFailuresTest {
  @Test
  public void rejectedAndOutOfContextAreNeverTransient() {
    assertFalse(
        SweepFailures.isTransient(
            "rejected: model m: HTTP 400 from h: Field 'n': Value must be between 1 <= value <= 2"));
    assertFalse(
        SweepFailures.isTransient(
            "out_of_context: model m: the prompt has 3000 tokens, the context holds 2048"));
    assertFalse(SweepFailures.isTransient("model_unavailable: model m: HTTP 401 from h"));
    assertTrue(SweepFailures.isTransient("gave_up: model m: gave up after 8 attempts"));
    assertTrue(SweepFailures.isTransient("not_sent: model m: interrupted"));
  }
}
