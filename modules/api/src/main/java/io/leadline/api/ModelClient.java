package io.leadline.api;

/**
 * Sends completion requests to one model. Implementations are thread-safe and enforce the model's
 * concurrency and rate limits themselves, so callers may call from as many threads as they like.
 */
public interface ModelClient extends AutoCloseable {
  /** The model's name in the models file. */
  String name();

  /**
   * Sends {@code request}, retrying transient failures, and blocks until it has an answer or has
   * given up. Never throws for a server's failure: that is a {@link ModelResult.Failed}.
   */
  ModelResult complete(CompletionRequest request);

  /**
   * Asks how likely the model finds each of {@code request}'s continuations: one request each, in
   * order; the completion has one {@link Choice} per continuation, with its {@link Likelihood}.
   * Never throws for a server's failure; a client that cannot do it fails every such request.
   */
  default ModelResult likelihoods(LikelihoodRequest request) {
    return new ModelResult.Failed(
        ModelResult.FailureReason.REJECTED,
        "model " + name() + ": cannot score by log-likelihood",
        0,
        0);
  }

  /**
   * What this client learnt about its server that changed how it sends, one line each (a server
   * that refuses {@code n}, say), for the sweep's output; empty by default.
   */
  default java.util.List<String> notices() {
    return java.util.List.of();
  }

  @Override
  void close();
}
