package io.leadline.engine;

import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.FailureReason;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
  private static final Map<String, Map<Integer, ExecutorService>> LEASING =
      new ConcurrentHashMap<>();
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
   *
   * <p>An item's lease is taken on a thread of its own before a sending thread is free (at most
   * {@link #AHEAD} times the model's concurrency at once): taking one looks through the store's
   * other segments, which on a store many sweeps have written takes milliseconds, so a sending
   * thread finds its lease taken and its request rendered.
   */
  static Iterator<Row> run(
      Job job, Counters counters, JudgeTally tally, Map<String, Long> seen, Iterator<Row> pending) {
    WorkerContext context = WorkerContext.of(job);
    Leases leases = Leases.of(job.runId(), context.store(), seen);
    LiveProgress live = LiveProgress.of(job.runId(), job.plan().models().size());
    Map<Integer, ExecutorService> pools =
        POOLS.computeIfAbsent(job.runId(), id -> new ConcurrentHashMap<>());
    Map<Integer, ExecutorService> leasing =
        LEASING.computeIfAbsent(job.runId(), id -> new ConcurrentHashMap<>());
    Map<Integer, String> unavailable =
        UNAVAILABLE.computeIfAbsent(job.runId(), id -> new ConcurrentHashMap<>());
    ResultStore.Segment segment = context.store().newSegment(job.runId());
    BlockingQueue<Future<Row>> arrived = new LinkedBlockingQueue<>();
    Map<Integer, Queue> queues = new java.util.TreeMap<>();
    int total = 0;
    while (pending.hasNext()) {
      long item = pending.next().getLong(0);
      queues.computeIfAbsent(job.plan().locate(item).model(), Queue::new).items.add(item);
      total++;
    }
    Sender sender =
        new Sender(job, context, leases, live, counters, tally, unavailable, segment, arrived);
    for (Queue queue : queues.values()) {
      int model = queue.model;
      queue.leasing = leasing.computeIfAbsent(model, m -> pool(context.concurrency(m), "lease", m));
      queue.sending = pools.computeIfAbsent(model, m -> pool(context.concurrency(m), "request", m));
      sender.topUp(queue, AHEAD * context.concurrency(model));
    }
    int items = total;
    return new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        if (taken == items) {
          segment.close();
          return false;
        }
        return true;
      }

      @Override
      public Row next() {
        if (taken == items) {
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

  /** How many times its concurrency a model's items may be leased or sent at once, per task. */
  static final int AHEAD = 2;

  private static ExecutorService pool(int threads, String kind, int model) {
    return Executors.newFixedThreadPool(
        threads,
        runnable -> {
          Thread thread = new Thread(runnable, "leadline-" + kind + "-" + model);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** One model's items of a partition not yet leased, and its threads. */
  private static final class Queue {
    final int model;
    final java.util.ArrayDeque<Long> items = new java.util.ArrayDeque<>();
    ExecutorService leasing;
    ExecutorService sending;

    Queue(int model) {
      this.model = model;
    }
  }

  /** A rendered request whose lease is held, or the answer another sweep stored for it. */
  private record Leased(WorkerContext.Request request, Leases.Lease lease) {}

  /** Leases, sends, stores and scores a partition's items. */
  private record Sender(
      Job job,
      WorkerContext context,
      Leases leases,
      LiveProgress live,
      Counters counters,
      JudgeTally tally,
      Map<Integer, String> unavailable,
      ResultStore.Segment segment,
      BlockingQueue<Future<Row>> arrived) {

    /** Starts {@code count} more of the queue's items; each one done starts the next. */
    void topUp(Queue queue, int count) {
      for (int i = 0; i < count; i++) {
        Long item;
        synchronized (queue) {
          item = queue.items.poll();
        }
        if (item == null) {
          return;
        }
        // Started once whole, so that its end (and the next item's start) is always on one of the
        // model's threads, never on this one.
        CompletableFuture<Long> start = new CompletableFuture<>();
        CompletableFuture<Row> row =
            start
                .thenApplyAsync(this::lease, queue.leasing)
                .thenApplyAsync(leased -> send(queue.model, leased), queue.sending);
        row.whenComplete(
            (done, failure) -> {
              arrived.add(row);
              topUp(queue, 1);
            });
        start.complete(item);
      }
    }

    private Leased lease(long item) {
      WorkerContext.Request request = context.request(item);
      // Another sweep on this store may be sending the same request: one of them sends it, the
      // other uses its answer.
      return new Leased(request, leases.take(request.hash()));
    }

    private Row send(int model, Leased leased) {
      WorkerContext.Request request = leased.request();
      try (Leases.Lease lease = leased.lease()) {
        if (lease.answered().isPresent()) {
          live.add(model, LiveProgress.DONE, 1);
          counters.add(model, LiveProgress.DONE, 1);
          return Scoring.scoreNow(
              context, tally, request, ResultStore.decode(lease.answered().get()).orElseThrow());
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
            ResultStore.encode(request.hash(), context.model(model).name(), job.runId(), result);
        segment.append(line);
        record(live, counters, model, result);
        // Scored from the stored line, so that a rerun reading the store scores alike.
        return Scoring.scoreNow(context, tally, request, ResultStore.decode(line).orElseThrow());
      }
    }
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
    for (Map<String, Map<Integer, ExecutorService>> all : List.of(POOLS, LEASING)) {
      Map<Integer, ExecutorService> pools = all.remove(runId);
      if (pools != null) {
        pools.values().forEach(ExecutorService::shutdownNow);
      }
    }
    UNAVAILABLE.remove(runId);
    Leases.release(runId);
  }
}
