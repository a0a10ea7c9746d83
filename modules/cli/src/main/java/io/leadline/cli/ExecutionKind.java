package io.leadline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Programs;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds {@code leadline score} judges by running programs in the code sandbox, one per golden
 * execution file. Each builds a row's programs from its fields ({@link #parse}); the command runs
 * the programs of all rows at once and {@link #write} adds their verdicts to the row under the
 * golden file's {@code expected_*} names without the prefix. Unlike a {@link ScoreKind}, nothing is
 * computed in process, so these are not among the scorers {@code bench scoring} times.
 */
enum ExecutionKind {
  /**
   * MBPP rows ({@code completion}, {@code test_list}, {@code test_imports}, optional {@code
   * timeout}): GPT-Fathom's first-assert program and the usual all-asserts one.
   */
  MBPP_EXEC {
    @Override
    SandboxedRows.Row parse(ObjectNode row) {
      String completion = Rows.string(row, "completion");
      List<String> testList = Rows.strings(row, "test_list");
      if (testList.isEmpty()) {
        throw new Rows.BadField("test_list", "a non-empty list of asserts, found []");
      }
      List<String> testImports = Rows.strings(row, "test_imports");
      return new SandboxedRows.Row(
          row,
          List.of(
              Programs.mbppFirstTest(completion, testList),
              Programs.mbppAllTests(completion, testImports, testList)),
          Rows.seconds(row, "timeout", ExecCommand.DEFAULT_TIMEOUT));
    }

    @Override
    void write(List<ExecResult> verdicts, ObjectNode row) {
      putVerdict(row, "_first_test", verdicts.get(0));
      putVerdict(row, "_all_tests", verdicts.get(1));
    }
  };

  /** Reads and validates a row's fields and builds its programs; nothing runs yet. */
  abstract SandboxedRows.Row parse(ObjectNode row);

  /** Adds the verdicts of the programs {@link #parse} built, in that order, to the row. */
  abstract void write(List<ExecResult> verdicts, ObjectNode row);

  /** The name used on the command line and for the golden file. */
  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<ExecutionKind> named(String name) {
    return Arrays.stream(values()).filter(kind -> kind.cliName().equals(name)).findFirst();
  }

  private static void putVerdict(ObjectNode row, String suffix, ExecResult verdict) {
    row.put("passed" + suffix, verdict.passed());
    row.put("result" + suffix, verdict.result());
    row.put("status" + suffix, verdict.status());
  }
}
