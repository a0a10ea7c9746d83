package io.leadline.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --input F [--output F]} pair of the commands that add fields to JSONL rows. */
final class JsonLinesFiles {
  @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSONL input.")
  Path input;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Where to write JSONL (default: standard output). Written only when complete.")
  Path output;
}
