package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The report family in headless Chromium at a desktop's 1280 px and a phone's 390 px: the main
 * job's leaderboard, the diff of its two snapshots, the sensitivity report of a perturbed sweep,
 * and the report of two runs that share a model (one column) beside a model whose every request
 * failed (its cells say why). On each page and at each width: the page never scrolls sideways and
 * every score cell lies inside the viewport, every score cell shows n, the best of each row is bold
 * (and only it), small samples are marked, the charts drew, and each interval's whisker is drawn on
 * its own bar. Screenshots of every page at both widths are left in {@code target/pages/}.
 */
public class PagesInChromiumTest {
  /**
   * The test's probe (the product pages carry no test hooks): what a reader would check by eye,
   * measured. Whiskers are checked where a bar's interval ends at least 3 px clear of the bar: an
   * opaque dark pixel there is the whisker's cap, nothing else draws there.
   */
  static final String PROBE =
      """
      const width = window.innerWidth;
      const scores = Array.from(document.querySelectorAll('td.score'));
      const shown = scores.filter(td => td.getClientRects().length > 0);
      const outside = shown.filter(td => {
        const r = td.getBoundingClientRect();
        return r.left < -0.5 || r.right > width + 0.5;
      }).map(td => td.dataset.label + ' ' + td.textContent);
      const withoutN = scores.filter(td => !/n=\\d+/.test(td.textContent)).length;
      const smallUnmarked = scores.filter(td => {
        const n = parseInt(/n=(\\d+)/.exec(td.textContent)[1]);
        return (n < 30) !== td.textContent.includes('small sample');
      }).length;
      const wrongBold = [];
      let rowsCompared = 0;
      document.querySelectorAll('tr').forEach(tr => {
        const cells = Array.from(tr.querySelectorAll('td.score'));
        if (cells.length < 2) return;
        rowsCompared++;
        const best = Math.max(...cells.map(c => parseFloat(c.dataset.sort)));
        cells.forEach(c => {
          const bold = parseInt(getComputedStyle(c.querySelector('.v')).fontWeight) >= 700;
          if (bold !== (parseFloat(c.dataset.sort) === best)) wrongBold.push(tr.textContent.slice(0, 90));
        });
      });
      const charts = Array.from(document.querySelectorAll('canvas')).map(canvas => {
        const chart = Chart.getChart(canvas);
        const box = canvas.getBoundingClientRect();
        const result = {id: canvas.id, drawn: chart !== undefined, left: box.left, right: box.right,
                        height: box.height, checked: 0, whiskers: 0};
        if (chart === undefined) return result;
        const horizontal = chart.options.indexAxis === 'y';
        const dpr = chart.currentDevicePixelRatio;
        const dark = (x, y) => {
          for (let d = -2; d <= 2; d++) {
            const [r, g, b, a] = chart.ctx.getImageData(
              Math.round((horizontal ? x + d : x) * dpr), Math.round((horizontal ? y : y + d) * dpr), 1, 1).data;
            if (a > 200 && r < 90 && g < 90 && b < 90) return true;
          }
          return false;
        };
        chart.data.datasets.forEach((dataset, i) => {
          if (!Array.isArray(dataset.errorBars)) return;
          const meta = chart.getDatasetMeta(i);
          const scale = chart.scales[horizontal ? meta.xAxisID : meta.yAxisID];
          meta.data.forEach((bar, j) => {
            const range = dataset.errorBars[j];
            if (!Array.isArray(range) || dataset.data[j] === null) return;
            const high = scale.getPixelForValue(range[1]);
            const clear = horizontal ? high - Math.max(bar.x, bar.base) : Math.min(bar.y, bar.base) - high;
            if (clear < 3) return;
            result.checked++;
            if (horizontal ? dark(high, bar.y) : dark(bar.x, high)) result.whiskers++;
          });
        });
        return result;
      });
      return JSON.stringify({
        width: width, scrollWidth: document.documentElement.scrollWidth,
        scores: scores.length, shown: shown.length, outside: outside, withoutN: withoutN,
        smallUnmarked: smallUnmarked, wrongBold: wrongBold, rowsCompared: rowsCompared,
        charts: charts, chartsSaid: parseInt(document.body.dataset.charts)});
      """;

