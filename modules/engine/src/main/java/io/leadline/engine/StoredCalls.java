package io.leadline.engine;

import io.leadline.api.CompletionRequest;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelCalls;
import io.leadline.api.ModelResult;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model calls scorers make (a judge's), as work items of the run: each keyed by its canonical
 * request like a sweep item, answered from the result store when an earlier run (or an earlier item
 * of this one) stored it, else sent within the model's concurrency and stored the moment it
 * arrives, so a resumed or rescored run asks nothing twice. One per run per JVM; thread-safe.
 */
final class StoredCalls implements ModelCalls {
  private final WorkerContext context;
  private final Map<String, CompletableFuture<ModelResult>> answers = new ConcurrentHashMap<>();
  private volatile Map<String, String> stored;
  private volatile ResultStore.Segment segment;

  StoredCalls(WorkerContext context) {
    this.context = context;
  }

  @Override
  public ModelResult call(String model, CompletionRequest request) {
    ModelIdentity identity = context.job().identities().get(model);
    if (identity == null) {
      throw LeadlineException.userInput(
          "a scorer asks model '%s', which the sweep did not plan for", model);
    }
    String hash = RequestKey.hash(identity, request);
    CompletableFuture<ModelResult> answer = new CompletableFuture<>();
    CompletableFuture<ModelResult> existing = answers.putIfAbsent(hash, answer);
    if (existing != null) {
      try {
        return existing.join();
      } catch (java.util.concurrent.CompletionException e) {
        // The first asker failed (and was told why); ask again as if for the first time.
        return call(model, request);
      }
    }
    try {
      answer.complete(answer(model, hash, request));
    } catch (RuntimeException | Error e) {
      answers.remove(hash, answer);
      answer.completeExceptionally(e);
      throw e;
    }
    return answer.join();
  }

  private ModelResult answer(String model, String hash, CompletionRequest request) {
    String line = stored().get(hash);
    java.util.Optional<ResultStore.Stored> decoded =
        line == null ? java.util.Optional.empty() : ResultStore.decode(line);
    if (decoded.isPresent()) {
      return decoded.get().result();
    }
    ModelResult result = context.judgeClient(model).complete(request);
    String encoded = ResultStore.encode(hash, model, context.job().runId(), result);
    segment().append(encoded);
    // Answered from the stored line, as a later run reading the store would be.
    return ResultStore.decode(encoded).orElseThrow().result();
  }

  private Map<String, String> stored() {
    Map<String, String> lines = stored;
    if (lines == null) {
      synchronized (this) {
        lines = stored;
        if (lines == null) {
          lines = context.store().completed(Set.copyOf(context.job().judges()));
          stored = lines;
        }
      }
    }
    return lines;
  }

  private ResultStore.Segment segment() {
    ResultStore.Segment open = segment;
    if (open == null) {
      synchronized (this) {
        open = segment;
        if (open == null) {
          open = context.store().newSegment(context.job().runId());
          segment = open;
        }
      }
    }
    return open;
  }

  /** Closes the segment this run's scorer calls went to, if any. */
  void close() {
    ResultStore.Segment open = segment;
    if (open != null) {
      open.close();
    }
  }
}
