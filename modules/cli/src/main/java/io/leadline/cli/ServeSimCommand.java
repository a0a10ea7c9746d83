package io.leadline.cli;

import io.leadline.engine.SimAnswers;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code leadline serve-sim}: serves a simulated model snapshot over OpenAI's API until stopped,
 * answering the bundled benchmark items.
 */
@Command(
    name = "serve-sim",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a simulated model snapshot (OpenAI-compatible chat and completions) that answers the"
          + " bundled benchmark items; everything it says is labelled simulated.",
      "It also serves Anthropic's Messages API (/v1/messages) and both providers' batch APIs"
          + " (/v1/files and /v1/batches, /v1/messages/batches), whose lines get the synchronous"
          + " answers.",
      "Completions with logprobs (and echo) score multiple-choice options by log-likelihood;"
          + " --ignore-echo makes it ignore echo as llama.cpp's server does.",
      "Stop it with Ctrl-C."
    })
final class ServeSimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Leadline leadline;

  @Option(
      names = "--port",
      defaultValue = "8700",
      description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--profile",
      defaultValue = "sim-v1",
      description =
          "A profile file, or the name of one in settings/ (sim-v1, sim-v2, the reasoning"
              + " sim-reasoner, the judges sim-judge-a, sim-judge-b, the lineage sim-lineage-1"
              + " to -5, the family sim-size-350m, -1b, -7b, -70b; default"
              + " ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--api-key-env",
      description = "Require 'Authorization: Bearer' with the key in this environment variable.")
  String apiKeyEnv;

  @Option(
      names = "--ignore-echo",
      description =
          "Ignore 'echo' on completions (answer only the generated text and its logprobs), as"
              + " llama.cpp's server does, whatever the profile's loglikelihood.echo says.")
  boolean ignoreEcho;

  @Option(
      names = "--batch-delay",
      paramLabel = "MS",
      description =
          "Milliseconds from a batch's creation to its end, over its states (default: the"
              + " profile's batch.delay_ms, else 2000).")
  Long batchDelay;

  @Option(
      names = "--batch-expire",
      paramLabel = "FRACTION",
      description =
          "The share (0 to 1) of batch lines that expire instead of running (default: the"
              + " profile's batch.expire, else 0).")
  Double batchExpire;

  @Option(
      names = "--batch-max-requests",
      paramLabel = "N",
      description =
          "The most lines in a batch (default: the profile's batch.max_requests, else 50000"
              + " OpenAI, 100000 Anthropic).")
  Long batchMaxRequests;

  @Option(
      names = "--batch-max-bytes",
      paramLabel = "N",
      description =
          "The largest batch in bytes (default: the profile's batch.max_bytes, else 200 MB"
              + " OpenAI, 256 MB Anthropic).")
  Long batchMaxBytes;

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      throw io.leadline.api.LeadlineException.userInput("--port: expected 0-65535, got %d", port);
    }
    Optional<String> key = Optional.empty();
    if (apiKeyEnv != null) {
      String value = leadline.environment.get(apiKeyEnv);
      if (value == null || value.isBlank()) {
        throw io.leadline.api.LeadlineException.userInput(
            "--api-key-env: the environment variable %s is not set", apiKeyEnv);
      }
      key = Optional.of(value);
    }
    SimProfile simProfile = SimProfile.resolve(profile, Checkout.settings(), "--profile");
    if (ignoreEcho) {
      simProfile = simProfile.withEcho(SimProfile.Echo.IGNORED);
    }
    simProfile = simProfile.withBatch(batch(simProfile.batch()));
    SimAnswers.checkProfile(simProfile, "--profile " + profile, Checkout.benchmarks());
    SimAnswerKey answers = SimAnswers.bundled(Checkout.benchmarks());
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (SimServer server = SimServer.start(simProfile, answers, host, port, key)) {
      Thread hook = new Thread(stopped::countDown, "serve-sim-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      out.printf(
          "serving %s (simulated) on %s with %,d bundled items%n",
          simProfile.snapshot(), server.baseUrl(), answers.items().size());
      out.printf(
          "models file entry: {name: %s, provider: openai-compatible, base_url: %s, model: %s}%n",
          simProfile.snapshot(), server.baseUrl(), simProfile.snapshot());
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        // Stopped by whoever started us in-process; the server closes below.
        Thread.currentThread().interrupt();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is already stopping: the hook has run.
        }
      }
    }
    return 0;
  }

  /** The profile's batch behaviour with the {@code --batch-*} flags given. */
  private SimProfile.Batch batch(SimProfile.Batch profileBatch) {
    if (batchDelay != null && (batchDelay < 0 || batchDelay > 86_400_000)) {
      throw io.leadline.api.LeadlineException.userInput(
          "--batch-delay: expected milliseconds in [0, 86400000], got %d", batchDelay);
    }
    if (batchExpire != null && !(batchExpire >= 0 && batchExpire <= 1)) {
      throw io.leadline.api.LeadlineException.userInput(
          "--batch-expire: expected a fraction in [0, 1], got %s", batchExpire);
    }
    if (batchMaxRequests != null && batchMaxRequests < 1) {
      throw io.leadline.api.LeadlineException.userInput(
          "--batch-max-requests: expected a whole number >= 1, got %d", batchMaxRequests);
    }
    if (batchMaxBytes != null && batchMaxBytes < 1) {
      throw io.leadline.api.LeadlineException.userInput(
          "--batch-max-bytes: expected a whole number >= 1, got %d", batchMaxBytes);
    }
    return new SimProfile.Batch(
        batchDelay != null ? java.time.Duration.ofMillis(batchDelay) : profileBatch.delay(),
        batchExpire != null ? batchExpire : profileBatch.expire(),
        batchMaxRequests != null
            ? java.util.OptionalLong.of(batchMaxRequests)
            : profileBatch.maxRequests(),
        batchMaxBytes != null ? java.util.OptionalLong.of(batchMaxBytes) : profileBatch.maxBytes());
  }
}
