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

  @Override
  void close();
}
