package io.leadline.engine;

import io.leadline.api.ModelResult;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * What a run's judges cost, counted where the calls are made (on every executor) with Spark
 * accumulators, which the driver reads when the scoring is done: per judge the requests sent, how
 * many failed and their tokens, and the model versions the answers it used reported.
 */
final class JudgeTally implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int SENT = 0;
  private static final int FAILED = 1;
  private static final int PROMPT_TOKENS = 2;
  private static final int COMPLETION_TOKENS = 3;

  private final List<String> judges;
  private final List<LongAccumulator> counts;
  private final CollectionAccumulator<String> reported;

  /** The reported versions this JVM has added already, so each is added once per JVM. */
  private transient Set<String> added;

  JudgeTally(
      List<String> judges, List<LongAccumulator> counts, CollectionAccumulator<String> reported) {
    this.judges = List.copyOf(judges);
    this.counts = List.copyOf(counts);
    this.reported = reported;
  }

  /** How many accumulators of each kind a tally of {@code judges} needs. */
  static int counters(List<String> judges) {
    return judges.size() * 4;
  }

  /** A request to {@code judge} was sent and answered {@code result}. */
  void sent(String judge, ModelResult result) {
    int j = judges.indexOf(judge);
    if (j < 0) {
      return;
    }
    add(counts.get(j * 4 + SENT), 1);
    if (result instanceof ModelResult.Completed completed) {
      add(counts.get(j * 4 + PROMPT_TOKENS), completed.completion().usage().promptTokens());
      add(counts.get(j * 4 + COMPLETION_TOKENS), completed.completion().usage().completionTokens());
    } else {
      add(counts.get(j * 4 + FAILED), 1);
    }
  }

  /**
   * Adds to a task's copy of an accumulator from any of its threads: {@code LongAccumulator.add} is
   * two unguarded field updates, and the judging and request pools call it side by side (a lost
   * update made the manifest say one judge request fewer than was sent).
   */
  static void add(LongAccumulator accumulator, long delta) {
    synchronized (accumulator) {
      accumulator.add(delta);
    }
  }

  /** An answer of {@code judge} was used, sent now or taken from the result store. */
  synchronized void used(String judge, ModelResult result) {
    if (result instanceof ModelResult.Completed completed) {
      if (added == null) {
        added = ConcurrentHashMap.newKeySet();
      }
      String entry = judge + "\u0000" + completed.completion().reportedModel();
      if (added.add(entry)) {
        reported.add(entry);
      }
    }
  }

  long sent(String judge) {
    return get(judge, SENT);
  }

  long failed(String judge) {
    return get(judge, FAILED);
  }

  long promptTokens(String judge) {
    return get(judge, PROMPT_TOKENS);
  }

  long completionTokens(String judge) {
    return get(judge, COMPLETION_TOKENS);
  }

  private long get(String judge, int field) {
    return counts.get(judges.indexOf(judge) * 4 + field).value();
  }

  /** The versions {@code judge}'s answers in this run reported, sorted. */
  SortedSet<String> reportedModels(String judge) {
    SortedSet<String> versions = new TreeSet<>();
    for (String entry : reported.value()) {
      int split = entry.indexOf('\u0000');
      if (entry.substring(0, split).equals(judge) && split + 1 < entry.length()) {
        versions.add(entry.substring(split + 1));
      }
    }
    return versions;
  }
}
