package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.api.LeadlineException;
import io.leadline.engine.RunFolders;
import io.leadline.perturb.Observation;
import io.leadline.perturb.Sensitivity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline sensitivity RUN}: how much each score depends on the prompt's wording. */
@Command(
    name = "sensitivity",
    mixinStandardHelpOptions = true,
    description = {
      "Per model, benchmark and perturbation kind of a run swept with --perturbations: each"
          + " variant's score with its interval, range, standard deviation, worst drop from the"
          + " default, consistency, flip rate, and whether the drop is significant (paired test,"
          + " Holm over the kinds) and larger than the default's interval half-width; the"
          + " memorisation rate under changed numbers."
    })
final class SensitivityCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "A run folder.")
  String run;

  @Option(
      names = "--setting",
      description = "The setting to analyse, when the run has several (default: its first).")
  String setting;

  @Mixin FormattedOutput output;

  @Override
  public Integer call() throws IOException {
    output.check();
    RunFolders.Run folder = RunFolders.read(run, "RUN");
    JsonNode manifest = folder.manifest();
    Map<String, String> primary = new LinkedHashMap<>();
    List<String> settings = new ArrayList<>();
    for (JsonNode node : manifest.path("settings")) {
      settings.add(node.path("name").asText());
      for (JsonNode benchmark : node.path("benchmarks")) {
        primary.put(
            node.path("name").asText() + "/" + benchmark.path("benchmark").asText(),
            benchmark.path("primary_metric").asText());
      }
    }
    String chosen = setting != null ? setting : settings.isEmpty() ? "" : settings.get(0);
    if (!settings.contains(chosen)) {
      throw LeadlineException.userInput(
          "--setting: no setting '%s' in %s; it has %s", chosen, run, String.join(", ", settings));
    }
    List<Observation> observations = new ArrayList<>();
    boolean perturbed = false;
    for (RunFolders.Sample sample : folder.samples()) {
      if (!sample.setting().equals(chosen)
          || sample.sampleIndex() != 0
          || sample.error().isPresent()) {
        continue;
      }
      perturbed |= sample.perturbation().isPresent();
      String metric =
          sample.perturbation().filter(p -> p.startsWith("numbers:")).isPresent()
              ? sample.benchmark() + "/memorised"
              : primary.get(chosen + "/" + sample.benchmark());
      Double value = sample.problemScores().get(metric);
      if (value != null) {
        observations.add(
            new Observation(
                sample.model(),
                sample.benchmark(),
                sample.subset().map(s -> s + "/").orElse("") + sample.exampleId(),
                sample.perturbation(),
                value));
      }
    }
    if (!perturbed) {
      throw LeadlineException.userInput(
          "RUN: %s has no perturbed prompts; sweep with --perturbations first", run);
    }
    List<Sensitivity.Report> reports = Sensitivity.analyse(observations);
    output.write(
        spec.commandLine().getOut(),
        () -> Sensitivity.toMarkdown(reports),
        () -> Sensitivity.toJson(reports),
        () -> Sensitivity.toHtml(reports));
    return 0;
  }
}
