package io.leadline.api;

/**
 * How a scorer asks a model: each call is a work item like any request of a sweep, keyed by its
 * canonical request, answered from the result store when it is there and stored the moment it
 * arrives otherwise, within the model's concurrency limit.
 */
public interface ModelCalls {
  /** Calls nothing: for scorers that never ask a model. */
  ModelCalls NONE =
      (model, request) -> {
        throw new IllegalStateException("this scorer may not call model " + model);
      };

  /**
   * The answer of the model called {@code model} (a name in the models file) to {@code request};
   * never throws for a failed request, which is returned as {@link ModelResult.Failed}.
   */
  ModelResult call(String model, CompletionRequest request);
}
