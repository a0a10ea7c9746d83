package io.leadline.engine;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Judging;
import io.leadline.benchmarks.Perturbations;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import io.leadline.models.ModelSpec;
import io.leadline.models.ModelsFile;
import io.leadline.perturb.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The pure part of preparing a sweep: what a spec selects from the suite and the models file, how
 * many examples each subset gives, and the plan's cells (benchmark × setting × perturbation variant
 * × subset). No Spark, no network, no model: the same inputs make the same plan, cell for cell.
 * What needs I/O (the data, the endpoints, the simulated servers) is done around it, by {@link
 * Sweep}.
 */
final class Planner {
  private Planner() {}

  /**
   * What a spec selects, checked against the suite and the models file.
   *
   * @param benchmarks benchmark names, in the spec's order (the suite's when it names none)
   * @param settings the settings by name, in the spec's order
   * @param models the models to ask, in the spec's order (the file's when it names none)
   * @param kinds the perturbation kinds, in the spec's order
   * @param judges the models the settings' judgings ask, in order, each once
   * @param notes one line for each benchmark left out (its judges are not in the models file)
   */
  record Selection(
      ImmutableList<String> benchmarks,
      ImmutableMap<String, Setting> settings,
      ImmutableList<ModelSpec> models,
      ImmutableList<Kind> kinds,
      ImmutableList<String> judges,
      ImmutableList<String> notes) {
    ImmutableList<String> modelNames() {
      return models.stream().map(ModelSpec::name).collect(ImmutableList.toImmutableList());
    }
  }

  /** How many exemplars a benchmark setting has for a subset (what {@code shots-count} varies). */
  @FunctionalInterface
  interface Exemplars {
    int available(BenchmarkSetting setting, String subset);
  }

  /**
   * The benchmarks, settings and models {@code spec} names, from {@code suite} and {@code file}.
   *
   * @throws io.leadline.api.LeadlineException naming the unknown benchmark, setting or model and
   *     the known ones
   */
  static Selection select(SweepSpec spec, Suite suite, ModelsFile file) {
    List<String> benchmarks =
        spec.benchmarks().isEmpty()
            ? ImmutableList.copyOf(suite.benchmarks().keySet())
            : spec.benchmarks();
    benchmarks.forEach(suite::benchmark);
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (String name : spec.settings()) {
      settings.put(name, suite.setting(spec.settingsDir(), name));
    }
    java.util.LinkedHashSet<String> judges = new java.util.LinkedHashSet<>();
    List<String> kept = new java.util.ArrayList<>();
    List<String> notes = new java.util.ArrayList<>();
    for (String benchmark : benchmarks) {
      java.util.LinkedHashSet<String> named = new java.util.LinkedHashSet<>();
      String missing = null;
      String namedIn = null;
      if (settings.values().stream().allMatch(s -> s.find(benchmark).isEmpty())) {
        if (!spec.benchmarks().isEmpty()) {
          throw LeadlineException.userInput(
              "--benchmarks: %s is in none of the settings %s (log-likelihood settings have only"
                  + " the benchmarks with options); add a setting that has it",
              benchmark, String.join(", ", settings.keySet()));
        }
        continue;
      }
      for (Setting setting : settings.values()) {
        Optional<Judging> judging = setting.find(benchmark).flatMap(BenchmarkSetting::judging);
        if (judging.isEmpty()) {
          continue;
        }
        for (String judge : judging.get().judges()) {
          named.add(judge);
          if (!file.has(judge) && missing == null) {
            missing = judge;
            namedIn = judging.get().namedIn();
          }
        }
      }
      if (missing != null) {
        if (!spec.benchmarks().isEmpty()) {
          throw LeadlineException.userInput(
              "%s: judge '%s' (named in %s) is not in %s; known: %s (add it to the models file,"
                  + " or name another judge in a setting's judge: entry)",
              benchmark,
              missing,
              namedIn,
              spec.modelsFile(),
              String.join(", ", file.models().stream().map(ModelSpec::name).toList()));
        }
        // Every benchmark was asked for, not this one by name: leave it out and say so.
        notes.add(
            String.format(
                "%s: left out: its judges (%s) are not all in %s; add them, or name judges in a"
                    + " setting's judge: entry",
                benchmark, String.join(", ", named), spec.modelsFile()));
        continue;
      }
      kept.add(benchmark);
      judges.addAll(named);
    }
    if (kept.isEmpty()) {
      throw LeadlineException.userInput(
          "%s",
          notes.isEmpty()
              ? "no benchmark is in the settings " + String.join(", ", settings.keySet())
              : notes.get(0));
    }
    benchmarks = kept;
    // A model that judges (any benchmark of the suite, under these settings) is not a model under
    // test unless --models names it.
    java.util.Set<String> judging = new java.util.HashSet<>(judges);
    for (Setting setting : settings.values()) {
      judging.addAll(setting.judges(suite.benchmarks().keySet()));
    }
    // And the judges a benchmark names itself, even under settings that leave it out.
    suite.benchmarks().values().forEach(b -> judging.addAll(b.namedJudges()));
    List<String> selected = benchmarks;
    // A model that answers only some benchmarks (benchmarks: in its entry) and none of these is
    // left out, unless --models names it.
    List<ModelSpec> models =
        spec.models().isEmpty()
            ? file.models().stream()
                .filter(m -> !judging.contains(m.name()))
                .filter(m -> selected.stream().anyMatch(m::answers))
                .toList()
            : spec.models().stream().map(file::model).toList();
    for (ModelSpec model : models) {
      if (selected.stream().noneMatch(model::answers)) {
        throw LeadlineException.userInput(
            "--models: model %s answers only %s (benchmarks: in %s), none of which this sweep runs",
            model.name(), String.join(", ", model.benchmarks()), spec.modelsFile());
      }
    }
    if (models.isEmpty()) {
      throw LeadlineException.userInput(
          "%s has no model to test: every model in it judges (name one with --models)",
          spec.modelsFile());
    }
    for (ModelSpec model : models) {
      for (String only : model.benchmarks()) {
        if (!suite.benchmarks().containsKey(only)) {
          throw LeadlineException.userInput(
              "%s: model %s: benchmarks: unknown benchmark '%s'%s; known: %s",
              spec.modelsFile(),
              model.name(),
              only,
              io.leadline.api.Suggestions.didYouMean(only, suite.benchmarks().keySet()),
              String.join(", ", suite.benchmarks().keySet()));
        }
      }
    }
    for (String benchmark : benchmarks) {
      for (Setting setting : settings.values()) {
        if (setting.find(benchmark).map(BenchmarkSetting::byLikelihood).orElse(false)) {
          for (ModelSpec model : models) {
            if (!model.answers(benchmark)) {
              continue;
            }
            model
                .likelihoodRefusal()
                .ifPresent(
                    refusal -> {
                      throw LeadlineException.userInput(
                          "%s (setting %s scores %s by log-likelihood)",
                          refusal, setting.name(), benchmark);
                    });
          }
        }
      }
    }
    return new Selection(
        ImmutableList.copyOf(benchmarks),
        ImmutableMap.copyOf(settings),
        ImmutableList.copyOf(models),
        ImmutableList.copyOf(spec.kinds()),
        ImmutableList.copyOf(judges),
        ImmutableList.copyOf(notes));
  }

