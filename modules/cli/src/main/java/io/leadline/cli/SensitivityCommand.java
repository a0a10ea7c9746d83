package io.leadline.cli;

import io.leadline.perturb.Observation;
import io.leadline.perturb.Sensitivity;
import io.leadline.records.RunFolders;
import io.leadline.report.SensitivityPage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
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
    List<Observation> observations = Sensitivity.observations(folder, Optional.ofNullable(setting));
    List<Sensitivity.Report> reports = Sensitivity.analyse(observations);
    output.write(
        spec.commandLine().getOut(),
        () -> Sensitivity.toMarkdown(reports),
        () -> Sensitivity.toJson(reports),
        () ->
            SensitivityPage.html(
                reports, folder.location(), folder.manifest(), Optional.ofNullable(setting)));
    return 0;
  }
}
