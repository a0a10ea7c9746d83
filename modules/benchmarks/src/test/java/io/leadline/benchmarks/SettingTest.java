package io.leadline.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.testng.annotations.Test;

public class SettingTest {
  private static final Suite SUITE = Checkout.suite();

  /**
   * gpt-fathom's hashes, as computed when the settings were written (the six in round 1; TruthfulQA
   * and WebQuestions when they were added): a change here means every earlier run stops being
   * comparable, so it must be deliberate.
   */
  private static final Map<String, String> GPT_FATHOM_HASHES =
      Map.ofEntries(
          Map.entry(
              "truthfulqa", "90eeda8350e7d4ff383eade421cf562380b885eb322bf8314e3ef366d37e21fd"),
          Map.entry("webqa", "0f8871420df4697eca13705eb8989a91ed205f3f659cc69a3ea94c63f1e7abbc"),
          Map.entry("bbh", "914d087d1d73451c8072dc4481916fe15b28229783302a880db48f5d30f6e203"),
          Map.entry("drop", "83534ef56bf2d7097d99f3671c71da9de1e4e283a0df6384d1c3b5065133d16f"),
          Map.entry("gsm8k", "862081b240a11375473fecd7b729095397c71425294ec0936ea3bae08b860ac7"),
          Map.entry(
              "humaneval", "d9df3854299f894dd84126369a51624836165eee6f676f42232d3bddb3e5783d"),
          Map.entry("mmlu", "df21f90cbc94c37c2077c628cdebea7029001adb4a908881337d531a280b9133"),
          Map.entry("triviaqa", "4882fe9542a125c667fa43024f999a51008227c9fdfaf770ed8d6805c53e0bda"),
          // GPT-Fathom's whole table (issue 18).
          Map.entry("agieval", "42dbd7848f0e8f725801734ed254498bb867ffe24836bd0390942924a9245c9a"),
          Map.entry("arc-c", "7f7cbb056548c7699779ca284704c0eddf1234d046f028c2bbe8aa98a8719f4d"),
          Map.entry("arc-e", "3f6cfa5525c2c333ed5e60cb39c35c28261bb98ccc1a2a4f4853cea5a6192fe0"),
          Map.entry(
              "hellaswag", "179cfd8052c9072e7e23c193f322204511a3b4698627fe5dc2178926d10bdc66"),
          Map.entry("lambada", "20858b2f60d3520f99cb45bd7f43c7686f0cbf25d4c7a0c24c3054eb35fd934e"),
          Map.entry("math", "0cf01d526cf0073a9ec65b5438dadababec5ce8d2290f01097a49d1440459656"),
          Map.entry("mbpp", "217c2329743b86c1629d4664b6895e5a458a34deafa6a0d5e82fa4fa1ba30854"),
          Map.entry("mgsm", "9bd0b0351fd5e14619ea952a3b3668ab22394d3b765d030b6ad85c27e78d5bea"),
          Map.entry("nq", "5e3e838d2c365757d931d6bf2072283cdc1c4ac2916d7e35d48cf3f7ca5ff034"),
          Map.entry("race-h", "711d87c80552d01501db83b2c710a288a8f617b48f5d55b00a72f0d1d05d1498"),
          Map.entry("race-m", "7c8d3e4971d8e460971fc7cfa6aa69bc36dde6e693fbdd2140f06a37f1850aee"),
          Map.entry("tydiqa", "647e79ba04892d2ea00469b21727b6d259f7cd596a14338d89124da8b04dd160"),
          // TinyStories' GPT-Eval (issue 19): its judges and template are in the hash.
          Map.entry(
              "tinystories", "4360e8d7d162791cea0e6719ce6c6ef2bd39e36c1db9af2bc1046fc9d8bb594b"));

  @Test
  public void gptFathomHashesAreThoseRecorded() {
    Setting setting = SUITE.setting(Checkout.settings(), "gpt-fathom");
    Map<String, String> hashes = new TreeMap<>();
    setting.perBenchmark().forEach((name, s) -> hashes.put(name, s.hash()));
    assertEquals(hashes.toString(), new TreeMap<>(GPT_FATHOM_HASHES).toString());
  }

