package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * {@code leadline report} on a real sweep, and the page in a real browser: headless Chromium loads
 * {@code index.html} from disk (no network), the table has a row per benchmark, both charts render
 * (the page counts them), and a screenshot is left in {@code target/} for a human to look at.
 */
public class ReportCommandTest {
  private Path dir;
  private Path run;

  private CliRun leadline(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  @BeforeClass
  public void sweep() throws Exception {
    dir = Files.createTempDirectory("report-command");
    run = dir.resolve("run");
    CliRun sweep = leadline("sweep", "--limit", "3", "--out", run.toString());
    assertEquals(sweep.exitCode(), 0, sweep.err());
    assertTrue(sweep.err().contains("leadline sweep: report: " + run.resolve("report/index.html")));
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    CliRun.deleteRecursively(dir);
  }

  @Test
  public void writesTheFourFilesAndThePageRendersInChromium() throws Exception {
    Path out = dir.resolve("report");
    CliRun report = leadline("report", run.toString(), "--out", out.toString());
    assertEquals(report.exitCode(), 0, report.err());
    assertEquals(report.out().strip(), out.resolve("index.html").toString());
    for (String file :
        List.of("leaderboard.md", "leaderboard.csv", "leaderboard.json", "index.html")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file);
    }
    String markdown = Files.readString(out.resolve("leaderboard.md"));
    assertTrue(markdown.contains("| sim-v1 (simulated) | sim-v2 (simulated) |"), markdown);

    Path profile = dir.resolve("chromium-profile");
    String dom = chromium(profile, "--dump-dom", out.resolve("index.html").toUri().toString());
    assertTrue(
        dom.contains("<body data-charts=\"2\">"), "both charts drew: " + dom.substring(0, 200));
    // A row per benchmark and setting: the 21 under gpt-fathom, the 7 with options by likelihood,
    // and TinyStories as the real completions model was asked it (gpt-fathom@completions).
    assertEquals(dom.split("<tr data-benchmark=").length - 1, 29, "a row per benchmark");
    assertTrue(dom.contains("5-shot, log-likelihood"), "the log-likelihood rows");
    assertTrue(dom.contains("every benchmark weighing the same within its group"), "the note");
    Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    chromium(
        profile,
        "--window-size=1280,1800",
        "--screenshot=" + screenshot,
        out.resolve("index.html").toUri().toString());
    assertTrue(Files.size(screenshot) > 10_000, "a screenshot at " + screenshot);
  }

  @Test
  public void aFolderThatIsNotARunIsOneLine() {
    CliRun report = leadline("report", dir.resolve("nothing").toString());
    assertEquals(report.exitCode(), 2);
    assertTrue(report.err().startsWith("leadline report: RUN: "), report.err());
  }

  private static String chromium(Path profile, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError(
          "chromium is missing: run bin/ensure-tools (apt-get install chromium)", e);
    }
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "chromium finishes");
    assertEquals(process.exitValue(), 0, "chromium: " + output);
    return output;
  }
}
