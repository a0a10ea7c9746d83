package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;
import picocli.CommandLine;

/**
 * {@code leadline view} on a real sweep (sim-v1 and sim-v2 on TinyStories, judged by two judges,
 * and MMLU's bundled subjects, under two settings with the format perturbations), served and as a
 * static bundle, in headless Chromium at 1280 and 390 px: clicking each filter changes the list and
 * the count as the run folder says; an opened sample shows its exact prompt, the extracted answer
 * and why; a judged one both judges' replies; a phone never scrolls sideways. Screenshots are left
 * in {@code target/viewer/}.
 */
public class ViewCommandTest {
  private Path dir;
  private Path run;
  private Path bundle;
  private List<SampleRow> samples;
  private Map<String, String> primary;
  private Browser browser;
  private ViewCommand served;
  private CompletableFuture<Integer> servedExit;
  private StringWriter servedErr;

  private CliRun leadline(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  @BeforeClass
  public void sweepAndView() throws Exception {
    dir = Files.createTempDirectory("view");
    run = dir.resolve("run");
    CliRun sweep =
        leadline(
            "sweep",
            "--models",
            "sim-v1,sim-v2",
            "--benchmarks",
            "tinystories,mmlu",
            "--settings",
            "gpt-fathom,zero-shot",
            "--perturbations",
            "format",
            "--limit",
            "2",
            "--out",
            run.toString());
    assertEquals(sweep.exitCode(), 0, sweep.err());
    RunFolders.Run folder = RunFolders.read(run.toString(), "RUN");
    samples = folder.samples();
    primary = new HashMap<>();
    for (MetricRow row : folder.metrics()) {
      if (row.primary()) {
        primary.put(row.benchmark() + "/" + row.setting(), row.metric());
      }
    }
    bundle = dir.resolve("bundle");
    CliRun written = leadline("view", run.toString(), "--out", bundle.toString());
    assertEquals(written.exitCode(), 0, written.err());
    assertEquals(
        written.out().strip(),
        String.format("%,d samples: %s", samples.size(), bundle.resolve("index.html")));

    // Served: the command itself, in-process, until the test counts its stop down.
    servedErr = new StringWriter();
    CommandLine command =
        Leadline.commandLine(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(servedErr, true),
            Map.of("LEADLINE_HOME", dir.resolve("home").toString()));
    served = (ViewCommand) command.getSubcommands().get("view").getCommandSpec().userObject();
    servedExit = CompletableFuture.supplyAsync(() -> command.execute("view", run.toString()));
    for (int i = 0; i < 200 && served.server == null && !servedExit.isDone(); i++) {
      Thread.sleep(25);
    }
    assertTrue(served.server != null, "the viewer serves: " + servedErr);
    browser = Browser.open();
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (served != null) {
      served.stop.countDown();
    }
    if (dir != null) {
      CliRun.deleteRecursively(dir);
    }
  }

  @DataProvider
  public Object[][] modes() {
    return new Object[][] {{"served"}, {"static"}};
  }

  private String url(String mode) {
    return mode.equals("served")
        ? served.server.url()
        : bundle.resolve("index.html").toUri().toString();
  }

  /** Waits until {@code condition} (a JavaScript expression) holds in the page. */
  private void await(String condition, String what) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (Boolean.TRUE.equals(browser.script("return Boolean(" + condition + ")"))) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("timed out waiting for " + what + " (" + condition + ")");
  }

  private String count() {
    return browser.driver().findElement(By.id("count")).getText();
  }

  private String expectedCount(Predicate<SampleRow> filter) {
    long n = samples.stream().filter(filter).count();
    return String.format("%,d of %,d samples match", n, samples.size());
  }

  /** How the run folder says {@code sample} came out: c, i or n, as the viewer's rule says. */
  private String outcome(SampleRow sample) {
    if (sample.noAnswerReason().isPresent() || sample.error().isPresent()) {
      return "n";
    }
    Double score = sample.scores().get(primary.get(sample.benchmark() + "/" + sample.setting()));
    return score != null && score >= 0.5 ? "c" : "i";
  }

