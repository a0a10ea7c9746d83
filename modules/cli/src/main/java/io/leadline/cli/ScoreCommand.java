package io.leadline.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline score KIND --input F [--output F]}: the scorers over a JSONL file. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score JSONL rows with the reference scorers and write them back with the computed fields.",
      "Each row gets the golden file's expected_* fields without the prefix (pass_at_k for"
          + " passk), plus GPT-Fathom's convention in fields starting gpt_fathom."
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

  @Override
  public Integer call() {
    ScoreKind scoreKind = parseKind(kind);
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
    throw LeadlineException.userInput("KIND: unknown '%s'; known: %s", name, ScoreKind.names());
  }

  /** The KIND names for help and shell completion. */
  static final class KindNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(ScoreKind.values()).map(ScoreKind::cliName).iterator();
    }
  }
}
