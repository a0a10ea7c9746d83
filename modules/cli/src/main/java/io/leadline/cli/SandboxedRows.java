package io.leadline.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import io.leadline.sandbox.CodeExecutor;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Limits;
import io.leadline.sandbox.SandboxOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * JSONL rows judged by running their programs in the code sandbox: every program of every row is
 * submitted before the first verdict is awaited, so they share all workers, and the rows are
 * written back in input order with their verdicts, all or nothing.
 */
final class SandboxedRows {
  private SandboxedRows() {}

  /** One input row and the programs it runs, each with {@code timeout} seconds. */
  record Row(ObjectNode json, List<String> programs, double timeout) {
    Row {
      requireNonNull(json, "json is null");
      programs = List.copyOf(programs);
    }
  }

  /**
   * Runs the programs of {@code rows} with {@code options} and writes each row, after {@code
   * addVerdicts} has added its programs' verdicts (in the order of {@link Row#programs}) to it.
   */
  static void run(
      List<Row> rows,
      SandboxOptions options,
      JsonLinesFiles files,
      PrintWriter stdout,
      BiConsumer<List<ExecResult>, ObjectNode> addVerdicts) {
    try (CodeExecutor executor = CodeExecutor.start(options)) {
      List<List<CompletableFuture<ExecResult>>> verdicts = new ArrayList<>(rows.size());
      for (Row row : rows) {
        List<CompletableFuture<ExecResult>> ofRow = new ArrayList<>(row.programs().size());
        for (String program : row.programs()) {
          ofRow.add(executor.submit(program, row.timeout(), Limits.DEFAULT));
        }
        verdicts.add(ofRow);
      }
      JsonLines.writeAtomically(
          files.output,
          stdout,
          out -> {
            try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
              generator.setRootValueSeparator(null);
              for (int i = 0; i < rows.size(); i++) {
                ObjectNode row = rows.get(i).json();
                addVerdicts.accept(verdicts.get(i).stream().map(SandboxedRows::join).toList(), row);
                generator.writeTree(row);
                generator.writeRaw('\n');
                generator.flush();
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  private static ExecResult join(CompletableFuture<ExecResult> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof LeadlineException l ? l : e;
    }
  }
}