  private Path dir;
  private Path pages;
  private Browser browser;
  private int port;
  private com.sun.net.httpserver.HttpServer server;

  private CliRun leadline(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  private void ok(String... args) {
    CliRun run = leadline(args);
    assertEquals(run.exitCode(), 0, String.join(" ", args) + ": " + run.err());
  }

  @BeforeClass
  public void pages() throws Exception {
    dir = Files.createTempDirectory("pages");
    pages = dir.resolve("pages");
    Path main = MainJob.folder();
    ok("report", main.toString(), "--out", pages.resolve("leaderboard").toString());
    ok(
        "diff",
        main.toString(),
        main.toString(),
        "--model-a",
        "sim-v1",
        "--model-b",
        "sim-v2",
        "--format",
        "html",
        "--out",
        pages.resolve("diff.html").toString());
    Path perturbed = dir.resolve("perturbed");
    ok(
        "sweep",
        "--models",
        "sim-v1,sim-v2",
        "--benchmarks",
        "gsm8k,mmlu",
        "--limit",
        "6",
        "--perturbations",
        "format,qa-labels",
        "--out",
        perturbed.toString());
    ok(
        "sensitivity",
        perturbed.toString(),
        "--format",
        "html",
        "--out",
        pages.resolve("sensitivity.html").toString());
    // A model every request of which fails: a loopback server that answers 404.
    server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              "{\"error\":{\"message\":\"The model 'nope' does not exist\"}}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    port = server.getAddress().getPort();
    Path models = dir.resolve("models.yaml");
    Files.writeString(
        models,
        "models:\n"
            + "  - {name: sim-v1, provider: sim, profile: sim-v1}\n"
            + "  - {name: missing, provider: openai-compatible, model: nope,"
            + " base_url: 'http://127.0.0.1:"
            + port
            + "/v1'}\n");
    String file = models.toString();
    ok(
        "sweep",
        "--models-file",
        file,
        "--benchmarks",
        "gsm8k",
        "--limit",
        "4",
        "--out",
        dir.resolve("run-gsm8k").toString());
    ok(
        "sweep",
        "--models-file",
        file,
        "--models",
        "sim-v1",
        "--benchmarks",
        "mmlu",
        "--limit",
        "2",
        "--out",
        dir.resolve("run-mmlu").toString());
    // The same sweep again: the same model, benchmark and setting hash in a second run.
    ok(
        "sweep",
        "--models-file",
        file,
        "--models",
        "sim-v1",
        "--benchmarks",
        "mmlu",
        "--limit",
        "2",
        "--out",
        dir.resolve("run-mmlu-again").toString());
    ok(
        "report",
        dir.resolve("run-gsm8k").toString(),
        dir.resolve("run-mmlu").toString(),
        dir.resolve("run-mmlu-again").toString(),
        "--out",
        pages.resolve("merged").toString());
    browser = Browser.open();
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.stop(0);
    }
    CliRun.deleteRecursively(dir);
  }

  /** Loads {@code page} at {@code width}, leaves its screenshot, and returns the probe's view. */
  private JsonNode probe(Path page, String name, int width) throws Exception {
    browser.load(page, width);
    browser.screenshot(Path.of("target", "pages", name + "-" + width + ".png"));
    return Json.MAPPER.readTree((String) browser.script(PROBE));
  }

  /** What holds on every page of the family at every width. */
  static void conventions(JsonNode page, int width, int charts, String what) {
    String view = what + " at " + width + " px: " + page;
    assertEquals(page.get("width").asInt(), width, view);
    assertTrue(page.get("scrollWidth").asInt() <= width, "no sideways scroll: " + view);
    assertTrue(page.get("scores").asInt() > 0, view);
    assertEquals(page.get("outside").size(), 0, "every score cell within the viewport: " + view);
    assertEquals(page.get("withoutN").asInt(), 0, "every score cell shows n: " + view);
    assertEquals(page.get("smallUnmarked").asInt(), 0, "small samples marked: " + view);
    assertTrue(page.get("rowsCompared").asInt() > 0, view);
    assertEquals(page.get("wrongBold").size(), 0, "the best of a row bold, only it: " + view);
    assertEquals(page.get("chartsSaid").asInt(), charts, view);
    assertEquals(page.get("charts").size(), charts, view);
    for (JsonNode chart : page.get("charts")) {
      assertTrue(chart.get("drawn").asBoolean(), view);
      assertTrue(chart.get("height").asDouble() > 100, "a chart has room: " + view);
      assertTrue(
          chart.get("left").asDouble() >= 0 && chart.get("right").asDouble() <= width,
          "a chart fits: " + view);
    }
  }

