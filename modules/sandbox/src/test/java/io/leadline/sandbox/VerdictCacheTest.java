package io.leadline.sandbox;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

/**
 * Filed verdicts, in the real sandbox: a second executor on the same folder takes a program's
 * verdict instead of running it. The proof is the verdict's {@code seconds}, the time the first run
 * measured: a program run again measures another.
 */
public class VerdictCacheTest {
  private static final String SLEEPS = "import time\ntime.sleep(0.2)\n";
  private static final String FAILS = "assert 1 + 1 == 3\n";

  @Test
  public void aSecondExecutorTakesTheFiledVerdicts() throws Exception {
    Path folder = Files.createTempDirectory("verdicts");
    ExecResult slept;
    ExecResult failed;
    try (CodeExecutor first = CodeExecutor.start(SandboxOptions.isolated(1), Optional.of(folder))) {
      slept = first.run(SLEEPS, 3, Limits.DEFAULT);
      failed = first.submit(FAILS, 3, Limits.DEFAULT).get();
    }
    assertTrue(slept.passed(), slept.toString());
    assertEquals(failed.status(), "failed");
    try (CodeExecutor second =
        CodeExecutor.start(SandboxOptions.isolated(1), Optional.of(folder))) {
      assertEquals(second.run(SLEEPS, 3, Limits.DEFAULT), slept);
      assertEquals(second.submit(FAILS, 3, Limits.DEFAULT).get(), failed);
      // Another timeout is another verdict: run again, its own time measured.
      ExecResult again = second.run(SLEEPS, 2, Limits.DEFAULT);
      assertTrue(again.passed(), again.toString());
      assertNotEquals(again.seconds(), slept.seconds());
    }
  }

  @Test
  public void aTornLineIsSkippedAndTheOthersKept() throws Exception {
    Path folder = Files.createTempDirectory("verdicts");
    ExecResult slept;
    try (CodeExecutor first = CodeExecutor.start(SandboxOptions.isolated(1), Optional.of(folder))) {
      slept = first.run(SLEEPS, 3, Limits.DEFAULT);
    }
    Path segment;
    try (var files = Files.list(folder)) {
      List<Path> segments = files.toList();
      assertEquals(segments.size(), 1, segments.toString());
      segment = segments.get(0);
    }
    Files.writeString(
        segment, "{\"key\": \"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (CodeExecutor second =
        CodeExecutor.start(SandboxOptions.isolated(1), Optional.of(folder))) {
      assertEquals(second.run(SLEEPS, 3, Limits.DEFAULT), slept);
    }
  }

  /** Ctrl-C closes the executor mid-run: what the stopped worker said is not the candidate's. */
  @Test
  public void aRunCutShortByCloseIsNotFiled() throws Exception {
    Path folder = Files.createTempDirectory("verdicts");
    String slow = "import time\ntime.sleep(1.5)\n";
    CodeExecutor first = CodeExecutor.start(SandboxOptions.isolated(1), Optional.of(folder));
    java.util.concurrent.CompletableFuture<ExecResult> cut = first.submit(slow, 3, Limits.DEFAULT);
    Thread.sleep(400);
    first.close();
    try {
      cut.get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // Either way: it said nothing about the candidate.
    }
    try (CodeExecutor second =
        CodeExecutor.start(SandboxOptions.isolated(1), Optional.of(folder))) {
      ExecResult again = second.run(slow, 3, Limits.DEFAULT);
      assertTrue(again.passed(), again.toString());
    }
  }

  @Test
  public void withoutIsolationNothingIsFiledOrTaken() throws Exception {
    Path folder = Files.createTempDirectory("verdicts");
    try (CodeExecutor unsafe = CodeExecutor.start(SandboxOptions.unsafe(1), Optional.of(folder))) {
      assertTrue(unsafe.run(SLEEPS, 3, Limits.DEFAULT).passed());
    }
    try (var files = Files.list(folder)) {
      assertFalse(files.findAny().isPresent(), "an unsafe run filed a verdict");
    }
  }
}