  /** The examples asked of a subset with {@code available} rows: the first {@code limit}. */
  static int examples(int available, OptionalInt limit) {
    return examples(available, limit, Optional.empty());
  }

  /**
   * As {@link #examples(int, OptionalInt)}, and at most the first ⌈{@code fraction} × {@code
   * available}⌉, computed in decimal (in binary floating point 0.07 of 100 would be 8).
   */
  static int examples(int available, OptionalInt limit, Optional<java.math.BigDecimal> fraction) {
    checkArgument(available >= 0, "available must be >= 0: %s", available);
    int examples = Math.min(available, limit.orElse(Integer.MAX_VALUE));
    if (fraction.isPresent()) {
      int share =
          fraction
              .get()
              .multiply(java.math.BigDecimal.valueOf(available))
              .setScale(0, java.math.RoundingMode.CEILING)
              .intValueExact();
      examples = Math.min(examples, share);
    }
    return examples;
  }

  /**
   * The plan: for each benchmark (in {@code data}'s order), each setting, the unperturbed prompt
   * and then each kind's variants (in {@code kinds}' order, as {@link Perturbations} lists them), a
   * cell per subset with the subset's examples.
   *
   * @param exemplars counts the exemplars of the benchmark's first subset, for the variants
   * @param paraphrases the instruction paraphrases per benchmark
   * @throws IllegalArgumentException if two cells would be the same (a variant listed twice)
   */
  static Plan plan(
      List<String> models,
      List<DataPlan.BenchmarkData> data,
      Map<String, Setting> settings,
      List<Kind> kinds,
      Exemplars exemplars,
      Map<String, List<String>> paraphrases) {
    return plan(models, data, settings, kinds, exemplars, paraphrases, (model, benchmark) -> true);
  }

  /** The plan where model {@code m} answers only the benchmarks {@code answers.test(m, name)}. */
  static Plan plan(
      List<String> models,
      List<DataPlan.BenchmarkData> data,
      Map<String, Setting> settings,
      List<Kind> kinds,
      Exemplars exemplars,
      Map<String, List<String>> paraphrases,
      java.util.function.BiPredicate<Integer, String> answers) {
    List<Plan.Cell> cells = new ArrayList<>();
    Set<List<String>> seen = new HashSet<>();
    for (DataPlan.BenchmarkData benchmark : data) {
      String name = benchmark.benchmark().name();
      for (String setting : settings.keySet()) {
        if (settings.get(setting).find(name).isEmpty()) {
          continue;
        }
        BenchmarkSetting resolved = settings.get(setting).of(name);
        List<String> variants = new ArrayList<>();
        variants.add("");
        if (!kinds.isEmpty()) {
          int available = exemplars.available(resolved, benchmark.subsets().get(0).config());
          for (Kind kind : kinds) {
            variants.addAll(
                Perturbations.ids(Perturbations.variants(kind, resolved, available, paraphrases)));
          }
        }
        for (String variant : variants) {
          for (DataPlan.SubsetData subset : benchmark.subsets()) {
            checkArgument(
                seen.add(List.of(name, subset.config(), setting, variant)),
                "%s/%s under %s%s is planned twice",
                name,
                subset.config(),
                setting,
                variant.isEmpty() ? "" : " (" + variant + ")");
            cells.add(
                new Plan.Cell(
                    name,
                    subset.config(),
                    benchmark.benchmark().hasSubsets(),
                    setting,
                    variant,
                    subset.examples()));
          }
        }
      }
    }
    return new Plan(models, cells, answers);
  }
}
