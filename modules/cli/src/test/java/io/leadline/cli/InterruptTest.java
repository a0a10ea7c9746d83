package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.testng.SkipException;
import org.testng.annotations.Test;

/**
 * Issue 21: Ctrl-C during a sweep is one line and exit 130, never a trace. A real {@code leadline
 * sweep} process is sent SIGINT while its model (a loopback server that never answers) holds its
 * requests.
 */
public class InterruptTest {
  @Test
  public void ctrlCIsOneLineAndExit130() throws Exception {
    if (sigintIgnored()) {
      // Started under nohup or as `cmd &` in a script, this JVM ignores SIGINT and so does every
      // process it starts: the sweep could not see the signal, whatever it does with it.
      throw new SkipException("SIGINT is ignored in this process tree (nohup, or `&` in a script)");
    }
    Path dir = Files.createTempDirectory("interrupt");
    CountDownLatch asked = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          asked.countDown();
          try {
            Thread.sleep(120_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    Process sweep = null;
    try {
      Path models = dir.resolve("slow.yaml");
      Files.writeString(
          models,
          "models:\n"
              + "  - name: slow\n"
              + "    provider: openai-compatible\n"
              + "    base_url: http://127.0.0.1:"
              + server.getAddress().getPort()
              + "/v1\n"
              + "    model: x\n",
          StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(CliRun.SHORT_LIVED_JVM);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("-Dleadline.root=" + Checkout.root());
      command.addAll(
          List.of(
              "io.leadline.cli.Leadline",
              "sweep",
              "--models-file",
              models.toString(),
              "--benchmarks",
              "gsm8k",
              "--limit",
              "2",
              "--out",
              dir.resolve("run").toString()));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("LEADLINE_HOME", dir.resolve("home").toString());
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      File err = dir.resolve("err.txt").toFile();
      builder.redirectError(err);
      sweep = builder.start();
      assertTrue(asked.await(120, TimeUnit.SECONDS), "the sweep never asked its model");
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(sweep.pid())).start();
      assertEquals(kill.waitFor(), 0);
      assertTrue(sweep.waitFor(60, TimeUnit.SECONDS), "the sweep did not stop on SIGINT");
      String text = Files.readString(err.toPath(), StandardCharsets.UTF_8);
      assertEquals(sweep.exitValue(), 130, text);
      assertTrue(
          text.contains("leadline sweep: interrupted; rerun the same command to resume"), text);
      FaultSuiteTest.assertNoTrace(text);
      List<String> after =
          text.lines()
              .dropWhile(line -> !line.contains("interrupted; rerun"))
              .skip(1)
              .filter(line -> !line.isBlank())
              .toList();
      assertEquals(after, List.of(), text);
    } finally {
      if (sweep != null) {
        sweep.destroyForcibly();
      }
      server.stop(0);
      CliRun.deleteRecursively(dir);
    }
  }

  /** Whether SIGINT (2) is in this process's ignored-signal mask, as Linux reports it. */
  private static boolean sigintIgnored() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }
}
