package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.records.MetricRow;
import io.leadline.records.RecordFixtures;
import io.leadline.records.SampleRow;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The sample viewer's data side on a run folder written by the records' fixtures: what the list
 * says of each sample (its outcome by the primary metric, its score, its dimensions), the static
 * bundle's chunks and the server's samples (each the run's own row), and the server's refusals.
 */
public class ViewerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** More than two chunks, the last one short. */
  private static final int SAMPLES = 2 * ViewerChunks.SIZE + 50;

  private Path dir;
  private Path run;
  private List<SampleRow> samples;

  @BeforeClass
  public void writeRun() throws Exception {
    dir = Files.createTempDirectory("viewer");
    run = dir.resolve("run");
    samples = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      String model = i < SAMPLES / 2 ? "sim-v1" : "sim-v2";
      boolean mmlu = i % 3 == 0;
      SampleRow sample =
          RecordFixtures.sample(
              model,
              mmlu ? "mmlu" : "gsm8k",
              mmlu ? Optional.of(i % 2 == 0 ? "anatomy" : "virology") : Optional.empty(),
              "gpt-fathom",
              Optional.empty(),
              i,
              mmlu ? "mmlu/acc" : "gsm8k/acc",
              // 1, 0, and a graded 0.5 and 0.4 either side of the line.
              new double[] {1, 0, 0.5, 0.4}[i % 4]);
      if (i % 7 == 0) {
        sample = withoutAnswer(sample, i % 14 == 0 ? "no number in the completion" : null);
      }
      samples.add(sample);
    }
    List<MetricRow> metrics =
        List.of(
            RecordFixtures.metric(
                "sim-v1",
                "gsm8k",
                Optional.empty(),
                "gpt-fathom",
                Optional.empty(),
                "gsm8k/acc",
                true,
                0.5),
            RecordFixtures.metric(
                "sim-v1",
                "mmlu",
                Optional.empty(),
                "gpt-fathom",
                Optional.empty(),
                "mmlu/acc",
                true,
                0.5));
    RecordFixtures.writeRunFolder(run, RecordFixtures.manifest(), metrics, samples);
  }

  @AfterClass(alwaysRun = true)
  public void removeRun() throws Exception {
    try (var walk = Files.walk(dir)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** {@code sample} with no extracted answer: {@code reason} why, or else a failed request. */
  private static SampleRow withoutAnswer(SampleRow s, String reason) {
    return new SampleRow(
        s.model(),
        s.benchmark(),
        s.subset(),
        s.setting(),
        s.settingHash(),
        s.perturbation(),
        s.exampleId(),
        s.exampleIndex(),
        s.sampleIndex(),
        s.requestHash(),
        s.prompt(),
        s.gold(),
        s.shotsUsed(),
        reason == null ? Optional.empty() : s.completion(),
        Optional.empty(),
        Optional.ofNullable(reason),
        s.explanation(),
        s.scores(),
        s.problemScores(),
        s.passed(),
        s.execResult(),
        s.finishReason(),
        s.truncated(),
        reason == null ? Optional.of("HTTP 500 after 3 attempts") : Optional.empty(),
        s.latencyMs(),
        s.promptTokens(),
        s.completionTokens(),
        s.attempts(),
        s.reportedModel(),
        s.judgements(),
        s.options());
  }

  private static String expectedOutcome(SampleRow s) {
    if (s.extracted().isEmpty()) {
      return "n";
    }
    return s.scores().values().iterator().next() >= 0.5 ? "c" : "i";
  }

  @Test
  public void theListSaysEachSamplesDimensionsOutcomeAndPrimaryScore() throws Exception {
    Viewer viewer = Viewer.open(run.toString(), "RUN");
    assertEquals(viewer.samples(), SAMPLES);
    JsonNode list = JSON.readTree(viewer.list().json());
    assertEquals(list.get("count").asInt(), SAMPLES);
    assertEquals(
        list.get("primary").toString(),
        "{\"gsm8k\":{\"gpt-fathom\":\"gsm8k/acc\"},\"mmlu\":{\"gpt-fathom\":\"mmlu/acc\"}}");
    assertEquals(list.get("dims").get("model").toString(), "[\"sim-v1\",\"sim-v2\"]");
    assertEquals(list.get("dims").get("subset").toString(), "[\"\",\"anatomy\",\"virology\"]");
    assertEquals(list.get("dims").get("perturbation").toString(), "[\"\"]");
    JsonNode rows = list.get("rows");
    String outcomes = rows.get("outcome").asText();
    assertEquals(outcomes.length(), SAMPLES);
    int[] tally = new int[3];
    for (int i = 0; i < SAMPLES; i++) {
      SampleRow s = samples.get(i);
      String said = "sample " + i + " " + s;
      assertEquals(String.valueOf(outcomes.charAt(i)), expectedOutcome(s), said);
      tally["cin".indexOf(outcomes.charAt(i))]++;
      assertEquals(
          rows.get("score").get(i).asDouble(), s.scores().values().iterator().next(), said);
      JsonNode dims = list.get("dims");
      assertEquals(dims.get("model").get(rows.get("model").get(i).asInt()).asText(), s.model());
      assertEquals(
          dims.get("benchmark").get(rows.get("benchmark").get(i).asInt()).asText(), s.benchmark());
      assertEquals(
          dims.get("subset").get(rows.get("subset").get(i).asInt()).asText(),
          s.subset().orElse(""));
      assertEquals(
          list.get("examples").get(rows.get("example").get(i).asInt()).asText(), s.exampleId());
    }
    assertTrue(tally[0] > 0 && tally[1] > 0 && tally[2] > 0, java.util.Arrays.toString(tally));
    assertEquals(viewer.list().json(), Viewer.open(run.toString(), "RUN").list().json());
  }

  @Test
  public void theOutcomeLineIsHalfTheMetric() {
    assertEquals(ViewerList.outcome(false, false, 0.5), ViewerList.Outcome.CORRECT);
    assertEquals(ViewerList.outcome(false, false, 0.4999), ViewerList.Outcome.INCORRECT);
    assertEquals(ViewerList.outcome(false, false, Double.NaN), ViewerList.Outcome.INCORRECT);
    assertEquals(ViewerList.outcome(true, false, 1), ViewerList.Outcome.NO_ANSWER);
    assertEquals(ViewerList.outcome(false, true, 1), ViewerList.Outcome.NO_ANSWER);
  }

  private static final Pattern CHUNK =
      Pattern.compile("^leadlineChunk\\((\\d+),\\[\\n(.*)\\]\\);\\n$", Pattern.DOTALL);

  @Test
  public void theBundleHoldsEverySampleInItsChunk() throws Exception {
    Path bundle = dir.resolve("bundle");
    Viewer.open(run.toString(), "RUN").writeBundle(bundle);
    String page = Files.readString(bundle.resolve("index.html"));
    assertTrue(page.contains("const DATA = {\"mode\":\"static\",\"chunk\":200,"), page);
    List<String> files;
    try (var list = Files.list(bundle.resolve("samples"))) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(files, List.of("00000.js", "00001.js", "00002.js"));
    for (int chunk = 0; chunk < files.size(); chunk++) {
      Matcher script =
          CHUNK.matcher(Files.readString(bundle.resolve("samples").resolve(files.get(chunk))));
      assertTrue(script.matches(), files.get(chunk));
      assertEquals(Integer.parseInt(script.group(1)), chunk);
      JsonNode rows = JSON.readTree("[" + script.group(2) + "]");
      assertEquals(rows.size(), chunk < 2 ? ViewerChunks.SIZE : 50);
      for (int i = 0; i < rows.size(); i++) {
        int index = chunk * ViewerChunks.SIZE + i;
        assertEquals(rows.get(i), JSON.readTree(samples.get(index).toJson()), "sample " + index);
      }
    }
  }

  @Test
  public void theServerAnswersEachSampleAndRefusesWhatItHasNot() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (Viewer.Server server = Viewer.open(run.toString(), "RUN").serve(0)) {
      assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
      for (int index : List.of(0, ViewerChunks.SIZE - 1, ViewerChunks.SIZE, SAMPLES - 1)) {
        HttpResponse<String> sample = get(http, server.url() + "sample/" + index);
        assertEquals(sample.statusCode(), 200, sample.body());
        assertEquals(
            JSON.readTree(sample.body()), JSON.readTree(samples.get(index).toJson()), "" + index);
      }
      HttpResponse<String> page = get(http, server.url());
      assertEquals(page.statusCode(), 200);
      assertTrue(page.body().contains("const DATA = {\"mode\":\"served\","));
      assertEquals(get(http, server.url() + "sample/" + SAMPLES).statusCode(), 404);
      assertEquals(get(http, server.url() + "samples.js").statusCode(), 404);
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url()))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(post.statusCode(), 405);
      // A page elsewhere whose name was rebound to 127.0.0.1 sends its own name as the host.
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
        socket
            .getOutputStream()
            .write(
                ("GET /sample/0 HTTP/1.1\r\nHost: rebound.example:"
                        + server.port()
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer =
            new String(
                socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 421"), answer);
        assertFalse(answer.contains("\"prompt\""), answer);
      }
      assertThrows(
          BindException.class, () -> Viewer.open(run.toString(), "RUN").serve(server.port()));
    }
  }

  @Test
  public void aSampleIsFoundInTheFileAlone() throws Exception {
    Viewer viewer = Viewer.open(run.toString(), "RUN");
    for (int index : List.of(0, 1, 7, ViewerChunks.SIZE + 3, SAMPLES - 1)) {
      assertEquals(
          io.leadline.records.RunFolders.sampleAt(run.toString(), "RUN", index),
          Optional.of(samples.get(index)),
          "by the offset index: sample " + index);
      assertEquals(
          JSON.readTree(viewer.lookUp(index)),
          JSON.readTree(samples.get(index).toJson()),
          "sample " + index);
      // Where a file has no offset index: by the sort key's pages.
      assertEquals(
          viewer.byKey(index), Optional.of(samples.get(index)), "by the sort key: sample " + index);
    }
    assertEquals(
        io.leadline.records.RunFolders.sampleAt(run.toString(), "RUN", SAMPLES), Optional.empty());
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  public void aFolderThatIsNotARunIsRefusedInOneLine() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    var e =
        org.testng.Assert.expectThrows(
            io.leadline.api.LeadlineException.class, () -> Viewer.open(empty.toString(), "RUN"));
    assertTrue(e.getMessage().contains("is not a run folder"), e.getMessage());
  }
}
