package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.engine.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class SweepDisplayTest {
  private static final List<Progress.Model> MODELS =
      List.of(
          new Progress.Model("sim-v1", 7641, 1200, 30, 2400, 12, 3650, 4_567_890),
          new Progress.Model("Llama-3.1-8B-Instruct", 7641, 0, 0, 950, 3, 960, 812_345),
          new Progress.Model("claude-3-5-haiku-latest-snapshot", 7641, 7641, 0, 0, 0, 0, 0));

  private static Progress progress(int models) {
    return new Progress(MODELS.subList(0, models), Duration.ofSeconds(83));
  }

  @DataProvider
  public Object[][] widths() {
    List<Object[]> rows = new ArrayList<>();
    for (int columns : new int[] {80, 120, 200}) {
      for (int models = 1; models <= 3; models++) {
        rows.add(new Object[] {columns, models});
      }
    }
    return rows.toArray(Object[][]::new);
  }

  /** One line per model, each narrower than the terminal, with a bar that is still a bar. */
  @Test(dataProvider = "widths")
  public void everyModelHasOneLineThatFitsTheTerminal(int columns, int models) {
    List<String> lines = SweepDisplay.lines(progress(models), columns);
    assertEquals(lines.size(), models);
    for (int m = 0; m < models; m++) {
      String line = lines.get(m);
      assertTrue(line.length() < columns, line.length() + " columns: " + line);
      String bar = line.substring(line.indexOf('['), line.indexOf(']') + 1);
      assertTrue(bar.length() >= 10, "bar " + bar + " in " + line);
      Progress.Model model = MODELS.get(m);
      assertTrue(
          line.contains(
              String.format(java.util.Locale.ROOT, "%,d/%,d", model.finished(), model.items())),
          line);
      // The elapsed time is the engine's, as the summary gives it (83 s).
      assertTrue(line.contains("1:23"), line);
    }
    // The bars start in one column and are as wide in every line.
    assertEquals(lines.stream().map(l -> l.indexOf('[')).distinct().count(), 1L, lines.toString());
    assertEquals(lines.stream().map(l -> l.indexOf(']')).distinct().count(), 1L, lines.toString());
  }

  @Test
  public void aWiderTerminalShowsMoreOfEachModel() {
    String narrow = SweepDisplay.lines(progress(3), 80).get(0);
    String wide = SweepDisplay.lines(progress(3), 200).get(0);
    assertTrue(!narrow.contains(" tok"), narrow);
    assertTrue(wide.contains("4.6M tok"), wide);
    assertTrue(wide.contains("1,230 cached"), wide);
    assertTrue(wide.contains("12 failed"), wide);
    assertTrue(wide.contains(" ETA "), wide);
    // A name longer than a third of the line is cut, and says so.
    assertTrue(
        SweepDisplay.lines(progress(3), 80).get(2).startsWith("claude-3-5-haiku-latest-s… ["),
        SweepDisplay.lines(progress(3), 80).get(2));
    // Done models say so instead of an ETA.
    assertTrue(SweepDisplay.lines(progress(3), 200).get(2).contains(" done"));
  }

  @Test
  public void theTimeLeftIsFromTheModelsOwnRateSoFar() {
    Progress half =
        new Progress(
            List.of(new Progress.Model("m", 100, 0, 0, 50, 0, 50, 0)), Duration.ofSeconds(60));
    assertTrue(SweepDisplay.lines(half, 120).get(0).contains("1:00 ETA 1:00"));
    Progress none =
        new Progress(
            List.of(new Progress.Model("m", 100, 0, 0, 0, 0, 0, 0)), Duration.ofSeconds(5));
    assertTrue(!SweepDisplay.lines(none, 120).get(0).contains("ETA"));
  }

  @Test
  public void onATerminalTheLinesAreRedrawnInPlaceWithMessagesAbove() {
    StringWriter text = new StringWriter();
    SweepDisplay display = new SweepDisplay(new PrintWriter(text), true, () -> 80);
    display.status("planning the sweep…");
    display.message("starting Spark local[2]…");
    display.requestsStarted(progress(2));
    display.progress(progress(2));
    display.message("sim-v1: a note");
    display.requestsFinished(progress(2));
    display.close();
    String out = text.toString();
    // The status line first, taken back (one line up, cleared) for the first message.
    assertTrue(
        out.startsWith(
            "leadline sweep: planning the sweep…\u001b[K\n\u001b[1F\u001b[J"
                + "leadline sweep: starting Spark local[2]…\u001b[K\n"),
        out);
    // Two models: two lines, moved back over at each redraw.
    assertTrue(out.contains("\u001b[2F\u001b[Jleadline sweep: sim-v1: a note\u001b[K\n"), out);
    for (String line : out.split("\n")) {
      String visible = line.replaceAll("\u001b\\[[0-9]*[A-Za-z]", "");
      if (!visible.startsWith("leadline sweep: ")) {
        assertTrue(visible.length() < 80, visible);
      }
    }
    // The last state stays above the summary.
    assertTrue(out.endsWith("leadline sweep: requests took 1:23 (83.0 s)\u001b[K\n"), out);
  }

  @Test
  public void withoutATerminalThereAreNoEscapesAndAStatusIsNotShown() {
    StringWriter text = new StringWriter();
    SweepDisplay display = new SweepDisplay(new PrintWriter(text), false, () -> 80);
    display.status("planning the sweep…");
    display.message("starting Spark local[2]…");
    display.requestsStarted(progress(1));
    display.progress(progress(1));
    display.requestsFinished(progress(1));
    display.close();
    String out = text.toString();
    assertTrue(!out.contains("\u001b"), out);
    assertTrue(!out.contains("planning"), out);
    assertEquals(
        out.lines().toList(),
        List.of(
            "leadline sweep: starting Spark local[2]…",
            "leadline sweep: 7,641 items, 1,200 answered by the result store, 30 sharing another"
                + " item's identical request, 6,411 to send",
            "leadline sweep: sim-v1: 7,641 items: 1,200 cached, 30 shared, 2,400 answered, 12"
                + " failed; 3,650 requests, 4,567,890 tokens",
            "leadline sweep: requests took 1:23 (83.0 s)"));
  }

  /** A rerun the store answers sent nothing: its summary does not say requests took a time. */
  @Test
  public void aSweepThatSentNothingSaysSo() {
    StringWriter text = new StringWriter();
    SweepDisplay display = new SweepDisplay(new PrintWriter(text), false, () -> 80);
    Progress cached = new Progress(MODELS.subList(2, 3), Duration.ofMillis(6800));
    display.requestsStarted(cached);
    display.requestsFinished(cached);
    display.close();
    List<String> lines = text.toString().lines().toList();
    assertEquals(
        lines.get(lines.size() - 1),
        "leadline sweep: no request sent; planning and checking the store took 0:06 (6.8 s)");
  }

  @Test
  public void theWidthIsColumnsWhenSet() {
    assertEquals(SweepDisplay.columns(Map.of("COLUMNS", "123")), 123);
    assertEquals(SweepDisplay.columns(Map.of("COLUMNS", " 80 ")), 80);
    // Not a width: asked of the terminal (stty size), else 80.
    assertTrue(SweepDisplay.columns(Map.of("COLUMNS", "wide")) > 0);
  }

  @Test
  public void clockCountsMinutesAndHours() {
    assertEquals(SweepDisplay.clock(Duration.ofSeconds(5)), "0:05");
    assertEquals(SweepDisplay.clock(Duration.ofSeconds(725)), "12:05");
    assertEquals(SweepDisplay.clock(Duration.ofSeconds(3723)), "1:02:03");
  }

  /** Issue 26: a server at 0.22 requests per second is not shown as "0 req/s". */
  @Test
  public void aSlowServersRateIsShownAsAFractionOrPerMinute() {
    assertEquals(SweepDisplay.rate(22, 100), "0.22 req/s");
    assertEquals(SweepDisplay.rate(7, 100), "4.2 req/min");
    assertEquals(SweepDisplay.rate(34, 10), "3.4 req/s");
    assertEquals(SweepDisplay.rate(1200, 100), "12 req/s");
    assertEquals(SweepDisplay.rate(0, 100), "0.00 req/s");
    // 22 requests in 100 s: both the terminal's lines and the plain line say so.
    Progress slow =
        new Progress(
            List.of(new Progress.Model("llama", 100, 0, 0, 22, 0, 22, 9_000)),
            Duration.ofSeconds(100));
    assertTrue(SweepDisplay.lines(slow, 200).get(0).contains("0.22 req/s"), slow.toString());
    assertTrue(SweepDisplay.summary(slow).contains(" 0.22 req/s "), SweepDisplay.summary(slow));
  }
}
