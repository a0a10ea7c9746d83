package io.leadline.compare;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.scoring.PairedTests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.testng.annotations.Test;

public class EvolutionTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A snapshot whose i-th problem of each benchmark is right where {@code right} says. */
  private static RunSide snapshot(String model, Map<String, boolean[]> right) {
    List<Item> items = new ArrayList<>();
    new TreeMap<>(right)
        .forEach(
            (benchmark, values) -> {
              for (int i = 0; i < values.length; i++) {
                items.add(
                    new Item(
                        benchmark,
                        Optional.empty(),
                        "gpt-fathom",
                        "h".repeat(64),
                        benchmark + "/accuracy",
                        benchmark + "-" + i,
                        i,
                        values[i] ? 1 : 0,
                        "question " + i,
                        Optional.of(values[i] ? "gold" : "wrong"),
                        "gold",
                        false));
              }
            });
    return new RunSide(
        MAPPER.createObjectNode().put("model", model),
        Map.of("math", "r1", "code", "r1"),
        Map.of("math", "Math", "code", "Code"),
        items);
  }

  private static boolean[] of(String marks) {
    boolean[] values = new boolean[marks.length()];
    for (int i = 0; i < marks.length(); i++) {
      values[i] = marks.charAt(i) == '1';
    }
    return values;
  }

  private static boolean[] pattern(int n, int rightUpTo) {
    boolean[] values = new boolean[n];
    for (int i = 0; i < n; i++) {
      values[i] = i < rightUpTo;
    }
    return values;
  }

  @Test
  public void classifiesItemsThatStayedFlippedAndItemsThatOscillated() {
    // Seven items along four snapshots: 0 right throughout, 1 wrong throughout, 2 up once (at the
    // second step), 3 down once (at the first), 4 right-wrong-right-right, 5 wrong-right-wrong-
    // wrong, 6 wrong-right-wrong-right (three changes, not one: it oscillated).
    RunSide first = snapshot("s1", Map.of("math", of("1001100")));
    RunSide second = snapshot("s2", Map.of("math", of("1000011")));
    RunSide third = snapshot("s3", Map.of("math", of("1010100")));
    RunSide fourth = snapshot("s4", Map.of("math", of("1010101")));
    EvolutionResult result = Evolution.compute(List.of(first, second, third, fourth));
    EvolutionResult.Paths paths = result.tracks().get(0).paths().orElseThrow();
    assertEquals(paths.items(), 7);
    assertEquals(paths.stableRight(), 1);
    assertEquals(paths.stableWrong(), 1);
    assertEquals(paths.stayedUp(), 1);
    assertEquals(paths.stayedDown(), 1);
    assertEquals(paths.oscillating(), 3);
    assertEquals(paths.stayedUpExamples().get(0).exampleId(), "math-2");
    assertEquals(paths.stayedUpExamples().get(0).marks(), "✗✗✓✓");
    assertEquals(paths.stayedDownExamples().get(0).exampleId(), "math-3");
    assertEquals(
        paths.oscillatingExamples().stream().map(EvolutionResult.PathItem::marks).toList(),
        List.of("✓✗✓✓", "✗✓✗✗", "✗✓✗✓"));
    assertEquals(
        paths.oscillatingExamples().get(1).answers(),
        List.of(
            Optional.of("wrong"), Optional.of("gold"), Optional.of("wrong"), Optional.of("wrong")));
  }

  @Test
  public void holmIsTakenAcrossEveryStepAndBenchmark() throws Exception {
    // Math falls 12 items at the first step, code rises 9 at the second; each is significant
    // alone, and the correction over the four tests of the path is what the rows carry.
    RunSide s1 = snapshot("s1", Map.of("math", pattern(40, 30), "code", pattern(40, 10)));
    RunSide s2 = snapshot("s2", Map.of("math", pattern(40, 18), "code", pattern(40, 10)));
    RunSide s3 = snapshot("s3", Map.of("math", pattern(40, 18), "code", pattern(40, 19)));
    EvolutionResult result = Evolution.compute(List.of(s1, s2, s3));
    assertEquals(result.tests(), 4);
    List<Double> raw = new ArrayList<>();
    List<Double> adjusted = new ArrayList<>();
    for (DiffResult step : result.steps()) {
      for (BenchmarkDelta row : step.rows()) {
        raw.add(row.pValue());
        adjusted.add(row.pAdjusted());
      }
    }
    double[] expected = PairedTests.holm(raw.stream().mapToDouble(Double::doubleValue).toArray());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(adjusted.get(i), expected[i], 1e-12, "row " + i);
    }
    // The second step's code row alone: Holm over its diff's two rows only, a smaller p.
    DiffResult alone = Diff.compute(s2, s3, false);
    BenchmarkDelta codeAlone = alone.rows().get(0);
    BenchmarkDelta codeOnPath = result.steps().get(1).rows().get(0);
    assertEquals(codeAlone.benchmark(), "code");
    assertEquals(codeAlone.pValue(), codeOnPath.pValue(), 1e-15);
    assertTrue(codeOnPath.pAdjusted() > codeAlone.pAdjusted(), codeOnPath + " " + codeAlone);
    assertEquals(result.steps().get(0).regressions(), List.of("math"));
    assertEquals(result.steps().get(1).gains(), List.of("code"));
    assertEquals(result.seesawSteps(), List.of());
    assertEquals(result.headline(), "No step is a seesaw (step 1: Math down; step 2: Code up).");

    JsonNode json = MAPPER.readTree(result.toJson());
    assertEquals(json.get("holm_tests").asInt(), 4);
    JsonNode math = json.get("benchmarks").get(1);
    assertEquals(math.get("benchmark").asText(), "math");
    assertEquals(math.get("scores").get(0).get("score").asDouble(), 0.75, 1e-12);
    assertEquals(math.get("scores").get(0).get("n").asInt(), 40);
    JsonNode firstStep = math.get("steps").get(0);
    assertEquals(firstStep.get("model_a").asText(), "s1");
    assertEquals(firstStep.get("direction").asText(), "down");
    assertEquals(firstStep.get("flips_down").size(), 12);
    assertEquals(math.get("items").get("stayed_down").asInt(), 12);
    // The same inputs give the same bytes.
    assertEquals(Evolution.compute(List.of(s1, s2, s3)).toJson(), result.toJson());
  }

  @Test
  public void aStepThatIsNotComparableIsRefusedNamingTheStep() {
    RunSide s1 = snapshot("s1", Map.of("math", pattern(10, 5)));
    RunSide s2 = snapshot("s2", Map.of("math", pattern(10, 5)));
    RunSide s3 = snapshot("s3", Map.of("math", pattern(12, 5)));
    EvolutionResult result = Evolution.compute(List.of(s1, s2, s3));
    assertFalse(result.compared());
    assertEquals(
        result.mismatches(),
        List.of("step 2 (s2 → s3): math: 2 examples only in B (first: math-10)"));
  }

  @Test
  public void axesFoldTheTriggerIntoCotAndNameEveryOtherDifference() {
    String gptFathom = "{\"benchmark\":\"gsm8k\",\"cot\":true,\"shots\":8,\"trigger\":\"Let's\"}";
    String cotOff = "{\"benchmark\":\"gsm8k\",\"cot\":false,\"shots\":8,\"trigger\":\"\"}";
    String zeroShotOff =
        "{\"benchmark\":\"gsm8k\",\"cot\":false,\"exemplars\":\"none\",\"shots\":0,\"trigger\":\"\"}";
    String otherTrigger =
        "{\"benchmark\":\"gsm8k\",\"cot\":true,\"shots\":8,\"trigger\":\"Think.\"}";
    String mmlu = "{\"benchmark\":\"mmlu\",\"shots\":5}";
    assertEquals(
        List.copyOf(
            Emergence.axes(
                Map.of("gsm8k", gptFathom, "mmlu", mmlu), Map.of("gsm8k", cotOff, "mmlu", mmlu))),
        List.of("cot"));
    assertEquals(
        List.copyOf(Emergence.axes(Map.of("gsm8k", gptFathom), Map.of("gsm8k", zeroShotOff))),
        List.of("cot", "shots"));
    assertTrue(Emergence.axes(Map.of("mmlu", mmlu), Map.of("mmlu", mmlu)).isEmpty());
    // A trigger changed on its own is an axis of its own.
    assertEquals(
        List.copyOf(Emergence.axes(Map.of("gsm8k", gptFathom), Map.of("gsm8k", otherTrigger))),
        List.of("trigger"));
  }
}
