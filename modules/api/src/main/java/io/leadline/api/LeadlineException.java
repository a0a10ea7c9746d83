package io.leadline.api;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type Leadline throws on purpose: a kind that says whose fault it is, and a
 * one-line message a user can act on (it names the file, field or flag and what was expected).
 *
 * <p>Per-sample failures (a timeout, a refusal, unparseable output) are recorded, never thrown.
 */
public final class LeadlineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  public LeadlineException(ErrorKind kind, String message) {
    super(requireNonNull(message, "message is null"));
    this.kind = requireNonNull(kind, "kind is null");
  }

  public LeadlineException(ErrorKind kind, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.kind = requireNonNull(kind, "kind is null");
  }

  /** A {@link ErrorKind#USER_INPUT} error with a {@link String#format} message. */
  public static LeadlineException userInput(String format, Object... args) {
    return new LeadlineException(ErrorKind.USER_INPUT, String.format(format, args));
  }

  /** A {@link ErrorKind#DATA} error with a {@link String#format} message. */
  public static LeadlineException data(String format, Object... args) {
    return new LeadlineException(ErrorKind.DATA, String.format(format, args));
  }

  public ErrorKind kind() {
    return kind;
  }
}