  private void select(String dimension, String value) {
    Select select = new Select(browser.driver().findElement(By.id("filter-" + dimension)));
    if (value == null) {
      select.selectByIndex(0);
      return;
    }
    for (WebElement option : select.getOptions()) {
      if (option.getText().startsWith(value + " (")) {
        option.click();
        return;
      }
    }
    throw new AssertionError("no option " + value + " in the " + dimension + " filter");
  }

  private void clickOutcome(String code) {
    browser.driver().findElement(By.cssSelector("button[data-outcome='" + code + "']")).click();
  }

  /** The text of column {@code column} (1-based) of every row the list shows. */
  @SuppressWarnings("unchecked")
  private List<String> column(int column) {
    return (List<String>)
        browser.script(
            "return Array.from(document.querySelectorAll('#list tbody tr'))"
                + ".map(tr => tr.cells[arguments[0] - 1].textContent)",
            column);
  }

  @Test(dataProvider = "modes")
  public void eachFilterChangesTheListAndTheCountAsTheRunSays(String mode) throws Exception {
    browser.load(url(mode), 1280);
    await("document.body.dataset.listed", "the list");
    assertEquals(count(), expectedCount(s -> true));
    assertEquals(column(1).size(), Math.min(50, samples.size()));

    Map<String, java.util.function.Function<SampleRow, String>> dimensions =
        Map.of(
            "model", SampleRow::model,
            "benchmark", SampleRow::benchmark,
            "subset", s -> s.subset().orElse("(none)"),
            "setting", SampleRow::setting,
            "perturbation", s -> s.perturbation().orElse("(unperturbed)"));
    for (var dimension : dimensions.entrySet()) {
      List<String> values = samples.stream().map(dimension.getValue()).distinct().sorted().toList();
      assertTrue(values.size() > 1, dimension.getKey() + " has values to filter by: " + values);
      for (String value : List.of(values.get(0), values.get(values.size() - 1))) {
        select(dimension.getKey(), value);
        String said = dimension.getKey() + " = " + value + " in " + mode;
        assertEquals(
            count(), expectedCount(s -> dimension.getValue().apply(s).equals(value)), said);
        List<String> models = column(2);
        assertFalse(models.isEmpty(), said);
      }
      select(dimension.getKey(), null);
      assertEquals(count(), expectedCount(s -> true));
    }
    // The list shows what the filter chose: each row's model and benchmark cells.
    select("model", "sim-v2");
    select("benchmark", "tinystories");
    assertEquals(
        count(),
        expectedCount(s -> s.model().equals("sim-v2") && s.benchmark().equals("tinystories")));
    assertTrue(column(2).stream().allMatch("sim-v2"::equals), column(2).toString());
    assertTrue(column(3).stream().allMatch("tinystories"::equals), column(3).toString());
    select("benchmark", null);

    for (String code : List.of("c", "i", "n")) {
      clickOutcome(code);
      String said = "outcome " + code + " of sim-v2 in " + mode;
      assertEquals(
          count(), expectedCount(s -> s.model().equals("sim-v2") && outcome(s).equals(code)), said);
      assertTrue(
          samples.stream().anyMatch(s -> s.model().equals("sim-v2") && outcome(s).equals(code)),
          "the run has samples of each outcome: " + code);
    }
    clickOutcome("all");
    select("model", null);
    assertEquals(count(), expectedCount(s -> true));

    // Pages: the next page starts where the first ended.
    String first = column(1).get(0);
    browser.driver().findElement(By.id("next")).click();
    assertEquals(column(1).get(0), "51");
    assertEquals(first, "1");
  }

