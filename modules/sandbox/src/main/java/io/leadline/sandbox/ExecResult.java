package io.leadline.sandbox;

import static java.util.Objects.requireNonNull;

/**
 * A candidate's verdict in the reference's words.
 *
 * @param status {@code passed}, {@code timed out} or {@code failed}
 * @param result {@code passed}, {@code timed out} or {@code failed: <str(exception)>}
 * @param output what the candidate printed, up to the output bound
 * @param seconds time the worker spent on it
 */
public record ExecResult(String status, String result, String output, double seconds) {
  public ExecResult {
    requireNonNull(status, "status is null");
    requireNonNull(result, "result is null");
    requireNonNull(output, "output is null");
  }

  static ExecResult of(String result, String output, double seconds) {
    String status = result.equals("passed") || result.equals("timed out") ? result : "failed";
    return new ExecResult(status, result, output, seconds);
  }

  public boolean passed() {
    return status.equals("passed");
  }
}
