package io.leadline.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.PrettyJson;
import io.leadline.compare.BenchmarkDelta;
import io.leadline.compare.DiffResult;
import io.leadline.compare.EmergenceResult;
import io.leadline.compare.EvolutionResult;
import io.leadline.compare.RunSide;
import io.leadline.compare.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code leadline evolution --format html}: the path of snapshots (or, with {@code --by params},
 * the sizes of a family) as a page of the report family — the headline, the snapshots, the scores
 * as lines with their interval bands, the steps' paired deltas, the seesaw along the path and the
 * items' paths; or per benchmark score against size under both settings and the gain at each size.
 * Everything the Markdown says, and the same bytes for the same inputs.
 */
public final class EvolutionPage {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] COLOURS = {"#0969da", "#bf3989", "#1a7f37", "#9a6700", "#8250df"};

  private EvolutionPage() {}

  /** The page of a lineage's evolution. */
  public static String html(EvolutionResult result) {
    StringBuilder page = new StringBuilder();
    page.append("<h1>")
        .append(Page.esc(result.pathText()))
        .append("</h1>\n<p class=\"headline\"><strong>")
        .append(Page.esc(result.headline()))
        .append("</strong></p>\n<p class=\"lede\">")
        .append(Page.esc(Page.LEGEND))
        .append(
            Page.esc(
                String.format(
                    Locale.ROOT,
                    " Each step is paired as leadline diff pairs two runs; p-values are"
                        + " Holm-corrected across all %d steps × benchmarks (%d tests).",
                    result.steps().size(),
                    result.tests())))
        .append("</p>\n<dl class=\"runs\">\n");
    for (int i = 0; i < result.path().size(); i++) {
      run(page, Integer.toString(i + 1), result.path().get(i));
    }
    page.append("</dl>\n<h2>Scores along the path</h2>\n");
    List<String> heads = new ArrayList<>(List.of("Benchmark", "Setting"));
    result.path().forEach(side -> heads.add(side.model()));
    page.append("<table class=\"scores sortable evolution\">")
        .append(Page.headerRow(heads, 2))
        .append("<tbody>\n");
    ArrayNode charts = MAPPER.createArrayNode();
    List<String> labels = result.path().stream().map(RunSide::model).toList();
    for (EvolutionResult.Track track : result.overall()) {
      String title = result.title(track.benchmark());
      page.append("<tr data-benchmark=\"")
          .append(Page.esc(track.benchmark()))
          .append("\">")
          .append(Page.textCell(heads.get(0), title + " (" + track.metric() + ")"))
          .append(Page.textCell(heads.get(1), track.setting()));
      double best = track.scores().stream().mapToDouble(Score::value).max().orElse(0);
      for (int i = 0; i < track.scores().size(); i++) {
        page.append(score(heads.get(2 + i), track.scores().get(i), best));
      }
      page.append("</tr>\n");
      ObjectNode chart = charts.addObject();
      chart.put("title", title + " (" + track.setting() + ")");
      labels(chart, labels);
      series(chart.putArray("series"), track.setting(), COLOURS[0], track.scores());
    }
    page.append("</tbody></table>\n");
    charts(page, charts.size());
    page.append("<h2>Steps</h2>\n");
    List<String> stepHeads =
        List.of("Benchmark", "Step", "A", "B", "Δ (points)", "p (Holm)", "Direction", "Flips ↑/↓");
    page.append("<table class=\"scores wide steps\">")
        .append(Page.headerRow(stepHeads, 2))
        .append("<tbody>\n");
    for (EvolutionResult.Track track : result.overall()) {
      for (int i = 0; i < track.deltas().size(); i++) {
        BenchmarkDelta row = track.deltas().get(i);
        page.append("<tr>")
            .append(
                Page.textCell(
                    stepHeads.get(0),
                    result.title(track.benchmark()) + " (" + track.setting() + ")"))
            .append(
                Page.textCell(
                    stepHeads.get(1),
                    (i + 1)
                        + ": "
                        + result.path().get(i).model()
                        + " → "
                        + result.path().get(i + 1).model()))
            .append(Page.scoreCell(stepHeads.get(2), row.a(), row.nPaired(), row.a() >= row.b()))
            .append(Page.scoreCell(stepHeads.get(3), row.b(), row.nPaired(), row.b() >= row.a()))
            .append(
                Page.deltaCell(
                    stepHeads.get(4), row.delta(), row.ciLow(), row.ciHigh(), row.direction()))
            .append(Page.numberCell(stepHeads.get(5), pText(row.pAdjusted())))
            .append(direction(stepHeads.get(6), row.direction()))
            .append(
                Page.numberCell(
                    stepHeads.get(7), row.flipsUp().size() + "/" + row.flipsDown().size()))
            .append("</tr>\n");
      }
    }
    page.append("</tbody></table>\n<h2>Seesaw along the path</h2>\n<ul class=\"steps\">\n");
    for (int i = 0; i < result.steps().size(); i++) {
      DiffResult step = result.steps().get(i);
      page.append("<li>Step ")
          .append(i + 1)
          .append(", ")
          .append(Page.esc(step.a().model()))
          .append(" → ")
          .append(Page.esc(step.b().model()))
          .append(": ")
          .append(Page.esc(result.stepText(step)))
          .append(step.seesaw() ? " <span class=\"badge down\">seesaw</span>" : "")
          .append("</li>\n");
    }
    page.append("</ul>\n<h2>Items along the path</h2>\n<p class=\"note\">Items every snapshot")
        .append(" has, by their path of right (✓) and wrong (✗): the same throughout, flipped")
        .append(" once and stayed flipped, or flipped back and forth.</p>\n");
    List<String> pathHeads =
        List.of(
            "Benchmark",
            "Items",
            "Right throughout",
            "Wrong throughout",
            "✗→✓ stayed",
            "✓→✗ stayed",
            "Oscillated");
    page.append("<table class=\"scores paths\">")
        .append(Page.headerRow(pathHeads, 1))
        .append("<tbody>\n");
    for (EvolutionResult.Track track : result.overall()) {
      EvolutionResult.Paths paths = track.paths().orElseThrow();
      page.append("<tr>")
          .append(
              Page.textCell(
                  pathHeads.get(0), result.title(track.benchmark()) + " (" + track.setting() + ")"))
          .append(Page.numberCell(pathHeads.get(1), Integer.toString(paths.items())))
          .append(Page.numberCell(pathHeads.get(2), Integer.toString(paths.stableRight())))
          .append(Page.numberCell(pathHeads.get(3), Integer.toString(paths.stableWrong())))
          .append(Page.numberCell(pathHeads.get(4), Integer.toString(paths.stayedUp())))
          .append(Page.numberCell(pathHeads.get(5), Integer.toString(paths.stayedDown())))
          .append(Page.numberCell(pathHeads.get(6), Integer.toString(paths.oscillating())))
          .append("</tr>\n");
    }
    page.append("</tbody></table>\n");
    for (EvolutionResult.Track track : result.overall()) {
      EvolutionResult.Paths paths = track.paths().orElseThrow();
      if (paths.oscillating() + paths.stayedUp() + paths.stayedDown() == 0) {
        continue;
      }
      page.append("<h3>")
          .append(Page.esc(result.title(track.benchmark())))
          .append(" <span class=\"muted\">(")
          .append(Page.esc(track.setting()))
          .append(")</span></h3>\n");
      examples(page, result, "oscillated", paths.oscillating(), paths.oscillatingExamples());
      examples(page, result, "✗→✓ and stayed", paths.stayedUp(), paths.stayedUpExamples());
      examples(page, result, "✓→✗ and stayed", paths.stayedDown(), paths.stayedDownExamples());
    }
    boolean chart = charts.size() > 0;
    return Page.begin("leadline evolution: " + result.pathText(), "")
        .raw(page.toString())
        .end(
            chart,
            chart ? Optional.of(PrettyJson.write(charts)) : Optional.empty(),
            chart ? SCRIPT : "");
  }

  /** The page of a family's emergence view. */
  public static String html(EmergenceResult result) {
    StringBuilder page = new StringBuilder();
    String heading =
        String.join(", ", result.family())
            + ": "
            + result.first()
            + " against "
            + result.contrast()
            + " by size";
    page.append("<h1>")
        .append(Page.esc(heading))
        .append("</h1>\n<p class=\"headline\"><strong>")
        .append(Page.esc(result.headline()))
        .append("</strong></p>\n<p class=\"lede\">")
        .append(Page.esc(Page.LEGEND))
        .append(
            Page.esc(
                String.format(
                    Locale.ROOT,
                    " The settings differ in one axis (%s). Gain = %s − %s, paired item by item"
                        + " (the same model, the two settings); p-values Holm-corrected across %d"
                        + " sizes × %d benchmarks.",
                    result.axis(),
                    result.first(),
                    result.contrast(),
                    result.sizes().size(),
                    result.overall().size())))
        .append("</p>\n");
    if (!result.unchanged().isEmpty()) {
      page.append("<p class=\"note\">Defined alike by both settings (no gain to measure): ")
          .append(
              Page.esc(String.join(", ", result.unchanged().stream().map(result::title).toList())))
          .append(".</p>\n");
    }
    page.append("<dl class=\"runs\">\n");
    for (RunSide side : result.sizes()) {
      run(page, EmergenceResult.paramsText(side.params()), side);
    }
    page.append("</dl>\n");
    ArrayNode charts = MAPPER.createArrayNode();
    List<String> labels =
        result.sizes().stream()
            .map(s -> s.model() + " (" + EmergenceResult.paramsText(s.params()) + ")")
            .toList();
    List<String> heads =
        List.of(
            "Model",
            "Params",
            result.first(),
            result.contrast(),
            "Gain (points)",
            "p (Holm)",
            "Significant");
    for (EmergenceResult.Curve curve : result.overall()) {
      String title = result.title(curve.benchmark());
      page.append("<h2>")
          .append(Page.esc(title))
          .append(" <span class=\"muted\">(")
          .append(Page.esc(curve.metric()))
          .append(
              ")</span></h2>\n<p class=\"verdict\">Smallest size with a significant gain: <strong>")
          .append(
              Page.esc(
                  curve
                      .smallestSignificant()
                      .map(m -> m.model() + " (" + EmergenceResult.paramsText(m.params()) + ")")
                      .orElse("none")))
          .append("</strong></p>\n<table class=\"scores emergence\" data-benchmark=\"")
          .append(Page.esc(curve.benchmark()))
          .append("\">")
          .append(Page.headerRow(heads, 2))
          .append("<tbody>\n");
      for (EmergenceResult.Size size : curve.sizes()) {
        BenchmarkDelta gain = size.gain();
        double best = Math.max(size.first().value(), size.contrast().value());
        page.append("<tr>")
            .append(Page.textCell(heads.get(0), size.model().model()))
            .append(Page.textCell(heads.get(1), EmergenceResult.paramsText(size.model().params())))
            .append(score(heads.get(2), size.first(), best))
            .append(score(heads.get(3), size.contrast(), best))
            .append(
                Page.deltaCell(
                    heads.get(4), gain.delta(), gain.ciLow(), gain.ciHigh(), gain.direction()))
            .append(Page.numberCell(heads.get(5), pText(gain.pAdjusted())))
            .append(
                direction(
                    heads.get(6),
                    gain.direction().equals("up")
                        ? "yes"
                        : gain.direction().equals("down") ? "no (a loss)" : "no"))
            .append("</tr>\n");
      }
      page.append("</tbody></table>\n");
      ObjectNode chart = charts.addObject();
      chart.put("title", title + ": score against size");
      labels(chart, labels);
      ArrayNode series = chart.putArray("series");
      series(
          series,
          result.first(),
          COLOURS[0],
          curve.sizes().stream().map(EmergenceResult.Size::first).toList());
      series(
          series,
          result.contrast(),
          COLOURS[1],
          curve.sizes().stream().map(EmergenceResult.Size::contrast).toList());
      page.append("<div class=\"charts\"><div class=\"chart\"><canvas id=\"chart-")
          .append(charts.size() - 1)
          .append("\"></canvas></div></div>\n");
    }
    boolean chart = charts.size() > 0;
    return Page.begin("leadline evolution: " + heading, "")
        .raw(page.toString())
        .end(
            chart,
            chart ? Optional.of(PrettyJson.write(charts)) : Optional.empty(),
            chart ? SCRIPT : "");
  }

  private static void charts(StringBuilder page, int count) {
    if (count == 0) {
      return;
    }
    page.append("<div class=\"charts\">");
    for (int i = 0; i < count; i++) {
      page.append("<div class=\"chart\"><canvas id=\"chart-")
          .append(i)
          .append("\"></canvas></div>");
    }
    page.append("</div>\n");
  }

  private static void labels(ObjectNode chart, List<String> labels) {
    ArrayNode array = chart.putArray("labels");
    labels.forEach(array::add);
  }

  private static void series(ArrayNode series, String label, String colour, List<Score> scores) {
    ObjectNode node = series.addObject().put("label", label).put("colour", colour);
    ArrayNode values = node.putArray("values");
    ArrayNode low = node.putArray("low");
    ArrayNode high = node.putArray("high");
    for (Score score : scores) {
      values.add(Math.round(score.value() * 1000) / 10.0);
      low.add(Math.round(score.ciLow() * 1000) / 10.0);
      high.add(Math.round(score.ciHigh() * 1000) / 10.0);
    }
  }

  private static String score(String column, Score score, double best) {
    return Page.scoreCell(
        column, score.value(), score.ciLow(), score.ciHigh(), score.n(), score.value() == best);
  }

  private static String direction(String column, String text) {
    String kind =
        text.equals("up") || text.equals("yes")
            ? "up"
            : text.startsWith("no (") || text.equals("down") ? "down" : "flat";
    return "<td class=\"text "
        + kind
        + "\" data-label=\""
        + Page.esc(column)
        + "\">"
        + Page.esc(text)
        + "</td>";
  }

  private static void examples(
      StringBuilder page,
      EvolutionResult result,
      String label,
      int count,
      List<EvolutionResult.PathItem> items) {
    if (count == 0) {
      return;
    }
    List<String> heads =
        List.of("Item", "Path", "Question (its end)", "Answers along the path", "Gold");
    page.append("<h4>")
        .append(Page.esc(label))
        .append(": ")
        .append(count)
        .append(items.size() < count ? " (the first " + items.size() + ")" : "")
        .append("</h4>\n<table class=\"scores flips paths-of-items\">")
        .append(Page.headerRow(heads, 5))
        .append("<tbody>\n");
    for (EvolutionResult.PathItem item : items) {
      List<String> answers = item.answers().stream().map(a -> a.orElse("(no answer)")).toList();
      page.append("<tr>")
          .append(
              Page.markupCell(
                  heads.get(0),
                  "<code>"
                      + Page.esc(item.subset().map(s -> s + "/").orElse("") + item.exampleId())
                      + "</code>"))
          .append(Page.textCell(heads.get(1), item.marks()))
          .append(Page.markupCell(heads.get(2), Page.tail(item.question(), 160)))
          .append(
              Page.markupCell(
                  heads.get(3),
                  "<pre class=\"wrap\">" + Page.esc(String.join("\n", answers)) + "</pre>"))
          .append(
              Page.markupCell(
                  heads.get(4), "<pre class=\"wrap\">" + Page.esc(item.gold()) + "</pre>"))
          .append("</tr>\n");
    }
    page.append("</tbody></table>\n");
  }

  private static void run(StringBuilder page, String label, RunSide side) {
    page.append("<dt>")
        .append(Page.esc(label))
        .append("</dt><dd><strong>")
        .append(Page.esc(side.model()))
        .append("</strong> (")
        .append(Page.esc(side.summary().path("model_id").asText()))
        .append(side.summary().path("simulated").asBoolean() ? ", simulated" : "")
        .append(side.released().map(d -> ", released " + d).orElse(""))
        .append(
            side.params().isPresent()
                ? ", " + EmergenceResult.paramsText(side.params()) + " parameters"
                : "")
        .append(side.family().map(f -> ", family " + Page.esc(f)).orElse(""))
        .append("), run ")
        .append(Page.esc(side.summary().path("run_id").asText()))
        .append("</dd>\n");
  }

  private static String pText(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  /**
   * Each chart of DATA as lines with their 95% interval bands (the band is the area between the
   * interval's two ends); sets body[data-charts] to the number drawn (the browser tests read it).
   */
  private static final String SCRIPT =
      """
      DATA.forEach((chart, i) => {
        const datasets = [];
        chart.series.forEach(s => {
          datasets.push({label: s.label + ' (95% interval)', data: s.high, borderWidth: 0,
                         pointRadius: 0, fill: '+1', backgroundColor: s.colour + '33', band: true});
          datasets.push({label: s.label + ' low', data: s.low, borderWidth: 0, pointRadius: 0,
                         fill: false, band: true});
          datasets.push({label: s.label, data: s.values, borderColor: s.colour,
                         backgroundColor: s.colour, fill: false, tension: 0});
        });
        new Chart(document.getElementById('chart-' + i), {type: 'line',
          data: {labels: chart.labels, datasets},
          options: {...leadline.options, scales: {y: {title: {display: true, text: 'score (%)'}}},
                    plugins: {title: {display: true, text: chart.title},
                              legend: {labels: {filter: item => !item.text.endsWith(' low')}}}}});
      });
      document.body.dataset.charts = DATA.length;
      """;
}
