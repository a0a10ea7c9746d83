package io.leadline.compare;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

public class DiffTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A run whose i-th problem of each benchmark is right where {@code right} says. */
  private static RunSide run(String model, String hash, Map<String, boolean[]> right) {
    List<Item> items = new ArrayList<>();
    right.forEach(
        (benchmark, values) -> {
          for (int i = 0; i < values.length; i++) {
            items.add(
                new Item(
                    benchmark,
                    Optional.empty(),
                    "gpt-fathom",
                    hash,
                    benchmark + "/accuracy",
                    benchmark + "-" + i,
                    i,
                    values[i] ? 1 : 0,
                    "question " + i,
                    Optional.of(values[i] ? "gold" : "wrong"),
                    "gold",
                    hash.startsWith("ll-")));
          }
        });
    return new RunSide(
        MAPPER.createObjectNode().put("model", model),
        Map.of("math", "r1", "code", "r1", "trivia", "r1"),
        Map.of("math", "Math", "code", "Code", "trivia", "Trivia"),
        items);
  }

  private static boolean[] pattern(int n, int rightUpTo) {
    boolean[] values = new boolean[n];
    for (int i = 0; i < n; i++) {
      values[i] = i < rightUpTo;
    }
    return values;
  }

  @Test
  public void findsTheSeesawAndNothingElse() throws Exception {
    RunSide a =
        run(
            "old",
            "h",
            Map.of("math", pattern(60, 40), "code", pattern(60, 20), "trivia", pattern(60, 30)));
    RunSide b =
        run(
            "new",
            "h",
            Map.of("math", pattern(60, 20), "code", pattern(60, 45), "trivia", pattern(60, 31)));
    DiffResult diff = Diff.compute(a, b, false);
    assertTrue(diff.compatible());
    assertEquals(diff.gains(), List.of("code"));
    assertEquals(diff.regressions(), List.of("math"));
    assertTrue(diff.seesaw());
    assertEquals(
        diff.headline(),
        "Code 33.3 → 75.0 (+41.7, p < 0.001) while Math 66.7 → 33.3 (−33.3, p < 0.001).");
    JsonNode json = MAPPER.readTree(diff.toJson());
    JsonNode trivia = json.get("benchmarks").get(2);
    assertEquals(trivia.get("benchmark").asText(), "trivia");
    assertEquals(trivia.get("direction").asText(), "flat");
    assertEquals(trivia.get("flips_up").size(), 1);
    assertEquals(trivia.get("flips_up").get(0).get("example_id").asText(), "trivia-30");
    JsonNode math = json.get("benchmarks").get(1);
    assertEquals(math.get("n_paired").asInt(), 60);
    assertEquals(math.get("flips_down").size(), 20);
    // 20 discordant pairs all one way: 2^-19; Holm multiplies the second smallest of three by 2.
    assertEquals(math.get("p_value").asDouble(), 2.0 / (1 << 20), 1e-18);
    assertEquals(math.get("p_adjusted").asDouble(), 2 * 2.0 / (1 << 20), 1e-18);
    assertTrue(math.get("ci_low").asDouble() <= -0.333 && math.get("ci_high").asDouble() < 0);
    assertTrue(diff.toMarkdown().startsWith("# old → new\n\nCode 33.3 → 75.0"));
  }

  @Test
  public void aRunAgainstItselfIsFlatWithoutFlips() {
    RunSide a = run("m", "h", Map.of("math", pattern(30, 12), "code", pattern(30, 7)));
    DiffResult diff = Diff.compute(a, a, false);
    assertFalse(diff.seesaw());
    assertTrue(diff.rows().stream().allMatch(r -> r.direction().equals("flat")));
    assertTrue(diff.rows().stream().allMatch(r -> r.delta() == 0 && r.pValue() == 1.0));
    assertTrue(
        diff.rows().stream().allMatch(r -> r.flipsUp().isEmpty() && r.flipsDown().isEmpty()));
    assertEquals(diff.headline(), "No benchmark moved significantly (Holm-corrected p < 0.05).");
  }

  @Test
  public void differentSettingsAreRefusedUnlessAllowed() {
    RunSide a = run("m", "hash-aaaaaaaaaaaa", Map.of("math", pattern(10, 5)));
    RunSide b = run("m", "hash-bbbbbbbbbbbb", Map.of("math", pattern(10, 5)));
    DiffResult refused = Diff.compute(a, b, false);
    assertFalse(refused.compared());
    assertEquals(
        refused.mismatches(),
        List.of(
            "math: setting hashes differ (A gpt-fathom hash-aaaaaaa, B gpt-fathom hash-bbbbbbb)"));
    DiffResult allowed = Diff.compute(a, b, true);
    assertTrue(allowed.compared());
    assertFalse(allowed.compatible());
    assertTrue(allowed.rows().isEmpty(), "nothing shared");
    assertTrue(allowed.toMarkdown().startsWith("> **Only the items both runs share"));
  }

  @Test
  public void aGenerativeScoreAndALogLikelihoodOneAreComparedOnlyWhenAsked() {
    RunSide a = run("m", "hash-aaaaaaaaaaaa", Map.of("math", pattern(40, 20)));
    RunSide b = run("m", "ll-bbbbbbbbbbbbbbb", Map.of("math", pattern(40, 30)));
    DiffResult refused = Diff.compute(a, b, false);
    assertFalse(refused.compared());
    assertEquals(
        refused.mismatches(),
        List.of(
            "math: A scores it by generation (gpt-fathom hash-aaaaaaa), B by log-likelihood"
                + " (gpt-fathom ll-bbbbbbbbb); a generative score and a log-likelihood one are"
                + " not the same measure (--across-scoring compares them item by item)"));
    assertTrue(Diff.compute(a, b, true).rows().isEmpty(), "--allow-mismatch pairs nothing");
    DiffResult across = Diff.compute(a, b, false, true);
    assertTrue(across.compared());
    assertEquals(across.rows().get(0).nPaired(), 40);
    assertEquals(across.rows().get(0).delta(), 0.25, 1e-12);
    // Asked to compare across scorings, two generative settings still do not compare.
    RunSide zeroShot = run("m", "hash-cccccccccccc", Map.of("math", pattern(40, 30)));
    assertEquals(
        Diff.compute(a, zeroShot, false, true).mismatches(),
        List.of(
            "math: setting hashes differ (A gpt-fathom hash-aaaaaaa, B gpt-fathom hash-ccccccc),"
                + " and not by how they score"));
    RunSide both =
        new RunSide(
            a.summary(),
            a.revisions(),
            a.titles(),
            com.google.common.collect.ImmutableList.<Item>builder()
                .addAll(a.items())
                .addAll(b.items())
                .build());
    assertEquals(
        Diff.compute(both, b, false, true).mismatches(),
        List.of(
            "math: A has several settings of it (gpt-fathom hash-aaaaaaa, gpt-fathom"
                + " ll-bbbbbbbbb); keep one with --setting-a"));
  }

  @Test
  public void examplesOnlyInOneRunAreMismatches() {
    RunSide a = run("m", "h", Map.of("math", pattern(12, 5)));
    RunSide b = run("m", "h", Map.of("math", pattern(10, 5)));
    DiffResult diff = Diff.compute(a, b, true);
    assertEquals(diff.mismatches(), List.of("math: 2 examples only in A (first: math-10)"));
    assertEquals(diff.rows().get(0).nPaired(), 10);
  }
}
