package io.leadline.cli;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The {@code --format md|json|html [--out F]} pair of the commands that write a report. */
final class FormattedOutput {
  @Option(
      names = "--format",
      defaultValue = "md",
      paramLabel = "md|json|html",
      description = "Output format (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of stdout.")
  Path out;

  /** Fails with one line unless {@code --format} is one of the three. */
  void check() {
    if (!List.of("md", "json", "html").contains(format)) {
      throw LeadlineException.userInput("--format: expected md, json or html, got '%s'", format);
    }
    // Checked before the runs are read, so that a slow diff does not fail at its last step.
    if (out != null) {
      if (Files.isDirectory(out)) {
        throw LeadlineException.userInput(
            "--out: %s is a folder; expected the path of a file to write", out);
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw LeadlineException.userInput(
            "--out: the folder %s does not exist; create it or choose another path", parent);
      }
    }
  }

  /** Writes the rendering {@code --format} asks for to {@code --out}, or to {@code stdout}. */
  void write(
      PrintWriter stdout, Supplier<String> markdown, Supplier<String> json, Supplier<String> html)
      throws IOException {
    String text =
        switch (format) {
          case "json" -> json.get();
          case "html" -> html.get();
          default -> markdown.get();
        };
    if (out != null) {
      try {
        Files.writeString(out, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw LeadlineException.userInput("--out: cannot write %s (%s)", out, e.getMessage());
      }
    } else {
      stdout.print(text);
      stdout.flush();
    }
  }
}
