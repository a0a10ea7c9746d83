package io.leadline.cli;

import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.Suite;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leadline settings [NAME…]}: the named settings, per benchmark, with their hashes. */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description =
        "List the settings (settings/*.yaml, and shots-N) with, per benchmark, what they set and"
            + " the setting hash runs are compared by.")
final class SettingsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "NAME",
      description = "Settings to show (default: every file in settings/).")
  List<String> names = new ArrayList<>();

  @Override
  public void run() {
    Suite suite = Suite.load(Checkout.benchmarks());
    List<String> shown = names.isEmpty() ? Setting.names(Checkout.settings()) : names;
    List<Setting> settings = new ArrayList<>();
    for (String name : shown) {
      settings.add(suite.setting(Checkout.settings(), name));
    }
    PrintWriter out = spec.commandLine().getOut();
    for (Setting setting : settings) {
      out.printf("%s: %s%n", setting.name(), setting.description());
      for (BenchmarkSetting resolved : setting.perBenchmark().values()) {
        out.printf(
            "  %-10s %-22s T=%-5s %-10s max_tokens=%-5d n=%-4d %-11s %s%n",
            resolved.benchmark().name(),
            resolved.label(),
            resolved.temperature().stripTrailingZeros().toPlainString(),
            resolved.topP().map(p -> "top_p=" + p.toPlainString()).orElse(""),
            resolved.maxTokens(),
            resolved.n(),
            resolved.chatWrapping().id(),
            resolved.hash());
      }
    }
    if (names.isEmpty()) {
      out.println("shots-N: gpt-fathom with N exemplars wherever a benchmark has them");
      out.println(
          "NAME+shots=N+temperature=T+max_tokens=N+seed=N: NAME with those axes changed (any of"
              + " them, in that order), as sweep's --num-fewshot, --temperature, --max-tokens and"
              + " --seed make it");
    }
  }
}