  @Test(dataProvider = "modes")
  public void anOpenedSampleShowsItsExactPromptAndTheExtractedAnswerAndWhy(String mode)
      throws Exception {
    browser.load(url(mode), 1280);
    await("document.body.dataset.listed", "the list");
    // The last MMLU sample of sim-v2 with trailing spaces: whitespace the page must keep.
    int index = -1;
    for (int i = 0; i < samples.size(); i++) {
      SampleRow s = samples.get(i);
      if (s.model().equals("sim-v2")
          && s.benchmark().equals("mmlu")
          && s.perturbation().equals(Optional.of("format:trailing-spaces"))
          && s.extracted().isPresent()) {
        index = i;
      }
    }
    assertTrue(index >= 0);
    SampleRow sample = samples.get(index);
    select("model", "sim-v2");
    select("subset", sample.subset().orElseThrow());
    select("perturbation", "format:trailing-spaces");
    browser.driver().findElement(By.cssSelector("#list tr[data-index='" + index + "']")).click();
    await("document.getElementById('sample').dataset.state === 'shown'", "sample " + index);
    assertEquals(text("#sample pre.prompt"), sample.prompt(), "the exact prompt, " + mode);
    assertTrue(sample.prompt().contains("  \n") || sample.prompt().endsWith(" "), sample.prompt());
    assertEquals(text("#sample pre.extracted"), sample.extracted().orElseThrow());
    assertEquals(text("#sample pre.completion"), sample.completion().orElseThrow());
    assertEquals(text("#sample pre.gold"), sample.gold());
    assertEquals(text("#sample dd.why"), sample.explanation().orElseThrow());
    assertEquals(
        text("#sample dd.tokens"),
        "prompt "
            + sample.promptTokens().orElseThrow()
            + ", completion "
            + sample.completionTokens().orElseThrow());
    assertTrue(text("#sample dd.latency").startsWith(sample.latencyMs().orElseThrow() + " ms"));
    assertEquals(
        text("#sample dd.outcome-fact"),
        Map.of("c", "correct", "i", "incorrect", "n", "no answer").get(outcome(sample)));

    // A sample without an answer says why there is none.
    SampleRow none =
        samples.stream().filter(s -> s.noAnswerReason().isPresent()).findFirst().orElseThrow();
    int noneIndex = samples.indexOf(none);
    select("model", none.model());
    select("subset", none.subset().orElse("(none)"));
    select("perturbation", none.perturbation().orElse("(unperturbed)"));
    clickOutcome("n");
    browser
        .driver()
        .findElement(By.cssSelector("#list tr[data-index='" + noneIndex + "']"))
        .click();
    await("document.getElementById('sample').dataset.index === '" + noneIndex + "'", "the sample");
    String why = none.explanation().orElse(none.noAnswerReason().orElseThrow());
    assertEquals(text("#sample dd.why"), why);
    assertEquals(text("#sample dd.outcome-fact"), "no answer");
  }

  @Test(dataProvider = "modes")
  public void aJudgedSampleShowsBothJudgesReplies(String mode) throws Exception {
    browser.load(url(mode), 1280);
    await("document.body.dataset.listed", "the list");
    int index = -1;
    for (int i = samples.size() - 1; i >= 0 && index < 0; i--) {
      if (samples.get(i).judgements().size() == 2) {
        index = i;
      }
    }
    assertTrue(index >= 0, "a sample two judges graded");
    SampleRow sample = samples.get(index);
    select("benchmark", sample.benchmark());
    select("model", sample.model());
    select("setting", sample.setting());
    select("perturbation", sample.perturbation().orElse("(unperturbed)"));
    browser.driver().findElement(By.cssSelector("#list tr[data-index='" + index + "']")).click();
    await("document.getElementById('sample').dataset.index === '" + index + "'", "the sample");
    for (SampleRow.Judgement judgement : sample.judgements()) {
      String box = "#sample .judgement[data-judge='" + judgement.judge() + "']";
      assertEquals(text(box + " pre.reply"), judgement.reply(), judgement.judge() + " in " + mode);
      List<String> grades = new ArrayList<>();
      judgement.grades().forEach((k, v) -> grades.add(k + " " + v));
      assertEquals(text(box + " p.grades"), String.join(", ", grades));
    }
    browser.screenshot(Path.of("target", "viewer", mode + "-judged-1280.png"));
  }

