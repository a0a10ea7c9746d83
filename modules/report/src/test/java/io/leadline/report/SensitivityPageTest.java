package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.perturb.Observation;
import io.leadline.perturb.Sensitivity;
import io.leadline.records.RecordFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

/**
 * The sensitivity page over a real analysis: sim-v1 loses a third of its GSM8K items under one
 * format variant and none under qa-labels, on 60 items; MMLU on 12 items is a small sample.
 */
public class SensitivityPageTest {
  private static List<Sensitivity.Report> reports() {
    List<Observation> observations = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String item = "g" + i;
      boolean right = i < 45;
      observations.add(new Observation("sim-v1", "gsm8k", item, Optional.empty(), right ? 1 : 0));
      observations.add(
          new Observation(
              "sim-v1", "gsm8k", item, Optional.of("format:extra-newlines"), i < 25 ? 1 : 0));
      observations.add(
          new Observation(
              "sim-v1", "gsm8k", item, Optional.of("format:trailing-spaces"), right ? 1 : 0));
      observations.add(
          new Observation(
              "sim-v1", "gsm8k", item, Optional.of("qa-labels:question-answer"), right ? 1 : 0));
      observations.add(
          new Observation("sim-v1", "gsm8k", item, Optional.of("numbers:changed"), i % 2));
    }
    for (int i = 0; i < 12; i++) {
      observations.add(new Observation("sim-v1", "mmlu", "m" + i, Optional.empty(), i % 2));
      observations.add(new Observation("sim-v1", "mmlu", "m" + i, Optional.of("format:x"), i % 2));
    }
    return Sensitivity.analyse(observations);
  }

  @Test
  public void isRealHtmlWithEveryNumberTheMarkdownHas() {
    List<Sensitivity.Report> reports = reports();
    String html =
        SensitivityPage.html(reports, "runs/r1", RecordFixtures.manifest(), Optional.empty());
    assertFalse(html.contains("<pre>#"), "no Markdown inside <pre>");
    assertTrue(html.contains("1 of 2 model and benchmark pairs are sensitive"), html);
    assertTrue(html.contains("<canvas id=\"variants\">"));
    // The summary row: GSM8K's default, format's worst variant (sensitive), qa-labels not perturbed
    // on MMLU.
    assertTrue(
        html.contains(
            "<td class=\"score best\" data-label=\"Default\" data-sort=\"0.750000\"><span"
                + " class=\"v\">75.0</span>"),
        html);
    assertTrue(
        html.contains(
            "<span class=\"muted\">extra-newlines</span> <span class=\"badge down\">sensitive"),
        html);
    assertTrue(html.contains("<span class=\"why\">not perturbed</span>"), "MMLU had no qa-labels");
    assertTrue(html.contains("data-label=\"Memorisation\">50.0%</td>"), html);
    assertTrue(html.contains("small sample"), "MMLU's 12 items");
    // Per kind: the statistics of the Markdown.
    Sensitivity.KindResult format = reports.get(0).perturbations().get(0);
    assertEquals(format.perturbation(), "format");
    assertTrue(html.contains("data-label=\"Worst drop\">+33.3</td>"), html);
    assertTrue(
        html.contains(
            String.format(
                java.util.Locale.ROOT, "data-label=\"Flip rate\">%.2f</td>", format.flipRate())),
        html);
    assertTrue(html.contains("<span class=\"badge down\">yes</span>"));
    assertEquals(
        html,
        SensitivityPage.html(reports(), "runs/r1", RecordFixtures.manifest(), Optional.empty()));
  }
}
