package io.leadline.api;

/**
 * Whose fault an error is; decides the process exit code and how the CLI words the message.
 *
 * <p>Exit codes follow the CLI contract: 2 for bad usage or input, 1 for everything else.
 */
public enum ErrorKind {
  /** A command-line argument, configuration file or input row is wrong: the user can fix it. */
  USER_INPUT(2),
  /** A dataset row or a cached file is missing, malformed or inconsistent. */
  DATA(2),
  /** A model endpoint or another remote service failed or refused. */
  PROVIDER(1),
  /** The machine failed the run, not its input: a full disk, for instance. */
  ENVIRONMENT(1),
  /** A bug in Leadline itself. */
  INTERNAL(1);

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The process exit code the CLI uses for this kind of error. */
  public int exitCode() {
    return exitCode;
  }
}
