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
  private final Map<String, ModelIdentity> identities;
  private final java.util.function.Function<String, io.leadline.api.ModelClient> clients;
  private final ResultStore store;
  private final String runId;
  private final Set<String> judges;
  private final Map<String, CompletableFuture<ModelResult>> answers = new ConcurrentHashMap<>();
  private volatile Map<String, String> stored;
  private volatile Leases leases;
  private volatile ResultStore.Segment segment;
  private final java.util.concurrent.atomic.AtomicLong sent =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Calls of {@code judges} (each with its identity in {@code identities}, its client from {@code
   * clients}), answered from and stored in {@code store} as run {@code runId}'s.
   */
  StoredCalls(
      Map<String, ModelIdentity> identities,
      java.util.function.Function<String, io.leadline.api.ModelClient> clients,
      ResultStore store,
      String runId,
      java.util.Collection<String> judges) {
    this.identities = Map.copyOf(identities);
    this.clients = clients;
    this.store = store;
    this.runId = runId;
    this.judges = Set.copyOf(judges);
  }

  @Override
  public ModelResult call(String model, CompletionRequest request) {
    return call(model, request, null);
  }

  /** These calls, counted in {@code tally} (one per Spark task, so its counts reach the driver). */
  ModelCalls counted(JudgeTally tally) {
    return (model, request) -> call(model, request, tally);
  }

  private ModelResult call(String model, CompletionRequest request, JudgeTally tally) {
    ModelResult used = answer(model, request, tally);
    if (tally != null) {
      tally.used(model, used);
    }
    return used;
  }

  private ModelResult answer(String model, CompletionRequest request, JudgeTally tally) {
    ModelIdentity identity = identities.get(model);
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
        return answer(model, request, tally);
      }
    }
    try {
      answer.complete(answer(model, hash, request, tally));
    } catch (RuntimeException | Error e) {
      answers.remove(hash, answer);
      answer.completeExceptionally(e);
      throw e;
    }
    return answer.join();
  }

  private ModelResult answer(
      String model, String hash, CompletionRequest request, JudgeTally tally) {
    String line = stored().get(hash);
    java.util.Optional<ResultStore.Stored> decoded =
        line == null ? java.util.Optional.empty() : ResultStore.decode(line);
    if (decoded.isPresent()) {
      return decoded.get().result();
    }
    // Another sweep on this store (or another executor of this one) may be asking alike.
    try (Leases.Lease lease = leases.take(hash)) {
      if (lease.answered().isPresent()) {
        return ResultStore.decode(lease.answered().get()).orElseThrow().result();
      }
      sent.incrementAndGet();
      ModelResult result = clients.apply(model).complete(request);
      if (tally != null) {
        tally.sent(model, result);
      }
      String encoded = ResultStore.encode(hash, model, runId, result);
      segment().append(encoded);
      // Answered from the stored line, as a later run reading the store would be.
      return ResultStore.decode(encoded).orElseThrow().result();
    }
  }

  private Map<String, String> stored() {
    Map<String, String> lines = stored;
    if (lines == null) {
      synchronized (this) {
        lines = stored;
        if (lines == null) {
          Map<String, Long> seen = store.lengths();
          lines = store.completed(judges);
          leases = new Leases(store, runId, seen, true);
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
          open = store.newSegment(runId);
          segment = open;
        }
      }
    }
    return open;
  }

  /** The requests sent so far (the others were answered from the store or by an earlier call). */
  long sent() {
    return sent.get();
  }

  /** Closes the segment this run's scorer calls went to, if any. */
  void close() {
    ResultStore.Segment open = segment;
    if (open != null) {
      open.close();
    }
  }
}
