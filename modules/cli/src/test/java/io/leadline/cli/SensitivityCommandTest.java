package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@code leadline sensitivity} on a real sweep of three simulated snapshots: one whose accuracy on
 * MMLU falls with "Question:"/"Problem:" labels and with extra newlines or trailing spaces, one
 * with no such weakness, and one that answers (A) half the time whatever it says.
 */
public class SensitivityCommandTest {
  private static final Path ROOT = Path.of(System.getProperty("leadline.root"));
  private Path dir;
  private Path run;

  private CliRun leadline(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  @BeforeClass
  public void sweep() throws Exception {
    dir = Files.createTempDirectory("sensitivity-command");
    String base =
        Files.readString(ROOT.resolve("settings/sim-v1.yaml"))
            .replaceAll("(?s)format_sensitivity:.*", "");
    Files.writeString(
        dir.resolve("fragile.yaml"),
        base.replace("snapshot: sim-v1", "snapshot: sim-fragile")
            + "format_sensitivity:\n"
            + "  - {contains: \"Question:\", benchmarks: [mmlu], accuracy_delta: -0.4}\n"
            + "  - {contains: \"Problem:\", benchmarks: [mmlu], accuracy_delta: -0.4}\n"
            + "  - {contains: \"\\n\\n\\n\", benchmarks: [mmlu], accuracy_delta: -0.4}\n"
            + "  - {contains: \" \\n\", benchmarks: [mmlu], accuracy_delta: -0.4}\n");
    Files.writeString(
        dir.resolve("robust.yaml"), base.replace("snapshot: sim-v1", "snapshot: sim-robust"));
    Files.writeString(
        dir.resolve("biased.yaml"),
        base.replace("snapshot: sim-v1", "snapshot: sim-biased")
            + "position_bias: {letter: A, rate: 0.5}\n");
    StringBuilder models = new StringBuilder("models:\n");
    for (String name : new String[] {"fragile", "robust", "biased"}) {
      models.append(
          String.format(
              "  - {name: %s, provider: sim, profile: '%s', model: sim-%s}%n",
              name, dir.resolve(name + ".yaml"), name));
    }
    Files.writeString(dir.resolve("models.yaml"), models.toString());
    run = dir.resolve("run");
    CliRun sweep =
        leadline(
            "sweep",
            "--models-file",
            dir.resolve("models.yaml").toString(),
            "--benchmarks",
            "mmlu,gsm8k",
            "--limit",
            "25",
            "--perturbations",
            "qa-labels,format,shots-order,shots-count,options,numbers",
            "--out",
            run.toString());
    assertEquals(sweep.exitCode(), 0, sweep.err());
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    CliRun.deleteRecursively(dir);
  }

  @Test
  public void flagsEachWeaknessWhereItIsAndNowhereElse() throws Exception {
    CliRun report = leadline("sensitivity", run.toString(), "--format", "json");
    assertEquals(report.exitCode(), 0, report.err());
    Map<String, Set<String>> sensitive = new TreeMap<>();
    Map<String, JsonNode> reports = new TreeMap<>();
    for (JsonNode entry : Json.MAPPER.readTree(report.out())) {
      String key = entry.get("model").asText() + "/" + entry.get("benchmark").asText();
      reports.put(key, entry);
      Set<String> kinds = new TreeSet<>();
      for (JsonNode kind : entry.get("perturbations")) {
        if (kind.get("sensitive").asBoolean()) {
          kinds.add(kind.get("perturbation").asText());
        }
      }
      sensitive.put(key, kinds);
      assertEquals(entry.get("sensitive").asBoolean(), !kinds.isEmpty(), key);
    }
    assertEquals(sensitive.get("fragile/mmlu"), Set.of("qa-labels", "format"));
    assertEquals(sensitive.get("robust/mmlu"), Set.of());
    assertEquals(sensitive.get("biased/mmlu"), Set.of("options"));
    for (String model : new String[] {"fragile", "robust", "biased"}) {
      assertEquals(sensitive.get(model + "/gsm8k"), Set.of(), model);
      // The simulator recognises a question whose numbers changed and answers it as before.
      assertTrue(reports.get(model + "/gsm8k").get("memorisation_rate").asDouble() > 0.2, model);
      assertTrue(reports.get(model + "/mmlu").get("memorisation_rate").isNull(), model);
    }
    JsonNode options = null;
    for (JsonNode kind : reports.get("biased/mmlu").get("perturbations")) {
      if (kind.get("perturbation").asText().equals("options")) {
        options = kind;
      }
    }
    assertEquals(options.get("variants").size(), 4);
    assertEquals(options.get("variants").get(0).get("variant").asText(), "options:gold-at-A");
    assertTrue(
        options.get("variants").get(0).get("score").asDouble()
            > reports.get("biased/mmlu").get("default").get("score").asDouble());
    assertTrue(options.get("consistency").asDouble() < 1);

    CliRun markdown = leadline("sensitivity", run.toString());
    assertTrue(markdown.out().startsWith("# Prompt sensitivity\n"), markdown.out());
  }

  @Test
  public void aRunWithoutPerturbationsIsOneLine() throws Exception {
    Path plain = dir.resolve("plain");
    assertEquals(
        leadline("sweep", "--benchmarks", "gsm8k", "--limit", "2", "--out", plain.toString())
            .exitCode(),
        0);
    CliRun report = leadline("sensitivity", plain.toString());
    assertEquals(report.exitCode(), 2);
    assertEquals(
        report.err(),
        "leadline sensitivity: RUN: "
            + plain
            + " has no perturbed prompts; sweep with --perturbations first"
            + System.lineSeparator());
  }
}
