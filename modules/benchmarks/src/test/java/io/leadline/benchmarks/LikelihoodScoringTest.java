package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.Extraction;
import io.leadline.api.LeadlineException;
import io.leadline.api.Likelihood;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

/** Multiple choice scored by the options' log-likelihoods: acc, acc_norm, the setting. */
public class LikelihoodScoringTest {
  private static final Suite SUITE = Checkout.suite();
  private static final Setting LOGLIKELIHOOD = SUITE.setting(Checkout.settings(), "loglikelihood");

  /**
   * A HellaSwag row of four endings, the gold the dataset's third ("2"); Random(47) shows the
   * dataset's options 3, 1, 0, 2, so the gold is (D).
   */
  private static Example hellaswag() throws IOException {
    String row =
        "{\"ind\": 1, \"ctx\": \"He opens the door\", \"endings\": [\"and walks in.\", \"x\","
            + " \"and sits down slowly on the chair.\", \"no\"], \"label\": \"2\"}";
    return new Example("hellaswag", "default", "t", new ObjectMapper().readTree(row));
  }

  private static Likelihood of(double logprob) {
    return new Likelihood(List.of(logprob), Optional.empty());
  }

  @Test
  public void accTakesTheLikeliestOptionAndAccNormDividesByCharacters() throws IOException {
    ItemScoring scoring = ItemScoring.of(LOGLIKELIHOOD.of("hellaswag"), "");
    Example item = hellaswag();
    assertEquals(
        scoring.continuations(item),
        List.of(
            "(A) no", // 6 characters
            "(B) x", // 5
            "(C) and walks in.", // 17
            "(D) and sits down slowly on the chair.")); // 38, the gold
    // Sums: (B) -2.0 is the highest, so acc picks (B): wrong. Per character: (A) -3.0/6 = -0.5,
    // (B) -2.0/5 = -0.4, (C) -4.25/17 = -0.25, (D) -5.7/38 = -0.15: acc_norm picks (D): right.
    ItemScoring.ItemScore score =
        scoring.likelihoodItem(item, List.of(of(-3.0), of(-2.0), of(-4.25), of(-5.7)));
    assertEquals(score.metrics(), Map.of(ItemScoring.ACC, 0.0, ItemScoring.ACC_NORM, 1.0));
    ItemScoring.SampleScore sample = score.samples().get(0);
    assertEquals(sample.extraction(), Extraction.answer("B"));
    assertEquals(
        sample.explanation(),
        "likeliest option (B) at -2.0000; per character (D) at -0.15000; gold (D)");
    assertEquals(
        sample.options().stream().map(ItemScoring.OptionScore::chars).toList(),
        List.of(6, 5, 17, 38));
    assertEquals(sample.options().get(3).logprob(), -5.7);
    // (D) likeliest by far: both right.
    assertEquals(
        scoring.likelihoodItem(item, List.of(of(-9.0), of(-8.0), of(-7.0), of(-1.0))).metrics(),
        Map.of(ItemScoring.ACC, 1.0, ItemScoring.ACC_NORM, 1.0));
    // A tie goes to the option shown first, as numpy.argmax: (A) and (D) both -1.0 → (A).
    ItemScoring.ItemScore tie =
        scoring.likelihoodItem(item, List.of(of(-1.0), of(-8.0), of(-7.0), of(-1.0)));
    assertEquals(tie.samples().get(0).extraction(), Extraction.answer("A"));
    assertEquals(tie.metrics().get(ItemScoring.ACC), 0.0);
  }

  @Test
  public void mmluContinuesWithTheLetterAlone() {
    Example item =
        BenchmarkData.examples(
                SUITE.benchmark("mmlu"), "anatomy", SplitSource.bundled(Checkout.benchmarks()))
            .get(0);
    ItemScoring scoring = ItemScoring.of(LOGLIKELIHOOD.of("mmlu"), "");
    assertEquals(scoring.continuations(item), List.of("(A)", "(B)", "(C)", "(D)"));
    assertEquals(scoring.primaryMetric(), ItemScoring.ACC);
  }

