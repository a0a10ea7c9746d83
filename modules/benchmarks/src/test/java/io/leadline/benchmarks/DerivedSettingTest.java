package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class DerivedSettingTest {
  private static final Suite SUITE = Checkout.suite();

  private static Setting load(String name) {
    return SUITE.setting(Checkout.settings(), name);
  }

  @Test
  public void theNameSaysEveryChangeInOneOrder() {
    DerivedSetting derived =
        new DerivedSetting(
            "gpt-fathom",
            OptionalInt.of(0),
            Optional.of(new BigDecimal("0.70")),
            OptionalInt.of(256),
            OptionalLong.of(3));
    assertEquals(derived.name(), "gpt-fathom+shots=0+temperature=0.7+max_tokens=256+seed=3");
    assertEquals(DerivedSetting.parse(derived.name()), Optional.of(withPlainTemperature(derived)));
    assertEquals(derived.description(), "gpt-fathom, 0-shot, T=0.7, max_tokens=256, seed=3");
    assertEquals(DerivedSetting.parse("gpt-fathom"), Optional.empty());
  }

  private static DerivedSetting withPlainTemperature(DerivedSetting derived) {
    return new DerivedSetting(
        derived.base(),
        derived.shots(),
        Optional.of(new BigDecimal("0.7")),
        derived.maxTokens(),
        derived.seed());
  }

  @Test
  public void aChangedSettingIsNamedAndHashedApartWhereTheChangeReachesTheRequests() {
    Setting base = load("gpt-fathom");
    Setting derived = load("gpt-fathom+shots=0+temperature=0.7");
    assertEquals(derived.name(), "gpt-fathom+shots=0+temperature=0.7");
    assertEquals(derived.description(), "gpt-fathom, 0-shot, T=0.7");
    BenchmarkSetting gsm8k = derived.of("gsm8k");
    assertEquals(gsm8k.setting(), derived.name());
    assertEquals(gsm8k.shots(), 0);
    assertEquals(gsm8k.temperature(), new BigDecimal("0.7"));
    assertEquals(gsm8k.maxTokens(), base.of("gsm8k").maxTokens());
    assertNotEquals(gsm8k.hash(), base.of("gsm8k").hash());
    assertEquals(derived.label("gsm8k"), "gpt-fathom, 0-shot CoT, T=0.7");
    assertEquals(base.label("gsm8k"), "8-shot CoT");
    // Every benchmark of the base is in the derived setting.
    assertEquals(derived.perBenchmark().keySet(), base.perBenchmark().keySet());
  }

  @Test
  public void whereAChangeCannotApplyTheHashStaysTheBases() {
    // HumanEval has no exemplars and is 0-shot already: --num-fewshot 0 sends the same requests.
    assertEquals(
        load("gpt-fathom+shots=0").of("humaneval").hash(),
        load("gpt-fathom").of("humaneval").hash());
    // Exemplars are only given to benchmarks that have them.
    assertEquals(load("gpt-fathom+shots=5").of("humaneval").shots(), 0);
    // Log-likelihood generates nothing: temperature, max_tokens and seed do not reach it.
    Setting likelihood = load("loglikelihood");
    Setting changed = load("loglikelihood+temperature=0.7+max_tokens=5+seed=1");
    assertEquals(changed.of("mmlu").hash(), likelihood.of("mmlu").hash());
    assertEquals(changed.label("mmlu"), "loglikelihood, 5-shot, log-likelihood");
    assertNotEquals(load("loglikelihood+shots=0").of("mmlu").hash(), likelihood.of("mmlu").hash());
  }

  @Test
  public void eachShorthandChangesItsOwnAxis() {
    BenchmarkSetting base = load("gpt-fathom").of("triviaqa");
    BenchmarkSetting tokens = load("gpt-fathom+max_tokens=7").of("triviaqa");
    BenchmarkSetting seed = load("gpt-fathom+seed=11").of("triviaqa");
    assertEquals(tokens.maxTokens(), 7);
    assertEquals(tokens.shots(), base.shots());
    assertNotEquals(tokens.hash(), base.hash());
    assertEquals(seed.seed(), OptionalLong.of(11));
    assertNotEquals(seed.hash(), base.hash());
    assertEquals(load("gpt-fathom+seed=11").label("triviaqa"), "gpt-fathom, 1-shot, seed=11");
  }

  @Test
  public void aDerivedSettingOfShotsNIsAllowed() {
    assertEquals(load("shots-2+temperature=1").of("gsm8k").shots(), 2);
  }

  @DataProvider
  public Object[][] badNames() {
    return new Object[][] {
      {"gpt-fathom+temperature=0.70", "write it 'gpt-fathom+temperature=0.7'"},
      {"gpt-fathom+temperature=0.7+shots=0", "changes go once each, in the order shots"},
      {"gpt-fathom+shots=0+shots=1", "changes go once each"},
      {"gpt-fathom+top_k=3", "with KEY one of shots, temperature, max_tokens, seed, got 'top_k=3'"},
      {"gpt-fathom+shots", "got 'shots'"},
      {"gpt-fathom+shots=many", "shots: expected a number, got 'many'"},
      {"gpt-fathom+temperature=3", "--temperature: expected a number in [0, 2], got 3"},
      {"gpt-fathom+shots=65", "--num-fewshot: expected a whole number in [0, 64], got 65"},
      {"gpt-fathm+shots=0", "unknown setting 'gpt-fathm' (did you mean gpt-fathom?)"},
    };
  }

  @Test(dataProvider = "badNames")
  public void aBadNameIsOneLineSayingWhatIsWrong(String name, String expected) {
    LeadlineException e = expectThrows(LeadlineException.class, () -> load(name));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(e.getMessage().lines().count(), 1L, e.getMessage());
  }
}
