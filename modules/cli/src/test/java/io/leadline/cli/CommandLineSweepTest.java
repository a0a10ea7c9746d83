package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import io.leadline.datasets.BundledSamples;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The sweep as users of lm-evaluation-harness and inspect_ai call it, in-process against a real
 * {@code serve-sim} server on a loopback port: models named by flags, setting shorthands, a
 * fractional limit, the simulator recognised by its header, and the next steps named.
 */
public class CommandLineSweepTest {
  private Path dir;
  private Thread server;
  private String url;

  @BeforeClass
  public void start() throws Exception {
    dir = Files.createTempDirectory("command-line-sweep");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    server =
        new Thread(
            () ->
                Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute("serve-sim", "--port", "0", "--profile", "sim-v2"));
    server.setDaemon(true);
    server.start();
    Matcher served = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/v1) ").matcher("");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!served.reset(out.toString()).find()) {
      assertTrue(server.isAlive() && System.nanoTime() < deadline, "serve-sim: " + err);
      Thread.sleep(20);
    }
    url = served.group(1);
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    if (server != null) {
      server.interrupt();
      server.join(10_000);
    }
    CliRun.deleteRecursively(dir);
  }

  private CliRun sweep(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "sweep";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), all);
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().toList();
    return lines.get(lines.size() - 1);
  }

  /**
   * A serve-sim server behind a models file is simulated by its own word; --num-fewshot and
   * --temperature make a derived setting recorded like any other; --limit 0.1 asks the first ⌈10%⌉
   * and warns; the summary names sensitivity, view and diff.
   */
  @Test
  public void aModelsFileModelUnderShorthandsAndAFractionOfEachBenchmark() throws Exception {
    Path models = dir.resolve("models.yaml");
    Files.writeString(
        models,
        "models:\n  - {name: served, provider: openai-compatible, base_url: '"
            + url
            + "', model: sim-v2}\n");
    Path out = dir.resolve("run-shorthands");
    CliRun run =
        sweep(
            "--models-file", models.toString(),
            "--benchmarks", "gsm8k",
            "--num-fewshot", "0",
            "--temperature", "0.7",
            "--limit", "0.1",
            "--perturbations", "typos",
            "--out", out.toString());
    assertEquals(run.exitCode(), 0, run.err());
    String runDir = out.toAbsolutePath().toString();
    assertEquals(lastLine(run.out()), runDir);

    RunManifest manifest = RunFolders.read(runDir, "--out").manifest();
    RunManifest.Model served = manifest.models().get(0);
    assertEquals(served.provider(), "openai-compatible");
    assertTrue(served.simulated(), "the X-Leadline-Simulated header was not recorded");
    assertTrue(served.endpointHost().startsWith("127.0.0.1:"), served.endpointHost());
    assertTrue(
        Files.readString(out.resolve("report/leaderboard.md")).contains("served (simulated)"));

    String derived = "gpt-fathom+shots=0+temperature=0.7";
    assertEquals(manifest.settings().size(), 1);
    RunManifest.Setting setting = manifest.settings().get(0);
    assertEquals(setting.name(), derived);
    RunManifest.SettingBenchmark gsm8k = setting.benchmarks().get(0);
    assertEquals(gsm8k.label(), "gpt-fathom, 0-shot CoT, T=0.7");
    Suite suite = Suite.load(Checkout.benchmarks());
    Setting base = suite.setting(Checkout.settings(), "gpt-fathom");
    assertEquals(gsm8k.hash(), suite.setting(Checkout.settings(), derived).of("gsm8k").hash());
    assertNotEquals(gsm8k.hash(), base.of("gsm8k").hash());
    assertTrue(gsm8k.canonical().contains("\"shots\":0"), gsm8k.canonical());
    assertTrue(gsm8k.canonical().contains("\"temperature\":\"0.7\""), gsm8k.canonical());

    int available =
        new BundledSamples(Checkout.benchmarks()).load("gsm8k", "main", "test").rows().size()
            - suite.benchmark("gsm8k").start();
    int expected = (available + 9) / 10;
    assertEquals(manifest.benchmarks().get(0).examples(), expected, "of " + available);
    assertEquals(manifest.command().limitFraction(), Optional.of("0.1"));
    assertEquals(manifest.command().limit(), Optional.empty());

    List<String> err = run.err().lines().toList();
    assertTrue(
        err.contains(
            "leadline sweep: setting gpt-fathom+shots=0+temperature=0.7: gpt-fathom, 0-shot,"
                + " T=0.7 (a derived setting, hashed apart from gpt-fathom)"),
        run.err());
    assertTrue(
        err.contains(
            "leadline sweep: warning: --limit 0.1: only the first 10% of each benchmark's items;"
                + " these scores are not comparable with scores on whole benchmarks"),
        run.err());
    assertTrue(err.stream().anyMatch(l -> l.startsWith("leadline sweep: starting Spark ")));
    int report = err.indexOf("leadline sweep: report: " + out.resolve("report/index.html"));
    assertTrue(report >= 0, run.err());
    assertEquals(
        err.subList(report + 1, report + 4),
        List.of(
            "leadline sweep: next: leadline sensitivity "
                + runDir
                + " (how far the perturbations move scores)",
            "leadline sweep: next: leadline view " + runDir + " (the samples, answer by answer)",
            "leadline sweep: next: leadline diff OTHER_RUN "
                + runDir
                + " (what changed from another run)"));
  }

  /**
   * Models named by flags, a built-in sim and a serve-sim server, each under the name the sweep
   * shows; the server's answers stay simulated when the next sweep takes them from the store.
   */
  @Test
  public void modelsNamedByFlagsAreRecordedUnderTheNamesShown() {
    String[] flags = {
      "--model", "sim/sim-v1",
      "--model", "openai-compatible/sim-v2",
      "--base-url", url,
      "--name", "served-v2",
      "--benchmarks", "gsm8k",
      "--limit", "1"
    };
    Path first = dir.resolve("run-flags");
    CliRun run = sweep(concat(flags, "--out", first.toString()));
    assertEquals(run.exitCode(), 0, run.err());
    List<String> err = run.err().lines().toList();
    assertEquals(
        err.subList(0, 2),
        List.of(
            "leadline sweep: model sim-v1: sim sim-v1",
            "leadline sweep: model served-v2: openai-compatible sim-v2 at " + url));
    RunManifest manifest = RunFolders.read(first.toString(), "--out").manifest();
    assertEquals(manifest.command().modelsFile(), CommandLineModels.FILE);
    assertEquals(
        manifest.models().stream().map(RunManifest.Model::name).toList(),
        List.of("sim-v1", "served-v2"));
    assertEquals(manifest.models().get(0).provider(), "sim");
    assertEquals(manifest.models().get(1).provider(), "openai-compatible");
    assertEquals(manifest.models().get(1).model(), "sim-v2");
    assertTrue(manifest.models().get(1).simulated());
    // Models of one's own get gpt-fathom alone, as from a models file.
    assertEquals(
        manifest.settings().stream().map(RunManifest.Setting::name).toList(),
        List.of("gpt-fathom"));
    assertTrue(err.stream().noneMatch(l -> l.contains("sensitivity")), run.err());

    Path second = dir.resolve("run-flags-again");
    CliRun again = sweep(concat(flags, "--out", second.toString()));
    assertEquals(again.exitCode(), 0, again.err());
    assertTrue(
        again.err().contains("served-v2: 1 items: 1 cached, 0 shared, 0 answered"), again.err());
    assertTrue(
        RunFolders.read(second.toString(), "--out").manifest().models().get(1).simulated(),
        "an answer from the store lost its simulated mark");
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
