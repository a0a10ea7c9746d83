package io.leadline.engine;

import org.apache.spark.sql.SparkSession;

/**
 * A Spark session kept open across several sweeps in one process (benchmarks of the sweep itself),
 * so that each {@link Sweep#run} finds it running instead of starting and stopping its own.
 * Configured as every sweep's session is. Not for concurrent sweeps.
 */
public final class SweepSession implements AutoCloseable {
  private final SparkSession spark;
  private final boolean owned;

  private SweepSession(SparkSession spark, boolean owned) {
    this.spark = spark;
    this.owned = owned;
  }

  /**
   * The running session, or a new one on {@code master}.
   *
   * @throws io.leadline.api.LeadlineException if a cluster master is given and the executors cannot
   *     be handed Leadline's application jar
   */
  public static SweepSession open(String master) {
    boolean owned = SparkSession.getActiveSession().isEmpty();
    return new SweepSession(Sparks.session(master), owned);
  }

  /** Stops the session if {@link #open} started it. */
  @Override
  public void close() {
    if (owned) {
      spark.stop();
    }
  }
}
