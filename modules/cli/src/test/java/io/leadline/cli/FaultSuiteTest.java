package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Issue 21's fault suite: each bad input or unreachable service through the real CLI, which must
 * answer with one line naming what is wrong and the contract's exit code (2 for input, 1 for the
 * rest), never a stack trace. A case is a row of {@link #faults}: add one there.
 */
public class FaultSuiteTest {
  private Path dir;
  private Path run;

  /**
   * One fault: {@code args} run with {@code environment} (LEADLINE_HOME is added if absent), under
   * the checkout {@code root} (null: this one); the single error line contains {@code expected}.
   */
  record Fault(
      String name,
      int exitCode,
      String expected,
      Map<String, String> environment,
      Path root,
      String... args) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeClass
  public void runFolders() throws Exception {
    dir = Files.createTempDirectory("fault-suite");
    run = dir.resolve("good");
    CliRun sweep =
        CliRun.withEnvironment(
            Map.of("LEADLINE_HOME", dir.resolve("home").toString()),
            "sweep",
            "--models",
            "sim-v1",
            "--benchmarks",
            "gsm8k",
            "--limit",
            "2",
            "--out",
            run.toString());
    assertEquals(sweep.exitCode(), 0, sweep.err());
  }

  @AfterClass(alwaysRun = true)
  public void delete() throws Exception {
    CliRun.deleteRecursively(dir);
  }

  /** A copy of the good run whose {@code file} keeps only its first {@code bytes} bytes. */
  private Path cut(String name, String file, int bytes) throws Exception {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy);
    try (var files = Files.list(run)) {
      for (Path source : files.filter(Files::isRegularFile).toList()) {
        Files.copy(source, copy.resolve(source.getFileName()));
      }
    }
    byte[] content = Files.readAllBytes(copy.resolve(file));
    Files.write(copy.resolve(file), Arrays.copyOf(content, Math.min(bytes, content.length)));
    return copy;
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A checkout whose benchmarks, settings and models are copies, with gsm8k's few-shot file cut.
   */
  private Path checkoutWithCutFewshot() throws Exception {
    Path root = dir.resolve("checkout");
    Path here = Checkout.root();
    for (String folder : List.of("benchmarks", "settings", "models")) {
      try (var paths = Files.walk(here.resolve(folder))) {
        for (Path source : paths.toList()) {
          Path target = root.resolve(here.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target);
          }
        }
      }
    }
    Path fewshot = root.resolve("benchmarks/gsm8k/fewshot.jsonl");
    String text = Files.readString(fewshot);
    int secondLine = text.indexOf('\n') + 1;
    Files.writeString(fewshot, text.substring(0, secondLine + 40));
    return root;
  }

  @DataProvider
  public Object[][] faults() throws Exception {
    Map<String, String> none = Map.of();
    Path homeFile = write("home-is-a-file", "");
    Path keys =
        write(
            "keys.yaml",
            "models:\n"
                + "  - name: remote\n"
                + "    provider: openai-compatible\n"
                + "    base_url: http://127.0.0.1:9/v1\n"
                + "    model: x\n"
                + "    api_key_env: LEADLINE_FAULT_SUITE_UNSET_KEY\n");
    Path tabs = write("tabs.yaml", "models:\n\t- name: x\n");
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path badParquet = cut("bad-parquet", "samples.parquet", 100);
    Path badManifest = cut("bad-manifest", "manifest.json", 50);
    Path badMetricsDiff = cut("bad-metrics", "metrics.json", 50);
    List<Fault> faults = new ArrayList<>();
    String[] smallSweep = {"sweep", "--models", "sim-v1", "--benchmarks", "gsm8k", "--limit", "2"};
    faults.add(
        new Fault(
            "LEADLINE_HOME is a file",
            2,
            "LEADLINE_HOME: " + homeFile + " is a file",
            Map.of("LEADLINE_HOME", homeFile.toString()),
            null,
            smallSweep));
    faults.add(
        new Fault(
            "--master bogus://x",
            2,
            "--master: expected local, local[N], local[*], spark://HOST:PORT",
            none,
            null,
            concat(smallSweep, "--master", "bogus://x")));
    faults.add(
        new Fault(
            "--master on a closed port",
            1,
            "--master spark://127.0.0.1:" + closedPort + ": no Spark master answers",
            none,
            null,
            concat(smallSweep, "--master", "spark://127.0.0.1:" + closedPort)));
    faults.add(
        new Fault(
            "api_key_env unset",
            2,
            "keys.yaml: model remote: the environment variable LEADLINE_FAULT_SUITE_UNSET_KEY"
                + " (api_key_env) is not set",
            none,
            null,
            "sweep",
            "--models-file",
            keys.toString(),
            "--benchmarks",
            "gsm8k",
            "--limit",
            "2"));
    faults.add(
        new Fault(
            "tab-indented models file",
            2,
            "tabs.yaml:2: tabs are not allowed for indentation in YAML",
            none,
            null,
            "sweep",
            "--models-file",
            tabs.toString()));
    faults.add(
        new Fault(
            "truncated fewshot.jsonl",
            2,
            "benchmarks/gsm8k/fewshot.jsonl:2: not valid JSON",
            none,
            checkoutWithCutFewshot(),
            smallSweep));
    faults.add(
        new Fault(
            "diff --out into a missing folder",
            2,
            "--out: the folder " + dir.resolve("missing") + " does not exist",
            none,
            null,
            "diff",
            run.toString(),
            run.toString(),
            "--out",
            dir.resolve("missing/diff.md").toString()));
    faults.add(
        new Fault(
            "diff --out onto a folder",
            2,
            "--out: " + dir + " is a folder",
            none,
            null,
            "diff",
            run.toString(),
            run.toString(),
            "--out",
            dir.toString()));
    for (String command : List.of("diff", "report")) {
      String[] prefix =
          command.equals("diff")
              ? new String[] {"diff", run.toString()}
              : new String[] {"report", "--out", dir.resolve("report-" + faults.size()).toString()};
      faults.add(
          new Fault(
              command + " of a truncated samples.parquet",
              2,
              "samples.parquet: not a Parquet file (truncated?)",
              none,
              null,
              concat(prefix, badParquet.toString())));
      faults.add(
          new Fault(
              command + " of a corrupt manifest.json",
              2,
              "manifest.json: not valid JSON (line ",
              none,
              null,
              concat(prefix, badManifest.toString())));
      faults.add(
          new Fault(
              command + " of a corrupt metrics.json",
              2,
              "metrics.json: not valid JSON (line ",
              none,
              null,
              concat(prefix, badMetricsDiff.toString())));
    }
    Path port =
        write(
            "port.yaml",
            "models:\n"
                + "  - name: bad\n"
                + "    provider: openai-compatible\n"
                + "    base_url: http://127.0.0.1:99999/v1\n"
                + "    model: x\n");
    faults.add(
        new Fault(
            "base_url with port 99999",
            2,
            "expected a port in [1, 65535], got 99999",
            none,
            null,
            "sweep",
            "--models-file",
            port.toString(),
            "--benchmarks",
            "gsm8k"));
    Path secret = write("secret.env", "OPENAI_API_KEY=sk-leadline-fault-suite-secret\n");
    Path profile =
        write(
            "profile.yaml",
            "models:\n  - name: s\n    provider: sim\n    model: s-v1\n    profile: "
                + secret
                + "\n");
    faults.add(
        new Fault(
            "profile: a file that is not a profile",
            2,
            "not a sim profile",
            none,
            null,
            "sweep",
            "--models-file",
            profile.toString(),
            "--benchmarks",
            "gsm8k"));
    // An exec row's timeout of 1e300: ExecCommandTest.anAstronomicalTimeoutIsOneLine…
    faults.add(
        new Fault(
            "--out of a finished run, without --resume or --overwrite",
            2,
            "--resume",
            none,
            null,
            concat(smallSweep, "--out", run.toString())));
    return faults.stream().map(f -> new Object[] {f}).toArray(Object[][]::new);
  }

  private static String[] concat(String[] head, String... tail) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  @Test(dataProvider = "faults")
  public void answersWithOneLineAndTheExitCode(Fault fault) {
    Map<String, String> environment = new HashMap<>(fault.environment());
    environment.putIfAbsent("LEADLINE_HOME", dir.resolve("home").toString());
    String previousRoot = System.getProperty("leadline.root");
    if (fault.root() != null) {
      System.setProperty("leadline.root", fault.root().toString());
    }
    long started = System.nanoTime();
    CliRun result;
    try {
      result = CliRun.withEnvironment(environment, fault.args());
    } finally {
      if (previousRoot != null) {
        System.setProperty("leadline.root", previousRoot);
      }
    }
    assertEquals(result.exitCode(), fault.exitCode(), result.err());
    assertNoTrace(result.err());
    List<String> errors =
        result.err().lines().filter(line -> !line.startsWith("leadline sweep: planned")).toList();
    assertEquals(errors.size(), 1, result.err());
    assertTrue(errors.get(0).contains(fault.expected()), result.err());
    assertFalse(result.err().contains("sk-leadline-fault-suite-secret"), result.err());
    // Found before Spark or the model is asked: no fault waits for a timeout.
    assertTrue(System.nanoTime() - started < 30_000_000_000L, fault.name() + " was slow");
  }

  /** No line of {@code err} is a stack frame or starts an exception's name. */
  static void assertNoTrace(String err) {
    for (String line : err.lines().toList()) {
      assertFalse(line.startsWith("\tat ") || line.startsWith("Exception"), err);
      assertFalse(line.contains("internal error"), err);
    }
  }

  /** A full disk under --out (a real 32 KiB tmpfs): one line naming the folder, exit 1. */
  @Test
  public void aFullDiskUnderOutIsOneLineNamingTheFolder() throws Exception {
    Path mount = Files.createTempDirectory(dir, "full-disk");
    Process mounted =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    if (mounted.waitFor() != 0) {
      throw new org.testng.SkipException("cannot mount a tmpfs here");
    }
    try {
      CliRun sweep =
          CliRun.withEnvironment(
              Map.of("LEADLINE_HOME", dir.resolve("home-full").toString()),
              "sweep",
              "--models",
              "sim-v1",
              "--benchmarks",
              "gsm8k",
              "--limit",
              "20",
              "--out",
              mount.resolve("run").toString());
      assertEquals(sweep.exitCode(), 1, sweep.err());
      assertNoTrace(sweep.err());
      String last = sweep.err().strip().lines().reduce((a, b) -> b).orElse("");
      assertTrue(
          last.startsWith(
              "leadline sweep: no space left on device writing " + mount.resolve("run.partial")),
          sweep.err());
      assertEquals(
          sweep.err().lines().filter(line -> !line.startsWith("leadline sweep: ")).count(),
          0L,
          sweep.err());
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
    }
  }

  @Test
  public void aModelThatAnswers404IsNamedWithItsReasonAndNoRerunAdvice() throws Exception {
    CliRun sweep = sweepAgainst(404, "The model 'nope' does not exist", true, 0);
    assertTrue(
        sweep.err().contains("leadline sweep: model missing: 2 items failed: "), sweep.err());
    assertTrue(sweep.err().contains("HTTP 404"), sweep.err());
    assertTrue(sweep.err().contains("The model 'nope' does not exist"), sweep.err());
    assertFalse(sweep.err().contains("rerun the same"), sweep.err());
    assertFalse(sweep.err().contains("model sim-v1:"), sweep.err());
    assertTrue(Files.isRegularFile(dir.resolve("sweep-404/report/index.html")), sweep.err());
  }

  @Test
  public void aWrongKeyAloneKeepsTheRunAndSaysWhyThereIsNoReport() throws Exception {
    CliRun sweep = sweepAgainst(401, "Incorrect API key provided", false, 1);
    assertTrue(
        sweep.err().contains("leadline sweep: model missing: 2 items failed: "), sweep.err());
    assertTrue(sweep.err().contains("HTTP 401"), sweep.err());
    assertTrue(sweep.err().contains("Incorrect API key provided"), sweep.err());
    assertTrue(
        sweep.err().contains("leadline sweep: no report: nothing to report: every item of missing"),
        sweep.err());
    assertFalse(sweep.err().contains("are they run folders"), sweep.err());
    assertFalse(sweep.err().contains("rerun the same"), sweep.err());
    assertTrue(Files.isRegularFile(dir.resolve("sweep-401/samples.parquet")), sweep.err());
  }

  /** A sweep of gsm8k's first 2 items on a loopback model answering {@code status}. */
  private CliRun sweepAgainst(int status, String message, boolean withSim, int exitCode)
      throws Exception {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"error\":{\"message\":\"" + message + "\"}}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Path models =
          write(
              "missing-model-" + status + ".yaml",
              "models:\n"
                  + (withSim ? "  - name: sim-v1\n    provider: sim\n    profile: sim-v1\n" : "")
                  + "  - name: missing\n"
                  + "    provider: openai-compatible\n"
                  + "    base_url: http://127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/v1\n"
                  + "    model: nope\n");
      Path out = dir.resolve("sweep-" + status);
      CliRun sweep =
          CliRun.withEnvironment(
              Map.of("LEADLINE_HOME", dir.resolve("home").toString()),
              "sweep",
              "--models-file",
              models.toString(),
              "--benchmarks",
              "gsm8k",
              "--limit",
              "2",
              "--out",
              out.toString());
      assertEquals(sweep.exitCode(), exitCode, sweep.err());
      assertNoTrace(sweep.err());
      return sweep;
    } finally {
      server.stop(0);
    }
  }
}
