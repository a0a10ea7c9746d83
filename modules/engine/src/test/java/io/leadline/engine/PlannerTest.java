package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;
import static org.testng.Assert.fail;

import com.google.common.collect.ImmutableList;
import io.leadline.api.LeadlineException;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import io.leadline.models.ModelsFile;
import io.leadline.perturb.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.testng.annotations.Test;

/** The planner on the checkout's benchmarks and settings, without Spark or data. */
public class PlannerTest {
  private static final Path ROOT = Path.of(System.getProperty("leadline.root"));
  private static final Suite SUITE = Suite.load(ROOT.resolve("benchmarks"));
  private static final ModelsFile SIMULATED =
      ModelsFile.parse(SweepSpec.SIMULATED_MODELS_FILE, SweepSpec.SIMULATED_MODELS);
  private static final Planner.Exemplars NOT_ASKED =
      (setting, subset) -> {
        throw new AssertionError("exemplars counted without perturbations");
      };

  @Test
  public void cellsRunBenchmarkThenSettingThenSubsetAndItemsCountEveryModel() {
    Plan plan =
        Planner.plan(
            List.of("a", "b"),
            List.of(data("gsm8k", "main", 3), data("mmlu", "anatomy", 2, "virology", 1)),
            settings("gpt-fathom", "zero-shot"),
            List.of(),
            NOT_ASKED,
            Map.of());
    assertEquals(
        plan.cells(),
        List.of(
            new Plan.Cell("gsm8k", "main", false, "gpt-fathom", "", 3),
            new Plan.Cell("gsm8k", "main", false, "zero-shot", "", 3),
            new Plan.Cell("mmlu", "anatomy", true, "gpt-fathom", "", 2),
            new Plan.Cell("mmlu", "virology", true, "gpt-fathom", "", 1),
            new Plan.Cell("mmlu", "anatomy", true, "zero-shot", "", 2),
            new Plan.Cell("mmlu", "virology", true, "zero-shot", "", 1)));
    assertEquals(plan.models(), List.of("a", "b"));
    // (3 + 2 + 1) examples × 2 settings × 2 models.
    assertEquals(plan.items(), 24);
    assertEquals(plan.itemsOf(1), 12);
    assertEquals(plan.locate(23), new Plan.Position(5, 0, 1));
  }

  @Test
  public void perturbationCellsFollowTheUnperturbedOnesKindByKind() {
    List<String> counted = new ArrayList<>();
    Plan plan =
        Planner.plan(
            List.of("a"),
            List.of(data("mmlu", "anatomy", 2, "virology", 1)),
            settings("gpt-fathom"),
            List.of(Kind.QA_LABELS, Kind.SHOTS_COUNT),
            (setting, subset) -> {
              counted.add(setting.benchmark().name() + "/" + subset);
              return 6;
            },
            Map.of());
    List<String> variants =
        plan.cells().stream()
            .filter(cell -> cell.subset().equals("anatomy"))
            .map(Plan.Cell::perturbation)
            .toList();
    // MMLU's prompt says "Q:"/"A:", so the other labels; five shots of six exemplars: one fewer
    // or one more.
    assertEquals(
        variants,
        List.of(
            "",
            "qa-labels:question-answer",
            "qa-labels:problem-solution",
            "shots-count:minus-one",
            "shots-count:plus-one"));
    // Every variant has a cell per subset, in subset order, with the subset's examples.
    assertEquals(plan.cells().size(), variants.size() * 2);
    for (int i = 0; i < plan.cells().size(); i += 2) {
      assertEquals(plan.cells().get(i).subset(), "anatomy");
      assertEquals(plan.cells().get(i + 1).subset(), "virology");
      assertEquals(plan.cells().get(i + 1).examples(), 1);
    }
    // The exemplars are counted once per benchmark and setting, on the first subset.
    assertEquals(counted, List.of("mmlu/anatomy"));
  }

