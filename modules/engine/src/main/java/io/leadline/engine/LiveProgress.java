package io.leadline.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-model counters of a run, updated by request threads as each response arrives, for the
 * progress display. JVM-wide, so the driver sees live counts of every task in {@code local[*]}; on
 * a cluster the driver sees its accumulators instead, as tasks finish.
 */
final class LiveProgress {
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int REQUESTS = 2;
  static final int TOKENS = 3;
  private static final int FIELDS = 4;
  private static final Map<String, LiveProgress> RUNS = new ConcurrentHashMap<>();

  private final int models;
  private final AtomicLongArray counts;

  private LiveProgress(int models) {
    this.models = models;
    this.counts = new AtomicLongArray(models * FIELDS);
  }

  static LiveProgress of(String runId, int models) {
    return RUNS.computeIfAbsent(runId, id -> new LiveProgress(models));
  }

  static void release(String runId) {
    RUNS.remove(runId);
  }

  void add(int model, int field, long delta) {
    counts.addAndGet(model * FIELDS + field, delta);
  }

  long get(int model, int field) {
    return counts.get(model * FIELDS + field);
  }

  int models() {
    return models;
  }
}