  @Test
  public void everyNamedSettingHasDistinctHashesWhereItChangesSomething() {
    Setting base = SUITE.setting(Checkout.settings(), "gpt-fathom");
    for (String name : Setting.names(Checkout.settings())) {
      Setting other = SUITE.setting(Checkout.settings(), name);
      // Every setting has every benchmark, but the log-likelihood one: only those with options.
      assertTrue(base.perBenchmark().keySet().containsAll(other.perBenchmark().keySet()), name);
      if (!name.equals("loglikelihood")) {
        assertEquals(other.perBenchmark().keySet(), base.perBenchmark().keySet(), name);
      }
      if (name.equals("gpt-fathom")) {
        continue;
      }
      boolean changed = false;
      for (String benchmark : other.perBenchmark().keySet()) {
        changed |= !other.of(benchmark).hash().equals(base.of(benchmark).hash());
      }
      assertTrue(changed, name + " changes nothing");
    }
    assertEquals(
        SUITE.setting(Checkout.settings(), "cot-off").of("mmlu").hash(),
        base.of("mmlu").hash(),
        "cot-off leaves MMLU as it is");
    assertNotEquals(
        SUITE.setting(Checkout.settings(), "cot-off").of("gsm8k").hash(), base.of("gsm8k").hash());
  }

  @Test
  public void eachSingleAxisChangesTheHash() throws IOException {
    Path dir = Files.createTempDirectory("leadline-settings");
    Files.copy(Checkout.settings().resolve("gpt-fathom.yaml"), dir.resolve("gpt-fathom.yaml"));
    String[] axes = {
      "shots: 2",
      "cot: false",
      "temperature: 0.5",
      "top_p: 0.9",
      "max_tokens: 77",
      "n: 3",
      "seed: 9",
    };
    Set<String> hashes = new HashSet<>();
    hashes.add(SUITE.setting(dir, "gpt-fathom").of("gsm8k").hash());
    for (int i = 0; i < axes.length; i++) {
      Files.writeString(
          dir.resolve("axis" + i + ".yaml"),
          "name: axis"
              + i
              + "\ndescription: one axis\nextends: gpt-fathom\nbenchmarks:\n  gsm8k: {"
              + axes[i]
              + "}\n");
      hashes.add(SUITE.setting(dir, "axis" + i).of("gsm8k").hash());
    }
    Files.writeString(
        dir.resolve("plain.yaml"),
        "name: plain\ndescription: x\nextends: gpt-fathom\nchat_wrapping: none\n");
    hashes.add(SUITE.setting(dir, "plain").of("gsm8k").hash());
    assertEquals(hashes.size(), axes.length + 2, "every axis gives a new hash");
  }

  @Test
  public void shotsNIsGptFathomWithOtherCounts() {
    Setting two = SUITE.setting(Checkout.settings(), "shots-2");
    assertEquals(two.of("gsm8k").shots(), 2);
    assertEquals(two.of("mmlu").shots(), 2);
    assertEquals(two.of("humaneval").shots(), 0);
    assertEquals(two.of("gsm8k").label(), "2-shot CoT");
    assertNotEquals(
        two.of("gsm8k").hash(),
        SUITE.setting(Checkout.settings(), "gpt-fathom").of("gsm8k").hash());
  }

  @Test
  public void labelsReadLikeGptFathomsTable() {
    Setting setting = SUITE.setting(Checkout.settings(), "gpt-fathom");
    assertEquals(setting.of("gsm8k").label(), "8-shot CoT");
    assertEquals(setting.of("humaneval").label(), "0-shot, pass@1");
    assertEquals(setting.of("drop").label(), "3-shot, F1");
    assertEquals(setting.of("mmlu").label(), "5-shot");
  }

  @Test
  public void unknownSettingsAndKeysAreOneLineErrors() throws IOException {
    LeadlineException unknown =
        expectThrows(
            LeadlineException.class, () -> SUITE.setting(Checkout.settings(), "gpt-fathomm"));
    assertTrue(
        unknown
            .getMessage()
            .startsWith("unknown setting 'gpt-fathomm' (did you mean gpt-fathom?);"),
        unknown.getMessage());
    Path dir = Files.createTempDirectory("leadline-settings");
    Files.copy(Checkout.settings().resolve("gpt-fathom.yaml"), dir.resolve("gpt-fathom.yaml"));
    Files.writeString(
        dir.resolve("typo.yaml"),
        "name: typo\ndescription: x\nextends: gpt-fathom\nbenchmarks:\n  gsm8k: {temprature: 1}\n");
    LeadlineException typo =
        expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "typo"));
    assertEquals(
        typo.getMessage(),
        dir.resolve("typo.yaml")
            + ": benchmarks.gsm8k: unknown key 'temprature'; known: cot, judge, maj_at, max_tokens, n,"
            + " pass_at, scoring, seed, shots, stop, temperature, top_p");
    Files.writeString(
        dir.resolve("nobench.yaml"),
        "name: nobench\ndescription: x\nextends: gpt-fathom\nbenchmarks:\n  gsm9k: {shots: 1}\n");
    LeadlineException bench =
        expectThrows(LeadlineException.class, () -> SUITE.setting(dir, "nobench"));
    assertTrue(bench.getMessage().contains("benchmarks: unknown key 'gsm9k'"), bench.getMessage());
  }
}