  @Test(dataProvider = "modes")
  public void aPhoneNeverScrollsSideways(String mode) throws Exception {
    browser.load(url(mode), 390);
    await("document.body.dataset.listed", "the list");
    assertEquals(((Number) browser.script("return window.innerWidth")).intValue(), 390);
    String fits = "return document.documentElement.scrollWidth <= window.innerWidth";
    assertEquals(browser.script(fits), true, "the list at 390 px, " + mode);
    browser.screenshot(Path.of("target", "viewer", mode + "-list-390.png"));
    // The longest prompt of the run, opened.
    int longest = 0;
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).prompt().length() > samples.get(longest).prompt().length()) {
        longest = i;
      }
    }
    SampleRow sample = samples.get(longest);
    select("model", sample.model());
    select("benchmark", sample.benchmark());
    select("subset", sample.subset().orElse("(none)"));
    select("setting", sample.setting());
    select("perturbation", sample.perturbation().orElse("(unperturbed)"));
    browser.driver().findElement(By.cssSelector("#list tr[data-index='" + longest + "']")).click();
    await("document.getElementById('sample').dataset.index === '" + longest + "'", "the sample");
    assertEquals(text("#sample pre.prompt"), sample.prompt());
    assertEquals(browser.script(fits), true, "an opened sample at 390 px, " + mode);
    browser.screenshot(Path.of("target", "viewer", mode + "-sample-390.png"));
  }

  private String text(String css) {
    return (String) browser.script("return document.querySelector(arguments[0]).textContent", css);
  }

  @Test
  public void aPortInUseIsOneLineNamingPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      CliRun view = leadline("view", run.toString(), "--port", String.valueOf(port));
      assertEquals(view.exitCode(), 2, view.err());
      assertEquals(
          view.err().strip(),
          "leadline view: --port "
              + port
              + ": 127.0.0.1:"
              + port
              + " is in use; choose another port, or 0 for a free one");
    }
  }

  @Test
  public void badFlagsAreOneLineNamingTheFlag() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
    CliRun out = leadline("view", run.toString(), "--out", file.toString());
    assertEquals(out.exitCode(), 2, out.err());
    assertTrue(
        out.err().startsWith("leadline view: --out " + file + ": cannot write there"), out.err());
    assertEquals(out.err().strip().lines().count(), 1L, out.err());
    CliRun port = leadline("view", run.toString(), "--port", "70000");
    assertEquals(port.exitCode(), 2, port.err());
    assertEquals(port.err().strip(), "leadline view: --port: expected 0-65535, got 70000");
    CliRun both = leadline("view", run.toString(), "--port", "8123", "--out", file.toString());
    assertEquals(both.exitCode(), 2, both.err());
    assertTrue(both.err().startsWith("leadline view: --port: not with --out"), both.err());
  }

  @Test
  public void aFolderThatIsNotARunIsOneLine() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun view = leadline("view", empty.toString());
    assertEquals(view.exitCode(), 2, view.err());
    assertEquals(view.err().strip().lines().count(), 1L, view.err());
    assertTrue(view.err().contains("is not a run folder"), view.err());
  }

  @Test
  public void theStaticBundleIsTheSameForTheSameRun() throws Exception {
    Path again = dir.resolve("bundle-again");
    assertEquals(leadline("view", run.toString(), "--out", again.toString()).exitCode(), 0);
    List<Path> files;
    try (var walk = Files.walk(bundle)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertTrue(files.size() >= 3, files.toString());
    for (Path file : files) {
      assertEquals(
          Files.readAllBytes(again.resolve(bundle.relativize(file))),
          Files.readAllBytes(file),
          file.toString());
    }
  }

  @Test(
      dependsOnMethods = {
        "eachFilterChangesTheListAndTheCountAsTheRunSays",
        "anOpenedSampleShowsItsExactPromptAndTheExtractedAnswerAndWhy",
        "aJudgedSampleShowsBothJudgesReplies",
        "aPhoneNeverScrollsSideways"
      },
      alwaysRun = true)
  public void stoppingTheServerEndsTheCommandWithoutATrace() throws Exception {
    served.stop.countDown();
    assertEquals(servedExit.get(30, java.util.concurrent.TimeUnit.SECONDS).intValue(), 0);
    assertEquals(servedErr.toString(), "");
  }
}
