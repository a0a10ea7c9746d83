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
    try {
      LeadlineException e =
          expectThrows(
              LeadlineException.class,
              () -> new BundledSamples(copy).load("drop", "default", "validation"));
      assertTrue(e.getMessage().contains("does not match the sha256"), e.getMessage());
    } finally {
      deleteTree(copy);
    }
  }

  /** GPT-Fathom's own files arrive wrapped in their schema; a TSV's lines become its fields. */
  @Test
  public void otherSchemasArriveWrappedAndTsvLinesBecomeRows() throws IOException {
    PulledSplit lambada = samples.load("lambada", "en", "test");
    assertEquals(lambada.rows().size(), 215);
    JsonNode exemplar = mapper.readTree(lambada.rows().get(0));
    assertEquals(iterable(exemplar.fieldNames()), List.of("gpt-fathom-fewshot"));
    JsonNode item = mapper.readTree(lambada.rows().get(15));
    assertEquals(iterable(item.fieldNames()), List.of("gpt-fathom"));
    assertTrue(item.get("gpt-fathom").has("ideal"), item.toString());
    JsonNode janet = mapper.readTree(samples.load("mgsm", "de", "test").rows().get(0));
    assertEquals(iterable(janet.fieldNames()), List.of("question", "answer_number"));
    assertEquals(janet.get("answer_number").asText(), "18");
  }

  /** A manifest that does not say what its files hold is one line naming it. */
  @Test
  public void aManifestThatMisdescribesItsFilesIsOneLine() throws IOException {
    assertTrue(
        brokenManifest("\"rows\": 15,", "\"rows\": 14,")
            .contains("gpt-fathom/fewshot.jsonl: has 15 lines, "),
        "rows");
    assertTrue(
        brokenManifest("\"first_row\": 15,", "\"first_row\": 16,")
            .contains("starts at row 16 but follows 15 rows of en/test"),
        "first_row");
    assertTrue(
        brokenManifest("\"schema\": \"gpt-fathom\",", "\"encoding\": \"tsv\",")
            .contains("fields: a tsv file needs the names of its columns"),
        "tsv");
  }

  private String brokenManifest(String from, String to) throws IOException {
    Path copy = Files.createTempDirectory("leadline-benchmarks");
    Path data = copy.resolve("lambada/data");
    Files.createDirectories(data.resolve("gpt-fathom"));
    for (String file :
        List.of("samples.json", "gpt-fathom/fewshot.jsonl", "gpt-fathom/samples.first200.jsonl")) {
      Files.copy(BENCHMARKS.resolve("lambada/data").resolve(file), data.resolve(file));
    }
    try {
      String manifest = Files.readString(data.resolve("samples.json"));
      assertTrue(manifest.contains(from), from);
      Files.writeString(data.resolve("samples.json"), manifest.replace(from, to));
      return expectThrows(
              LeadlineException.class, () -> new BundledSamples(copy).load("lambada", "en", "test"))
          .getMessage();
    } finally {
      deleteTree(copy);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    com.google.common.io.MoreFiles.deleteRecursively(
        dir, com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> list = new java.util.ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }

  private List<String> columns(String benchmark, String config, String split) throws IOException {
    JsonNode row = mapper.readTree(samples.load(benchmark, config, split).rows().get(0));
    List<String> names = new java.util.ArrayList<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