  @Test
  public void theSettingHasOnlyTheMultipleChoiceBenchmarksLabelledAndHashedApart() {
    assertEquals(
        LOGLIKELIHOOD.perBenchmark().keySet(),
        java.util.Set.of("mmlu", "arc-e", "arc-c", "hellaswag", "truthfulqa", "race-m", "race-h"));
    BenchmarkSetting mmlu = LOGLIKELIHOOD.of("mmlu");
    assertEquals(mmlu.label(), "5-shot, log-likelihood");
    assertEquals(mmlu.scoring(), ScoringMode.LOGLIKELIHOOD);
    BenchmarkSetting generative = SUITE.setting(Checkout.settings(), "gpt-fathom").of("mmlu");
    assertEquals(generative.scoring(), ScoringMode.GENERATIVE);
    assertNotEquals(mmlu.hash(), generative.hash());
    assertTrue(mmlu.canonicalJson().contains("\"continuation\":\"({letter})\""));
    assertTrue(mmlu.canonicalJson().contains("\"scoring\":\"loglikelihood\""));
    assertTrue(!generative.canonicalJson().contains("scoring"));
    assertTrue(LOGLIKELIHOOD.find("gsm8k").isEmpty());
  }

  @Test
  public void optionsScoredByLikelihoodGetNoChainOfThoughtOrTemperatureVariants() {
    BenchmarkSetting mmlu = LOGLIKELIHOOD.of("mmlu");
    assertTrue(Perturbations.variants(io.leadline.perturb.Kind.COT, mmlu, 5, Map.of()).isEmpty());
    assertTrue(
        Perturbations.variants(io.leadline.perturb.Kind.TEMPERATURE, mmlu, 5, Map.of()).isEmpty());
    assertTrue(
        !Perturbations.variants(io.leadline.perturb.Kind.OPTIONS, mmlu, 5, Map.of()).isEmpty());
    BenchmarkSetting generative = SUITE.setting(Checkout.settings(), "gpt-fathom").of("mmlu");
    assertTrue(
        !Perturbations.variants(io.leadline.perturb.Kind.TEMPERATURE, generative, 5, Map.of())
            .isEmpty());
  }

  @Test
  public void aBenchmarkWithoutOptionsOrASampledOneIsRefusedByName() throws IOException {
    Path dir = Files.createTempDirectory("settings");
    Files.copy(Checkout.settings().resolve("gpt-fathom.yaml"), dir.resolve("gpt-fathom.yaml"));
    Files.writeString(
        dir.resolve("bad.yaml"),
        "name: bad\ndescription: d\nextends: gpt-fathom\n"
            + "benchmarks:\n  gsm8k: {scoring: loglikelihood}\n");
    LeadlineException options =
        expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "bad"));
    assertTrue(
        options.getMessage().contains("gsm8k has no options to score by log-likelihood"),
        options.getMessage());
    assertTrue(options.getMessage().contains("bad.yaml"), options.getMessage());
    Files.writeString(
        dir.resolve("sampled.yaml"),
        "name: sampled\ndescription: d\nextends: gpt-fathom\n"
            + "benchmarks:\n  mmlu: {scoring: loglikelihood, n: 5}\n");
    LeadlineException sampled =
        expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "sampled"));
    assertTrue(
        sampled.getMessage().contains("does not go with scoring: loglikelihood"),
        sampled.getMessage());
    Files.writeString(
        dir.resolve("typo.yaml"),
        "name: typo\ndescription: d\nextends: gpt-fathom\n"
            + "every_benchmark: {scoring: likelihood}\n");
    LeadlineException typo =
        expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "typo"));
    assertTrue(typo.getMessage().contains("generative, loglikelihood"), typo.getMessage());
  }
}
