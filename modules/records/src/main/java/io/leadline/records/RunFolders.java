package io.leadline.records;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.ColumnIndexStore.MissingOffsetIndexException;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Reads run folders back — manifest, metrics and samples — without Spark, for everything that works
 * on finished runs ({@code diff}, {@code sensitivity}, {@code report}). A folder that is not a run,
 * a run of a newer {@link RunManifest#SCHEMA_VERSION}, or a malformed field is refused with one
 * line naming the file and the field.
 */
public final class RunFolders {
  public static final String MANIFEST = "manifest.json";
  public static final String METRICS = "metrics.json";
  public static final String SAMPLES = "samples.parquet";
  public static final String AGREEMENT = "agreement.json";

  private RunFolders() {}

  /**
   * A run folder's contents. The samples are read when first asked for: whole by {@link
   * #samples()}, or streamed with only the columns a reader needs by {@link #forEachSample}.
   */
  public static final class Run {
    private final String location;
    private final String what;
    private final RunManifest manifest;
    private final List<MetricRow> metrics;
    private final List<AgreementRow> agreement;
    private final boolean onDisk;
    private volatile List<SampleRow> samples;

    /**
     * A run held in memory.
     *
     * @param location where it was read from, as given
     * @param agreement the judges' agreement ({@code agreement.json}), empty where no two judges
     *     graded
     */
    public Run(
        String location,
        RunManifest manifest,
        List<MetricRow> metrics,
        List<SampleRow> samples,
        List<AgreementRow> agreement) {
      this(location, "RUN", manifest, metrics, agreement, false);
      this.samples = ImmutableList.copyOf(samples);
    }

    public Run(
        String location, RunManifest manifest, List<MetricRow> metrics, List<SampleRow> samples) {
      this(location, manifest, metrics, samples, List.of());
    }

    private Run(
        String location,
        String what,
        RunManifest manifest,
        List<MetricRow> metrics,
        List<AgreementRow> agreement,
        boolean onDisk) {
      this.location = requireNonNull(location, "location is null");
      this.what = requireNonNull(what, "what is null");
      this.manifest = requireNonNull(manifest, "manifest is null");
      this.metrics = ImmutableList.copyOf(metrics);
      this.agreement = ImmutableList.copyOf(agreement);
      this.onDisk = onDisk;
    }

    public String location() {
      return location;
    }

    public RunManifest manifest() {
      return manifest;
    }

    public List<MetricRow> metrics() {
      return metrics;
    }

    public List<AgreementRow> agreement() {
      return agreement;
    }

    /**
     * Every sample, whole, in file order: read on the first call (every column of every row, so a
     * reader of a few columns uses {@link #forEachSample}).
     *
     * @throws LeadlineException {@code DATA} if {@code samples.parquet} is malformed
     */
    public List<SampleRow> samples() {
      List<SampleRow> read = samples;
      if (read == null) {
        synchronized (this) {
          read = samples;
          if (read == null) {
            ImmutableList.Builder<SampleRow> all = ImmutableList.builder();
            RunFolders.forEachSample(location, what, all::add);
            samples = read = all.build();
          }
        }
      }
      return read;
    }

    /**
     * Each sample in file order to {@code each}, read with only {@code columns} (names from {@link
     * SampleColumns}): the others are empty in the rows given — an empty string, optional, map or
     * list, or 0 — and are not read from the file. A run held in memory gives its rows whole.
     *
     * @throws LeadlineException {@code DATA} if {@code samples.parquet} is malformed
     */
    public void forEachSample(Set<String> columns, Consumer<SampleRow> each) {
      forEachSample(columns, sample -> true, each);
    }

    /**
     * Each sample of {@code benchmarks}, whole, in file order: Parquet skips the pages of the
     * others (the file is sorted by model, then benchmark).
     *
     * @throws LeadlineException {@code DATA} if {@code samples.parquet} is malformed
     */
    public void forEachSampleOf(Set<String> benchmarks, Consumer<SampleRow> each) {
      List<SampleRow> read = samples;
      if (read != null || !onDisk) {
        for (SampleRow sample : samples()) {
          if (benchmarks.contains(sample.benchmark())) {
            each.accept(sample);
          }
        }
        return;
      }
      FilterPredicate of = anyOf(SampleColumns.BENCHMARK, benchmarks);
      if (of != null) {
        RunFolders.forEachSample(
            location,
            what,
            FilterCompat.get(of),
            key -> benchmarks.contains(key.benchmark()),
            each);
      }
    }

    /**
     * The samples of {@code models} that {@code keep} keeps, as {@link #forEachSample(Set,
     * Predicate, Consumer)} gives them: Parquet skips the pages of the other models (the file is
     * sorted by model first), so one model of a run of several is read alone.
     *
     * @throws LeadlineException {@code DATA} if {@code samples.parquet} is malformed
     */
    public void forEachSampleOfModels(
        Set<String> models,
        Set<String> columns,
        Predicate<? super SampleKey> keep,
        Consumer<SampleRow> each) {
      if (models.isEmpty()) {
        return;
      }
      Predicate<SampleKey> ofModels = key -> models.contains(key.model()) && keep.test(key);
      List<SampleRow> read = samples;
      // Asked for every model, the filter would skip no page and cost the filtered read's work.
      if (read != null || !onDisk || models.containsAll(manifest.modelNames())) {
        forEachSample(columns, ofModels, each);
        return;
      }
      Set<String> withModel = new java.util.HashSet<>(columns);
      withModel.add(SampleColumns.MODEL);
      FilterCompat.Filter of = FilterCompat.get(anyOf(SampleColumns.MODEL, models));
      RunFolders.read(location, what, withModel, of, ofModels, each);
    }

    /**
     * The samples {@code keep} keeps, as {@link #forEachSample(Set, Consumer)} gives them: {@code
     * keep} is asked first, of the row's key read from the file's columns, so that a row is made
     * (and its texts decoded) only where it is kept.
     */
    public void forEachSample(
        Set<String> columns, Predicate<? super SampleKey> keep, Consumer<SampleRow> each) {
      List<SampleRow> read = samples;
      if (read != null || !onDisk) {
        for (SampleRow sample : samples()) {
          if (keep.test(sample)) {
            each.accept(sample);
          }
        }
        return;
      }
      RunFolders.forEachSample(location, what, columns, keep, each);
    }
  }

  /**
   * Reads the run folder at {@code location} (a path or Hadoop URI).
   *
   * @param what the argument that named it, for errors ({@code RUN_A})
   * @throws LeadlineException {@code USER_INPUT} if it is not a run folder or is of a newer schema,
   *     {@code DATA} if a file is malformed
   */
  public static Run read(String location, String what) {
    Path dir = path(location);
    Optional<java.nio.file.Path> local = local(dir);
    Configuration conf = local.isPresent() ? null : new Configuration();
    FileSystem fs = local.isPresent() ? null : fileSystem(dir, conf);
    // A local folder is read without Hadoop's filesystem, whose start costs more than the read.
    Predicate<String> exists =
        name -> {
          if (local.isPresent()) {
            return java.nio.file.Files.exists(local.get().resolve(name));
          }
          try {
            return fs.exists(new Path(dir, name));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    try {
      boolean manifest = exists.test(MANIFEST);
      boolean metrics = exists.test(METRICS);
      boolean samples = exists.test(SAMPLES);
      if (!manifest && !metrics && !samples) {
        throw LeadlineException.userInput(
            "%s: %s is not a run folder (expected %s, %s and %s in it)",
            what, location, MANIFEST, METRICS, SAMPLES);
      }
      for (String file : List.of(MANIFEST, METRICS, SAMPLES)) {
        if (!exists.test(file)) {
          throw LeadlineException.userInput(
              "%s: %s is not a run folder: %s is missing", what, location, file);
        }
      }
      String prefix = what + ": " + location + (location.endsWith("/") ? "" : "/");
      RunManifest parsed = parseManifest(readText(local, fs, dir, MANIFEST), prefix + MANIFEST);
      List<MetricRow> rows = parseMetrics(readText(local, fs, dir, METRICS), prefix + METRICS);
      List<AgreementRow> agreement =
          exists.test(AGREEMENT)
              ? parseAgreement(readText(local, fs, dir, AGREEMENT), prefix + AGREEMENT)
              : List.of();
      return new Run(location, what, parsed, rows, agreement, true);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw LeadlineException.data(
          "%s: cannot read the run folder %s (%s)", what, location, e.getMessage());
    }
  }

  /** {@code path} on the local disk, if it is there. */
  private static Optional<java.nio.file.Path> local(Path path) {
    URI uri = path.toUri();
    return "file".equals(uri.getScheme())
        ? Optional.of(java.nio.file.Path.of(uri))
        : Optional.empty();
  }

  private static String readText(
      Optional<java.nio.file.Path> local, FileSystem fs, Path dir, String name) throws IOException {
    if (local.isPresent()) {
      return java.nio.file.Files.readString(local.get().resolve(name));
    }
    try (InputStream in = fs.open(new Path(dir, name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Each row of the run folder {@code location}'s {@code samples.parquet}, in file order, to {@code
   * each}, without holding them all: for a reader of a large run.
   *
   * @param what the argument that named it, for errors ({@code RUN})
   * @throws LeadlineException {@code DATA} if the file is malformed
   */
  public static void forEachSample(String location, String what, Consumer<SampleRow> each) {
    read(location, what, null, FilterCompat.NOOP, sample -> true, each);
  }

  /**
   * Each row as {@link #forEachSample(String, String, Consumer)} gives them, read with only {@code
   * columns}: the others are empty in the rows given (see {@link Run#forEachSample}).
   */
  public static void forEachSample(
      String location, String what, Set<String> columns, Consumer<SampleRow> each) {
    forEachSample(location, what, columns, sample -> true, each);
  }

  /**
   * The rows {@code keep} keeps, read as {@link #forEachSample(String, String, Set, Consumer)}
   * reads them; {@code keep} is asked of each row's key first.
   */
  public static void forEachSample(
      String location,
      String what,
      Set<String> columns,
      Predicate<? super SampleKey> keep,
      Consumer<SampleRow> each) {
    Set<String> read = new java.util.HashSet<>(columns);
    read(location, what, read, FilterCompat.NOOP, keep, each);
  }

  /**
   * The rows of {@code location}'s samples that {@code keep} keeps, read with {@code read} (null
   * for every column of {@link SampleColumns#ALL}) column by column ({@link SampleTable}), without
   * Hadoop where the file is local; {@code filter} skips the row groups and pages it rules out (it
   * names only columns that are read: Parquet takes a column left out for null).
   */
  private static void read(
      String location,
      String what,
      Set<String> read,
      FilterCompat.Filter filter,
      Predicate<? super SampleKey> keep,
      Consumer<SampleRow> each) {
    Path file = new Path(path(location), SAMPLES);
    String name = what + ": " + location + (location.endsWith("/") ? "" : "/") + SAMPLES;
    try {
      SampleTable.forEach(
          input(file),
          name,
          read == null ? SampleColumns.ALL : read,
          filter,
          (table, row) -> {
            if (!keep.test(table.key())) {
              return;
            }
            SampleRow sample = sample(new Columns(table, name, row, read));
            try {
              each.accept(sample);
            } catch (RuntimeException e) {
              throw new Passed(e);
            }
          });
    } catch (Passed e) {
      // What the consumer did with a row (a bundle's write failed) is its own failure, not the
      // file's.
      throw e.failure;
    } catch (LeadlineException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw unreadable(name, e);
    }
  }

  /** Rows whose text column {@code column} is one of {@code values}; null for none. */
  private static FilterPredicate anyOf(String column, Set<String> values) {
    FilterPredicate of = null;
    for (String value : new java.util.TreeSet<>(values)) {
      FilterPredicate one = FilterApi.eq(FilterApi.binaryColumn(column), Binary.fromString(value));
      of = of == null ? one : FilterApi.or(of, one);
    }
    return of;
  }

  /** {@code file} to Parquet: from the local disk without Hadoop's filesystem where it is local. */
  private static InputFile input(Path file) throws IOException {
    Optional<java.nio.file.Path> local = local(file);
    return local.isPresent()
        ? new LocalInputFile(local.get())
        : HadoopInputFile.fromPath(file, new Configuration());
  }

  /** Why {@code file} could not be read, in one line: Parquet's words name magic bytes. */
  private static LeadlineException unreadable(String file, Exception e) {
    if (String.valueOf(e.getMessage()).contains("is not a Parquet file")) {
      return LeadlineException.data("%s: not a Parquet file (truncated?)", file);
    }
    return LeadlineException.data("%s: cannot read it (%s)", file, e.getMessage());
  }

  /**
   * The rows {@code keep} keeps, whole, as {@link #forEachSample(String, String, Consumer)} gives
   * them: Parquet skips the row groups and pages that {@code filter} (the same condition, as
   * Parquet says it) rules out by their statistics and column indexes, so on the sorted file a
   * filter on the sort columns ({@link SampleColumns#ORDER}) finds one sample without reading the
   * others. {@code keep} is asked of each row the filter leaves.
   */
  public static void forEachSample(
      String location,
      String what,
      FilterCompat.Filter filter,
      Predicate<? super SampleKey> keep,
      Consumer<SampleRow> each) {
    read(location, what, null, filter, keep, each);
  }

  /**
   * Row {@code row} (0-based, in file order) of the run folder {@code location}'s {@code
   * samples.parquet}, read alone: Parquet's offset index says which page of each column holds it,
   * so only those pages are read. Where the file has no offset index (or no such row), empty: the
   * caller reads another way.
   *
   * @throws LeadlineException {@code DATA} if the file is malformed
   */
  public static Optional<SampleRow> sampleAt(String location, String what, long row) {
    Path file = new Path(path(location), SAMPLES);
    String name = what + ": " + location + (location.endsWith("/") ? "" : "/") + SAMPLES;
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = new ParquetFileReader(input(file), options)) {
      MessageType schema = reader.getFileMetaData().getSchema();
      MessageType requested = SampleTable.projection(schema, SampleColumns.ALL);
      reader.setRequestedSchema(requested);
      long first = 0;
      List<BlockMetaData> groups = reader.getRowGroups();
      for (int group = 0; group < groups.size(); group++) {
        long rows = groups.get(group).getRowCount();
        if (row >= first + rows) {
          first += rows;
          continue;
        }
        RowRanges only =
            RowRanges.create(rows, IntStream.of(0).iterator(), new OneRow(row - first));
        PageReadStore pages;
        try {
          pages = reader.readFilteredRowGroup(group, only);
        } catch (MissingOffsetIndexException e) {
          return Optional.empty();
        }
        Set<String> fileColumns = new java.util.HashSet<>();
        schema.getFields().forEach(field -> fileColumns.add(field.getName()));
        List<SampleRow> found = new ArrayList<>(1);
        SampleTable.rows(
            pages,
            requested,
            fileColumns,
            name,
            reader.getFileMetaData().getCreatedBy(),
            first,
            pages.getRowIndexes().orElse(null),
            (table, index) -> found.add(sample(new Columns(table, name, index, null))));
        return found.stream().findFirst();
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      if (e instanceof LeadlineException leadline) {
        throw leadline;
      }
      throw LeadlineException.data("%s: row %d: cannot read it (%s)", name, row, e.getMessage());
    }
  }

  /** An offset index of one page holding one row: what makes Parquet read row {@code row} alone. */
  private record OneRow(long row) implements OffsetIndex {
    @Override
    public int getPageCount() {
      return 1;
    }

    @Override
    public long getOffset(int page) {
      throw new UnsupportedOperationException("only the row range is asked for");
    }

    @Override
    public int getCompressedPageSize(int page) {
      throw new UnsupportedOperationException("only the row range is asked for");
    }

    @Override
    public long getFirstRowIndex(int page) {
      return row;
    }

    @Override
    public long getLastRowIndex(int page, long rowGroupRowCount) {
      return row;
    }
  }

  /**
   * The manifest of the finished run folder {@code dir} on the local disk, or empty if it has none
   * this Leadline can read (for what earlier runs used, not for a run a user named).
   */
  public static java.util.Optional<RunManifest> manifestIfAny(java.nio.file.Path dir) {
    java.nio.file.Path file = dir.resolve(MANIFEST);
    try {
      return java.util.Optional.of(
          parseManifest(java.nio.file.Files.readString(file), file.toString()));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** {@code text} as a manifest; {@code file} names it in errors. */
  static RunManifest parseManifest(String text, String file) {
    JsonNode tree = RecordJson.readTree(text, file);
    JsonNode version = tree.path("schema_version");
    if (!tree.isObject() || !version.canConvertToExactIntegral() || !version.isIntegralNumber()) {
      throw LeadlineException.data(
          "%s: schema_version: missing, or not a whole number (is this a Leadline run?)", file);
    }
    if (version.asLong() > RunManifest.SCHEMA_VERSION) {
      throw LeadlineException.userInput(
          "%s: schema_version %s is newer than this Leadline reads (up to %d); read it with a"
              + " newer Leadline",
          file, version.asText(), RunManifest.SCHEMA_VERSION);
    }
    return RecordJson.convert(tree, RunManifest.class, file);
  }

  /** {@code text} as the rows of {@code agreement.json}; {@code file} names it in errors. */
  static List<AgreementRow> parseAgreement(String text, String file) {
    List<AgreementRow> rows = RecordJson.read(text, AgreementRow.LIST, file);
    if (rows == null) {
      throw LeadlineException.data("%s: expected a list of agreement rows, got null", file);
    }
    return ImmutableList.copyOf(rows);
  }

  /** {@code text} as the rows of {@code metrics.json}; {@code file} names it in errors. */
  static List<MetricRow> parseMetrics(String text, String file) {
    // A cell with no scored item has a row whose value is null.
    List<MetricRow> rows = RecordJson.readWithNulls(text, MetricRow.LIST, file);
    if (rows == null) {
      throw LeadlineException.data("%s: expected a list of metric rows, got null", file);
    }
    return ImmutableList.copyOf(rows);
  }

  private static SampleRow sample(Columns row) {
    try {
      return new SampleRow(
          row.string(SampleColumns.MODEL),
          row.string(SampleColumns.BENCHMARK),
          row.optionalString(SampleColumns.SUBSET),
          row.string(SampleColumns.SETTING),
          row.string(SampleColumns.SETTING_HASH),
          row.optionalString(SampleColumns.PERTURBATION),
          row.string(SampleColumns.EXAMPLE_ID),
          row.integer(SampleColumns.EXAMPLE_INDEX),
          row.integer(SampleColumns.SAMPLE_INDEX),
          row.string(SampleColumns.REQUEST_HASH),
          row.string(SampleColumns.PROMPT),
          row.string(SampleColumns.GOLD),
          row.integer(SampleColumns.SHOTS_USED),
          row.optionalString(SampleColumns.COMPLETION),
          row.optionalString(SampleColumns.EXTRACTED),
          row.optionalString(SampleColumns.NO_ANSWER_REASON),
          row.has(SampleColumns.EXPLANATION)
              ? row.optionalString(SampleColumns.EXPLANATION)
              : Optional.empty(),
          row.scores(SampleColumns.SCORES),
          row.scores(SampleColumns.PROBLEM_SCORES),
          row.optional(SampleColumns.PASSED, Boolean.class),
          row.optionalString(SampleColumns.EXEC_RESULT),
          row.optionalString(SampleColumns.FINISH_REASON),
          row.optional(SampleColumns.TRUNCATED, Boolean.class),
          row.optionalString(SampleColumns.ERROR),
          row.optional(SampleColumns.REQUEST_LATENCY_MS, Long.class),
          row.optional(SampleColumns.REQUEST_PROMPT_TOKENS, Long.class),
          row.optional(SampleColumns.REQUEST_COMPLETION_TOKENS, Long.class),
          row.optional(SampleColumns.REQUEST_ATTEMPTS, Integer.class),
          row.optionalString(SampleColumns.REPORTED_MODEL),
          row.has(SampleColumns.JUDGEMENTS) ? row.judgements(SampleColumns.JUDGEMENTS) : List.of(),
          row.has(SampleColumns.OPTIONS) ? row.options(SampleColumns.OPTIONS) : List.of(),
          row.has(SampleColumns.REASONING)
              ? row.optionalString(SampleColumns.REASONING)
              : Optional.empty(),
          row.has(SampleColumns.REQUEST_REASONING_TOKENS)
              ? row.optional(SampleColumns.REQUEST_REASONING_TOKENS, Long.class)
              : Optional.empty(),
          row.has(SampleColumns.SYSTEM_FINGERPRINT)
              ? row.optionalString(SampleColumns.SYSTEM_FINGERPRINT)
              : Optional.empty());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw LeadlineException.data("%s: row %d: %s", row.file, row.index, e.getMessage());
    }
  }

  /** Typed access to one Parquet row, with errors naming the row and column. */
  private static final class Columns {
    private final SampleTable table;
    private final String file;
    private final long index;
    private final Set<String> read;

    /**
     * {@code table} at its current row, row {@code index} of the file; {@code read}: the columns
     * read, the others empty; null for all.
     */
    Columns(SampleTable table, String file, long index, Set<String> read) {
      this.table = table;
      this.file = file;
      this.index = index;
      this.read = read;
    }

    private boolean read(String column) {
      return read == null || read.contains(column);
    }

    boolean has(String column) {
      return read(column) && table.has(column);
    }

    private LeadlineException wrong(String column, String problem) {
      return LeadlineException.data("%s: row %d: column %s: %s", file, index, column, problem);
    }

    private void expect(String column) {
      if (!has(column)) {
        throw wrong(column, "missing");
      }
    }

    String string(String column) {
      if (!read(column)) {
        return "";
      }
      return optionalString(column)
          .orElseThrow(() -> wrong(column, "null where a value is needed"));
    }

    Optional<String> optionalString(String column) {
      return optional(column, String.class);
    }

    int integer(String column) {
      if (!read(column)) {
        return 0;
      }
      return optional(column, Integer.class)
          .orElseThrow(() -> wrong(column, "null where a value is needed"));
    }

    <T> Optional<T> optional(String column, Class<T> type) {
      if (!read(column)) {
        return Optional.empty();
      }
      expect(column);
      Object value = table.value(column);
      if (value != null && !type.isInstance(value)) {
        throw wrong(column, "of the wrong type (" + value.getClass().getSimpleName() + ")");
      }
      return Optional.ofNullable(type.cast(value));
    }

    /** The record of the row's lists of structs, if {@code column} is among them and not null. */
    private Optional<Group> list(String column) {
      Group lists = table.lists();
      return lists == null
              || !lists.getType().containsField(column)
              || lists.getFieldRepetitionCount(column) == 0
          ? Optional.empty()
          : Optional.of(lists);
    }

    /** A list of option likelihoods (Spark's list of structs), in order. */
    List<SampleRow.OptionLikelihood> options(String column) {
      Optional<Group> record = list(column);
      if (record.isEmpty()) {
        return List.of();
      }
      Group row = record.get();
      List<SampleRow.OptionLikelihood> options = new java.util.ArrayList<>();
      try {
        Group list = row.getGroup(column, 0);
        String repeated = list.getType().getFieldName(0);
        for (int i = 0; i < list.getFieldRepetitionCount(repeated); i++) {
          Group element = list.getGroup(repeated, i).getGroup(0, 0);
          options.add(
              new SampleRow.OptionLikelihood(
                  element.getString("letter", 0),
                  element.getString("continuation", 0),
                  element.getDouble("logprob", 0),
                  element.getInteger("tokens", 0),
                  element.getInteger("chars", 0),
                  element.getFieldRepetitionCount("greedy") == 0
                      ? Optional.empty()
                      : Optional.of(element.getBoolean("greedy", 0))));
        }
      } catch (ClassCastException | IllegalArgumentException | IndexOutOfBoundsException e) {
        throw wrong(column, "not a list of options (" + row.getType().getType(column) + ")");
      }
      return options;
    }

    /** A list of judge replies (Spark's list of structs), in order. */
    List<SampleRow.Judgement> judgements(String column) {
      Optional<Group> record = list(column);
      if (record.isEmpty()) {
        return List.of();
      }
      Group row = record.get();
      List<SampleRow.Judgement> judgements = new java.util.ArrayList<>();
      try {
        Group list = row.getGroup(column, 0);
        String repeated = list.getType().getFieldName(0);
        for (int i = 0; i < list.getFieldRepetitionCount(repeated); i++) {
          Group element = list.getGroup(repeated, i).getGroup(0, 0);
          Map<String, String> grades = new java.util.LinkedHashMap<>();
          if (element.getFieldRepetitionCount("grades") > 0) {
            Group map = element.getGroup("grades", 0);
            String entries = map.getType().getFieldName(0);
            for (int e = 0; e < map.getFieldRepetitionCount(entries); e++) {
              Group entry = map.getGroup(entries, e);
              grades.put(entry.getString("key", 0), entry.getString("value", 0));
            }
          }
          judgements.add(
              new SampleRow.Judgement(
                  element.getString("judge", 0),
                  element.getString("reply", 0),
                  grades,
                  element.getFieldRepetitionCount("no_grade") == 0
                      ? Optional.empty()
                      : Optional.of(element.getString("no_grade", 0))));
        }
      } catch (ClassCastException | IllegalArgumentException | IndexOutOfBoundsException e) {
        throw wrong(column, "not a list of judge replies (" + row.getType().getType(column) + ")");
      }
      return judgements;
    }

    Map<String, Double> scores(String column) {
      Map<String, Double> scores = new TreeMap<>();
      if (!read(column)) {
        return scores;
      }
      expect(column);
      Map<String, Double> map = table.map(column);
      if (map != null) {
        scores.putAll(map);
      }
      return scores;
    }
  }

  /** {@code location} as a qualified Hadoop path: a URI as given, a plain path made absolute. */
  public static Path path(String location) {
    URI uri;
    try {
      uri = URI.create(location.replace(" ", "%20"));
    } catch (IllegalArgumentException e) {
      return new Path(java.nio.file.Path.of(location).toAbsolutePath().toUri());
    }
    if (uri.getScheme() == null || uri.getScheme().length() == 1) {
      return new Path(java.nio.file.Path.of(location).toAbsolutePath().toUri());
    }
    return new Path(uri);
  }

  /** The filesystem of {@code path}; the raw one for local paths. */
  public static FileSystem fileSystem(Path path, Configuration conf) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: no filesystem for it (%s); is its connector on the classpath?",
          path, e.getMessage());
    }
  }

  /** A consumer's failure, carried past the handlers of the file's own. */
  private static final class Passed extends RuntimeException {
    final RuntimeException failure;

    Passed(RuntimeException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }
}
