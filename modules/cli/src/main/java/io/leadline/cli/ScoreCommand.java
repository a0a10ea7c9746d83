package io.leadline.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code leadline score KIND --input F [--output F] [--workers N] [--unsafe-no-sandbox]}: the
 * scorers over a JSONL file, and for the kinds that run code, the code sandbox.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score JSONL rows with the reference scorers and write them back with the computed fields.",
      "Each row gets the golden file's expected_* fields without the prefix (pass_at_k for"
          + " passk), plus GPT-Fathom's convention in fields starting gpt_fathom.",
      "mbpp_exec runs each row's programs in the code sandbox, as exec does: GPT-Fathom's"
          + " (completion + first assert, fields *_first_test) and the usual MBPP one (completion"
          + " + test_imports + every assert, fields *_all_tests); --workers and"
          + " --unsafe-no-sandbox apply to it only."
    })
final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      completionCandidates = KindNames.class,
      description = "What the rows hold: ${COMPLETION-CANDIDATES}.")
  String kind;

  @Mixin JsonLinesFiles files;

  @Mixin SandboxFlags sandbox;

  @Override
  public Integer call() {
    Optional<ExecutionKind> executed = ExecutionKind.named(kind);
    if (executed.isPresent()) {
      return execute(executed.get());
    }
    ScoreKind scoreKind = parseKind(kind);
    ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed.hasMatchedOption("--workers") || parsed.hasMatchedOption("--unsafe-no-sandbox")) {
      throw LeadlineException.userInput(
          "--workers and --unsafe-no-sandbox: only for the kinds that run code (%s), not %s",
          names(Arrays.stream(ExecutionKind.values()).map(ExecutionKind::cliName)), kind);
    }
    JsonLines.writeAtomically(
        files.output,
        spec.commandLine().getOut(),
        out -> {
          try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
            generator.setRootValueSeparator(null);
            JsonLines.read("--input", files.input, row -> writeScored(scoreKind, row, generator));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return 0;
  }

  /** Every row is checked before anything runs; then all rows' programs run at once. */
  private int execute(ExecutionKind executionKind) {
    sandbox.check();
    List<SandboxedRows.Row> rows = new ArrayList<>();
    JsonLines.read(
        "--input",
        files.input,
        row -> {
          try {
            rows.add(executionKind.parse(row.json()));
          } catch (Rows.BadField e) {
            throw row.error(e.getMessage());
          }
        });
    SandboxedRows.run(
        rows,
        sandbox.options(spec.commandLine().getErr()),
        files,
        spec.commandLine().getOut(),
        executionKind::write);
    return 0;
  }

  private static void writeScored(ScoreKind kind, JsonLines.Row row, JsonGenerator generator) {
    Object parsed;
    try {
      parsed = kind.parse(row.json());
    } catch (Rows.BadField e) {
      throw row.error(e.getMessage());
    }
    kind.write(kind.compute(parsed), row.json());
    try {
      generator.writeTree(row.json());
      generator.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ScoreKind parseKind(String name) {
    for (ScoreKind candidate : ScoreKind.values()) {
      if (candidate.cliName().equals(name)) {
        return candidate;
      }
    }
    throw LeadlineException.userInput("KIND: unknown '%s'; known: %s", name, names(kindNames()));
  }

  /** The scorers' names, then the names of the kinds that run code. */
  private static Stream<String> kindNames() {
    return Stream.concat(
        Arrays.stream(ScoreKind.values()).map(ScoreKind::cliName),
        Arrays.stream(ExecutionKind.values()).map(ExecutionKind::cliName));
  }

  private static String names(Stream<String> names) {
    return names.collect(Collectors.joining(", "));
  }

  /** The KIND names for help and shell completion. */
  static final class KindNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return kindNames().iterator();
    }
  }
}
