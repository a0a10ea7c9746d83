package io.leadline.compare;

import static org.testng.Assert.assertEquals;
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

public class RunSideTest {
  /** The whole prompt flattened, its end kept: what the excerpt must equal, however it gets it. */
  private static String flattenedEnd(String prompt) {
    String flat = prompt.replaceAll("\\s+", " ").strip();
    if (flat.length() <= 200) {
      return flat;
    }
    String tail = flat.substring(flat.length() - 200);
    int space = tail.indexOf(' ');
    return "…" + (space >= 0 ? tail.substring(space + 1) : tail);
  }

  @Test
  public void theExcerptIsTheFlattenedPromptsEnd() {
    String exemplar = "Q: What is  2 +\n 2?\nA: 4\n\n";
    List<String> prompts =
        List.of(
            "",
            "  short question?  ",
            exemplar.repeat(400) + "Q: the question asked\nA:",
            // The last 1,024 characters are mostly whitespace: too little once flattened.
            exemplar.repeat(50) + " ".repeat(900) + "\n\t" + "Q: last?\nA:",
            "x".repeat(5000),
            exemplar.repeat(30) + "\n".repeat(2000));
    for (String prompt : prompts) {
      assertEquals(RunSide.excerpt(prompt), flattenedEnd(prompt), prompt.length() + " characters");
    }
  }

  @Test
  public void flatteningIsTheRegexsEachRunOfWhitespaceOneSpaceThenStripped() {
    java.util.regex.Pattern whitespace = java.util.regex.Pattern.compile("\\s+");
    List<String> texts =
        List.of(
            "",
            " ",
            "a",
            "  a \t\n b\r\n\u000Bc\f",
            // Not \s, but stripped at the ends; kept inside.
            "\u2003a\u00a0b\u001Cc\u2003",
            "\u001C \u001C",
            "x\u0085y\u2028z",
            "Q: 1 +\n\n\n1?\nA:\t");
    for (String text : texts) {
      assertEquals(
          RunSide.flatten(text),
          whitespace.matcher(text).replaceAll(" ").strip(),
          "[" + text + "]");
    }
  }

  /** The fixture run (sim-v1, sim-v2, local-llama) with three gsm8k samples of sim-v1. */
  private static RunFolders.Run run() throws Exception {
    String metric = "gsm8k/gpt-fathom-accuracy";
    List<SampleRow> samples =
        List.of(
            RecordFixtures.sample(
                "sim-v1", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), 0, metric, 1),
            RecordFixtures.sample(
                "sim-v1", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), 1, metric, 0),
            RecordFixtures.sample(
                "sim-v2", "gsm8k", Optional.empty(), "gpt-fathom", Optional.empty(), 0, metric, 1),
            RecordFixtures.sample(
                "sim-v1",
                "gsm8k",
                Optional.empty(),
                "gpt-fathom",
                Optional.empty(),
                2,
                "other",
                1));
    Path dir = Files.createTempDirectory("run-side").resolve("run");
    RecordFixtures.writeRunFolder(dir, RecordFixtures.manifest(), List.of(), samples);
    return RunFolders.read(dir.toString(), "RUN_A");
  }

  @Test
  public void takesOneModelsProblemsAtTheirPrimaryMetric() throws Exception {
    RunSide side = RunSide.of(run(), Optional.of("sim-v1"), "RUN_A", "--model-a");
    assertEquals(side.items().size(), 2, "the sample without the primary metric is left out");
    assertEquals(side.items().get(0).metric(), "gsm8k/gpt-fathom-accuracy");
    assertEquals(side.items().get(1).value(), 0.0);
    assertEquals(side.items().get(1).question(), "Q: question 1 A:");
    assertEquals(side.titles().get("gsm8k"), "GSM8K");
    assertEquals(side.revisions().get("mmlu"), "bundled");
    assertEquals(side.summary().get("model").asText(), "sim-v1");
    assertEquals(side.summary().get("simulated").asBoolean(), true);
    assertEquals(side.summary().get("reported_models").get(0).asText(), "sim-v1");
    assertEquals(side.summary().get("created").asText(), "2026-12-01T21:59:37.952037986Z");
  }

  @Test
  public void theValuesOfEachModelAreTheSidesWithoutTheirTexts() throws Exception {
    RunFolders.Run run = run();
    List<RunSide> values = RunSide.valuesOfEach(run);
    assertEquals(
        values.stream().map(RunSide::model).toList(), List.of("sim-v1", "sim-v2", "local-llama"));
    RunSide whole = RunSide.of(run, Optional.of("sim-v1"), "RUN_A", "--model-a");
    RunSide side = values.get(0);
    assertEquals(side.summary(), whole.summary());
    assertEquals(side.items().size(), whole.items().size());
    for (int i = 0; i < side.items().size(); i++) {
      Item item = side.items().get(i);
      Item full = whole.items().get(i);
      assertEquals(item.question(), "", "the question is not read");
      assertEquals(item.answer(), Optional.empty(), "nor the answer");
      assertEquals(item.gold(), "", "nor the gold");
      assertEquals(
          item,
          new Item(
              full.benchmark(),
              full.subset(),
              full.setting(),
              full.settingHash(),
              full.metric(),
              full.exampleId(),
              full.exampleIndex(),
              full.value(),
              "",
              Optional.empty(),
              "",
              full.byLikelihood()));
    }
    assertEquals(values.get(1).items().size(), 1);
    assertEquals(values.get(2).items(), List.of());
  }

  @Test
  public void aRunOfSeveralModelsNeedsOneNamed() throws Exception {
    RunFolders.Run run = run();
    LeadlineException none =
        expectThrows(
            LeadlineException.class, () -> RunSide.of(run, Optional.empty(), "RUN_A", "--model-a"));
    assertEquals(
        none.getMessage(),
        "RUN_A: "
            + run.location()
            + " has the models sim-v1, sim-v2, local-llama; name one with --model-a");
    LeadlineException unknown =
        expectThrows(
            LeadlineException.class, () -> RunSide.of(run, Optional.of("x"), "RUN_B", "--model-b"));
    assertEquals(
        unknown.getMessage(),
        "--model-b: no model 'x' in " + run.location() + "; it has sim-v1, sim-v2, local-llama");
  }
}
