package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.models.GgufFile;
import io.leadline.models.LlamaEngine;
import io.leadline.models.LlamaServer;
import io.leadline.models.LocalModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code leadline serve}: a GGUF model, run in-process by llama.cpp as a sweep's {@code llama-cpp}
 * provider runs it, behind OpenAI's API until stopped.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a GGUF model with the engine a sweep's llama-cpp provider uses (llama.cpp in-process),"
          + " over OpenAI's API: /v1/completions, /v1/chat/completions (no chat template: the"
          + " messages' contents, joined by blank lines, are the prompt) and /v1/models.",
      "The same prompt and sampling get the same text as in a sweep, so other tools can be"
          + " pointed at the model Leadline measured. Stop it with Ctrl-C."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Leadline leadline;

  @Option(
      names = "--model-file",
      required = true,
      paramLabel = "F.gguf",
      description = "The GGUF model file (e.g. models/stories260K/stories260K.gguf).")
  Path modelFile;

  @Option(
      names = "--port",
      defaultValue = "8701",
      description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--name",
      paramLabel = "MODEL",
      description = "The model id it answers as (default: the file's name without .gguf).")
  String name;

  @Option(
      names = "--context-size",
      paramLabel = "N",
      description = "Tokens of context per request (default: the model's trained context).")
  Integer contextSize;

  @Option(
      names = "--threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "CPU threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--slots",
      defaultValue = "1",
      paramLabel = "N",
      description = "Requests answered at once (default ${DEFAULT-VALUE}).")
  int slots;

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      throw LeadlineException.userInput("--port: expected 0-65535, got %d", port);
    }
    if (contextSize != null && (contextSize < 16 || contextSize > (1 << 20))) {
      throw LeadlineException.userInput(
          "--context-size: expected a whole number in [16, 1048576], got %d", contextSize);
    }
    if (threads < 1 || threads > 256) {
      throw LeadlineException.userInput(
          "--threads: expected a whole number in [1, 256], got %d", threads);
    }
    if (slots < 1 || slots > 64) {
      throw LeadlineException.userInput(
          "--slots: expected a whole number in [1, 64], got %d", slots);
    }
    Path file = modelFile.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw LeadlineException.userInput("--model-file: cannot read %s", modelFile);
    }
    String fileName = file.getFileName().toString();
    String model =
        name != null
            ? name
            : fileName.endsWith(".gguf") ? fileName.substring(0, fileName.length() - 5) : fileName;
    GgufFile facts;
    try {
      facts = GgufFile.read(file);
    } catch (LeadlineException e) {
      throw LeadlineException.userInput("--model-file: %s", e.getMessage());
    }
    LocalModel local =
        new LocalModel(
            file.toString(),
            contextSize == null ? OptionalInt.empty() : OptionalInt.of(contextSize),
            threads,
            slots);
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (LlamaEngine engine = LlamaEngine.load(local);
        LlamaServer server = LlamaServer.start(model, engine, host, port)) {
      Thread hook = new Thread(stopped::countDown, "serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      out.printf(
          "serving %s (%s; llama.cpp in-process, context %d, %d slot%s) on %s%n",
          model,
          facts.describe(),
          engine.contextSize(),
          slots,
          slots == 1 ? "" : "s",
          server.baseUrl());
      out.printf(
          "models file entry: {name: %s, provider: openai-compatible, base_url: %s, model: %s,"
              + " api: completions}%n",
          model, server.baseUrl(), model);
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
}
