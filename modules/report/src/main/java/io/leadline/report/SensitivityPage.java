package io.leadline.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.PrettyJson;
import io.leadline.perturb.Sensitivity;
import io.leadline.records.RunManifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code leadline sensitivity --format html}: the sensitivity report as a page of the report family
 * — a row per model and benchmark with the default score and each perturbation kind's worst
 * variant, a chart of the same with each interval on its bar, then per model and benchmark every
 * variant's score and each kind's statistics (range, standard deviation, worst drop, consistency,
 * flip rate, p and Holm's p, sensitive or not) and the memorisation rate under changed numbers.
 * Everything the Markdown says; the same bytes for the same inputs.
 */
public final class SensitivityPage {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SensitivityPage() {}

  /**
   * The page of {@code reports}, from the run {@code location} whose manifest is {@code manifest},
   * under {@code setting} (its first where empty, as the analysis takes it).
   */
  public static String html(
      List<Sensitivity.Report> reports,
      String location,
      RunManifest manifest,
      Optional<String> setting) {
    String chosen =
        setting.orElse(manifest.settingNames().isEmpty() ? "" : manifest.settingNames().get(0));
    Set<String> kinds = new TreeSet<>();
    reports.forEach(r -> r.perturbations().forEach(k -> kinds.add(k.perturbation())));
    boolean memorisation = reports.stream().anyMatch(r -> r.memorisationRate().isPresent());
    StringBuilder page = new StringBuilder("<h1>Prompt sensitivity</h1>\n");
    page.append("<p class=\"lede\">Run ")
        .append(Page.esc(manifest.runId()))
        .append(" (")
        .append(Page.esc(location))
        .append("), setting ")
        .append(Page.esc(chosen))
        .append(". ")
        .append(Page.esc(Page.LEGEND))
        .append(" Each kind shows its worst variant; a kind is <span class=\"badge down\">")
        .append("sensitive</span> when that variant's drop from the default is significant (paired")
        .append(" test on the same items, Holm-corrected over the model's and benchmark's kinds)")
        .append(" and larger than the default's interval half-width. Scores are means over all")
        .append(" items.</p>\n");
    long sensitive = reports.stream().filter(Sensitivity.Report::sensitive).count();
    page.append("<p><strong>")
        .append(sensitive)
        .append(" of ")
        .append(reports.size())
        .append(" model and benchmark pairs are sensitive to the prompt.</strong></p>\n");
    List<String> headings = new ArrayList<>(List.of("Model", "Benchmark", "Default"));
    kinds.forEach(k -> headings.add(k + " (worst)"));
    if (memorisation) {
      headings.add("Memorisation");
    }
    page.append(
            "<table class=\"scores"
                + (kinds.size() > 4 ? " wide" : "")
                + " sortable sensitivity\">")
        .append(Page.headerRow(headings, 2))
        .append("<tbody>\n");
    for (Sensitivity.Report report : reports) {
      double best = report.defaults().score();
      for (Sensitivity.KindResult kind : report.perturbations()) {
        best = Math.max(best, worst(kind).score().score());
      }
      page.append("<tr data-model=\"")
          .append(Page.esc(report.model()))
          .append("\" data-benchmark=\"")
          .append(Page.esc(report.benchmark()))
          .append("\">")
          .append(Page.textCell("Model", report.model()))
          .append(
              Page.markupCell(
                  "Benchmark",
                  "<a href=\"#"
                      + Page.esc(anchor(report))
                      + "\">"
                      + Page.esc(title(manifest, report.benchmark()))
                      + "</a>"
                      + (report.sensitive() ? " <span class=\"badge down\">sensitive</span>" : "")))
          .append(score("Default", report.defaults(), best, ""));
      for (String name : kinds) {
        Optional<Sensitivity.KindResult> kind =
            report.perturbations().stream().filter(k -> k.perturbation().equals(name)).findFirst();
        if (kind.isEmpty()) {
          page.append(
              Page.emptyCell(
                  name + " (worst)",
                  name.equals("numbers") ? "scored for memorisation" : "not perturbed"));
          continue;
        }
        Sensitivity.VariantScore variant = worst(kind.get());
        page.append(
            score(
                name + " (worst)",
                variant.score(),
                best,
                " <span class=\"muted\">"
                    + Page.esc(variantName(variant.variant()))
                    + "</span>"
                    + (kind.get().sensitive()
                        ? " <span class=\"badge down\">sensitive</span>"
                        : "")));
      }
      if (memorisation) {
        page.append(
            report.memorisationRate().isPresent()
                ? Page.numberCell(
                    "Memorisation",
                    String.format(
                        Locale.ROOT, "%.1f%%", report.memorisationRate().getAsDouble() * 100))
                : Page.emptyCell("Memorisation", "numbers not changed"));
      }
      page.append("</tr>\n");
    }
    page.append("</tbody></table>\n");
    boolean chart = !reports.isEmpty() && !kinds.isEmpty();
    if (chart) {
      page.append("<div class=\"chart\" style=\"height:")
          .append(
              String.format(
                  Locale.ROOT, "%.1f", Math.max(18, 6 + reports.size() * (kinds.size() + 1) * 0.7)))
          .append("rem\"><canvas id=\"variants\"></canvas></div>\n");
    }
    for (Sensitivity.Report report : reports) {
      section(page, manifest, report);
    }
    return Page.begin("leadline sensitivity: " + manifest.runId(), "")
        .raw(page.toString())
        .end(
            chart,
            chart ? Optional.of(chartData(reports, kinds, manifest)) : Optional.empty(),
            chart ? SCRIPT : "");
  }

  private static void section(StringBuilder page, RunManifest manifest, Sensitivity.Report report) {
    Sensitivity.Score defaults = report.defaults();
    page.append("<section class=\"report\" id=\"")
        .append(Page.esc(anchor(report)))
        .append("\"><h2>")
        .append(Page.esc(report.model()))
        .append(", ")
        .append(Page.esc(title(manifest, report.benchmark())))
        .append(
            String.format(
                Locale.ROOT,
                ": default %.1f [%.1f, %.1f], n=%d",
                defaults.score() * 100,
                defaults.ciLow() * 100,
                defaults.ciHigh() * 100,
                defaults.n()))
        .append(report.sensitive() ? " <span class=\"badge down\">sensitive</span>" : "")
        .append("</h2>\n");
    report
        .memorisationRate()
        .ifPresent(
            rate ->
                page.append(
                    String.format(
                        Locale.ROOT,
                        "<p>Memorisation under changed numbers: %.1f%% of the answers are the"
                            + " original question's answer.</p>%n",
                        rate * 100)));
    if (report.perturbations().isEmpty()) {
      page.append("</section>\n");
      return;
    }
    List<String> heads = List.of("Perturbation", "Variant", "Score", "Δ from default");
    page.append("<table class=\"scores variants\">")
        .append(Page.headerRow(heads, 2))
        .append("<tbody>\n");
    for (Sensitivity.KindResult kind : report.perturbations()) {
      double best =
          kind.variants().stream().mapToDouble(v -> v.score().score()).max().orElse(Double.NaN);
      for (int i = 0; i < kind.variants().size(); i++) {
        Sensitivity.VariantScore variant = kind.variants().get(i);
        page.append("<tr data-group=\"").append(Page.esc(kind.perturbation())).append("\">");
        if (i == 0) {
          page.append("<td class=\"text group\" rowspan=\"")
              .append(kind.variants().size())
              .append("\" data-label=\"Perturbation\">")
              .append(Page.esc(kind.perturbation()))
              .append("</td>");
        }
        page.append(Page.textCell(heads.get(1), variantName(variant.variant())))
            .append(score(heads.get(2), variant.score(), best, ""))
            .append(
                Page.numberCell(
                    heads.get(3), Page.points(variant.score().score() - defaults.score())))
            .append("</tr>\n");
      }
    }
    page.append("</tbody></table>\n");
    List<String> stats =
        List.of(
            "Perturbation",
            "Range",
            "Std",
            "Worst drop",
            "Consistency",
            "Flip rate",
            "p",
            "p (Holm)",
            "Sensitive");
    page.append("<table class=\"scores kinds\">")
        .append(Page.headerRow(stats, 1))
        .append("<tbody>\n");
    for (Sensitivity.KindResult kind : report.perturbations()) {
      page.append("<tr data-perturbation=\"")
          .append(Page.esc(kind.perturbation()))
          .append("\">")
          .append(Page.textCell(stats.get(0), kind.perturbation()))
          .append(
              Page.numberCell(stats.get(1), String.format(Locale.ROOT, "%.1f", kind.range() * 100)))
          .append(
              Page.numberCell(stats.get(2), String.format(Locale.ROOT, "%.1f", kind.std() * 100)))
          .append(Page.numberCell(stats.get(3), Page.points(kind.worstDrop())))
          .append(
              Page.numberCell(stats.get(4), String.format(Locale.ROOT, "%.2f", kind.consistency())))
          .append(
              Page.numberCell(stats.get(5), String.format(Locale.ROOT, "%.2f", kind.flipRate())))
          .append(Page.numberCell(stats.get(6), pText(kind.pValue())))
          .append(Page.numberCell(stats.get(7), pText(kind.pAdjusted())))
          .append(
              kind.sensitive()
                  ? Page.markupCell(stats.get(8), "<span class=\"badge down\">yes</span>")
                  : Page.textCell(stats.get(8), "no"))
          .append("</tr>\n");
    }
    page.append("</tbody></table>\n</section>\n");
  }

  private static String score(String column, Sensitivity.Score score, double best, String extra) {
    return Page.scoreCell(
        column,
        score.score(),
        score.ciLow(),
        score.ciHigh(),
        score.n(),
        score.score() == best,
        extra);
  }

  /** A kind's lowest-scoring variant (the first of them on a tie). */
  private static Sensitivity.VariantScore worst(Sensitivity.KindResult kind) {
    return kind.variants().stream()
        .min(Comparator.comparingDouble(v -> v.score().score()))
        .orElseThrow();
  }

  /** {@code format:double-newlines} → {@code double-newlines}. */
  private static String variantName(String variant) {
    return variant.substring(variant.indexOf(':') + 1);
  }

  private static String anchor(Sensitivity.Report report) {
    return "r-" + report.model() + "-" + report.benchmark();
  }

  private static String title(RunManifest manifest, String benchmark) {
    return manifest.benchmarks().stream()
        .filter(b -> b.name().equals(benchmark))
        .map(RunManifest.Benchmark::title)
        .findFirst()
        .orElse(benchmark);
  }

  private static String pText(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  /**
   * Per model and benchmark: the default and each kind's worst variant, in %, with their intervals.
   */
  private static String chartData(
      List<Sensitivity.Report> reports, Set<String> kinds, RunManifest manifest) {
    ObjectNode data = MAPPER.createObjectNode();
    ArrayNode labels = data.putArray("labels");
    reports.forEach(r -> labels.add(r.model() + " · " + title(manifest, r.benchmark())));
    ArrayNode series = data.putArray("series");
    List<String> names = new ArrayList<>(List.of("default"));
    names.addAll(kinds);
    for (String name : names) {
      ObjectNode one =
          series.addObject().put("label", name.equals("default") ? name : name + " (worst)");
      ArrayNode values = one.putArray("values");
      ArrayNode bars = one.putArray("errorBars");
      for (Sensitivity.Report report : reports) {
        Optional<Sensitivity.Score> score =
            name.equals("default")
                ? Optional.of(report.defaults())
                : report.perturbations().stream()
                    .filter(k -> k.perturbation().equals(name))
                    .findFirst()
                    .map(k -> worst(k).score());
        if (score.isEmpty()) {
          values.addNull();
          bars.addNull();
        } else {
          values.add(round(score.get().score()));
          bars.addArray().add(round(score.get().ciLow())).add(round(score.get().ciHigh()));
        }
      }
    }
    return PrettyJson.write(data);
  }

  private static double round(double share) {
    return Math.round(share * 1000) / 10.0;
  }

  /** The chart; sets body[data-charts] to the number drawn (the browser tests read it). */
  private static final String SCRIPT =
      """
      new Chart(document.getElementById('variants'), {type: 'bar',
        data: {labels: DATA.labels,
               datasets: DATA.series.map(s => ({label: s.label, data: s.values, errorBars: s.errorBars}))},
        options: {...leadline.options, indexAxis: 'y',
                  scales: {x: {min: 0, max: 100}},
                  plugins: {title: {display: true,
                    text: 'Default and each kind\\'s worst variant (%), with 95% intervals'}}}});
      document.body.dataset.charts = 1;
      """;
}
