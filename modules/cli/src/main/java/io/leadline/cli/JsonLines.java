package io.leadline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** Reading JSONL with line numbers in every error, and writing output all or nothing. */
final class JsonLines {
  private JsonLines() {}

  /** One parsed row and where it came from. */
  record Row(Path file, int line, ObjectNode json) {
    /** A one-line error naming the file, line and problem. */
    LeadlineException error(String problem) {
      return LeadlineException.userInput("%s:%d: %s", file, line, problem);
    }
  }

  /**
   * Calls {@code consumer} with every non-blank line of {@code file} as a JSON object, in order.
   *
   * @throws LeadlineException naming the file and line for unreadable or non-object lines
   */
  static void read(String flag, Path file, Consumer<Row> consumer) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
          throw LeadlineException.userInput(
              "%s:%d: not valid JSON (%s)", file, line, e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
          throw LeadlineException.userInput(
              "%s:%d: expected a JSON object, found %s", file, line, node.getNodeType());
        }
        consumer.accept(new Row(file, line, object));
      }
    } catch (NoSuchFileException e) {
      throw LeadlineException.userInput("%s: no such file: %s", flag, file);
    } catch (CharacterCodingException e) {
      throw LeadlineException.userInput("%s: not UTF-8 text", file);
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot read (%s)", file, e.getMessage());
    }
  }

  /**
   * Writes through {@code writer} into a temporary file beside {@code output} and moves it into
   * place only when {@code writer} returns, so a failure leaves {@code output} as it was. With no
   * output path, the result goes to {@code stdout} as UTF-8 text, also only once complete.
   */
  static void writeAtomically(Path output, Writer stdout, Consumer<OutputStream> writer) {
    Path directory = output == null ? null : output.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      temporary =
          directory == null
              ? Files.createTempFile("leadline-", ".jsonl")
              : Files.createTempFile(directory, "." + output.getFileName() + "-", ".tmp");
      try (OutputStream out = Files.newOutputStream(temporary)) {
        writer.accept(out);
      }
      if (output == null) {
        try (Reader reader = Files.newBufferedReader(temporary, StandardCharsets.UTF_8)) {
          reader.transferTo(stdout);
        }
        stdout.flush();
      } else {
        move(temporary, output);
        temporary = null;
      }
    } catch (NoSuchFileException e) {
      throw LeadlineException.userInput("--output: no such directory: %s", directory);
    } catch (IOException | UncheckedIOException e) {
      throw LeadlineException.userInput("--output: cannot write %s (%s)", output, e.getMessage());
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // Best effort: a leftover temporary file never stands in for the output.
        }
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
