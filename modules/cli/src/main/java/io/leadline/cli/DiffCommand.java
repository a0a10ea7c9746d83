package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import io.leadline.compare.Diff;
import io.leadline.compare.DiffResult;
import io.leadline.compare.Item;
import io.leadline.compare.RunSide;
import io.leadline.engine.RunFolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline diff RUN_A RUN_B}: which benchmarks moved between two model snapshots. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two runs (or two models of one run) benchmark by benchmark: paired bootstrap"
          + " interval of the delta, exact McNemar or sign-flip permutation test, Holm's"
          + " correction, the smallest detectable delta, flips, and whether it is a seesaw.",
      "Runs whose setting hashes, dataset revisions or examples differ are refused (exit 2)"
          + " unless --allow-mismatch."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_A", description = "The earlier run folder.")
  String runA;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "The later run folder.")
  String runB;

  @Option(names = "--model-a", description = "The model of RUN_A (needed when it has several).")
  String modelA;

  @Option(names = "--model-b", description = "The model of RUN_B (needed when it has several).")
  String modelB;

  @Mixin FormattedOutput output;

  @Option(
      names = "--allow-mismatch",
      description = "Compare only the items both runs share, and say so in the output.")
  boolean allowMismatch;

  @Override
  public Integer call() throws IOException {
    output.check();
    RunSide a = side(RunFolders.read(runA, "RUN_A"), modelA, "--model-a");
    RunSide b = side(RunFolders.read(runB, "RUN_B"), modelB, "--model-b");
    DiffResult result = Diff.compute(a, b, allowMismatch);
    if (!result.compared()) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "leadline diff: the runs are not comparable (%d mismatches; --allow-mismatch compares"
              + " the items they share):%n",
          result.mismatches().size());
      result.mismatches().forEach(m -> err.println("  - " + m));
      err.flush();
      return 2;
    }
    output.write(
        spec.commandLine().getOut(),
        () -> result.toMarkdown(),
        () -> result.toJson(),
        () -> result.toHtml());
    return 0;
  }

  /** The problems of one model of {@code run}, at their primary metric. */
  static RunSide side(RunFolders.Run run, String model, String flag) {
    JsonNode manifest = run.manifest();
    Set<String> models = new LinkedHashSet<>();
    manifest.path("models").forEach(m -> models.add(m.path("name").asText()));
    String chosen = model;
    if (chosen == null) {
      if (models.size() != 1) {
        throw LeadlineException.userInput(
            "%s: %s has the models %s; name one with %s",
            flag.equals("--model-a") ? "RUN_A" : "RUN_B",
            run.location(),
            String.join(", ", models),
            flag);
      }
      chosen = models.iterator().next();
    } else if (!models.contains(chosen)) {
      throw LeadlineException.userInput(
          "%s: no model '%s' in %s; it has %s",
          flag, chosen, run.location(), String.join(", ", models));
    }
    Map<String, String> primary = new LinkedHashMap<>();
    for (JsonNode setting : manifest.path("settings")) {
      for (JsonNode benchmark : setting.path("benchmarks")) {
        primary.put(
            setting.path("name").asText() + "/" + benchmark.path("benchmark").asText(),
            benchmark.path("primary_metric").asText());
      }
    }
    Map<String, String> revisions = new LinkedHashMap<>();
    Map<String, String> titles = new LinkedHashMap<>();
    for (JsonNode benchmark : manifest.path("benchmarks")) {
      revisions.put(benchmark.path("name").asText(), benchmark.path("revision").asText());
      titles.put(
          benchmark.path("name").asText(),
          benchmark.path("title").asText(benchmark.path("name").asText()));
    }
    List<Item> items = new ArrayList<>();
    for (RunFolders.Sample sample : run.samples()) {
      if (!sample.model().equals(chosen)
          || sample.sampleIndex() != 0
          || sample.error().isPresent()) {
        continue;
      }
      String metric = primary.get(sample.setting() + "/" + sample.benchmark());
      Double value = metric == null ? null : sample.problemScores().get(metric);
      if (value == null) {
        continue;
      }
      items.add(
          new Item(
              sample.benchmark(),
              sample.subset(),
              sample.setting(),
              sample.settingHash(),
              metric,
              sample.exampleId(),
              sample.exampleIndex(),
              value,
              excerpt(sample.prompt()),
              sample.extracted(),
              sample.gold()));
    }
    ObjectNode summary = Json.MAPPER.createObjectNode();
    summary.put("run", run.location());
    summary.put("run_id", manifest.path("run_id").asText());
    summary.put("created", manifest.path("created").asText());
    summary.put("model", chosen);
    for (JsonNode m : manifest.path("models")) {
      if (m.path("name").asText().equals(chosen)) {
        summary.put("model_id", m.path("model").asText());
        summary.put("simulated", m.path("simulated").asBoolean());
        summary.set("reported_models", m.path("reported_models"));
      }
    }
    summary.put("leadline_version", manifest.path("leadline").path("version").asText());
    summary.put("commit", manifest.path("leadline").path("commit").asText());
    return new RunSide(summary, revisions, titles, items);
  }

  /** The end of the prompt, where the question is, on one line. */
  private static String excerpt(String prompt) {
    String flat = prompt.replaceAll("\\s+", " ").strip();
    if (flat.length() <= 200) {
      return flat;
    }
    String tail = flat.substring(flat.length() - 200);
    int space = tail.indexOf(' ');
    return "…" + (space >= 0 ? tail.substring(space + 1) : tail);
  }
}
