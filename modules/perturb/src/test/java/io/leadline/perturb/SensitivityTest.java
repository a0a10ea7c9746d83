package io.leadline.perturb;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import io.leadline.records.RecordFixtures;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class SensitivityTest {
  private static final String PRIMARY = "gsm8k/gpt-fathom-accuracy";

  private static RunFolders.Run run(List<SampleRow> samples) throws Exception {
    Path dir = Files.createTempDirectory("sensitivity").resolve("run");
    RecordFixtures.writeRunFolder(dir, RecordFixtures.manifest(), List.of(), samples);
    return RunFolders.read(dir.toString(), "RUN");
  }

  private static SampleRow sample(Optional<String> perturbation, int index, String metric) {
    return RecordFixtures.sample(
        "sim-v1", "gsm8k", Optional.empty(), "gpt-fathom", perturbation, index, metric, 1);
  }

  @Test
  public void observesThePrimaryMetricAndMemorisationUnderChangedNumbers() throws Exception {
    RunFolders.Run run =
        run(
            List.of(
                sample(Optional.empty(), 0, PRIMARY),
                sample(Optional.of("format:blank-lines"), 0, PRIMARY),
                sample(Optional.of("numbers:changed"), 0, "gsm8k/memorised"),
                sample(Optional.empty(), 1, "not-primary")));
    List<Observation> observations = Sensitivity.observations(run, Optional.empty());
    assertEquals(
        observations,
        List.of(
            new Observation("sim-v1", "gsm8k", "gsm8k-0", Optional.empty(), 1),
            new Observation("sim-v1", "gsm8k", "gsm8k-0", Optional.of("format:blank-lines"), 1),
            new Observation("sim-v1", "gsm8k", "gsm8k-0", Optional.of("numbers:changed"), 1)));
  }

  @Test
  public void refusesAnUnknownSettingAndAnUnperturbedRun() throws Exception {
    RunFolders.Run run = run(List.of(sample(Optional.empty(), 0, PRIMARY)));
    LeadlineException setting =
        expectThrows(
            LeadlineException.class, () -> Sensitivity.observations(run, Optional.of("x")));
    assertEquals(
        setting.getMessage(),
        "--setting: no setting 'x' in " + run.location() + "; it has gpt-fathom");
    LeadlineException unperturbed =
        expectThrows(
            LeadlineException.class, () -> Sensitivity.observations(run, Optional.empty()));
    assertTrue(
        unperturbed
            .getMessage()
            .endsWith("has no perturbed prompts; sweep with" + " --perturbations first"),
        unperturbed.getMessage());
  }
}
