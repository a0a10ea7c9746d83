package io.leadline.sandbox;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;

import org.testng.annotations.Test;

/** {@code --unsafe-no-sandbox}: the same verdicts, and still none of the parent's keys. */
public class UnsafeModeTest {
  @Test
  public void judgesLikeTheSandboxAndHidesTheParentsKeys() {
    try (CodeExecutor executor = CodeExecutor.start(SandboxOptions.unsafe(1))) {
      assertEquals(executor.run("assert 1 + 1 == 2", 3.0, Limits.DEFAULT).result(), "passed");
      assertEquals(
          executor.run("exit()", 3.0, Limits.DEFAULT).result(),
          "failed: 'NoneType' object is not callable");
      ExecResult keys =
          executor.run(
              "import os\nprint(sorted(os.environ))\nos.environ['OPENAI_API_KEY']",
              3.0,
              Limits.DEFAULT);
      assertEquals(keys.result(), "failed: 'OPENAI_API_KEY'");
      assertFalse(keys.output().contains("HF_TOKEN"), keys.output());
    }
  }
}
