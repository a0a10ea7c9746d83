package io.leadline.cli;

import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import io.leadline.engine.SimAnswers;
import io.leadline.models.Budget;
import io.leadline.models.HttpModelClient;
import io.leadline.models.ModelClients;
import io.leadline.models.ModelsFile;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimItem;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench models}: client throughput against {@code serve-sim} with a fixed latency,
 * at several concurrency limits, as a ratio to the ideal (requests × latency ÷ concurrency).
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "Requests per second of a model client against the simulated server with a fixed latency,"
            + " as a ratio to the ideal, at each --concurrency (median of --rounds).")
final class ModelsBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--latency-ms",
      defaultValue = "50",
      description = "Fixed server latency (default ${DEFAULT-VALUE}).")
  int latencyMillis;

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,16,64,256",
      description = "Concurrency limits to measure (default ${DEFAULT-VALUE}).")
  List<Integer> concurrencies;

  @Option(
      names = "--seconds",
      defaultValue = "1",
      description = "Ideal duration of one round, which sets its request count (default 1).")
  double seconds;

  @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds (default 3).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (latencyMillis < 1
        || rounds < 1
        || seconds <= 0
        || concurrencies.stream().anyMatch(c -> c < 1)) {
      throw LeadlineException.userInput(
          "--latency-ms, --rounds, --seconds and every --concurrency must be positive");
    }
    SimAnswerKey key = SimAnswers.bundled(Checkout.benchmarks());
    SimProfile profile =
        SimProfile.resolve("sim-v1", Checkout.settings(), "--profile")
            .with(
                new SimProfile.Latency(Duration.ofMillis(latencyMillis), 0),
                SimProfile.Faults.NONE);
    List<String> prompts = new ArrayList<>();
    for (SimItem item : key.items()) {
      if (item.style() == SimItem.Style.MATH || item.style() == SimItem.Style.OPTION) {
        prompts.add("Q: " + item.needle() + "\nA:");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Model client against serve-sim on 127.0.0.1, fixed latency %d ms, median of %d rounds"
            + " (after one warm-up round):%n",
        latencyMillis, rounds);
    out.printf(
        "%12s %10s %12s %12s %12s %8s%n",
        "concurrency", "requests", "seconds", "req/s", "ideal req/s", "ratio");
    try (SimServer server = SimServer.start(profile, key, "127.0.0.1", 0, Optional.empty())) {
      for (int concurrency : concurrencies) {
        double ideal = concurrency * 1000.0 / latencyMillis;
        int requests = (int) Math.max(concurrency, Math.round(ideal * seconds));
        HttpModelClient client = client(server, concurrency);
        round(client, prompts, requests, concurrency);
        double[] elapsed = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          elapsed[r] = round(client, prompts, requests, concurrency);
        }
        Arrays.sort(elapsed);
        double median = elapsed[rounds / 2];
        double rate = requests / median;
        out.printf(
            "%12d %10d %12.3f %12.1f %12.1f %8.3f%n",
            concurrency, requests, median, rate, ideal, rate / ideal);
        out.flush();
      }
    }
    return 0;
  }

  private static HttpModelClient client(SimServer server, int concurrency) {
    String yaml =
        "models:\n  - name: bench\n    provider: openai-compatible\n    base_url: "
            + server.baseUrl()
            + "\n    model: "
            + server.profile().snapshot()
            + "\n    max_concurrency: "
            + concurrency
            + "\n";
    return ModelClients.create(
        ModelsFile.parse("bench", yaml).models().get(0), Map.of(), Budget.unlimited());
  }

  /** Seconds for {@code requests} requests from {@code concurrency} callers. */
  private static double round(
      HttpModelClient client, List<String> prompts, int requests, int concurrency)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<ModelResult>> results = new ArrayList<>(requests);
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        String prompt = prompts.get(i % prompts.size());
        results.add(
            callers.submit(
                () ->
                    client.complete(
                        new CompletionRequest(
                            prompt, ChatWrapping.GPT_FATHOM, Sampling.greedy(256)))));
      }
      for (Future<ModelResult> result : results) {
        if (!(result.get() instanceof ModelResult.Completed)) {
          throw new IllegalStateException("a bench request failed: " + result.get());
        }
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      callers.shutdownNow();
    }
  }
}
