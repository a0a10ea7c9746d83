package io.leadline.api;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

public class LeadlineExceptionTest {
  @Test
  public void userAndDataErrorsExitWithTwoOthersWithOne() {
    assertEquals(ErrorKind.USER_INPUT.exitCode(), 2);
    assertEquals(ErrorKind.DATA.exitCode(), 2);
    assertEquals(ErrorKind.PROVIDER.exitCode(), 1);
    assertEquals(ErrorKind.INTERNAL.exitCode(), 1);
  }

  @Test
  public void factoriesFormatTheMessageAndSetTheKind() {
    LeadlineException e = LeadlineException.userInput("%s:%d: bad", "f.jsonl", 3);
    assertEquals(e.getMessage(), "f.jsonl:3: bad");
    assertEquals(e.kind(), ErrorKind.USER_INPUT);
    assertEquals(LeadlineException.data("x").kind(), ErrorKind.DATA);
  }
}
