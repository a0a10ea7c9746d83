package io.leadline.engine;

import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.FailureReason;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Phase one of a sweep, run by each Spark task over its share of the pending items: render each
 * prompt, send it, append the response to the result store the moment it arrives, and score it
 * while other requests are in flight.
 *
 * <p>Requests go to one pool per model per JVM, as many threads as the model's concurrency there,
 * shared by every task in the JVM, so a model stays at its concurrency until its last items and a
 * slow model holds up only its own requests. Once a model is known to be unusable (401, 403, 404),
 * its remaining items are recorded as failed without being sent.
 */
final class Requester {
  private static final Map<String, Map<Integer, ExecutorService>> POOLS = new ConcurrentHashMap<>();
  private static final Map<String, Map<Integer, String>> UNAVAILABLE = new ConcurrentHashMap<>();

  private Requester() {}

  /** Counters the driver reads when the phase is over: per model, in {@link LiveProgress} order. */
  record Counters(List<LongAccumulator> values) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    void add(int model, int field, long delta) {
      if (delta != 0) {
        JudgeTally.add(values.get(model * 4 + field), delta);
      }
    }

    long get(int model, int field) {
      return values.get(model * 4 + field).value();
    }
  }

  /**
   * Sends the pending {@code items} of one partition and returns their scored rows, in the order
   * the responses arrive; each response is in the store before its row is returned. Each request is
   * sent under its {@link Leases lease}; {@code seen} is the store's segment lengths when the
   * driver read it, after which other sweeps' answers are looked for.
   */
  static Iterator<Row> run(
      Job job, Counters counters, JudgeTally tally, Map<String, Long> seen, Iterator<Row> pending) {
    WorkerContext context = WorkerContext.of(job);
    Leases leases = Leases.of(job.runId(), context.store(), seen);
    LiveProgress live = LiveProgress.of(job.runId(), job.plan().models().size());
    Map<Integer, ExecutorService> pools =
        POOLS.computeIfAbsent(job.runId(), id -> new ConcurrentHashMap<>());
    Map<Integer, String> unavailable =
        UNAVAILABLE.computeIfAbsent(job.runId(), id -> new ConcurrentHashMap<>());
    ResultStore.Segment segment = context.store().newSegment(job.runId());
    BlockingQueue<Future<Row>> arrived = new LinkedBlockingQueue<>();
    int submitted = 0;
    while (pending.hasNext()) {
      long item = pending.next().getLong(0);
      int model = job.plan().locate(item).model();
      ExecutorService pool =
          pools.computeIfAbsent(
              model,
              m ->
                  Executors.newFixedThreadPool(
                      context.concurrency(m),
                      runnable -> {
                        Thread thread = new Thread(runnable, "leadline-request-" + m);
                        thread.setDaemon(true);
                        return thread;
                      }));
      new ExecutorCompletionService<Row>(pool, arrived)
          .submit(
              () -> {
                WorkerContext.Request request = context.request(item);
                // Another sweep on this store may be sending the same request: one of them
                // sends it, the other uses its answer.
                try (Leases.Lease lease = leases.take(request.hash())) {
                  if (lease.answered().isPresent()) {
                    live.add(model, LiveProgress.DONE, 1);
                    counters.add(model, LiveProgress.DONE, 1);
                    return Scoring.scoreNow(
                        context,
                        tally,
                        request,
                        ResultStore.decode(lease.answered().get()).orElseThrow());
                  }
                  String refusal = unavailable.get(model);
                  ModelResult result =
                      refusal != null
                          ? new ModelResult.Failed(
                              FailureReason.MODEL_UNAVAILABLE, "not sent: " + refusal, 0, 0)
                          : request.likelihood().isPresent()
                              ? context.client(model).likelihoods(request.likelihood().get())
                              : context.client(model).complete(request.request());
                  if (result instanceof ModelResult.Failed failed
                      && failed.reason() == FailureReason.MODEL_UNAVAILABLE) {
                    unavailable.putIfAbsent(model, failed.message());
                  }
                  String line =
                      ResultStore.encode(
                          request.hash(), context.model(model).name(), job.runId(), result);
                  segment.append(line);
                  record(live, counters, model, result);
                  // Scored from the stored line, so that a rerun reading the store scores alike.
                  return Scoring.scoreNow(
                      context, tally, request, ResultStore.decode(line).orElseThrow());
                }
              });
      submitted++;
    }
    int total = submitted;
    return new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        if (taken == total) {
          segment.close();
          return false;
        }
        return true;
      }

      @Override
      public Row next() {
        if (taken == total) {
          throw new java.util.NoSuchElementException();
        }
        try {
          Row row = arrived.take().get();
          taken++;
          return row;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for model responses", e);
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
      }
    };
  }

  private static void record(LiveProgress live, Counters counters, int model, ModelResult result) {
    long requests;
    long tokens = 0;
    int field;
    if (result instanceof ModelResult.Completed completed) {
      field = LiveProgress.DONE;
      requests = completed.completion().attempts();
      tokens = completed.completion().usage().totalTokens();
    } else {
      ModelResult.Failed failed = (ModelResult.Failed) result;
      // A prompt too long for the context is a result, not a failure to mend.
      field =
          failed.reason() == FailureReason.OUT_OF_CONTEXT ? LiveProgress.DONE : LiveProgress.FAILED;
      requests = failed.attempts();
    }
    live.add(model, field, 1);
    live.add(model, LiveProgress.REQUESTS, requests);
    live.add(model, LiveProgress.TOKENS, tokens);
    counters.add(model, field, 1);
    counters.add(model, LiveProgress.REQUESTS, requests);
    counters.add(model, LiveProgress.TOKENS, tokens);
  }

  /** Stops the run's request threads in this JVM. */
  static void release(String runId) {
    Map<Integer, ExecutorService> pools = POOLS.remove(runId);
    if (pools != null) {
      pools.values().forEach(ExecutorService::shutdownNow);
    }
    UNAVAILABLE.remove(runId);
    Leases.release(runId);
  }
}
