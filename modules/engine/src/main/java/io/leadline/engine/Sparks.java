package io.leadline.engine;

import org.apache.spark.sql.SparkSession;

/** The Spark session a sweep runs on, configured once, in one place. */
final class Sparks {
  private Sparks() {}

  /** How long a standalone master may take to accept a connection before the sweep gives up. */
  private static final int CONNECT_TIMEOUT_MILLIS = 3_000;

  /**
   * Fails with one line if {@code master} is not a URL Spark accepts, or names a standalone master
   * that does not accept a connection within {@code timeoutMillis}; Spark itself would wait a
   * minute and then fail on a stopped context.
   */
  static void checkMaster(String master, int timeoutMillis) {
    boolean known =
        master.equals("local")
            || master.matches("local\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?]")
            || master.matches("local-cluster\\[\\d+,\\d+,\\d+]")
            || master.equals("yarn")
            || master.startsWith("k8s://")
            || master.startsWith("spark://");
    if (!known) {
      throw io.leadline.api.LeadlineException.userInput(
          "--master: expected local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL,"
              + " got '%s'",
          master);
    }
    if (!master.startsWith("spark://")) {
      return;
    }
    for (String address : master.substring("spark://".length()).split(",")) {
      int colon = address.lastIndexOf(':');
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65535) {
        throw io.leadline.api.LeadlineException.userInput(
            "--master %s: expected spark://HOST:PORT with a port in [1, 65535], got '%s'",
            master, address);
      }
      String host = address.substring(0, colon);
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(host, port), timeoutMillis);
      } catch (java.io.IOException e) {
        throw new io.leadline.api.LeadlineException(
            io.leadline.api.ErrorKind.PROVIDER,
            String.format(
                "--master %s: no Spark master answers at %s:%d (%s); is the master running, and"
                    + " is the host and port right?",
                master, host, port, e.getMessage()));
      }
    }
  }

  /**
   * The active session, or a new one on {@code master} once the master and the application jar are
   * checked (seconds; more when loaded).
   */
  static SparkSession session(String master) {
    if (SparkSession.getActiveSession().isDefined()) {
      return SparkSession.getActiveSession().get();
    }
    return builder(master).getOrCreate();
  }

  private static final String OFF_HEAP = "spark.memory.offHeap.enabled";

  /**
   * The builder of a session on {@code master}, once the master answers and, for a cluster, the
   * application jar is there.
   *
   * @throws io.leadline.api.LeadlineException (one line) if either is not so
   */
  private static SparkSession.Builder builder(String master) {
    checkMaster(master, CONNECT_TIMEOUT_MILLIS);
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
      if (System.getProperty(OFF_HEAP) == null) {
        // Sorts and aggregations keep their pages (long[]s of megabytes) outside the heap, where
        // the collector does not copy them from space to space: on the main job's cached rerun,
        // 1.4 s less wall, half the pause time and 0.5 GB less peak memory. Taken as needed, up to
        // a quarter of the heap's maximum beside it; a cluster's executors keep their own setting.
        long size = Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 4);
        builder.config(OFF_HEAP, "true").config("spark.memory.offHeap.size", size);
      }
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
    return builder;
  }

  /** A session coming up on a thread of its own. */
  static final class Starting {
    private final java.util.concurrent.CompletableFuture<SparkSession> future;

    private Starting(java.util.concurrent.CompletableFuture<SparkSession> future) {
      this.future = future;
    }

    /** The session once it is up, made this thread's active one; what stopped it, rethrown. */
    SparkSession session() {
      SparkSession spark = Joined.value(future);
      SparkSession.setActiveSession(spark);
      return spark;
    }

    /** Stops the session once it is up; nothing if it failed to come up. */
    void stop() {
      try {
        future.join().stop();
      } catch (java.util.concurrent.CompletionException e) {
        // It never came up: nothing to stop, and the sweep's own error is the one to report.
      }
    }
  }

  /**
   * Checks the master and the application jar now, then starts a new session on {@code master} on a
   * thread of its own (a daemon: it never keeps the JVM alive), for a caller with other work to do
   * meanwhile.
   *
   * @throws io.leadline.api.LeadlineException (one line) if the master does not answer or the jar
   *     is missing
   */
  static Starting start(String master) {
    SparkSession.Builder builder = builder(master);
    java.util.concurrent.CompletableFuture<SparkSession> future =
        new java.util.concurrent.CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                future.complete(builder.getOrCreate());
              } catch (Throwable t) {
                future.completeExceptionally(t);
              }
            },
            "leadline-spark-start");
    thread.setDaemon(true);
    thread.start();
    return new Starting(future);
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
