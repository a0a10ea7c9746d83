package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.expectThrows;

import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class SweepSpecTest {
  private static final Path ROOT = Path.of("checkout");
  private static final Path HOME = Path.of("home");

  @Test
  public void defaultsAreTheMainJob() {
    SweepSpec spec = SweepSpec.defaults(ROOT, HOME, Map.of("HF_TOKEN", "t"));
    assertEquals(spec.benchmarksDir(), ROOT.resolve("benchmarks"));
    assertEquals(spec.settingsDir(), ROOT.resolve("settings"));
    assertEquals(spec.home(), HOME);
    assertEquals(spec.modelsFile(), SweepSpec.SIMULATED_MODELS_FILE);
    assertEquals(spec.modelsYaml(), SweepSpec.SIMULATED_MODELS);
    assertEquals(spec.models(), List.of());
    assertEquals(spec.benchmarks(), List.of());
    assertEquals(spec.settings(), List.of("gpt-fathom"));
    assertEquals(spec.perturbations(), List.of());
    assertEquals(spec.limit(), OptionalInt.empty());
    assertEquals(spec.data(), DataMode.BUNDLED);
    assertEquals(spec.store(), Optional.empty());
    assertEquals(spec.out(), Optional.empty());
    assertEquals(spec.runsDir(), Path.of("runs"));
    assertEquals(spec.master(), "local[*]");
    assertEquals(spec.concurrency(), OptionalInt.empty());
    assertFalse(spec.unsafeNoSandbox());
    assertEquals(spec.environment(), Map.of("HF_TOKEN", "t"));
    assertEquals(spec.storeLocation(), HOME.resolve("results").toAbsolutePath().toString());
  }

  @Test
  public void toBuilderCopiesEveryField() {
    SweepSpec spec =
        builder()
            .modelsFile("models.yaml", "models: []\n")
            .models(List.of("a", "b"))
            .benchmarks(List.of("gsm8k"))
            .settings(List.of("zero-shot", "cot-off"))
            .perturbations(List.of("typos"))
            .limit(3)
            .limitFraction(Optional.of(new java.math.BigDecimal("0.25")))
            .data(DataMode.HUB)
            .store(Optional.of("hdfs://n/store"))
            .out(Optional.of("hdfs://n/run"))
            .runsDir(Path.of("elsewhere"))
            .master("spark://h:7077")
            .concurrency(4)
            .unsafeNoSandbox(true)
            .environment(Map.of("A", "1"))
            .build();
    SweepSpec copy = spec.toBuilder().build();
    assertEquals(describe(copy), describe(spec));
    assertEquals(spec.storeLocation(), "hdfs://n/store");
    assertEquals(spec.kinds(), List.of(io.leadline.perturb.Kind.TYPOS));
    assertEquals(
        spec.toBuilder().settings(List.of("sampled")).build().settings(), List.of("sampled"));
  }

  @DataProvider
  public Object[][] badSpecs() {
    return new Object[][] {
      {op(b -> b.limit(0)), "--limit: expected a whole number >= 1, got 0"},
      {
        op(b -> b.limitFraction(Optional.of(java.math.BigDecimal.ONE))),
        "--limit: expected a fraction in (0, 1), got 1"
      },
      {
        op(b -> b.limitFraction(Optional.of(new java.math.BigDecimal("-0.5")))),
        "--limit: expected a fraction in (0, 1), got -0.5"
      },
      {op(b -> b.concurrency(-2)), "--concurrency: expected a whole number >= 1, got -2"},
      {op(b -> b.settings(List.of())), "--settings: at least one setting"},
      {
        op(b -> b.benchmarks(List.of("gsm8k", "mmlu", "gsm8k"))),
        "--benchmarks: 'gsm8k' is named twice"
      },
      {
        op(b -> b.settings(List.of("gpt-fathom", "gpt-fathom"))),
        "--settings: 'gpt-fathom' is named twice"
      },
      {op(b -> b.models(List.of("sim-v1", "sim-v1"))), "--models: 'sim-v1' is named twice"},
      {
        op(b -> b.perturbations(List.of("typos", "format", "typos"))),
        "--perturbations: 'typos' is named twice"
      },
      {
        op(b -> b.perturbations(List.of("typo"))),
        "--perturbations: unknown perturbation 'typo' (did you mean typos?); known: instruction,"
            + " qa-labels, format,"
            + " shots-order, shots-count, options, typos, numbers, cot, temperature"
      },
    };
  }

  @Test(dataProvider = "badSpecs")
  public void buildRefusesWhatNoSweepCouldRunInOneLineNamingTheFlag(
      UnaryOperator<SweepSpec.Builder> change, String message) {
    LeadlineException refused =
        expectThrows(LeadlineException.class, () -> change.apply(builder()).build());
    assertEquals(refused.kind(), ErrorKind.USER_INPUT);
    assertEquals(refused.getMessage(), message);
  }

  @Test
  public void buildNeedsTheCheckoutAndHome() {
    NullPointerException noHome =
        expectThrows(NullPointerException.class, () -> SweepSpec.builder().checkout(ROOT).build());
    assertEquals(noHome.getMessage(), "home is null");
    NullPointerException noCheckout =
        expectThrows(NullPointerException.class, () -> SweepSpec.builder().home(HOME).build());
    assertEquals(noCheckout.getMessage(), "benchmarksDir is null");
  }

  private static SweepSpec.Builder builder() {
    return SweepSpec.builder().checkout(ROOT).home(HOME);
  }

  private static UnaryOperator<SweepSpec.Builder> op(UnaryOperator<SweepSpec.Builder> change) {
    return change;
  }

  private static List<Object> describe(SweepSpec spec) {
    return List.of(
        spec.benchmarksDir(),
        spec.settingsDir(),
        spec.home(),
        spec.modelsFile(),
        spec.modelsYaml(),
        spec.models(),
        spec.benchmarks(),
        spec.settings(),
        spec.perturbations(),
        spec.limit(),
        spec.limitFraction(),
        spec.data(),
        spec.store(),
        spec.out(),
        spec.runsDir(),
        spec.master(),
        spec.concurrency(),
        spec.unsafeNoSandbox(),
        spec.environment());
  }
}
