package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryPolicy;
import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.Suite;
import io.leadline.datasets.Datasets;
import io.leadline.datasets.HubSettings;
import io.leadline.datasets.PullListener;
import io.leadline.datasets.PulledSplit;
import io.leadline.datasets.SplitRef;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code leadline data pull|list}: the Hub datasets behind the benchmarks, and the local cache. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Fetch benchmark datasets from the Hugging Face Hub into the cache, or list it.",
    subcommands = {DataCommand.Pull.class, DataCommand.ListCached.class})
final class DataCommand implements Runnable {
  @Spec CommandSpec spec;
  @ParentCommand Leadline leadline;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  HubSettings settings() {
    return HubSettings.fromEnvironment(leadline.environment);
  }

  @Command(
      name = "pull",
      mixinStandardHelpOptions = true,
      description = {
        "Fetch every split a benchmark uses into the cache (LEADLINE_HOME, default"
            + " ~/.cache/leadline), recording the dataset revision and the rows' sha256.",
        "Hosts come from HF_ENDPOINT and HF_DATASETS_SERVER; HF_TOKEN is sent as a Bearer token."
      })
  static final class Pull implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand DataCommand data;

    @Parameters(
        index = "0",
        paramLabel = "BENCHMARK",
        description = "A benchmark under benchmarks/ (leadline benchmarks lists them).")
    String benchmark;

    @Option(
        names = "--revision",
        paramLabel = "R",
        description = "Pin the dataset commit; a cached copy of it is used as is.")
    String revision;

    @Option(
        names = "--offline",
        description = "Use only the cache (also HF_HUB_OFFLINE=1): verify what is there.")
    boolean offline;

    @Override
    public Integer call() {
      List<SplitRef> splits;
      try {
        Benchmark known = Suite.load(Checkout.benchmarks()).benchmark(benchmark);
        known.requireHub();
        splits = known.pullSplits();
      } catch (LeadlineException e) {
        throw LeadlineException.userInput("BENCHMARK: %s", e.getMessage());
      }
      HubSettings settings = data.settings();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Datasets datasets =
          new Datasets(
                  offline ? settings.withOffline(true) : settings,
                  RetryPolicy.DEFAULT,
                  4,
                  warning -> {
                    err.println("leadline data pull: warning: " + warning);
                    err.flush();
                  })
              .forBenchmark(benchmark);
      try (Progress progress = new Progress(err)) {
        for (SplitRef ref : splits) {
          PulledSplit split = datasets.pull(ref, Optional.ofNullable(revision), progress);
          progress.finish(ref);
          out.printf(
              "%s %s/%s: %d rows, revision %s, sha256 %s%n",
              ref.dataset(),
              ref.config(),
              ref.split(),
              split.rows().size(),
              split.revision(),
              split.sha256());
          out.flush();
        }
      }
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the cached splits: dataset, config, split, revision, rows, sha256, size.")
  static final class ListCached implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand DataCommand data;

    @Option(
        names = "--format",
        defaultValue = "text",
        paramLabel = "text|json",
        description = "text (default) or json: a list of objects with those keys.")
    String format;

    @Override
    public Integer call() {
      if (!format.equals("text") && !format.equals("json")) {
        throw io.leadline.api.LeadlineException.userInput(
            "--format: expected text or json, found '%s'", format);
      }
      List<JsonNode> entries = new io.leadline.datasets.DatasetCache(data.settings().home()).list();
      PrintWriter out = spec.commandLine().getOut();
      if (format.equals("json")) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (JsonNode entry : entries) {
          ObjectNode item = list.addObject();
          for (String key : new String[] {"dataset", "config", "split", "revision"}) {
            item.put(key, entry.path(key).asText());
          }
          item.put("rows", entry.path("rows").asInt());
          item.put("sha256", entry.path("sha256").asText());
          item.put("size", entry.path("bytes").asLong());
        }
        out.println(list.toString());
      } else if (entries.isEmpty()) {
        out.println("The cache is empty: leadline data pull BENCHMARK fetches a benchmark's data.");
      } else {
        out.printf(
            "%-24s %-18s %-10s %-12s %8s %10s  %s%n",
            "dataset", "config", "split", "revision", "rows", "bytes", "sha256");
        for (JsonNode entry : entries) {
          out.printf(
              "%-24s %-18s %-10s %-12s %8d %10d  %s%n",
              entry.path("dataset").asText(),
              entry.path("config").asText(),
              entry.path("split").asText(),
              abbreviate(entry.path("revision").asText()),
              entry.path("rows").asInt(),
              entry.path("bytes").asLong(),
              entry.path("sha256").asText());
        }
      }
      out.flush();
      return 0;
    }

    private static String abbreviate(String revision) {
      return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }
  }

  /** A progress bar per multi-page split, on standard error, only on a terminal. */
  private static final class Progress implements PullListener, AutoCloseable {
    private final boolean interactive = System.console() != null;
    private final PrintWriter err;
    private final Map<SplitRef, ProgressBar> bars = new HashMap<>();

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public synchronized void pages(SplitRef ref, int pagesDone, int pagesTotal) {
      if (!interactive || pagesTotal < 2) {
        return;
      }
      bars.computeIfAbsent(
              ref,
              r ->
                  new ProgressBarBuilder()
                      .setTaskName(r.toString())
                      .setInitialMax(pagesTotal)
                      .setUnit(" pages", 1)
                      .setStyle(ProgressBarStyle.ASCII)
                      .build())
          .stepTo(pagesDone);
    }

    synchronized void finish(SplitRef ref) {
      ProgressBar bar = bars.remove(ref);
      if (bar != null) {
        bar.close();
      }
    }

    @Override
    public synchronized void close() {
      bars.values().forEach(ProgressBar::close);
      err.flush();
    }
  }
}
