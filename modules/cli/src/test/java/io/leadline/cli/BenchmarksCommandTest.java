package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.List;
import org.testng.annotations.Test;

public class BenchmarksCommandTest {
  @Test
  public void listsTheBenchmarksWithTheirDefaultSetting() {
    CliRun run = CliRun.of("benchmarks");
    assertEquals(run.exitCode(), 0, run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(lines.size(), 9, run.out());
    assertTrue(
        lines
            .get(0)
            .matches(
                "benchmark +category +dataset +split +subsets +gpt-fathom +setting hash"
                    + " +metrics \\(primary first\\)"),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("mmlu       Knowledge      cais/mmlu"), lines.get(1));
    assertTrue(
        lines
            .get(6)
            .matches(
                "gsm8k +Math +openai/gsm8k +test +- +8-shot CoT +862081b240a1 +"
                    + "gsm8k/gpt-fathom-accuracy, gsm8k/exact-number"),
        lines.get(5));
    assertTrue(lines.get(7).contains("0-shot, pass@1"), lines.get(7));
    assertTrue(
        lines
            .get(8)
            .matches(
                "truthfulqa +Safety +truthfulqa/truthful_qa +validation +- +1-shot +90eeda8350e7 +"
                    + "mmlu/gpt-fathom-accuracy"),
        lines.get(8));
  }

  @Test
  public void listsSettingsWithFullHashes() {
    CliRun run = CliRun.of("settings", "gpt-fathom", "shots-2");
    assertEquals(run.exitCode(), 0, run.err());
    assertTrue(
        run.out()
            .contains(
                "gsm8k      8-shot CoT           T=0                max_tokens=1024  n=1    gpt-fathom"
                    + "  862081b240a11375473fecd7b729095397c71425294ec0936ea3bae08b860ac7"),
        run.out());
    assertTrue(run.out().contains("shots-2: gpt-fathom with 2 exemplars"), run.out());
    assertTrue(run.out().contains("  gsm8k      2-shot CoT "), run.out());
  }

  @Test
  public void anUnknownSettingIsOneLine() {
    CliRun run = CliRun.of("settings", "gpt-fathm");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err(),
        "leadline settings: unknown setting 'gpt-fathm'; known: chat-plain, cot-off, gpt-fathom,"
            + " sampled, zero-shot, shots-N\n");
  }
}