  /** The charts whose whiskers the probe could check, each drawn on every bar it checked. */
  private static int whiskersChecked(JsonNode page, String what) {
    int checked = 0;
    for (JsonNode chart : page.get("charts")) {
      assertEquals(
          chart.get("whiskers").asInt(),
          chart.get("checked").asInt(),
          what + ": every interval drawn on its bar: " + chart);
      checked += chart.get("checked").asInt();
    }
    return checked;
  }

  @Test
  public void theLeaderboardReadsOnAPhoneAndAWideScreen() throws Exception {
    Path page = pages.resolve("leaderboard/index.html");
    for (int width : new int[] {1280, 390}) {
      JsonNode view = probe(page, "leaderboard", width);
      // The capabilities and the seesaw of sim-v1 → sim-v2 (the main job has no perturbations).
      conventions(view, width, 2, "leaderboard");
      assertTrue(whiskersChecked(view, "leaderboard") > 0, view.toString());
      // The two snapshots a cell each in every row, the real stories260k in its TinyStories row.
      assertEquals(view.get("shown").asInt() % 2, 1, "two models a cell each, and one: " + view);
    }
    String html = Files.readString(page);
    // Each capability's name spans its rows.
    assertTrue(html.contains("<td class=\"text group\" rowspan=\""), "the group cells");
  }

  @Test
  public void sortingKeepsEachCapabilityTogether() throws Exception {
    browser.load(pages.resolve("leaderboard/index.html"), 1280);
    // sim-v2's heading: the fourth after Capability (Benchmark, Setting, sim-v1, sim-v2).
    String sorted =
        (String)
            browser.script(
                """
                document.querySelectorAll('#leaderboard thead th')[4].click();
                const rows = Array.from(document.querySelectorAll('#leaderboard tbody tr'));
                const groups = [];
                rows.forEach(r => {
                  const last = groups[groups.length - 1];
                  if (last && last.name === r.dataset.group) last.rows.push(r);
                  else groups.push({name: r.dataset.group, rows: [r]});
                });
                const problems = [];
                const names = new Set();
                groups.forEach(g => {
                  if (names.has(g.name)) problems.push(g.name + ' split');
                  names.add(g.name);
                  const head = g.rows[0].querySelector('td.group');
                  if (!head || head.rowSpan !== g.rows.length || head.textContent !== g.name)
                    problems.push(g.name + ' head');
                  if (g.rows.slice(1).some(r => r.querySelector('td.group'))) problems.push(g.name + ' extra head');
                  const values = g.rows.map(r => parseFloat(r.querySelectorAll('td.score, td.empty')[1].dataset.sort));
                  for (let i = 1; i < values.length; i++)
                    if (values[i] > values[i - 1]) problems.push(g.name + ' order ' + values);
                });
                return JSON.stringify({groups: groups.length, rows: rows.length, problems: problems,
                  first: rows[0].querySelectorAll('td.score')[1].dataset.sort});
                """);
    JsonNode result = Json.MAPPER.readTree(sorted);
    assertEquals(result.get("problems").size(), 0, result.toString());
    // The main job's 28 rows and TinyStories as the real completions model was asked it.
    assertEquals(result.get("rows").asInt(), 29, result.toString());
    assertEquals(result.get("groups").asInt(), 8, result.toString());
  }

