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
    } else if (System.getProperty("spark.jars") == null) {
      // Not started by spark-submit, which ships its application jar: executors need ours.
      String app = System.getProperty("leadline.app.jar", "");
      if (app.isEmpty() || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(app))) {
        throw io.leadline.api.LeadlineException.userInput(
            "--master %s: the executors need Leadline's application jar; build it (mvn -DskipTests"
                + " package makes modules/app/target/leadline-app.jar) or run through spark-submit",
            master);
      }
      builder.config("spark.jars", app);
    }
    return builder.getOrCreate();
  }

  /**
   * Executor JVMs of the session: 1 in local mode. On a cluster, waits (up to 60 s) until some have
   * registered and no more arrived for 3 s, so that each model's concurrency is shared out over the
   * executors that will run the sweep.
   */
  static int executors(SparkSession spark) {
    if (spark.sparkContext().isLocal()) {
      return 1;
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    int seen = registered(spark);
    long steadySince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      int now = registered(spark);
      if (now != seen) {
        seen = now;
        steadySince = System.nanoTime();
      } else if (seen > 0 && System.nanoTime() - steadySince > 3_000_000_000L) {
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Math.max(1, seen);
  }

  private static int registered(SparkSession spark) {
    // The driver is listed too.
    return spark.sparkContext().getExecutorMemoryStatus().size() - 1;
  }
}
