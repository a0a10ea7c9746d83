package io.leadline.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A sweep in its own JVM, for tests that kill it: {@code SweepChild HOME OUT MODELS_FILE BENCHMARKS
 * LIMIT}. Prints the run folder on success.
 */
public final class SweepChild {
  private SweepChild() {}

  public static void main(String[] args) throws Exception {
    Path models = Path.of(args[2]);
    SweepSpec spec =
        SweepFixture.spec(
            Path.of(args[0]),
            Path.of(args[1]),
            models.toString(),
            Files.readString(models),
            List.of(args[3].split(",")),
            Integer.parseInt(args[4]));
    SweepResult result = Sweep.run(spec, new SweepListener() {});
    System.out.println(result.runDir());
  }
}
