package io.leadline.datasets;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

public class BundledSamplesTest {
  /** Tests run in the module folder; the samples are in the checkout's benchmarks/ folder. */
  static final Path BENCHMARKS = Path.of("..", "..", "benchmarks");

  private final BundledSamples samples = new BundledSamples(BENCHMARKS);
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  public void everyListedSampleLoadsWithItsRecordedRows() throws IOException {
    List<String> benchmarks;
    try (var folders = Files.list(BENCHMARKS)) {
      benchmarks =
          folders
              .filter(folder -> Files.exists(folder.resolve("data/samples.json")))
              .map(folder -> folder.getFileName().toString())
              .sorted()
              .toList();
    }
    assertTrue(benchmarks.size() >= 6, benchmarks.toString());
    for (String benchmark : benchmarks) {
      JsonNode manifest =
          mapper.readTree(BENCHMARKS.resolve(benchmark).resolve("data/samples.json").toFile());
      for (JsonNode sample : manifest.path("samples")) {
        PulledSplit split =
            samples.load(benchmark, sample.path("config").asText(), sample.path("split").asText());
        assertEquals(split.revision(), "bundled");
        assertTrue(split.rows().size() >= sample.path("rows").asInt(), sample.toString());
        assertTrue(split.source().startsWith("bundled:" + benchmark + "/data/"), split.source());
        assertTrue(
            Files.exists(BENCHMARKS.resolve(benchmark).resolve("data/LICENSE-ATTRIBUTION.md")),
            benchmark);
      }
    }
  }

  @Test
  public void samplesKeepTheHubRowSchema() throws IOException {
    assertEquals(columns("gsm8k", "main", "test"), List.of("question", "answer"));
    assertEquals(
        columns("mmlu", "anatomy", "dev"), List.of("question", "subject", "choices", "answer"));
    assertEquals(columns("bbh", "snarks", "test"), List.of("input", "target"));
    assertEquals(
        columns("humaneval", "openai_humaneval", "test"),
        List.of("task_id", "prompt", "canonical_solution", "test", "entry_point"));
    assertEquals(
        columns("drop", "default", "validation"),
        List.of("section_id", "query_id", "passage", "question", "answers_spans"));
    assertTrue(columns("triviaqa", "rc.nocontext", "train").contains("answer"));
  }

  @Test
  public void missingSampleIsAClearError() {
    LeadlineException e =
        expectThrows(LeadlineException.class, () -> samples.load("gsm8k", "main", "validation"));
    assertTrue(
        e.getMessage().startsWith("no bundled sample of gsm8k main/validation"), e.getMessage());
  }

  @Test
  public void editedSampleIsDetected() throws IOException {
    Path copy = Files.createTempDirectory("leadline-benchmarks");
    Path data = Files.createDirectories(copy.resolve("drop/data/default"));
    Files.copy(
        BENCHMARKS.resolve("drop/data/samples.json"), copy.resolve("drop/data/samples.json"));
    Files.copy(
        BENCHMARKS.resolve("drop/data/default/validation.first2.jsonl"),
        data.resolve("validation.first2.jsonl"));
    Files.writeString(
        data.resolve("validation.first2.jsonl"), "{}\n", java.nio.file.StandardOpenOption.APPEND);
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () -> new BundledSamples(copy).load("drop", "default", "validation"));
    assertTrue(e.getMessage().contains("does not match the sha256"), e.getMessage());
  }

  private List<String> columns(String benchmark, String config, String split) throws IOException {
    JsonNode row = mapper.readTree(samples.load(benchmark, config, split).rows().get(0));
    List<String> names = new java.util.ArrayList<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
