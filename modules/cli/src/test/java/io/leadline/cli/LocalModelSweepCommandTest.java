package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * A sweep of a {@code llama-cpp} model whose context is too small for some prompts: the end of the
 * sweep counts them as out of context, not as failures to retry.
 */
public class LocalModelSweepCommandTest {
  @Test
  public void promptsLongerThanTheContextAreCountedNotFailed() throws Exception {
    Path dir = Files.createTempDirectory("local-sweep");
    try {
      Path models = dir.resolve("models.yaml");
      Files.writeString(
          models,
          "models:\n"
              + "  - {name: tiny, provider: llama-cpp, model_file: '"
              + Path.of("../../models/stories260K/stories260K.gguf").toAbsolutePath().normalize()
              + "', context_size: 64, threads: 1}\n"
              + "  - {name: sim-judge-a, provider: sim, profile: sim-judge-a}\n"
              + "  - {name: sim-judge-b, provider: sim, profile: sim-judge-b}\n");
      CliRun run =
          CliRun.withEnvironment(
              Map.of("LEADLINE_HOME", dir.resolve("home").toString()),
              "sweep",
              "--models-file",
              models.toString(),
              "--benchmarks",
              "tinystories",
              "--limit",
              "8",
              "--out",
              dir.resolve("run").toString());
      assertEquals(run.exitCode(), 0, run.err());
      assertTrue(
          run.err()
              .matches(
                  "(?s).*leadline sweep: model tiny: \\d items out of context \\(recorded, not"
                      + " failed; never retried\\): model tiny: the prompt of \\d+ tokens leaves no room to"
                      + " answer in its context of 64 tokens\n.*"),
          run.err());
      assertFalse(run.err().contains("items failed"), run.err());
      assertTrue(run.out().contains("tiny "), run.out());
    } finally {
      CliRun.deleteRecursively(dir);
    }
  }
}
