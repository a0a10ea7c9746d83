package io.leadline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.PrettyJson;
import io.leadline.compare.BenchmarkDelta;
import io.leadline.compare.DiffResult;
import io.leadline.compare.Flip;
import io.leadline.compare.PairwiseResult;
import io.leadline.compare.RunSide;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleColumns;
import io.leadline.records.SampleRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code leadline diff --format html}: the diff as a page of the report family — the headline, both
 * runs, a row per benchmark (A and B with n, the delta with its interval, the test, p and Holm's p,
 * the direction, the smallest detectable delta, the flips), the seesaw chart with each interval on
 * its bar, the subsets, a judge's pairwise verdicts, and the flips as tables (the end of each
 * question, the whole prompt when opened, both answers and the gold). Everything the Markdown says,
 * and the same bytes for the same inputs.
 */
public final class DiffPage {
  /** At most this many flips of each direction are listed per benchmark (JSON lists them all). */
  static final int FLIPS_SHOWN = 25;

  /** How much of a question's end a flip shows before it is opened. */
  static final int QUESTION_CHARS = 200;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<String> HEADINGS =
      List.of(
          "Benchmark",
          "Setting",
          "A",
          "B",
          "Δ (points)",
          "Test",
          "p",
          "p (Holm)",
          "Direction",
          "Detectable Δ",
          "Flips ↑/↓");

  private final DiffResult diff;
  private final Map<String, String> prompts;

  private DiffPage(DiffResult diff, Map<String, String> prompts) {
    this.diff = diff;
    this.prompts = prompts;
  }

  /**
   * The page of {@code diff}; {@code samplesOfA}, RUN_A's samples, give each flip its whole prompt
   * (a flip shows only the end of it where they are not given, or lack it).
   */
  public static String html(DiffResult diff, List<SampleRow> samplesOfA) {
    return html(diff, samplesOfA::forEach);
  }

  /** The page of {@code diff}, each flip with its whole prompt as {@code runA} holds it. */
  public static String html(DiffResult diff, RunFolders.Run runA) {
    String model = diff.a().summary().path("model").asText();
    return html(
        diff,
        each ->
            runA.forEachSample(
                COLUMNS,
                sample ->
                    sample.sampleIndex() == 0
                        && sample.perturbation().isEmpty()
                        && sample.model().equals(model),
                each));
  }

  /** The columns of {@code samples.parquet} the page reads. */
  private static final Set<String> COLUMNS =
      Set.of(
          SampleColumns.MODEL,
          SampleColumns.BENCHMARK,
          SampleColumns.SUBSET,
          SampleColumns.SETTING,
          SampleColumns.PERTURBATION,
          SampleColumns.EXAMPLE_ID,
          SampleColumns.SAMPLE_INDEX,
          SampleColumns.PROMPT);

