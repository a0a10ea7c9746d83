package io.leadline.engine;

import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.io.IOException;

/** Write failures in words a user can act on; a full disk is told apart from a refusal. */
final class Disk {
  private Disk() {}

  /**
   * The error for {@code e}, raised writing {@code path}: "no space left on device writing …" (exit
   * 1) when the disk is full, else {@code what} with the filesystem's reason (exit 2).
   */
  static LeadlineException writeFailure(String path, IOException e, String what) {
    if (isFull(e)) {
      return full(path);
    }
    return LeadlineException.userInput("%s: %s (%s)", path, what, e.getMessage());
  }

  static LeadlineException full(String path) {
    return new LeadlineException(
        ErrorKind.ENVIRONMENT,
        String.format(
            "no space left on device writing %s; what was stored before is kept: free some space"
                + " and rerun the same command to resume",
            path));
  }

  /** Whether {@code e}, or one of its causes, is the operating system's ENOSPC or EDQUOT. */
  static boolean isFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
        return true;
      }
    }
    return false;
  }
}
