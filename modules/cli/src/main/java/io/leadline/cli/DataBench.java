package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryPolicy;
import io.leadline.datasets.BundledSamples;
import io.leadline.datasets.Datasets;
import io.leadline.datasets.HubSettings;
import io.leadline.datasets.PullListener;
import io.leadline.datasets.PulledSplit;
import io.leadline.datasets.SplitRef;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench data}: a full pull of a GSM8K-sized split from a dataset-viewer stand-in on
 * 127.0.0.1 (the bundled GSM8K rows, cycled to {@code --rows}, served 100 a page), then loads of
 * the cached split.
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Rows per second of a full split pull from a loopback viewer, and the time to load the"
            + " cached split (median of --rounds).")
final class DataBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      defaultValue = "1319",
      description = "Split size (default 1319, GSM8K test).")
  int rows;

  @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds (default 5).")
  int rounds;

  @Option(names = "--concurrency", defaultValue = "4", description = "Pages in flight (default 4).")
  int concurrency;

  @Override
  public Integer call() throws IOException {
    if (rows < 1 || rounds < 1 || concurrency < 1) {
      throw LeadlineException.userInput("--rows, --rounds and --concurrency must be at least 1");
    }
    List<String> sample =
        new BundledSamples(Checkout.benchmarks()).load("gsm8k", "main", "test").rows();
    String[] split = new String[rows];
    for (int i = 0; i < rows; i++) {
      split[i] = sample.get(i % sample.size());
    }
    HttpServer server = viewer(split);
    PrintWriter out = spec.commandLine().getOut();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      SplitRef ref = new SplitRef("bench/gsm8k", "main", "test");
      double[] pullSeconds = new double[rounds];
      double[] loadMillis = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        Path home = Files.createTempDirectory("leadline-bench-data");
        try {
          Datasets datasets =
              new Datasets(
                  new HubSettings(uri, uri, Optional.empty(), false, home),
                  RetryPolicy.DEFAULT,
                  concurrency,
                  warning -> {});
          long start = System.nanoTime();
          PulledSplit pulled = datasets.pull(ref, Optional.empty(), PullListener.NONE);
          pullSeconds[round] = (System.nanoTime() - start) / 1e9;
          if (pulled.rows().size() != rows) {
            throw new IllegalStateException("pulled " + pulled.rows().size() + " rows");
          }
          start = System.nanoTime();
          datasets.load(ref, Optional.empty(), PullListener.NONE);
          loadMillis[round] = (System.nanoTime() - start) / 1e6;
        } finally {
          delete(home);
        }
      }
      Arrays.sort(pullSeconds);
      Arrays.sort(loadMillis);
      double pull = pullSeconds[rounds / 2];
      out.printf(
          "Full pull of %,d rows (%d pages, %d in flight) from a loopback viewer: %.3f s,"
              + " %,.0f rows/s (median of %d)%n",
          rows, (rows + 99) / 100, concurrency, pull, rows / pull, rounds);
      out.printf(
          "Load of the cached split (sha256 verified): %.1f ms (median of %d)%n",
          loadMillis[rounds / 2], rounds);
      out.flush();
    } finally {
      server.stop(0);
    }
    return 0;
  }

  /** A stand-in for the dataset viewer's /splits and /rows over {@code split}. */
  private static HttpServer viewer(String[] split) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/splits",
        exchange ->
            send(
                exchange,
                "{\"splits\":[{\"dataset\":\"bench/gsm8k\",\"config\":\"main\",\"split\":\"test\"}],"
                    + "\"pending\":[],\"failed\":[]}"));
    server.createContext(
        "/rows",
        exchange -> {
          String query = exchange.getRequestURI().getQuery();
          int offset = Integer.parseInt(query.replaceAll(".*offset=(\\d+).*", "$1"));
          ObjectNode page = Json.MAPPER.createObjectNode();
          ArrayNode rows = page.putArray("rows");
          for (int i = offset; i < Math.min(offset + 100, split.length); i++) {
            ObjectNode entry = rows.addObject();
            entry.put("row_idx", i);
            entry.set("row", parse(split[i]));
            entry.putArray("truncated_cells");
          }
          page.put("num_rows_total", split.length);
          page.put("num_rows_per_page", 100);
          page.put("partial", false);
          exchange.getResponseHeaders().add("X-Revision", "bench");
          send(exchange, page.toString());
        });
    server.start();
    return server;
  }

  private static JsonNode parse(String row) {
    try {
      return Json.MAPPER.readTree(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
    }
  }
}
