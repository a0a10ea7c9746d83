package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.List;
import org.testng.annotations.Test;

public class BenchmarksCommandTest {
  @Test
  public void listsTheBenchmarksWithTheirDefaultSettingAndWhereTheirSampleComesFrom() {
    CliRun run = CliRun.of("benchmarks");
    assertEquals(run.exitCode(), 0, run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(lines.size(), 22, run.out());
    assertTrue(
        lines
            .get(0)
            .matches(
                "benchmark +category +dataset +split +subsets +gpt-fathom +setting hash"
                    + " +bundled sample \\(evaluated\\) +metrics \\(primary first\\)"),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("agieval     Knowledge     ruixiangcui/AGIEval (GitHub)"));
    assertTrue(
        line(lines, "mmlu").contains(" 1192 in 8 of 57 subsets, Hub-schema rows "), run.out());
    assertTrue(
        line(lines, "gsm8k")
            .matches(
                "gsm8k +Math +openai/gsm8k +test +- +8-shot CoT +862081b240a1 +50, Hub-schema rows +"
                    + "gsm8k/gpt-fathom-accuracy, gsm8k/exact-number"),
        run.out());
    assertTrue(line(lines, "humaneval").contains("0-shot, pass@1"), run.out());
    assertTrue(line(lines, "nq").contains(" 200, GPT-Fathom's files "), run.out());
    assertTrue(line(lines, "mgsm").contains(" 2500 in 10 subsets, upstream files "), run.out());
    assertTrue(line(lines, "lambada").contains(" 200, GPT-Fathom's files "), run.out());
    assertTrue(
        line(lines, "truthfulqa")
            .matches(
                "truthfulqa +Safety +truthfulqa/truthful_qa +validation +- +1-shot +90eeda8350e7 +"
                    + "199, Hub-schema rows +mmlu/gpt-fathom-accuracy"),
        run.out());
    assertTrue(
        line(lines, "tinystories")
            .matches(
                "tinystories +Generation +nathankim7/ctg-intervention \\(GitHub\\) +evaluation +- +"
                    + "0-shot +4360e8d7d162 +44, upstream files +judged"),
        run.out());
  }

  private static String line(List<String> lines, String benchmark) {
    return lines.stream().filter(l -> l.startsWith(benchmark + " ")).findFirst().orElseThrow();
  }

  @Test
  public void listsSettingsWithFullHashes() {
    CliRun run = CliRun.of("settings", "gpt-fathom", "shots-2");
    assertEquals(run.exitCode(), 0, run.err());
    assertTrue(
        run.out()
            .contains(
                "gsm8k      8-shot CoT             T=0                max_tokens=1024  n=1    gpt-fathom"
                    + "  862081b240a11375473fecd7b729095397c71425294ec0936ea3bae08b860ac7"),
        run.out());
    CliRun likelihood = CliRun.of("settings", "loglikelihood");
    assertTrue(
        likelihood.out().contains("  mmlu       5-shot, log-likelihood T=0 "), likelihood.out());
    assertTrue(!likelihood.out().contains("gsm8k"), likelihood.out());
    assertTrue(run.out().contains("shots-2: gpt-fathom with 2 exemplars"), run.out());
    assertTrue(run.out().contains("  gsm8k      2-shot CoT "), run.out());
  }

  @Test
  public void anUnknownSettingIsOneLine() {
    CliRun run = CliRun.of("settings", "gpt-fathm");
    assertEquals(run.exitCode(), 2);
    assertEquals(
        run.err(),
        "leadline settings: unknown setting 'gpt-fathm' (did you mean gpt-fathom?); known:"
            + " chat-plain, cot-off, gpt-fathom,"
            + " judged, loglikelihood, sampled, zero-shot, shots-N\n");
  }
}