  @Test
  public void theDiffIsAPageOfTablesAndTheSeesaw() throws Exception {
    Path page = pages.resolve("diff.html");
    for (int width : new int[] {1280, 390}) {
      JsonNode view = probe(page, "diff", width);
      conventions(view, width, 1, "diff");
      assertTrue(whiskersChecked(view, "diff") > 0, view.toString());
    }
    // A flip shows its question's end; opened, the whole prompt.
    String opened =
        (String)
            browser.script(
                """
                const flip = document.querySelector('table.flips details.full');
                const summary = flip.querySelector('summary').textContent;
                flip.open = true;
                const full = flip.querySelector('pre').innerText;
                return JSON.stringify({summary: summary, full: full,
                  visible: flip.querySelector('pre').getClientRects().length > 0,
                  cells: flip.closest('tr').cells.length,
                  wide: document.documentElement.scrollWidth > window.innerWidth});
                """);
    JsonNode flip = Json.MAPPER.readTree(opened);
    assertTrue(flip.get("visible").asBoolean(), flip.toString());
    assertEquals(flip.get("cells").asInt(), 5, "item, question, A, B, gold: " + flip);
    String summary = flip.get("summary").asText();
    assertTrue(summary.startsWith("…") && summary.length() <= 202, summary);
    String full = flip.get("full").asText();
    assertTrue(full.length() > summary.length() * 3, "the whole prompt: " + full.length());
    assertTrue(
        full.replaceAll("\\s+", " ").strip().endsWith(summary.substring(1)),
        summary + " | " + full);
    assertFalse(flip.get("wide").asBoolean(), "an opened prompt wraps on a phone");
    String html = Files.readString(page);
    assertFalse(html.contains("<pre>|"), "no Markdown table in a pre");
    assertTrue(html.contains("<h1>sim-v1 → sim-v2</h1>"), "the title");
  }

  @Test
  public void theSensitivityReportIsAPageOfTablesAndAChart() throws Exception {
    Path page = pages.resolve("sensitivity.html");
    for (int width : new int[] {1280, 390}) {
      JsonNode view = probe(page, "sensitivity", width);
      conventions(view, width, 1, "sensitivity");
      assertTrue(whiskersChecked(view, "sensitivity") > 0, view.toString());
    }
    String html = Files.readString(page);
    assertTrue(html.contains("<h1>Prompt sensitivity</h1>"));
    assertTrue(html.contains("format (worst)"), "a column per kind");
    assertTrue(html.contains("data-label=\"Flip rate\""), "each kind's statistics");
  }

  @Test
  public void runsOfOneModelMergeAndAFailedModelSaysWhy() throws Exception {
    Path page = pages.resolve("merged/index.html");
    for (int width : new int[] {1280, 390}) {
      JsonNode view = probe(page, "merged", width);
      assertEquals(view.get("scrollWidth").asInt() <= width, true, view.toString());
      assertEquals(view.get("outside").size(), 0, view.toString());
      assertEquals(view.get("withoutN").asInt(), 0, view.toString());
    }
    String headings =
        (String)
            browser.script(
                "return JSON.stringify(Array.from(document.querySelectorAll('#leaderboard th'))"
                    + ".map(th => th.textContent));");
    assertEquals(
        Json.MAPPER.readTree(headings).toString(),
        "[\"Capability\",\"Benchmark\",\"Setting\",\"sim-v1 (simulated)\",\"missing\"]");
    String cells =
        (String)
            browser.script(
                """
                return JSON.stringify(Array.from(document.querySelectorAll('#leaderboard tbody tr'))
                  .map(r => r.dataset.benchmark + ': ' + Array.from(r.querySelectorAll('td.score, td.empty'))
                    .map(c => c.className + ' ' + c.innerText.replace(/\\s+/g, ' ')).join(' | ')));
                """);
    List<String> rows = Json.MAPPER.readerForListOf(String.class).readValue(cells);
    assertEquals(rows.size(), 2, rows.toString());
    String gsm8k = rows.stream().filter(r -> r.startsWith("gsm8k")).findFirst().orElseThrow();
    String mmlu = rows.stream().filter(r -> r.startsWith("mmlu")).findFirst().orElseThrow();
    assertTrue(gsm8k.matches("gsm8k: score best small .* \\| empty .*"), gsm8k);
    assertTrue(gsm8k.contains("all 4 requests failed: "), gsm8k);
    assertTrue(gsm8k.contains("404") && gsm8k.contains("The model 'nope' does not exist"), gsm8k);
    assertTrue(mmlu.matches("mmlu: score best small .* \\| empty — not run"), mmlu);
    String html = Files.readString(page);
    assertTrue(
        html.matches(
            "(?s).*MMLU, setting gpt-fathom: runs \\S+ and \\S+ both hold it \\(the same"
                + " setting hash\\); the later run&#39;s \\(\\S+\\) is shown.*"),
        "which of the two runs' MMLU is shown");
  }
}