  @Test
  public void limitTakesTheFirstExamplesOfEachSubset() {
    assertEquals(Planner.examples(50, OptionalInt.of(3)), 3);
    assertEquals(Planner.examples(2, OptionalInt.of(3)), 2);
    assertEquals(Planner.examples(50, OptionalInt.empty()), 50);
    assertEquals(Planner.examples(0, OptionalInt.of(3)), 0);
  }

  @Test
  public void aFractionTakesTheFirstCeilingShareOfEachSubsetInDecimal() {
    java.util.Optional<java.math.BigDecimal> tenth =
        java.util.Optional.of(new java.math.BigDecimal("0.1"));
    assertEquals(Planner.examples(30, OptionalInt.empty(), tenth), 3);
    // In binary floating point 0.07 × 100 is 7.000000000000001, whose ceiling is 8.
    assertEquals(
        Planner.examples(
            100, OptionalInt.empty(), java.util.Optional.of(new java.math.BigDecimal("0.07"))),
        7);
    assertEquals(
        Planner.examples(
            100, OptionalInt.empty(), java.util.Optional.of(new java.math.BigDecimal("0.55"))),
        55);
    assertEquals(Planner.examples(31, OptionalInt.empty(), tenth), 4);
    assertEquals(Planner.examples(1, OptionalInt.empty(), tenth), 1);
    assertEquals(Planner.examples(0, OptionalInt.empty(), tenth), 0);
    assertEquals(Planner.examples(1319, OptionalInt.empty(), tenth), 132);
    // With a count as well, the smaller of the two.
    assertEquals(Planner.examples(1319, OptionalInt.of(50), tenth), 50);
    assertEquals(Planner.examples(100, OptionalInt.of(50), tenth), 10);
  }

  @Test
  public void aCellPlannedTwiceIsRefused() {
    IllegalArgumentException twice =
        expectThrows(
            IllegalArgumentException.class,
            () ->
                Planner.plan(
                    List.of("a"),
                    List.of(data("gsm8k", "main", 3)),
                    settings("gpt-fathom"),
                    List.of(Kind.FORMAT, Kind.FORMAT),
                    (setting, subset) -> 8,
                    Map.of()));
    assertTrue(
        twice.getMessage().startsWith("gsm8k/main under gpt-fathom (format:"), twice.getMessage());
    expectThrows(
        IllegalArgumentException.class,
        () ->
            Planner.plan(
                List.of("a", "a"),
                List.of(data("gsm8k", "main", 3)),
                settings("gpt-fathom"),
                List.of(),
                NOT_ASKED,
                Map.of()));
  }

  @Test
  public void theSameInputsMakeTheSamePlan() {
    List<Plan.Cell> first = perturbedGsm8k().cells();
    assertEquals(perturbedGsm8k().cells(), first);
  }

  @Test
  public void selectionDefaultsToTheSuitesBenchmarksAndTheFilesModels() {
    Planner.Selection all = Planner.select(spec().build(), SUITE, SIMULATED);
    assertEquals(all.benchmarks(), ImmutableList.copyOf(SUITE.benchmarks().keySet()));
    assertEquals(all.modelNames(), List.of("sim-v1", "sim-v2"));
    assertEquals(List.copyOf(all.settings().keySet()), List.of("gpt-fathom"));
    assertEquals(all.kinds(), List.of());

    Planner.Selection named =
        Planner.select(
            spec()
                .benchmarks(List.of("mmlu", "gsm8k"))
                .settings(List.of("zero-shot", "gpt-fathom"))
                .models(List.of("sim-v2"))
                .perturbations(List.of("typos", "format"))
                .build(),
            SUITE,
            SIMULATED);
    assertEquals(named.benchmarks(), List.of("mmlu", "gsm8k"));
    assertEquals(List.copyOf(named.settings().keySet()), List.of("zero-shot", "gpt-fathom"));
    assertEquals(named.modelNames(), List.of("sim-v2"));
    assertEquals(named.kinds(), List.of(Kind.TYPOS, Kind.FORMAT));
  }

