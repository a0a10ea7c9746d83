package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

/**
 * What the records say of a reasoning model: its request options and what was not sent (the
 * manifest), its reasoning tokens and truncated reasoning (usage, metrics), its reasoning apart
 * from the completion (samples); all absent, as before, for a model that does not reason.
 */
public class ReasoningRecordsTest {
  private static RunManifest.Model model(Map<String, String> options, List<String> notSent) {
    return new RunManifest.Model(
        "o3",
        "openai",
        "o3",
        "chat",
        "api.openai.com",
        false,
        Optional.empty(),
        Optional.empty(),
        List.of("o3-2025-04-16"),
        options,
        notSent);
  }

  @Test
  public void aModelsRequestOptionsRoundTripAndLabelItsColumn() {
    RunManifest.Model o3 =
        model(
            Map.of("reasoning_effort", "high", "max_completion_tokens", "8000"),
            List.of("top_p", "temperature", "stop"));
    String json = RecordJson.write(o3);
    assertTrue(
        json.contains(
            "  \"request_options\" : {\n    \"max_completion_tokens\" : \"8000\",\n"
                + "    \"reasoning_effort\" : \"high\"\n  },\n"
                + "  \"not_sent\" : [\n    \"stop\",\n    \"temperature\",\n    \"top_p\"\n  ]"),
        json);
    assertEquals(RecordJson.read(json, RunManifest.Model.class, "model"), o3);
    assertEquals(o3.reasoning(), Optional.of("reasoning: effort high"));
    RunManifest.Model claude =
        model(Map.of("thinking.budget_tokens", "4096", "max_tokens", "8192"), List.of());
    assertEquals(claude.reasoning(), Optional.of("reasoning: thinking, budget 4096 tokens"));

    RunManifest.Model plain = model(Map.of(), List.of());
    String written = RecordJson.write(plain);
    assertFalse(written.contains("request_options") || written.contains("not_sent"), written);
    assertEquals(RecordJson.read(written, RunManifest.Model.class, "model"), plain);
    assertEquals(plain.reasoning(), Optional.empty());
    assertEquals(
        model(Map.of("max_completion_tokens", "100"), List.of()).reasoning(), Optional.empty());
  }

  @Test
  public void usageCountsReasoningTokensAndTruncatedReasoningWhereThereIsSome() {
    RunManifest.ThisRun thisRun = new RunManifest.ThisRun(0, 10, 0, 10, 900);
    RunManifest.Usage reasoned =
        new RunManifest.Usage(
            "o3",
            10,
            0,
            500,
            400,
            10,
            Optional.of("0.01"),
            thisRun,
            Optional.of(300L),
            Optional.of(2L));
    String json = RecordJson.write(reasoned);
    assertTrue(json.contains("\"reasoning_tokens\" : 300"), json);
    assertTrue(json.contains("\"reasoning_truncated\" : 2"), json);
    assertEquals(RecordJson.read(json, RunManifest.Usage.class, "usage"), reasoned);
    RunManifest.Usage plain =
        new RunManifest.Usage("m", 10, 0, 500, 400, 10, Optional.empty(), thisRun);
    assertFalse(RecordJson.write(plain).contains("reasoning"), RecordJson.write(plain));
    expectThrows(
        IllegalArgumentException.class,
        () ->
            new RunManifest.Usage(
                "o3",
                10,
                0,
                500,
                400,
                10,
                Optional.empty(),
                thisRun,
                Optional.of(401L),
                Optional.empty()));
  }

  @Test
  public void aMetricRowSaysHowMuchReasoningNeverClosed() {
    MetricRow row =
        new MetricRow(
            "o3",
            "gsm8k",
            Optional.empty(),
            "gpt-fathom",
            "0".repeat(64),
            Optional.empty(),
            "gsm8k/gpt-fathom-accuracy",
            true,
            0.5,
            0.4,
            0.6,
            50,
            0.25,
            Optional.empty(),
            Optional.of(0.2));
    String json = MetricRow.toJson(List.of(row));
    assertTrue(
        json.contains("\"no_answer_rate\" : 0.25,\n    \"reasoning_truncated_rate\" : 0.2"), json);
    assertEquals(RunFolders.parseMetrics(json, "metrics.json"), List.of(row));
    // Truncated reasoning leaves no answer: its share is within the no-answer share.
    expectThrows(
        IllegalArgumentException.class,
        () ->
            new MetricRow(
                "o3",
                "gsm8k",
                Optional.empty(),
                "gpt-fathom",
                "0".repeat(64),
                Optional.empty(),
                "gsm8k/gpt-fathom-accuracy",
                true,
                0.5,
                0.4,
                0.6,
                50,
                0.1,
                Optional.empty(),
                Optional.of(0.2)));
  }

  @Test
  public void aSampleKeepsItsReasoningApart() {
    SampleRow plain =
        RecordFixtures.sample(
            "o3", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), 3, "x", 1.0);
    assertFalse(plain.toJson().contains("reasoning"), plain.toJson());
    SampleRow reasoned =
        new SampleRow(
            plain.model(),
            plain.benchmark(),
            plain.subset(),
            plain.setting(),
            plain.settingHash(),
            plain.perturbation(),
            plain.exampleId(),
            plain.exampleIndex(),
            plain.sampleIndex(),
            plain.requestHash(),
            plain.prompt(),
            plain.gold(),
            plain.shotsUsed(),
            plain.completion(),
            plain.extracted(),
            plain.noAnswerReason(),
            plain.explanation(),
            plain.scores(),
            plain.problemScores(),
            plain.passed(),
            plain.execResult(),
            plain.finishReason(),
            plain.truncated(),
            plain.error(),
            plain.latencyMs(),
            plain.promptTokens(),
            plain.completionTokens(),
            plain.attempts(),
            plain.reportedModel(),
            plain.judgements(),
            plain.options(),
            Optional.of("A first attempt: The answer is 17."),
            Optional.of(9L));
    String json = reasoned.toJson();
    assertTrue(json.contains("\"reasoning\" : \"A first attempt: The answer is 17.\""), json);
    assertTrue(json.contains("\"request_reasoning_tokens\" : 9"), json);
    assertEquals(RecordJson.read(json, SampleRow.class, "sample"), reasoned);
  }
}
