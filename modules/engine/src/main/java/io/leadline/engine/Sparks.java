package io.leadline.engine;

import org.apache.spark.sql.SparkSession;

/** The Spark session a sweep runs on, configured once, in one place. */
final class Sparks {
  private Sparks() {}

  /** The active session, or a new one on {@code master}. */
  static SparkSession session(String master) {
    if (SparkSession.getActiveSession().isDefined()) {
      return SparkSession.getActiveSession().get();
    }
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("leadline")
            .master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            // Shuffle partitions are set per sweep; merging them would idle request threads.
            .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
            .config("spark.sql.parquet.compression.codec", "snappy");
    if (master.startsWith("local")) {
      builder
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    return builder.getOrCreate();
  }

  /** Executor JVMs of the session: 1 in local mode. */
  static int executors(SparkSession spark) {
    if (spark.sparkContext().isLocal()) {
      return 1;
    }
    // The driver is listed too.
    return Math.max(1, spark.sparkContext().getExecutorMemoryStatus().size() - 1);
  }
}
