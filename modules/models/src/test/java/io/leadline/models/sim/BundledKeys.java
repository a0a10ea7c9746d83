package io.leadline.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
          List<SimItem.Draft> drafts = new ArrayList<>();
          for (JsonNode row : rows(data.resolve(sample.get("file").asText()))) {
            drafts.add(draft(benchmark, row));
          }
          builder.add(benchmark, sample.get("config").asText(), drafts);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return builder.build();
  }

  /**
   * What the benchmarks' format adapters read from a row for the simulator, written out for the six
   * bundled benchmarks (this module cannot see the adapters).
   */
  static SimItem.Draft draft(String benchmark, JsonNode row) {
    return switch (benchmark) {
      case "gsm8k" -> {
        String answer = row.get("answer").asText();
        int mark = answer.lastIndexOf("####");
        yield new SimItem.Draft(
            SimItem.Style.MATH,
            Optional.empty(),
            row.get("question").asText(),
            answer.substring(mark + 4).strip().replace(",", ""),
            -1,
            answer.substring(0, mark).replaceAll("<<[^>]*>>", "").strip(),
            List.of());
      }
      case "mmlu" -> {
        List<String> choices = new ArrayList<>();
        row.get("choices").forEach(choice -> choices.add(choice.asText()));
        int answer = row.get("answer").asInt();
        yield new SimItem.Draft(
            SimItem.Style.OPTION,
            Optional.empty(),
            row.get("question").asText(),
            choices.get(answer),
            answer,
            "",
            choices);
      }
      case "humaneval" ->
          new SimItem.Draft(
              SimItem.Style.CODE,
              Optional.of(row.get("task_id").asText()),
              row.get("prompt").asText(),
              row.get("canonical_solution").asText(),
              -1,
              "",
              List.of());
      case "drop" ->
          new SimItem.Draft(
              SimItem.Style.SPAN,
              Optional.of(row.get("query_id").asText()),
              row.get("passage").asText() + "\n" + row.get("question").asText(),
              row.get("answers_spans").get("spans").get(0).asText(),
              -1,
              "",
              List.of());
      case "triviaqa" ->
          new SimItem.Draft(
              SimItem.Style.TEXT,
              Optional.of(row.get("question_id").asText()),
              row.get("question").asText(),
              row.get("answer").get("value").asText(),
              -1,
              "",
              List.of());
      default ->
          new SimItem.Draft(
              SimItem.Style.BBH,
              Optional.empty(),
              row.get("input").asText(),
              row.get("target").asText(),
              -1,
              "",
              List.of());
    };
  }

  public static List<JsonNode> rows(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(MAPPER.readTree(line));
    }
    return rows;
  }
}
