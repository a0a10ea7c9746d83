package io.leadline.models;

import static java.util.Objects.requireNonNull;

import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.CompletionRequest;
import io.leadline.api.ModelClient;
import io.leadline.api.ModelResult;
import io.leadline.api.Sampling;
import io.leadline.api.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client of a {@code llama-cpp} model: its requests answered by the JVM's {@link LlamaEngine},
 * no HTTP between. A prompt the context cannot hold is {@link ModelResult.Failed#outOfContext},
 * counted by the model's own tokeniser, and never generated from. Thread-safe; the engine's slots
 * bound the completions in flight.
 *
 * <p>{@code n} completions are {@code n} generations seeded {@code seed}, {@code seed + 1}, … (seed
 * 0 where the setting gives none), so each sample is fixed by the setting; greedy decoding
 * generates once and gives that text {@code n} times, as it would every time.
 */
final class LlamaClient implements ModelClient {
  private final ModelSpec spec;
  private final LlamaEngine engine;
  private final Budget budget;
  private final String reported;
  private final String fingerprint;

  LlamaClient(ModelSpec spec, LlamaEngine engine, Budget budget) {
    this.spec = requireNonNull(spec, "spec is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.budget = requireNonNull(budget, "budget is null");
    this.reported = reportedModel(engine);
    this.fingerprint = LlamaEngine.bindingVersion();
  }

  /** What the manifest records as the version the endpoint reported: the file and its facts. */
  static String reportedModel(LlamaEngine engine) {
    return Path.of(engine.local().modelFile()).getFileName()
        + " ("
        + engine.file().describe()
        + ", context "
        + engine.contextSize()
        + ")";
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public ModelResult complete(CompletionRequest request) {
    long started = System.nanoTime();
    String prompt = request.prompt();
    int promptTokens = engine.promptTokens(prompt);
    if (promptTokens >= engine.contextSize()) {
      return ModelResult.Failed.outOfContext(spec.name(), promptTokens, engine.contextSize(), 0, 0);
    }
    Sampling sampling = request.sampling();
    boolean greedy = sampling.temperature() == 0;
    int generations = greedy ? 1 : sampling.n();
    long most = (long) generations * (promptTokens + sampling.maxTokens());
    Optional<Budget.Reservation> reservation;
    try {
      reservation = budget.reserve(most, Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ModelResult.Failed(
          ModelResult.FailureReason.NOT_SENT, "model " + spec.name() + ": interrupted", 0, 0);
    }
    if (reservation.isEmpty()) {
      return new ModelResult.Failed(
          ModelResult.FailureReason.NOT_SENT,
          "model " + spec.name() + ": not sent: " + budget.exhausted().orElse("budget spent"),
          0,
          0);
    }
    long seed = sampling.seed().orElse(0);
    List<Choice> choices = new ArrayList<>();
    Usage usage = Usage.ZERO;
    for (int i = 0; i < generations; i++) {
      LlamaEngine.Generation generation;
      try {
        generation =
            engine.generate(
                prompt,
                promptTokens,
                sampling.maxTokens(),
                sampling.temperature(),
                sampling.topP(),
                seed + i,
                sampling.stop());
      } catch (RuntimeException e) {
        // llama.cpp's refusal of this request (a LlamaException): recorded, never thrown.
        budget.settle(reservation.get(), usage, Optional.empty());
        return new ModelResult.Failed(
            ModelResult.FailureReason.REJECTED,
            "model " + spec.name() + ": llama.cpp: " + e.getMessage(),
            0,
            i + 1);
      }
      choices.add(
          new Choice(
              generation.text(),
              generation.rawText(),
              "",
              generation.finishReason(),
              generation.truncated()));
      usage = usage.plus(new Usage(generation.promptTokens(), generation.completionTokens(), 0));
    }
    while (choices.size() < sampling.n()) {
      choices.add(choices.get(0));
    }
    Usage used = usage;
    Optional<BigDecimal> cost = spec.pricing().map(p -> p.cost(used, false));
    budget.settle(reservation.get(), used, cost);
    return new ModelResult.Completed(
        new Completion(
            choices,
            used,
            reported,
            fingerprint,
            generations,
            generations,
            Duration.ofNanos(System.nanoTime() - started),
            "",
            false));
  }

  @Override
  public void close() {
    // The engine is the JVM's, shared by every client of the model.
  }

  @Override
  public String toString() {
    return "LlamaClient[" + spec.name() + " " + engine.local().modelFile() + "]";
  }
}