  @Test
  public void unknownNamesAreOneLineListingTheKnownOnes() {
    LeadlineException benchmark =
        expectThrows(
            LeadlineException.class,
            () ->
                Planner.select(
                    spec().benchmarks(List.of("gsm8k", "mmmu")).build(), SUITE, SIMULATED));
    assertTrue(
        benchmark.getMessage().startsWith("unknown benchmark 'mmmu' (did you mean mmlu?); known: "),
        benchmark.getMessage());
    LeadlineException model =
        expectThrows(
            LeadlineException.class,
            () -> Planner.select(spec().models(List.of("sim-v3")).build(), SUITE, SIMULATED));
    assertEquals(
        model.getMessage(),
        "unknown model 'sim-v3' (did you mean sim-v1?); known: sim-v1, sim-v2, sim-judge-a,"
            + " sim-judge-b");
    LeadlineException setting =
        expectThrows(
            LeadlineException.class,
            () -> Planner.select(spec().settings(List.of("gpt-fantom")).build(), SUITE, SIMULATED));
    assertTrue(
        setting.getMessage().startsWith("unknown setting 'gpt-fantom' (did you mean gpt-fathom?)"),
        setting.getMessage());
  }

  private static Plan perturbedGsm8k() {
    return Planner.plan(
        List.of("a", "b"),
        List.of(data("gsm8k", "main", 4)),
        settings("gpt-fathom", "cot-off"),
        List.of(Kind.TYPOS, Kind.SHOTS_ORDER, Kind.TEMPERATURE),
        (setting, subset) -> 8,
        Map.of());
  }

  private static SweepSpec.Builder spec() {
    return SweepSpec.builder().checkout(ROOT).home(ROOT.resolve("target/no-home"));
  }

  private static Map<String, Setting> settings(String... names) {
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (String name : names) {
      settings.put(name, SUITE.setting(ROOT.resolve("settings"), name));
    }
    return settings;
  }

  /** A benchmark's data: subset names and example counts, alternating. */
  private static DataPlan.BenchmarkData data(String benchmark, Object... subsets) {
    ImmutableList.Builder<DataPlan.SubsetData> list = ImmutableList.builder();
    for (int i = 0; i < subsets.length; i += 2) {
      list.add(new DataPlan.SubsetData((String) subsets[i], (Integer) subsets[i + 1], "sha"));
    }
    if (subsets.length == 0) {
      fail("no subsets");
    }
    return new DataPlan.BenchmarkData(
        SUITE.benchmark(benchmark), "bundled", "bundled", list.build());
  }

  @Test
  public void aBenchmarkWhoseJudgesAreMissingIsLeftOutUnlessNamed() {
    ModelsFile mine =
        ModelsFile.parse(
            "mine.yaml", "models:\n  - {name: sim-v1, provider: sim, profile: sim-v1}\n");
    SweepSpec all = spec().modelsFile("mine.yaml", "models: []\n").build();
    Planner.Selection selection = Planner.select(all, SUITE, mine);
    assertFalse(selection.benchmarks().contains("tinystories"));
    assertEquals(
        selection.notes(),
        List.of(
            "tinystories: left out: its judges (sim-judge-a, sim-judge-b) are not all in mine.yaml;"
                + " add them, or name judges in a setting's judge: entry"));
    assertEquals(selection.judges(), List.of());
    LeadlineException named =
        expectThrows(
            LeadlineException.class,
            () ->
                Planner.select(
                    spec()
                        .modelsFile("mine.yaml", "models: []\n")
                        .benchmarks(List.of("tinystories"))
                        .build(),
                    SUITE,
                    mine));
    assertEquals(
        named.getMessage(),
        "tinystories: judge 'sim-judge-a' (named in "
            + SUITE.benchmark("tinystories").dir().resolve("benchmark.yaml")
            + ": judge.models) is not in mine.yaml; known: sim-v1 (add it to the models file, or"
            + " name another judge in a setting's judge: entry)");
    // With the judges in the file, they judge and are not models under test.
    Planner.Selection judged =
        Planner.select(spec().benchmarks(List.of("tinystories")).build(), SUITE, SIMULATED);
    assertEquals(judged.judges(), List.of("sim-judge-a", "sim-judge-b"));
    assertEquals(judged.modelNames(), List.of("sim-v1", "sim-v2"));
  }
}