  private static String html(DiffResult diff, Consumer<Consumer<SampleRow>> samplesOfA) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (BenchmarkDelta row : diff.rows()) {
      String setting = settingOfA(row);
      for (List<Flip> flips : List.of(row.flipsUp(), row.flipsDown())) {
        for (Flip flip : flips) {
          wanted.put(key(row.benchmark(), flip.subset(), setting, flip.exampleId()), "");
        }
      }
    }
    String model = diff.a().summary().path("model").asText();
    Map<String, String> prompts = new LinkedHashMap<>();
    samplesOfA.accept(
        sample -> {
          if (sample.sampleIndex() != 0
              || sample.perturbation().isPresent()
              || !sample.model().equals(model)) {
            return;
          }
          String key =
              key(sample.benchmark(), sample.subset(), sample.setting(), sample.exampleId());
          if (wanted.containsKey(key)) {
            prompts.putIfAbsent(key, sample.prompt());
          }
        });
    return new DiffPage(diff, prompts).render();
  }

  /** RUN_A's setting of a row (across scorings a row names both: {@code A vs B}). */
  private static String settingOfA(BenchmarkDelta row) {
    int at = row.setting().indexOf(" vs ");
    return at < 0 ? row.setting() : row.setting().substring(0, at);
  }

  private static String key(
      String benchmark, Optional<String> subset, String setting, String exampleId) {
    return String.join("\u0000", benchmark, subset.orElse(""), setting, exampleId);
  }

  private String render() {
    String modelA = diff.a().summary().path("model").asText("A");
    String modelB = diff.b().summary().path("model").asText("B");
    StringBuilder page = new StringBuilder();
    if (!diff.compatible()) {
      page.append("<div class=\"notice\"><p><strong>Only the items both runs share are compared")
          .append(" (--allow-mismatch); the runs differ:</strong></p><ul>\n");
      diff.mismatches().forEach(m -> page.append("<li>").append(Page.esc(m)).append("</li>\n"));
      page.append("</ul></div>\n");
    }
    page.append("<h1>")
        .append(Page.esc(modelA))
        .append(" → ")
        .append(Page.esc(modelB))
        .append("</h1>\n<p class=\"headline\"><strong>")
        .append(Page.esc(diff.headline()))
        .append("</strong>")
        .append(diff.seesaw() ? " <span class=\"badge down\">seesaw</span>" : "")
        .append("</p>\n<p class=\"lede\">Up: ")
        .append(Page.esc(names(diff.gains())))
        .append(". Down: ")
        .append(Page.esc(names(diff.regressions())))
        .append(". ")
        .append(Page.esc(Page.LEGEND))
        .append(" A and B are paired: n is the items both have; the interval is the delta's")
        .append(" (paired bootstrap), its direction up or down where Holm's p &lt; 0.05.</p>\n");
    page.append("<dl class=\"runs\">\n");
    run(page, "A", diff.a());
    run(page, "B", diff.b());
    page.append("</dl>\n<h2>Per benchmark</h2>\n");
    List<BenchmarkDelta> overall = diff.rows().stream().filter(r -> r.subset().isEmpty()).toList();
    table(page, overall, "overall");
    boolean chart = !overall.isEmpty();
    if (chart) {
      page.append("<div class=\"charts\"><div class=\"chart\"><canvas id=\"seesaw\"></canvas>")
          .append("</div></div>\n");
    }
    Map<String, List<BenchmarkDelta>> bySubset = new LinkedHashMap<>();
    for (BenchmarkDelta row : diff.rows()) {
      if (row.subset().isPresent()) {
        bySubset
            .computeIfAbsent(title(row.benchmark()) + " — " + row.setting(), k -> new ArrayList<>())
            .add(row);
      }
    }
    if (!bySubset.isEmpty()) {
      page.append("<h2>By subset</h2>\n<p class=\"note\">Holm's correction within each")
          .append(" benchmark.</p>\n");
      bySubset.forEach(
          (title, rows) -> {
            page.append("<details><summary>")
                .append(Page.esc(title))
                .append(" (")
                .append(rows.size())
                .append(" subsets)</summary>\n");
            table(page, rows, "subsets");
            page.append("</details>\n");
          });
    }
    if (!diff.pairwise().isEmpty()) {
      pairwise(page);
    }
    for (BenchmarkDelta row : overall) {
      if (row.flipsUp().isEmpty() && row.flipsDown().isEmpty()) {
        continue;
      }
      page.append("<h2>")
          .append(Page.esc(title(row.benchmark())))
          .append(" flips <span class=\"muted\">(")
          .append(Page.esc(row.setting()))
          .append(")</span></h2>\n");
      flips(page, row, "wrong → right", row.flipsUp());
      flips(page, row, "right → wrong", row.flipsDown());
    }
    return Page.begin("leadline diff: " + modelA + " → " + modelB, "")
        .raw(page.toString())
        .end(
            chart, chart ? Optional.of(chartData(overall)) : Optional.empty(), chart ? SCRIPT : "");
  }

  private String names(List<String> benchmarks) {
    return benchmarks.isEmpty()
        ? "none"
        : String.join(", ", benchmarks.stream().map(this::title).toList());
  }

  private static void run(StringBuilder page, String side, RunSide run) {
    JsonNode s = run.summary();
    List<String> reported = new ArrayList<>();
    s.path("reported_models").forEach(m -> reported.add(m.asText()));
    page.append("<dt>")
        .append(side)
        .append("</dt><dd><strong>")
        .append(Page.esc(s.path("model").asText()))
        .append("</strong> (")
        .append(Page.esc(s.path("model_id").asText()))
        .append(s.path("simulated").asBoolean() ? ", simulated" : "")
        .append(reported.isEmpty() ? "" : ", reported " + Page.esc(String.join(", ", reported)))
        .append("), run ")
        .append(Page.esc(s.path("run_id").asText()))
        .append(" in ")
        .append(Page.esc(s.path("run").asText()))
        .append(", created ")
        .append(Page.esc(s.path("created").asText()))
        .append(", Leadline ")
        .append(Page.esc(s.path("leadline_version").asText()))
        .append(" commit ")
        .append(Page.esc(s.path("commit").asText()))
        .append("</dd>\n");
  }

  private void table(StringBuilder page, List<BenchmarkDelta> rows, String kind) {
    page.append("<table class=\"scores wide sortable diff ")
        .append(kind)
        .append("\">")
        .append(Page.headerRow(HEADINGS, 2))
        .append("<tbody>\n");
    for (BenchmarkDelta row : rows) {
      page.append("<tr data-benchmark=\"")
          .append(Page.esc(row.benchmark()))
          .append("\">")
          .append(
              Page.textCell(
                  HEADINGS.get(0),
                  row.subset().orElse(title(row.benchmark())) + " (" + row.metric() + ")"))
          .append(Page.textCell(HEADINGS.get(1), row.setting()))
          .append(Page.scoreCell(HEADINGS.get(2), row.a(), row.nPaired(), row.a() >= row.b()))
          .append(Page.scoreCell(HEADINGS.get(3), row.b(), row.nPaired(), row.b() >= row.a()))
          .append(
              Page.deltaCell(
                  HEADINGS.get(4), row.delta(), row.ciLow(), row.ciHigh(), row.direction()))
          .append(Page.textCell(HEADINGS.get(5), row.test()))
          .append(Page.numberCell(HEADINGS.get(6), pText(row.pValue())))
          .append(Page.numberCell(HEADINGS.get(7), pText(row.pAdjusted())))
          .append("<td class=\"text ")
          .append(Page.esc(row.direction()))
          .append("\" data-label=\"")
          .append(Page.esc(HEADINGS.get(8)))
          .append("\">")
          .append(Page.esc(row.direction()))
          .append("</td>")
          .append(
              Page.numberCell(
                  HEADINGS.get(9),
                  String.format(Locale.ROOT, "%.1f", row.minDetectableDelta() * 100)))
          .append(
              Page.numberCell(
                  HEADINGS.get(10), row.flipsUp().size() + "/" + row.flipsDown().size()))
          .append("</tr>\n");
    }
    page.append("</tbody></table>\n");
  }

  private void pairwise(StringBuilder page) {
    List<String> heads =
        List.of(
            "Benchmark",
            "Setting",
            "Judge",
            "Template",
            "B wins",
            "A wins",
            "Ties",
            "Pairs judged",
            "B's win rate",
            "Flipped with the order",
            "Preferred the first shown",
            "Without a verdict",
            "Judge requests sent");
    page.append("<h2>Pairwise judging</h2>\n<p class=\"note\">Every pair judged in both orders;")
        .append(" a verdict that flips with the order is a tie, and how often that happens is the")
        .append(" judge's position bias. A tie counts half of B's win rate.</p>\n")
        .append("<table class=\"scores wide pairwise\">")
        .append(Page.headerRow(heads, 4))
        .append("<tbody>\n");
    for (PairwiseResult p : diff.pairwise()) {
      page.append("<tr>")
          .append(Page.textCell(heads.get(0), title(p.benchmark())))
          .append(Page.textCell(heads.get(1), p.setting()))
          .append(Page.textCell(heads.get(2), p.judge()))
          .append(Page.textCell(heads.get(3), p.template()))
          .append(Page.numberCell(heads.get(4), Long.toString(p.winsB())))
          .append(Page.numberCell(heads.get(5), Long.toString(p.winsA())))
          .append(Page.numberCell(heads.get(6), Long.toString(p.ties())))
          .append(Page.numberCell(heads.get(7), p.graded() + " of " + p.pairs()))
          .append(
              Page.scoreCell(heads.get(8), p.winRateB(), p.ciLow(), p.ciHigh(), p.graded(), false))
          .append(
              Page.numberCell(
                  heads.get(9),
                  String.format(Locale.ROOT, "%d (%.1f%%)", p.flips(), p.flipShare() * 100)))
          .append(
              Page.numberCell(
                  heads.get(10), String.format(Locale.ROOT, "%.1f%%", p.firstShownShare() * 100)))
          .append(Page.numberCell(heads.get(11), Long.toString(p.pairs() - p.graded())))
          .append(Page.numberCell(heads.get(12), Long.toString(p.sentRequests())))
          .append("</tr>\n");
    }
    page.append("</tbody></table>\n");
  }

  private void flips(StringBuilder page, BenchmarkDelta row, String label, List<Flip> flips) {
    if (flips.isEmpty()) {
      return;
    }
    int shown = Math.min(FLIPS_SHOWN, flips.size());
    List<String> heads =
        List.of("Item", "Question (its end; open for the prompt)", "A", "B", "Gold");
    page.append("<h3>")
        .append(Page.esc(label))
        .append(": ")
        .append(flips.size())
        .append(shown < flips.size() ? " (the first " + shown + ")" : "")
        .append("</h3>\n<table class=\"scores flips\" data-direction=\"")
        .append(label.startsWith("wrong") ? "up" : "down")
        .append("\">")
        .append(Page.headerRow(heads, 5))
        .append("<tbody>\n");
    String setting = settingOfA(row);
    for (Flip flip : flips.subList(0, shown)) {
      String prompt = prompts.get(key(row.benchmark(), flip.subset(), setting, flip.exampleId()));
      page.append("<tr>")
          .append(
              Page.markupCell(
                  heads.get(0),
                  "<code>"
                      + Page.esc(flip.subset().map(s -> s + "/").orElse("") + flip.exampleId())
                      + "</code>"))
          .append(
              Page.markupCell(
                  heads.get(1),
                  prompt == null
                      ? Page.tail(flip.question(), QUESTION_CHARS + 1)
                      : Page.tail(prompt, QUESTION_CHARS)))
          .append(answer(heads.get(2), flip.answerA()))
          .append(answer(heads.get(3), flip.answerB()))
          .append(
              Page.markupCell(
                  heads.get(4), "<pre class=\"wrap\">" + Page.esc(flip.gold()) + "</pre>"))
          .append("</tr>\n");
    }
    page.append("</tbody></table>\n");
    if (shown < flips.size()) {
      page.append("<p class=\"note\">… and ")
          .append(flips.size() - shown)
          .append(" more (--format json lists them all).</p>\n");
    }
  }

  private static String answer(String column, Optional<String> answer) {
    return Page.markupCell(
        column,
        answer
            .map(a -> "<pre class=\"wrap\">" + Page.esc(a) + "</pre>")
            .orElse("<span class=\"muted\">(no answer)</span>"));
  }

  private String title(String benchmark) {
    return diff.a()
        .titles()
        .getOrDefault(benchmark, diff.b().titles().getOrDefault(benchmark, benchmark));
  }

  private static String pText(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  private String chartData(List<BenchmarkDelta> overall) {
    ObjectNode seesaw = MAPPER.createObjectNode();
    seesaw.put("title", diff.headline());
    ArrayNode items = seesaw.putArray("benchmarks");
    for (BenchmarkDelta row : overall) {
      items
          .addObject()
          .put("benchmark", title(row.benchmark()))
          .put("delta", Math.round(row.delta() * 1000) / 10.0)
          .put("low", Math.round(row.ciLow() * 1000) / 10.0)
          .put("high", Math.round(row.ciHigh() * 1000) / 10.0)
          .put("direction", row.direction());
    }
    return PrettyJson.write(seesaw);
  }

  /** The seesaw; sets body[data-charts] to the number drawn (the browser tests read it). */
  private static final String SCRIPT =
      """
      leadline.seesaw(document.getElementById('seesaw'), DATA);
      document.body.dataset.charts = 1;
      """;
}
