package io.leadline.engine;

import static org.testng.Assert.assertEquals;

import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.ModelResult;
import io.leadline.api.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.testng.annotations.Test;

/**
 * A task's judging threads count into one copy of its accumulators at once: every request counted,
 * none lost (the manifest's judge figures come from these counts).
 */
public class JudgeTallyTest {
  private static final ModelResult ANSWER =
      new ModelResult.Completed(
          new Completion(
              List.of(new Choice("Grammar: 7/10", "Grammar: 7/10", "", "stop", false)),
              new Usage(3, 1, 0),
              "sim-judge-a",
              "fp",
              1,
              1,
              Duration.ofMillis(5)));

  @Test
  public void countsFromManyThreadsAreNeverLost() throws Exception {
    List<LongAccumulator> counts = new ArrayList<>();
    for (int i = 0; i < JudgeTally.counters(List.of("sim-judge-a")); i++) {
      counts.add(new LongAccumulator());
    }
    JudgeTally tally =
        new JudgeTally(List.of("sim-judge-a"), counts, new CollectionAccumulator<>());
    Requester.Counters progress = new Requester.Counters(List.of(new LongAccumulator()));
    int threads = 8;
    int each = 200_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < each; i++) {
                  tally.sent("sim-judge-a", ANSWER);
                  progress.add(0, 0, 1);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> future : done) {
      future.get();
    }
    pool.shutdown();
    assertEquals(tally.sent("sim-judge-a"), (long) threads * each);
    assertEquals(tally.promptTokens("sim-judge-a"), 3L * threads * each);
    assertEquals(progress.get(0, 0), (long) threads * each);
  }
}
