package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.perturb.Kind;
import io.leadline.perturb.Variant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.testng.annotations.Test;

/**
 * Every variant of every kind, on the bundled samples of every benchmark: deterministic, with its
 * own setting hash, and leaving the gold answer right (except {@code numbers}, by design).
 */
public class PerturbationsTest {
  private static final Suite SUITE = Suite.load(Checkout.benchmarks());
  private static final SplitSource SOURCE = SplitSource.bundled(Checkout.benchmarks());
  private static final Setting SETTING = SUITE.setting(Checkout.settings(), "gpt-fathom");
  private static final Map<String, List<String>> PARAPHRASES =
      Perturbations.paraphrases(Checkout.benchmarks());

  @Test
  public void everyVariantIsDeterministicHashedApartAndKeepsTheGold() {
    int checked = 0;
    for (String name : List.of("gsm8k", "mmlu", "triviaqa", "drop", "bbh", "humaneval")) {
      BenchmarkSetting base = SETTING.of(name);
      String subset = SUITE.benchmark(name).subsets().get(0);
      if (name.equals("mmlu")) {
        subset = "anatomy";
      } else if (name.equals("bbh")) {
        subset = "navigate";
      }
      Prompts prompts = Prompts.of(base, subset, SOURCE);
      List<Example> examples =
          BenchmarkData.examples(SUITE.benchmark(name), subset, SOURCE).subList(0, 2);
      Set<String> hashes = new HashSet<>(List.of(base.hash()));
      for (Kind kind : Kind.values()) {
        for (Variant variant :
            Perturbations.variants(kind, base, prompts.exemplarsAvailable(), PARAPHRASES)) {
          BenchmarkSetting setting = Perturbations.setting(variant, base);
          assertTrue(hashes.add(setting.hash()), variant.id() + " has its own setting hash");
          Prompts variantPrompts = Prompts.of(setting, subset, SOURCE);
          for (Example example : examples) {
            String first = render(variant, base, setting, variantPrompts, example);
            String again = render(variant, base, setting, variantPrompts, example);
            assertEquals(again, first, variant.id() + " is deterministic");
            String unperturbed = prompts.render(example, false, OptionalInt.empty()).text();
            boolean alreadyThere =
                kind == Kind.OPTIONS
                    && ItemScoring.of(base, "")
                        .gold(example)
                        .substring(1, 2)
                        .equals(variant.name().substring(8));
            // Typos at a low rate may miss a short question; cot and temperature change the
            // request, not the prompt.
            if (kind != Kind.TYPOS
                && kind != Kind.COT
                && kind != Kind.TEMPERATURE
                && !alreadyThere) {
              assertNotEquals(
                  first, unperturbed, variant.id() + " changes the prompt of " + example.id());
            }
            Example perturbed = Perturbations.example(variant, example, base.benchmark());
            String gold = ItemScoring.of(base, "").gold(example);
            String perturbedGold = ItemScoring.of(setting, "").gold(perturbed);
            if (kind == Kind.OPTIONS) {
              // The same answer, now under the variant's letter.
              assertEquals(perturbedGold.substring(4), gold.substring(4), variant.id());
              assertEquals(
                  perturbedGold.substring(1, 2), variant.name().substring(8), variant.id());
            } else {
              assertEquals(
                  perturbedGold, gold, variant.id() + " keeps the gold of " + example.id());
            }
            if (kind == Kind.NUMBERS) {
              assertNotEquals(
                  perturbed.row().get("question").asText(), example.row().get("question").asText());
            }
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 80, "variants checked: " + checked);
  }

  private static String render(
      Variant variant,
      BenchmarkSetting base,
      BenchmarkSetting setting,
      Prompts prompts,
      Example example) {
    Example perturbed = Perturbations.example(variant, example, base.benchmark());
    String text =
        prompts
            .render(
                perturbed,
                false,
                OptionalInt.empty(),
                Perturbations.order(variant, prompts.shots()))
            .text();
    return Perturbations.text(variant, text, base, PARAPHRASES);
  }
}
