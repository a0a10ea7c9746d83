package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.compare.Emergence;
import io.leadline.compare.EmergenceResult;
import io.leadline.compare.Evolution;
import io.leadline.compare.EvolutionResult;
import io.leadline.compare.RunSide;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.report.EvolutionPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code leadline evolution RUN…}: how a lineage of snapshots moved step by step, or ({@code --by
 * params}) how a family's gain from one setting over another grows with size.
 */
@Command(
    name = "evolution",
    mixinStandardHelpOptions = true,
    description = {
      "Follow models along a path: each consecutive pair compared as 'leadline diff' compares two"
          + " (paired bootstrap interval, exact McNemar or sign-flip test, the same comparability"
          + " checks), Holm's correction across all steps and benchmarks, the seesaw at each step,"
          + " and which items flipped once and stayed flipped versus flipped back and forth.",
      "The models come in the order --models gives, or by the released: date their models file"
          + " gave (recorded in each run's manifest); they may come from different runs.",
      "With --by params --contrast S: score against size (params: in the models file) under two"
          + " settings that differ in one axis, the gain of the first over S at each size paired"
          + " item by item, and the smallest size whose gain is significant."
    })
final class EvolutionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run folders holding the models.")
  List<String> runs;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "MODEL",
      description =
          "The models in path order (default: every model of the runs, by released: date; with"
              + " --by params, by size).")
  List<String> models;

  @Option(
      names = "--by",
      paramLabel = "params",
      description = "Order by size and show the gain of --setting over --contrast at each size.")
  String by;

  @Option(
      names = "--contrast",
      paramLabel = "SETTING",
      description = "With --by params: the setting the gain is measured against (e.g. cot-off).")
  String contrast;

  @Option(
      names = "--setting",
      paramLabel = "SETTING",
      description =
          "Only this setting's items; with --by params, the first setting (default: the one"
              + " setting of the runs that is not the contrast).")
  String setting;

  @Option(
      names = "--family",
      paramLabel = "NAME",
      description =
          "Only the models of this family (needed with --by params when the runs hold several).")
  String family;

  @Mixin FormattedOutput output;

  @Override
  public Integer call() throws IOException {
    output.check();
    if (by != null && !by.equals("params")) {
      throw LeadlineException.userInput("--by: expected params, got '%s'", by);
    }
    if (by == null && contrast != null) {
      throw LeadlineException.userInput("--contrast: needs --by params");
    }
    if (by != null && contrast == null) {
      throw LeadlineException.userInput(
          "--by params: needs --contrast SETTING, the setting the gain is measured against");
    }
    if (contrast != null && contrast.equals(setting)) {
      throw LeadlineException.userInput(
          "--contrast: '%s' is also the --setting; contrast two different settings", contrast);
    }
    List<RunFolders.Run> folders = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String run : runs) {
      if (!seen.add(run)) {
        throw LeadlineException.userInput("RUN: %s is given twice", run);
      }
      folders.add(RunFolders.read(run, "RUN"));
    }
    List<RunSide> sides = sides(folders);
    return by == null ? lineage(sides) : emergence(folders, sides);
  }

  /** The chosen models, each gathered from every run that holds it (with --setting, of it). */
  private List<RunSide> sides(List<RunFolders.Run> folders) {
    Map<String, List<RunFolders.Run>> holders = new LinkedHashMap<>();
    for (RunFolders.Run folder : folders) {
      boolean hasSetting =
          setting == null || by != null || folder.manifest().settingNames().contains(setting);
      for (String model : folder.manifest().modelNames()) {
        if (hasSetting) {
          holders.computeIfAbsent(model, k -> new ArrayList<>()).add(folder);
        }
      }
    }
    if (holders.isEmpty()) {
      throw LeadlineException.userInput(
          "--setting: no run has the setting '%s'; they have %s", setting, settingsOf(folders));
    }
    List<String> chosen = new ArrayList<>();
    if (models != null) {
      for (String model : models) {
        if (!holders.containsKey(model)) {
          throw LeadlineException.userInput(
              "--models: no model '%s' in the runs%s; they have %s",
              model,
              setting == null || by != null ? "" : " under " + setting,
              String.join(", ", holders.keySet()));
        }
        if (chosen.contains(model)) {
          throw LeadlineException.userInput("--models: '%s' is given twice", model);
        }
        chosen.add(model);
      }
    } else {
      chosen.addAll(holders.keySet());
    }
    Optional<String> only = by == null ? Optional.ofNullable(setting) : Optional.empty();
    List<RunSide> sides = new ArrayList<>();
    for (String model : chosen) {
      RunSide side = null;
      for (RunFolders.Run folder : holders.get(model)) {
        RunSide part = RunSide.of(folder, Optional.of(model), "RUN", "--models", only, "--setting");
        side = side == null ? part : side.merged(part);
      }
      sides.add(side);
    }
    if (family != null) {
      List<String> families =
          sides.stream()
              .map(RunSide::family)
              .flatMap(Optional::stream)
              .distinct()
              .sorted()
              .toList();
      sides = sides.stream().filter(s -> s.family().equals(Optional.of(family))).toList();
      if (sides.isEmpty()) {
        throw LeadlineException.userInput(
            "--family: no model of family '%s'; the models' families are %s",
            family, families.isEmpty() ? "(none given)" : String.join(", ", families));
      }
    }
    return sides;
  }

  private static String settingsOf(List<RunFolders.Run> folders) {
    SortedSet<String> names = new TreeSet<>();
    folders.forEach(f -> names.addAll(f.manifest().settingNames()));
    return String.join(", ", names);
  }

  private int lineage(List<RunSide> sides) throws IOException {
    List<RunSide> path = new ArrayList<>(sides);
    if (models == null) {
      for (RunSide side : path) {
        if (side.released().isEmpty()) {
          throw LeadlineException.userInput(
              "model %s has no released: date in %s (its models-file entry gave none); add"
                  + " released: YYYY-MM-DD to it and sweep again, or give the order with --models",
              side.model(), side.summary().path("run").asText());
        }
      }
      path.sort(
          Comparator.comparing((RunSide s) -> s.released().orElseThrow())
              .thenComparing(RunSide::model));
    }
    if (path.size() < 2) {
      throw LeadlineException.userInput(
          "--models: an evolution needs at least two models, got %s",
          path.isEmpty() ? "none" : path.get(0).model());
    }
    EvolutionResult result = Evolution.compute(path);
    if (!result.compared()) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "leadline evolution: the snapshots are not comparable (%d mismatches):%n",
          result.mismatches().size());
      result.mismatches().forEach(m -> err.println("  - " + m));
      err.flush();
      return 2;
    }
    output.write(
        spec.commandLine().getOut(),
        result::toMarkdown,
        result::toJson,
        () -> EvolutionPage.html(result));
    return 0;
  }

  private int emergence(List<RunFolders.Run> folders, List<RunSide> sides) throws IOException {
    List<String> families =
        sides.stream().map(RunSide::family).flatMap(Optional::stream).distinct().sorted().toList();
    if (family == null && models == null && families.size() > 1) {
      throw LeadlineException.userInput(
          "--by params: the runs hold the families %s; choose one with --family or --models",
          String.join(", ", families));
    }
    for (RunSide side : sides) {
      if (side.params().isEmpty()) {
        throw LeadlineException.userInput(
            "model %s has no params: in %s (its models-file entry gave none); add params: (e.g."
                + " 7B) to it and sweep again, or leave the model out with --models",
            side.model(), side.summary().path("run").asText());
      }
    }
    if (sides.size() < 2) {
      throw LeadlineException.userInput(
          "--by params: needs at least two sizes, got %s", sides.get(0).model());
    }
    SortedSet<String> held = new TreeSet<>();
    sides.forEach(side -> side.items().forEach(item -> held.add(item.setting())));
    if (!held.contains(contrast)) {
      throw LeadlineException.userInput(
          "--contrast: the models have no items under '%s'; they have %s",
          contrast, String.join(", ", held));
    }
    String first = setting;
    if (first == null) {
      List<String> others = held.stream().filter(s -> !s.equals(contrast)).toList();
      if (others.isEmpty()) {
        throw LeadlineException.userInput(
            "--contrast: the models have only the setting '%s'; the gain needs a second one",
            contrast);
      }
      if (others.size() > 1) {
        throw LeadlineException.userInput(
            "--setting: the models have the settings %s besides the contrast %s; name the first"
                + " with --setting",
            String.join(", ", others), contrast);
      }
      first = others.get(0);
    } else if (!held.contains(first)) {
      throw LeadlineException.userInput(
          "--setting: the models have no items under '%s'; they have %s",
          first, String.join(", ", held));
    }
    SortedSet<String> axes =
        Emergence.axes(definition(folders, first), definition(folders, contrast));
    if (axes.size() != 1) {
      throw LeadlineException.userInput(
          "--contrast: %s and %s %s; the gain is read as one axis's effect only when the settings"
              + " differ in exactly one",
          first,
          contrast,
          axes.isEmpty()
              ? "are defined alike on every benchmark"
              : "differ in " + axes.size() + " axes (" + String.join(", ", axes) + ")");
    }
    List<RunSide> sizes = new ArrayList<>(sides);
    sizes.sort(
        Comparator.comparingLong((RunSide s) -> s.params().getAsLong())
            .thenComparing(RunSide::model));
    EmergenceResult result = Emergence.compute(sizes, first, contrast, axes.first());
    output.write(
        spec.commandLine().getOut(),
        result::toMarkdown,
        result::toJson,
        () -> EvolutionPage.html(result));
    return 0;
  }

  /** A setting's recorded definition per benchmark: the first run's that defines it. */
  private static Map<String, String> definition(List<RunFolders.Run> folders, String name) {
    Map<String, String> canonical = new TreeMap<>();
    for (RunFolders.Run folder : folders) {
      for (RunManifest.Setting s : folder.manifest().settings()) {
        if (s.name().equals(name)) {
          s.benchmarks().forEach(b -> canonical.putIfAbsent(b.benchmark(), b.canonical()));
        }
      }
    }
    return canonical;
  }
}
