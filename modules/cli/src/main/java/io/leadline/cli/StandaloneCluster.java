package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.engine.SparkDaemons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: a Master and Workers in their own JVMs, started from a
 * folder of Spark's jars (as a Spark installation has them), for the cluster test and {@code
 * leadline bench cluster}. Leadline's classes reach the executors only through the application jar,
 * as on a real cluster.
 */
final class StandaloneCluster implements AutoCloseable {
  /** The module openings Spark needs on Java 17, as {@code bin/leadline} passes them. */
  static final List<String> OPENS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private final Path home;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final int port;

  private StandaloneCluster(Path home, Process master, int port) {
    this.home = home;
    this.master = master;
    this.port = port;
  }

  /**
   * Starts a Master and {@code workers} Workers of {@code cores} cores each.
   *
   * @param sparkJars a folder of Spark's jars, such as {@code modules/app/target/spark-jars}
   */
  static StandaloneCluster start(Path sparkJars, int workers, int cores) {
    List<String> opens = OPENS;
    if (!Files.isDirectory(sparkJars)) {
      throw LeadlineException.userInput(
          "%s is missing: build it with 'mvn -DskipTests package'", sparkJars);
    }
    try {
      // The Workers launch executors from SPARK_HOME/jars.
      Path home = Files.createTempDirectory("leadline-spark-home");
      Files.createSymbolicLink(home.resolve("jars"), sparkJars.toAbsolutePath());
      int port = freePort();
      int webUi = freePort();
      Process master =
          launch(
              home,
              opens,
              List.of(
                  SparkDaemons.MASTER,
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--webui-port",
                  Integer.toString(webUi)),
              home.resolve("master.log"));
      StandaloneCluster cluster = new StandaloneCluster(home, master, port);
      cluster.awaitPort(port);
      for (int i = 0; i < workers; i++) {
        cluster.workers.add(
            launch(
                home,
                opens,
                List.of(
                    SparkDaemons.WORKER,
                    cluster.url(),
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    Integer.toString(cores),
                    "--memory",
                    "1g",
                    "--webui-port",
                    Integer.toString(freePort()),
                    "--work-dir",
                    home.resolve("work-" + i).toString()),
                home.resolve("worker-" + i + ".log")));
      }
      cluster.awaitWorkers(webUi, workers);
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  String url() {
    return "spark://127.0.0.1:" + port;
  }

  List<Process> workers() {
    return workers;
  }

  /** Kills Worker {@code index} with SIGKILL, as a machine that dies would go. */
  void killWorker(int index) throws InterruptedException {
    workers.get(index).destroyForcibly().waitFor();
  }

  /** The folder of the cluster's logs and work directories. */
  Path home() {
    return home;
  }

  @Override
  public void close() {
    for (Process worker : workers) {
      worker.descendants().forEach(ProcessHandle::destroyForcibly);
      worker.destroyForcibly();
    }
    master.destroyForcibly();
    try {
      for (Process worker : workers) {
        worker.waitFor(10, TimeUnit.SECONDS);
      }
      master.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Process launch(Path home, List<String> opens, List<String> main, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(opens);
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(home.resolve("jars") + "/*");
    command.addAll(main);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().put("SPARK_HOME", home.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    return builder.start();
  }

  private void awaitPort(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    close();
    throw new IllegalStateException(
        "the Spark master did not start; see " + home.resolve("master.log"));
  }

  /** Waits until the master lists {@code count} live workers (its web UI's JSON). */
  private void awaitWorkers(int webUi, int count) {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + webUi + "/json/"))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        String body =
            client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        if (Json.MAPPER.readTree(body).path("aliveworkers").asInt() >= count) {
          return;
        }
      } catch (IOException notYet) {
        // The UI is not up yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("the Spark workers did not register; see the logs in " + home);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
