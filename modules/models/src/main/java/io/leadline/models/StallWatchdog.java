package io.leadline.models;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches one model's outstanding HTTP attempts: when some are outstanding and no response at all
 * has arrived for {@code stallTime}, it fails them all with one message naming the model and the
 * endpoint, says so once on {@code log}, and lets later attempts go on.
 *
 * <p>Thread-safe.
 */
final class StallWatchdog {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "leadline-stall-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  /** One attempt in flight. */
  static final class Outstanding {
    private final CompletableFuture<?> future;
    private final CappedBody body;
    private volatile String stalled;

    Outstanding(CompletableFuture<?> future, CappedBody body) {
      this.future = future;
      this.body = body;
    }

    /** Why the watchdog ended it, or null. */
    String stalled() {
      return stalled;
    }
  }

  private final long stallNanos;
  private final String where;
  private final Consumer<String> log;
  private final Set<Outstanding> outstanding = ConcurrentHashMap.newKeySet();
  private long quietSinceNanos = System.nanoTime();
  private ScheduledFuture<?> check;

  /**
   * @param where the model and endpoint, e.g. {@code model m (127.0.0.1:8000/v1/chat/completions)}
   */
  StallWatchdog(Duration stallTime, String where, Consumer<String> log) {
    this.stallNanos = stallTime.toNanos();
    this.where = where;
    this.log = log;
  }

  synchronized Outstanding started(CompletableFuture<?> future, CappedBody body) {
    if (outstanding.isEmpty()) {
      quietSinceNanos = System.nanoTime();
    }
    Outstanding attempt = new Outstanding(future, body);
    outstanding.add(attempt);
    if (check == null) {
      long period = Math.max(10_000_000, Math.min(stallNanos / 4, 1_000_000_000));
      WeakReference<StallWatchdog> self = new WeakReference<>(this);
      check =
          TIMER.scheduleAtFixedRate(
              () -> {
                StallWatchdog watchdog = self.get();
                if (watchdog != null) {
                  watchdog.check();
                }
              },
              period,
              period,
              TimeUnit.NANOSECONDS);
    }
    return attempt;
  }

  /** {@code attempt} is over; {@code answered} if a response came. */
  synchronized void ended(Outstanding attempt, boolean answered) {
    outstanding.remove(attempt);
    if (answered) {
      quietSinceNanos = System.nanoTime();
    }
    if (outstanding.isEmpty() && check != null) {
      check.cancel(false);
      check = null;
    }
  }

  private synchronized void check() {
    long quiet = System.nanoTime() - quietSinceNanos;
    if (outstanding.isEmpty() || quiet < stallNanos) {
      return;
    }
    String message =
        String.format(
            "%s stalled: no response for %d s while %d request%s outstanding",
            where,
            Math.max(1, Math.round(quiet / 1e9)),
            outstanding.size(),
            outstanding.size() == 1 ? " was" : "s were");
    // Said before the requests fail, so whoever sees a stalled request can already read why.
    log.accept(message + "; those requests fail, later ones go on");
    for (Outstanding attempt : outstanding) {
      attempt.stalled = message;
      attempt.body.abort(new java.io.IOException(message));
      attempt.future.cancel(true);
    }
    outstanding.clear();
    quietSinceNanos = System.nanoTime();
  }
}
