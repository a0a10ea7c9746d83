package io.leadline.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The simulator's answer key over the checkout's bundled samples (the evaluated splits). */
public final class BundledKeys {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Tests run in the module folder; the samples are at the checkout's top. */
  public static final Path BENCHMARKS = Path.of("../../benchmarks");

  private BundledKeys() {}

  public static SimAnswerKey bundled() {
    return bundled(Set.of("gsm8k", "mmlu", "humaneval", "drop", "triviaqa", "bbh"));
  }

  public static SimAnswerKey bundled(Set<String> benchmarks) {
    SimAnswerKey.Builder builder = SimAnswerKey.builder();
    try {
      for (String benchmark : List.of("gsm8k", "mmlu", "humaneval", "drop", "triviaqa", "bbh")) {
        if (!benchmarks.contains(benchmark)) {
          continue;
        }
        Path data = BENCHMARKS.resolve(benchmark).resolve("data");
        for (JsonNode sample :
            MAPPER.readTree(data.resolve("samples.json").toFile()).get("samples")) {
          String split = sample.get("split").asText();
          if (!split.equals("test") && !split.equals("validation")) {
            continue;
          }
          builder.add(
              benchmark,
              sample.get("config").asText(),
              rows(data.resolve(sample.get("file").asText())),
              sample.get("file").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return builder.build();
  }

  public static List<JsonNode> rows(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(MAPPER.readTree(line));
    }
    return rows;
  }
}
