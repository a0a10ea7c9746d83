package io.leadline.report;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTML family every page belongs to: one stylesheet ({@code leadline.css}, inlined so that a
 * page is one self-contained file), one script ({@code leadline.js}: sortable tables, and the
 * whiskers Chart.js draws on the bars their intervals belong to), the same head, and the same score
 * cells — value, interval and n; bold where best; marked when fewer than {@link #SMALL_SAMPLE}
 * items; an empty cell says why.
 *
 * <p>A page is begun with {@link #begin}, filled with {@link #raw} and the helpers, and ended with
 * {@link #end}. Not thread-safe. Every cell helper labels its cell with its column ({@code
 * data-label}), which is what a phone shows beside the value once {@code table.scores} stacks into
 * cards.
 */
final class Page {
  /** Fewer items than this make a small sample, marked on every page. */
  static final int SMALL_SAMPLE = 30;

  /** The conventions every page follows, said once under its first table. */
  static final String LEGEND =
      "Scores in % with their 95% interval and n, the number of items scored; the best of a row"
          + " in bold; fewer than "
          + SMALL_SAMPLE
          + " items are marked as a small sample.";

  private static final Escaper ESCAPER = HtmlEscapers.htmlEscaper();
  private static final String STYLESHEET = "io/leadline/report/leadline.css";
  private static final String SCRIPT = "io/leadline/report/leadline.js";
  private static final String CHART_JS =
      "META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js";

  private final StringBuilder html = new StringBuilder();

  private Page() {}

  /** A page titled {@code title}, styled by the shared stylesheet and then {@code extraCss}. */
  static Page begin(String title, String extraCss) {
    Page page = new Page();
    page.html
        .append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(resource(STYLESHEET))
        .append(extraCss)
        .append("</style>\n</head><body>\n");
    return page;
  }

  /** Appends {@code markup} as it is. */
  Page raw(String markup) {
    html.append(markup);
    return this;
  }

  /** Appends {@code text}, escaped. */
  Page text(String text) {
    html.append(esc(text));
    return this;
  }

  /**
   * Ends the page: Chart.js when {@code charts}, the family's script ({@code leadline.js}: table
   * sorting, and where Chart.js is there its whiskers plugin), then {@code data} as {@code const
   * DATA = …;} where given, then {@code script}.
   */
  String end(boolean charts, Optional<String> data, String script) {
    if (charts) {
      html.append("<script>").append(scriptSafe(resource(CHART_JS))).append("</script>\n");
    }
    html.append("<script>\n").append(scriptSafe(resource(SCRIPT))).append("</script>\n");
    if (data.isPresent() || !script.isEmpty()) {
      html.append("<script>\n");
      data.ifPresent(json -> html.append("const DATA = ").append(scriptData(json)).append(";\n"));
      html.append(scriptSafe(script)).append("</script>\n");
    }
    return html.append("</body></html>\n").toString();
  }

  static String esc(String text) {
    return ESCAPER.escape(text);
  }

  /**
   * A score cell of column {@code column} (its label on a phone): {@code value} and its interval in
   * %, and n.
   */
  static String scoreCell(
      String column, double value, double ciLow, double ciHigh, long n, boolean best) {
    return scoreCell(column, value, Optional.of(new double[] {ciLow, ciHigh}), n, best, "");
  }

  /** A score cell without an interval (a diff's two sides: the interval is the delta's). */
  static String scoreCell(String column, double value, long n, boolean best) {
    return scoreCell(column, value, Optional.empty(), n, best, "");
  }

  /**
   * A score cell as {@link #scoreCell(String, double, double, double, long, boolean)}, with {@code
   * extraHtml} (markup, not escaped) after n: a judged metric's no-grade share.
   */
  static String scoreCell(
      String column,
      double value,
      double ciLow,
      double ciHigh,
      long n,
      boolean best,
      String extraHtml) {
    return scoreCell(column, value, Optional.of(new double[] {ciLow, ciHigh}), n, best, extraHtml);
  }

  private static String scoreCell(
      String column,
      double value,
      Optional<double[]> interval,
      long n,
      boolean best,
      String extraHtml) {
    boolean small = n < SMALL_SAMPLE;
    StringBuilder cell =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<td class=\"score%s%s\" data-label=\"%s\" data-sort=\"%.6f\"><span class=\"v\">%.1f</span>",
                best ? " best" : "",
                small ? " small" : "",
                esc(column),
                value,
                value * 100));
    interval.ifPresent(
        ci ->
            cell.append(
                String.format(
                    Locale.ROOT,
                    " <span class=\"ci\">[%.1f, %.1f]</span>",
                    ci[0] * 100,
                    ci[1] * 100)));
    cell.append(" <span class=\"n\">n=").append(n).append("</span>");
    if (small) {
      cell.append(" <span class=\"small-mark\" title=\"fewer than ")
          .append(SMALL_SAMPLE)
          .append(" items: a small sample\">small sample</span>");
    }
    return cell.append(extraHtml).append("</td>").toString();
  }

  /**
   * A delta cell: {@code delta} in signed points with its interval, coloured by {@code direction}
   * ({@code up}, {@code down} or {@code flat}).
   */
  static String deltaCell(
      String column, double delta, double ciLow, double ciHigh, String direction) {
    return String.format(
        Locale.ROOT,
        "<td class=\"delta %s\" data-label=\"%s\" data-sort=\"%.6f\"><span class=\"v\">%s</span>"
            + " <span class=\"ci\">[%s, %s]</span></td>",
        esc(direction),
        esc(column),
        delta,
        points(delta),
        points(ciLow),
        points(ciHigh));
  }

  /** {@code share} (in [−1, 1]) as signed points with one decimal: {@code +3.1}, {@code −2.0}. */
  static String points(double share) {
    double value = share * 100;
    String digits = String.format(Locale.ROOT, "%.1f", Math.abs(value));
    if (digits.equals("0.0")) {
      return "0.0";
    }
    return (value > 0 ? "+" : "−") + digits;
  }

  /** A cell of column {@code column} without a score, saying why ({@code reason}). */
  static String emptyCell(String column, String reason) {
    return "<td class=\"empty\" data-label=\""
        + esc(column)
        + "\" data-sort=\"-1\">— <span class=\"why\">"
        + esc(reason)
        + "</span></td>";
  }

  /** A left-aligned text cell of column {@code column}, {@code text} escaped. */
  static String textCell(String column, String text) {
    return "<td class=\"text\" data-label=\"" + esc(column) + "\">" + esc(text) + "</td>";
  }

  /** A left-aligned cell of column {@code column} holding {@code markup} as it is. */
  static String markupCell(String column, String markup) {
    return "<td class=\"text\" data-label=\"" + esc(column) + "\">" + markup + "</td>";
  }

  /** A right-aligned cell of column {@code column} (a count, a statistic), {@code text} escaped. */
  static String numberCell(String column, String text) {
    return "<td class=\"num\" data-label=\"" + esc(column) + "\">" + esc(text) + "</td>";
  }

  /**
   * A header row: the first {@code textColumns} headings left-aligned (they head text cells), the
   * others right-aligned.
   */
  static String headerRow(List<String> headings, int textColumns) {
    StringBuilder row = new StringBuilder("<thead><tr>");
    for (int i = 0; i < headings.size(); i++) {
      row.append(i < textColumns ? "<th class=\"text\">" : "<th>")
          .append(esc(headings.get(i)))
          .append("</th>");
    }
    return row.append("</tr></thead>").toString();
  }

  /**
   * {@code text}'s end, as a details element whose summary is its last {@code chars} characters on
   * one line and whose body is all of it: a long prompt reads by its question, which is at its end.
   */
  static String tail(String text, int chars) {
    String flat = text.replaceAll("\\s+", " ").strip();
    if (flat.length() <= chars) {
      return "<span class=\"tail\">" + esc(flat) + "</span>";
    }
    String end = flat.substring(flat.length() - chars);
    int space = end.indexOf(' ');
    String shown = "…" + (space >= 0 && space < chars / 4 ? end.substring(space + 1) : end);
    return "<details class=\"full\"><summary>"
        + esc(shown)
        + "</summary><pre class=\"wrap\">"
        + esc(text)
        + "</pre></details>";
  }

  /**
   * JSON {@code json} as a script's data that no string in it can break out of: {@code <}, {@code
   * >}, {@code &} and the two line separators as JSON escapes (JSON's own syntax uses none of them,
   * so only strings hold them, where the escapes read the same).
   */
  static String scriptData(String json) {
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }

  /** {@code text} unable to end its script element early. */
  private static String scriptSafe(String text) {
    return text.replace("</script", "<\\/script");
  }

  static String resource(String name) {
    try (InputStream in = Page.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
