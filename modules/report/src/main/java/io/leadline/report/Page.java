package io.leadline.report;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTML family every page belongs to: one stylesheet ({@code leadline.css}, inlined so that a
 * page is one self-contained file), the same head, and the same score cells — value, interval and
 * n; bold where best; marked when fewer than {@link #SMALL_SAMPLE} items; an empty cell says why.
 *
 * <p>A page is begun with {@link #begin}, filled with {@link #raw} and the helpers, and ended with
 * {@link #end}. Not thread-safe.
 */
final class Page {
  /** Fewer items than this make a small sample, marked on every page. */
  static final int SMALL_SAMPLE = 30;

  private static final Escaper ESCAPER = HtmlEscapers.htmlEscaper();
  private static final String STYLESHEET = "io/leadline/report/leadline.css";
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

  /**
   * Ends the page: Chart.js when {@code charts}, then {@code data} as {@code const DATA = …;} where
   * given, then {@code script}.
   */
  String end(boolean charts, Optional<String> data, String script) {
    if (charts) {
      html.append("<script>").append(scriptSafe(resource(CHART_JS))).append("</script>\n");
    }
    if (data.isPresent() || !script.isEmpty()) {
      html.append("<script>\n");
      data.ifPresent(
          json -> html.append("const DATA = ").append(json.replace("</", "<\\/")).append(";\n"));
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
    boolean small = n < SMALL_SAMPLE;
    return String.format(
        Locale.ROOT,
        "<td class=\"score%s%s\" data-label=\"%s\" data-sort=\"%.6f\"><span class=\"v\">%.1f</span>"
            + " <span class=\"ci\">[%.1f, %.1f]</span> <span class=\"n\">n=%d</span>%s</td>",
        best ? " best" : "",
        small ? " small" : "",
        esc(column),
        value,
        value * 100,
        ciLow * 100,
        ciHigh * 100,
        n,
        small
            ? " <span class=\"small-mark\" title=\"fewer than "
                + SMALL_SAMPLE
                + " items: a small sample\">small sample</span>"
            : "");
  }

  /** A cell of column {@code column} without a score, saying why ({@code reason}). */
  static String emptyCell(String column, String reason) {
    return "<td class=\"empty\" data-label=\""
        + esc(column)
        + "\" data-sort=\"-1\">— <span class=\"why\">"
        + esc(reason)
        + "</span></td>";
  }

  /** {@code text} unable to end its script element early. */
  private static String scriptSafe(String text) {
    return text.replace("</script", "<\\/script");
  }

  private static String resource(String name) {
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
