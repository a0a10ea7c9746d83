package io.leadline.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadline.api.LeadlineException;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The sample viewer of one run folder: its samples listed, filtered by model, benchmark, subset,
 * setting, perturbation and outcome, and one opened at a time with everything the run holds about
 * it. Read without Spark: the list's few columns when opened, the rest of each sample later.
 *
 * <p>Served ({@link #serve}) it answers on 127.0.0.1, reading the samples in the background and
 * answering each opened sample from them, or, before the read has reached it, from the file alone;
 * written ({@link #writeBundle}) it is a folder that opens from {@code file://} with no server: the
 * page with the list in it, and the samples in script files of {@link ViewerChunks#SIZE} each,
 * loaded when one of theirs is opened. The same run gives the same bytes.
 */
public final class Viewer {
  /** The folder of the static bundle's sample scripts. */
  static final String SAMPLES_FOLDER = "samples";

  private final String location;
  private final String what;
  private final RunFolders.Run run;
  private final ViewerList list;

  private Viewer(String location, String what, RunFolders.Run run, ViewerList list) {
    this.location = location;
    this.what = what;
    this.run = run;
    this.list = list;
  }

  /**
   * Opens the run folder {@code location}: its manifest and metrics, and the list's columns of its
   * samples.
   *
   * @param what the argument that named it, for errors ({@code RUN})
   * @throws LeadlineException {@code USER_INPUT} if it is not a run folder, {@code DATA} if a file
   *     is malformed
   */
  public static Viewer open(String location, String what) {
    RunFolders.Run run = RunFolders.read(location, what);
    return new Viewer(location, what, run, ViewerList.read(location, what, run.metrics()));
  }

  /** How many samples the run holds. */
  public int samples() {
    return list.size();
  }

  ViewerList list() {
    return list;
  }

  /**
   * Sample {@code index}'s JSON, read from the file alone (Parquet's column indexes skip the pages
   * of the others): for a sample opened before the background read has reached it.
   */
  String lookUp(int index) throws IOException {
    Optional<SampleRow> alone = RunFolders.sampleAt(location, what, index);
    if (alone.isPresent()) {
      return new String(ViewerChunks.compact(alone.get()), StandardCharsets.UTF_8);
    }
    SampleRow found =
        byKey(index)
            .orElseThrow(
                () ->
                    LeadlineException.data(
                        "%s: %s: sample %d is no longer in %s",
                        what, location, index, RunFolders.SAMPLES));
    return new String(ViewerChunks.compact(found), StandardCharsets.UTF_8);
  }

  /**
   * Sample {@code index} as a file without offset indexes gives it: read from the pages that may
   * hold its sort key.
   */
  Optional<SampleRow> byKey(int index) {
    List<SampleRow> found = new ArrayList<>(1);
    RunFolders.forEachSample(
        location,
        what,
        list.key(index),
        key -> list.isKey(index, key),
        sample -> {
          if (sample.exampleIndex() == list.exampleIndex(index)) {
            found.add(sample);
          }
        });
    return found.stream().findFirst();
  }

  /** The page, served ({@code served}: samples fetched one by one) or in a static bundle. */
  String page(boolean served) {
    return ViewerPage.html(run, list, served);
  }

  private static final byte[] CHUNK_SEPARATOR = ",\n".getBytes(StandardCharsets.UTF_8);

  private static final byte[] CHUNK_END = "]);\n".getBytes(StandardCharsets.UTF_8);

  /**
   * Writes the static bundle into {@code dir} (created if missing): {@code index.html} and {@code
   * samples/NNNNN.js}, files of the same names replaced.
   */
  public void writeBundle(Path dir) {
    try {
      Path samples = dir.resolve(SAMPLES_FOLDER);
      Files.createDirectories(samples);
      Files.writeString(dir.resolve("index.html"), page(false), StandardCharsets.UTF_8);
      ViewerChunks.read(
          location,
          what,
          (index, chunk) -> {
            try (OutputStream out =
                new java.io.BufferedOutputStream(
                    Files.newOutputStream(samples.resolve(chunkName(index))), 1 << 16)) {
              out.write(("leadlineChunk(" + index + ",[\n").getBytes(StandardCharsets.UTF_8));
              for (int i = 0; i < chunk.size(); i++) {
                if (i > 0) {
                  out.write(CHUNK_SEPARATOR);
                }
                out.write(chunk.get(i));
              }
              out.write(CHUNK_END);
            }
          });
    } catch (IOException e) {
      throw LeadlineException.userInput("--out %s: cannot write there (%s)", dir, e.getMessage());
    } catch (UncheckedIOException e) {
      throw LeadlineException.userInput(
          "--out %s: cannot write there (%s)", dir, e.getCause().getMessage());
    }
  }

  /** The script file of chunk {@code index}. */
  static String chunkName(int index) {
    return String.format(Locale.ROOT, "%05d.js", index);
  }

  /**
   * Serves the viewer on 127.0.0.1:{@code port} ({@code 0}: a free port) until closed: {@code /}
   * the page, {@code /sample/N} sample N's JSON (from the background read's chunks once it has
   * reached it, else read alone from the file). Only requests addressed to this host and port are
   * answered (a page elsewhere that rebinds its own name to 127.0.0.1 cannot read the samples).
   *
   * @throws BindException if the port is taken
   */
  public Server serve(int port) throws BindException {
    return new Server(this, port);
  }

  /** The served viewer; {@link #close} stops it. */
  public static final class Server implements AutoCloseable {
    /** How long an opened sample waits for the background read to reach it. */
    private final HttpServer http;

    private final ExecutorService handlers;
    private final List<CompletableFuture<Chunk>> chunks;
    private final Thread reader;
    private final byte[] page;
    private final Viewer viewer;
    private volatile boolean closed;

    private Server(Viewer viewer, int port) throws BindException {
      this.viewer = viewer;
      int count = ViewerChunks.count(viewer.samples());
      this.chunks =
          java.util.stream.Stream.generate(CompletableFuture<Chunk>::new).limit(count).toList();
      this.page = viewer.page(true).getBytes(StandardCharsets.UTF_8);
      try {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      } catch (BindException e) {
        throw e;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      handlers =
          Executors.newFixedThreadPool(
              4,
              task -> {
                Thread thread = new Thread(task, "viewer-http");
                thread.setDaemon(true);
                return thread;
              });
      http.setExecutor(handlers);
      http.createContext("/", this::handle);
      reader =
          new Thread(
              () -> {
                try {
                  ViewerChunks.read(
                      viewer.location,
                      viewer.what,
                      (index, samples) -> {
                        if (closed) {
                          throw new IOException("the viewer was stopped");
                        }
                        chunks.get(index).complete(Chunk.of(samples));
                      });
                } catch (RuntimeException e) {
                  chunks.forEach(chunk -> chunk.completeExceptionally(e));
                }
              },
              "viewer-samples");
      reader.setDaemon(true);
      reader.start();
      http.start();
    }

    /** The port it listens on. */
    public int port() {
      return http.getAddress().getPort();
    }

    /** Where a browser opens it. */
    public String url() {
      return "http://127.0.0.1:" + port() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
      try {
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
        if (!host.equals("127.0.0.1:" + port()) && !host.equals("localhost:" + port())) {
          send(exchange, 421, "text/plain", "this viewer answers 127.0.0.1:" + port() + " only\n");
        } else if (!exchange.getRequestMethod().equals("GET")) {
          send(exchange, 405, "text/plain", "only GET\n");
        } else if (path.equals("/") || path.equals("/index.html")) {
          send(exchange, 200, "text/html; charset=utf-8", page);
        } else if (path.matches("/sample/\\d{1,9}")) {
          sample(exchange, Integer.parseInt(path.substring("/sample/".length())));
        } else {
          send(exchange, 404, "text/plain", "no such page: " + path + "\n");
        }
      } catch (RuntimeException e) {
        // A bug of ours: said to the page, which shows it, rather than a dropped connection.
        send(exchange, 500, "text/plain", "the viewer failed: " + e + "\n");
      } finally {
        exchange.close();
      }
    }

    private void sample(HttpExchange exchange, int index) throws IOException {
      int chunk = index / ViewerChunks.SIZE;
      if (index >= viewer.samples()) {
        send(exchange, 404, "text/plain", "no sample " + index + "\n");
        return;
      }
      try {
        CompletableFuture<Chunk> read = chunks.get(chunk);
        // Not read yet: this one sample from the file, not a wait for the pass to reach it.
        String json =
            read.isDone() && !read.isCompletedExceptionally()
                ? read.get().sample(index)
                : viewer.lookUp(index);
        send(exchange, 200, "application/json; charset=utf-8", json);
      } catch (LeadlineException e) {
        send(exchange, 500, "text/plain", e.getMessage() + "\n");
      } catch (ExecutionException e) {
        send(exchange, 500, "text/plain", "cannot read the samples: " + e.getCause().getMessage());
      } catch (IOException e) {
        send(exchange, 500, "text/plain", "cannot read sample " + index + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(exchange, 503, "text/plain", "stopping\n");
      }
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
        throws IOException {
      send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
        throws IOException {
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      closed = true;
      http.stop(0);
      handlers.shutdownNow();
    }
  }

  /**
   * One chunk's samples kept compressed (prompts of a chunk share their exemplars, so they shrink
   * several times): the samples' JSON back to back, and the byte where each ends.
   */
  private record Chunk(byte[] compressed, int[] ends) {
    static Chunk of(List<byte[]> samples) {
      int[] ends = new int[samples.size()];
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
        int end = 0;
        for (int i = 0; i < samples.size(); i++) {
          gzip.write(samples.get(i));
          end += samples.get(i).length;
          ends[i] = end;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Chunk(bytes.toByteArray(), ends);
    }

    String sample(int index) throws IOException {
      byte[] text;
      try (GZIPInputStream gzip =
          new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
        text = gzip.readAllBytes();
      }
      int i = index % ViewerChunks.SIZE;
      int start = i == 0 ? 0 : ends[i - 1];
      return new String(text, start, ends[i] - start, StandardCharsets.UTF_8);
    }
  }
}
