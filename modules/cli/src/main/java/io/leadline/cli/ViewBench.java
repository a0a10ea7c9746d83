package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.engine.Sweep;
import io.leadline.engine.SweepListener;
import io.leadline.engine.SweepResult;
import io.leadline.engine.SweepSession;
import io.leadline.engine.SweepSpec;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleColumns;
import io.leadline.report.Viewer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench view}: the sample viewer on a run of 100,000 samples. The run is a real
 * sweep's (sim-v1 and sim-v2 on TinyStories with its two judges, MMLU and GSM8K), its {@code
 * samples.parquet} copied out to the size asked in the very schema Spark wrote it with — each copy
 * a model snapshot of its own ({@code sim-v1.3}), its examples and prompts numbered — beside the
 * run's own manifest and metrics. Timed: opening it (the list's columns), the server from start to
 * its first list response, reading every sample behind it, writing the static bundle, and the page
 * from navigation to its list drawn in headless Chromium, served and from disk.
 */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "The sample viewer on a run of --samples samples (a real sweep's samples copied out):"
          + " opening it, the server's start to first list response, the static bundle's write,"
          + " and the page's load to list in headless Chromium."
    })
final class ViewBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      defaultValue = "100000",
      description = "Samples in the run (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--chromium",
      defaultValue = "chromium",
      description = "The Chromium to time the page in (default ${DEFAULT-VALUE}; skipped if none).")
  String chromium;

  @Option(
      names = "--keep",
      paramLabel = "DIR",
      description = "Keep the run folder of copied samples in DIR (to open with leadline view).")
  Path keep;

  @Option(
      names = "--master",
      defaultValue = "local[*]",
      description = "Spark master for the seed sweep (default ${DEFAULT-VALUE}).")
  String master;

  @Override
  public Integer call() throws Exception {
    if (samples < 1) {
      throw LeadlineException.userInput("--samples must be positive, got %d", samples);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("leadline-bench-view");
    try {
      Path seed = seed(work);
      Path run = keep != null ? keep : work.resolve("run");
      long seedRows = copyOut(seed, run, samples);
      out.printf(
          Locale.ROOT,
          "%,d samples (a sweep's %,d copied out: sim-v1, sim-v2 on tinystories, mmlu, gsm8k),"
              + " samples.parquet %.1f MB%n",
          samples,
          seedRows,
          Files.size(run.resolve(RunFolders.SAMPLES)) / 1e6);

      long start = System.nanoTime();
      Viewer viewer = Viewer.open(run.toString(), "RUN");
      double cold = seconds(start);
      start = System.nanoTime();
      Viewer.open(run.toString(), "RUN");
      out.printf(
          Locale.ROOT,
          "open (manifest, metrics, the list's columns): %.2f s (%.2f s a second time)%n",
          cold,
          seconds(start));

      HttpClient http = HttpClient.newHttpClient();
      start = System.nanoTime();
      Viewer warm = Viewer.open(run.toString(), "RUN");
      try (Viewer.Server server = warm.serve(0)) {
        HttpResponse<byte[]> page =
            http.send(
                HttpRequest.newBuilder(URI.create(server.url())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double firstList = seconds(start);
        // Opened before the background read has got there: found in the file alone.
        List<Double> early = new ArrayList<>();
        int status = 200;
        for (int index : List.of(samples - 1, samples / 2, samples / 3, samples - 2)) {
          long one = System.nanoTime();
          HttpResponse<String> sample =
              http.send(
                  HttpRequest.newBuilder(URI.create(server.url() + "sample/" + index)).build(),
                  HttpResponse.BodyHandlers.ofString());
          early.add((System.nanoTime() - one) / 1e6);
          status = Math.max(status, sample.statusCode());
        }
        out.printf(
            Locale.ROOT,
            "served: open, start and first list response %.2f s (the page %.1f MB, HTTP %d);"
                + " a sample opened at once (before the background read reaches it) %s ms"
                + " (HTTP %d)%n",
            firstList,
            page.body().length / 1e6,
            page.statusCode(),
            early.stream()
                .map(ms -> String.format(Locale.ROOT, "%.0f", ms))
                .collect(java.util.stream.Collectors.joining(", ")),
            status);
        Optional<Long> servedMs = chromium(server.url(), work);
        servedMs.ifPresent(
            ms -> out.printf(Locale.ROOT, "chromium, served: navigation to list %d ms%n", ms));
      }

      Path bundle = work.resolve("bundle");
      start = System.nanoTime();
      viewer.writeBundle(bundle);
      double written = seconds(start);
      long files;
      long bytes;
      try (Stream<Path> walk = Files.walk(bundle)) {
        List<Path> all = walk.filter(Files::isRegularFile).toList();
        files = all.size();
        bytes = 0;
        for (Path file : all) {
          bytes += Files.size(file);
        }
      }
      out.printf(
          Locale.ROOT,
          "static bundle: %.2f s, %,d files, %.1f MB (index.html %.1f MB)%n",
          written,
          files,
          bytes / 1e6,
          Files.size(bundle.resolve("index.html")) / 1e6);
      Optional<Long> staticMs = chromium(bundle.resolve("index.html").toUri().toString(), work);
      if (staticMs.isPresent()) {
        out.printf(Locale.ROOT, "chromium, from disk: navigation to list %d ms%n", staticMs.get());
      } else {
        out.printf("chromium: %s not found, the page's load was not timed%n", chromium);
      }
    } finally {
      SweepBench.deleteRecursively(work);
    }
    return 0;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** A real sweep's run folder: the rows to copy out, and the manifest and metrics. */
  private Path seed(Path work) {
    SweepSession session = SweepSession.open(master);
    try {
      SweepSpec sweep =
          SweepSpec.builder()
              .checkout(Checkout.root())
              .home(work.resolve("home"))
              .models(List.of("sim-v1", "sim-v2"))
              .benchmarks(List.of("tinystories", "mmlu", "gsm8k"))
              .limit(4)
              .out(Optional.of(work.resolve("seed").toString()))
              .runsDir(work)
              .master(master)
              .build();
      SweepResult result = Sweep.run(sweep, new SweepListener() {});
      return result.localRunDir();
    } finally {
      session.close();
    }
  }

  /**
   * Writes into {@code run} the seed's JSON files and {@code count} samples: copy k of each seed
   * row has the model {@code <model>.<k % 8>}, the example {@code <id>#<k / 8>} (its index 10,000 ×
   * k / 8 on), and its prompt begun with its copy's number, in the seed file's own Parquet schema
   * and Spark's order. Returns the seed's rows.
   */
  static long copyOut(Path seed, Path run, int count) throws IOException {
    Files.createDirectories(run);
    try (Stream<Path> files = Files.list(seed)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Files.copy(file, run.resolve(file.getFileName()));
      }
    }
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path from =
        new org.apache.hadoop.fs.Path(seed.resolve(RunFolders.SAMPLES).toUri());
    MessageType schema;
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(from, conf))) {
      schema = footer.getFooter().getFileMetaData().getSchema();
    }
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), from).withConf(conf).build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    }
    // Copy k of seed row r, in the order Spark writes (SampleColumns.ORDER): by model first.
    List<int[]> copies = new ArrayList<>(count);
    for (int written = 0; written < count; written++) {
      copies.add(new int[] {written % rows.size(), written / rows.size()});
    }
    java.util.Comparator<int[]> order =
        java.util.Comparator.<int[], String>comparing(c -> model(rows.get(c[0]), c[1]))
            .thenComparing(c -> rows.get(c[0]).getString(SampleColumns.BENCHMARK, 0))
            .thenComparing(c -> optional(rows.get(c[0]), SampleColumns.SUBSET))
            .thenComparing(c -> rows.get(c[0]).getString(SampleColumns.SETTING, 0))
            .thenComparing(c -> optional(rows.get(c[0]), SampleColumns.PERTURBATION))
            .thenComparingInt(c -> exampleIndex(rows.get(c[0]), c[1]))
            .thenComparingInt(c -> rows.get(c[0]).getInteger(SampleColumns.SAMPLE_INDEX, 0));
    copies.sort(order);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(run.resolve(RunFolders.SAMPLES).toUri()))
            .withType(schema)
            .withConf(conf)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      for (int[] copy : copies) {
        Group row = rows.get(copy[0]);
        Group out = groups.newGroup();
        copy(
            row,
            out,
            Map.of(
                SampleColumns.MODEL,
                model(row, copy[1]),
                SampleColumns.EXAMPLE_ID,
                row.getString(SampleColumns.EXAMPLE_ID, 0) + "#" + (copy[1] / 8),
                SampleColumns.EXAMPLE_INDEX,
                exampleIndex(row, copy[1]),
                SampleColumns.PROMPT,
                "(copy " + copy[1] + ") " + row.getString(SampleColumns.PROMPT, 0)));
        writer.write(out);
      }
    }
    return rows.size();
  }

  private static String model(Group row, int copy) {
    return row.getString(SampleColumns.MODEL, 0) + "." + (copy % 8);
  }

  private static int exampleIndex(Group row, int copy) {
    return row.getInteger(SampleColumns.EXAMPLE_INDEX, 0) + 10_000 * (copy / 8);
  }

  private static String optional(Group row, String column) {
    return row.getFieldRepetitionCount(column) == 0 ? "" : row.getString(column, 0);
  }

  /** Copies {@code from} into {@code to}, field by field, the top-level values in {@code with}. */
  private static void copy(Group from, Group to, Map<String, Object> with) {
    GroupType type = from.getType();
    for (int f = 0; f < type.getFieldCount(); f++) {
      Type field = type.getType(f);
      for (int r = 0; r < from.getFieldRepetitionCount(f); r++) {
        Object replaced = with.get(field.getName());
        if (replaced instanceof Integer number) {
          to.add(f, number);
        } else if (replaced != null) {
          to.add(f, Binary.fromString(replaced.toString()));
        } else if (!field.isPrimitive()) {
          copy(from.getGroup(f, r), to.addGroup(f), Map.of());
        } else {
          switch (field.asPrimitiveType().getPrimitiveTypeName()) {
            case BINARY -> to.add(f, from.getBinary(f, r));
            case INT32 -> to.add(f, from.getInteger(f, r));
            case INT64 -> to.add(f, from.getLong(f, r));
            case DOUBLE -> to.add(f, from.getDouble(f, r));
            case FLOAT -> to.add(f, from.getFloat(f, r));
            case BOOLEAN -> to.add(f, from.getBoolean(f, r));
            default -> throw new IllegalStateException("unexpected column type " + field);
          }
        }
      }
    }
  }

  private static final Pattern LISTED = Pattern.compile("data-listed=\"(\\d+)\"");

  /**
   * The page at {@code url} in headless Chromium: how long from navigation until its list was drawn
   * (the page's {@code data-listed}), or empty if there is no Chromium.
   */
  private Optional<Long> chromium(String url, Path work) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "chromium");
    List<String> command =
        List.of(
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile,
            "--dump-dom",
            url);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return Optional.empty();
    }
    String dom;
    try (InputStream in = process.getInputStream()) {
      dom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Matcher listed = LISTED.matcher(dom);
    if (!listed.find()) {
      throw new IllegalStateException("the page at " + url + " drew no list");
    }
    return Optional.of(Long.parseLong(listed.group(1)));
  }
}
