package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.compare.Diff;
import io.leadline.compare.DiffResult;
import io.leadline.compare.Item;
import io.leadline.compare.RunSide;
import io.leadline.records.RecordFixtures;
import io.leadline.records.SampleRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

/**
 * The diff's page: a seesaw of two snapshots (Code up, Math down), whose answers hold markup, with
 * A's samples giving the flips their whole prompts.
 */
public class DiffPageTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String LONG_PROMPT =
      "Q: an exemplar that is long. ".repeat(20) + "\nQ: How many apples does Tom have? A:";

  /** A side whose i-th item of each benchmark is right below {@code right}'s count. */
  private static RunSide side(String model, String hash, int n, int mathRight, int codeRight) {
    List<Item> items = new ArrayList<>();
    for (String benchmark : List.of("math", "code")) {
      int right = benchmark.equals("math") ? mathRight : codeRight;
      for (int i = 0; i < n; i++) {
        boolean ok = i < right;
        items.add(
            new Item(
                benchmark,
                Optional.empty(),
                "gpt-fathom",
                hash,
                benchmark + "/accuracy",
                benchmark + "-" + i,
                i,
                ok ? 1 : 0,
                "…How many apples does Tom have? A:",
                Optional.of(ok ? "12" : "</script><img src=x onerror=alert(1)>"),
                "12",
                false));
      }
    }
    return new RunSide(
        MAPPER.createObjectNode().put("model", model).put("run_id", "run-" + model),
        Map.of("math", "r1", "code", "r1"),
        Map.of("math", "Math", "code", "Code"),
        items);
  }

  private static List<SampleRow> promptsOfA() {
    List<SampleRow> samples = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      SampleRow s =
          RecordFixtures.sample(
              "old", "math", Optional.empty(), "gpt-fathom", Optional.empty(), i, "x", 1);
      samples.add(
          new SampleRow(
              s.model(),
              s.benchmark(),
              s.subset(),
              s.setting(),
              s.settingHash(),
              s.perturbation(),
              "math-" + i,
              i,
              0,
              s.requestHash(),
              LONG_PROMPT,
              s.gold(),
              s.shotsUsed(),
              s.completion(),
              s.extracted(),
              s.noAnswerReason(),
              s.explanation(),
              s.scores(),
              s.problemScores(),
              s.passed(),
              s.execResult(),
              s.finishReason(),
              s.truncated(),
              s.error(),
              s.latencyMs(),
              s.promptTokens(),
              s.completionTokens(),
              s.attempts(),
              s.reportedModel(),
              s.judgements(),
              s.options()));
    }
    return samples;
  }

  private static DiffResult seesaw(boolean compatible) {
    return Diff.compute(
        side("old", "a".repeat(64), 40, 35, 5),
        side("new", (compatible ? "a" : "b").repeat(64), 40, 5, 35),
        true);
  }

  @Test
  public void isRealHtmlWithTablesFlipsAndTheSeesaw() {
    String html = DiffPage.html(seesaw(true), promptsOfA());
    assertTrue(html.contains("<h1>old → new</h1>"), html.substring(0, 400));
    assertFalse(html.contains("<pre>|"), "no Markdown inside <pre>");
    assertTrue(html.contains("<canvas id=\"seesaw\">"));
    assertTrue(html.contains("errorBars"), "the whiskers' data goes with the bars");
    assertTrue(html.contains("<span class=\"badge down\">seesaw</span>"));
    // Per benchmark: A and B with n (paired), the delta with its interval, p and Holm's p.
    assertTrue(
        html.contains(
            "<td class=\"score best\" data-label=\"A\" data-sort=\"0.875000\"><span"
                + " class=\"v\">87.5</span> <span class=\"n\">n=40</span></td>"),
        html);
    assertTrue(html.contains("<td class=\"delta down\" data-label=\"Δ (points)\""), html);
    assertTrue(html.contains("data-label=\"p (Holm)\">&lt; 0.001</td>"), html);
    // Flips: the end of the question, the prompt on opening, both answers escaped, the gold.
    assertEquals(html.split("<table class=\"scores flips\"").length - 1, 2, "one per direction");
    assertTrue(html.contains("<h3>right → wrong: 30 (the first 25)</h3>"), html);
    assertTrue(html.contains("… and 5 more (--format json lists them all)."));
    assertTrue(
        html.contains(
            "<details class=\"full\"><summary>…that is long. Q: an exemplar that is long. Q: an"),
        "the question's end, then the whole prompt");
    assertTrue(html.contains("<pre class=\"wrap\">" + Page.esc(LONG_PROMPT) + "</pre>"));
    assertFalse(html.contains("<img src=x"), "an answer is text");
    assertTrue(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Code's flips have no samples given: they show the excerpt the diff holds.
    assertTrue(html.contains("<span class=\"tail\">…How many apples does Tom have? A:</span>"));
    assertEquals(html, DiffPage.html(seesaw(true), promptsOfA()), "the same bytes");
  }

  @Test
  public void saysWhatDiffersFirst() {
    String html = DiffPage.html(seesaw(false), List.of());
    int notice = html.indexOf("<div class=\"notice\">");
    assertTrue(notice > 0 && notice < html.indexOf("<h1>"), "the notice comes first");
    assertTrue(html.contains("setting hashes differ"), html.substring(notice, notice + 600));
  }
}
