package io.leadline.records;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Some columns of {@code samples.parquet}, read column by column, one row at a time: no record is
 * assembled, no unread column is decompressed, and a text is decoded only when asked for, which is
 * what makes reading a few columns of a large run fast and small. Holds flat columns and maps of
 * names to numbers; the lists of structs (judges' replies, options) are assembled as records of
 * their own columns, without Hadoop: the whole file is read this way.
 */
final class SampleTable {
  /** The columns that are lists of structs. */
  private static final Set<String> LISTS = Set.of(SampleColumns.JUDGEMENTS, SampleColumns.OPTIONS);

  /** The long texts of a row: never the same from one row to the next, so never remembered. */
  private static final Set<String> TEXTS =
      Set.of(
          SampleColumns.PROMPT,
          SampleColumns.COMPLETION,
          SampleColumns.EXPLANATION,
          SampleColumns.EXEC_RESULT,
          SampleColumns.REASONING);

  private final Set<String> fileColumns;
  private final Map<String, Flat> flat = new HashMap<>();
  private final Map<String, Entries> maps = new HashMap<>();
  private final List<Runnable> advance = new ArrayList<>();
  private final String name;
  private long fileRow;
  private Group lists;

  private SampleTable(Set<String> fileColumns, String name) {
    this.fileColumns = fileColumns;
    this.name = name;
  }

  /** Whether the file has {@code column}. */
  boolean has(String column) {
    return fileColumns.contains(column);
  }

  /** The current row's value of the flat column {@code column}; null where it is null. */
  Object value(String column) {
    Flat current = flat.get(column);
    Object value = current.value;
    if (value instanceof Binary text) {
      // Decoded when asked for, once.
      value = current.value = current.decode(text);
    }
    return value;
  }

  /**
   * The current row's key: the columns read, the others (and a null or mistyped value, which the
   * row itself refuses when it is made) empty.
   */
  SampleKey key() {
    return key;
  }

  private final SampleKey key =
      new SampleKey() {
        @Override
        public String model() {
          return text(SampleColumns.MODEL).orElse("");
        }

        @Override
        public String benchmark() {
          return text(SampleColumns.BENCHMARK).orElse("");
        }

        @Override
        public Optional<String> subset() {
          return text(SampleColumns.SUBSET);
        }

        @Override
        public String setting() {
          return text(SampleColumns.SETTING).orElse("");
        }

        @Override
        public Optional<String> perturbation() {
          return text(SampleColumns.PERTURBATION);
        }

        @Override
        public String exampleId() {
          return text(SampleColumns.EXAMPLE_ID).orElse("");
        }

        @Override
        public int sampleIndex() {
          return flat.containsKey(SampleColumns.SAMPLE_INDEX)
                  && value(SampleColumns.SAMPLE_INDEX) instanceof Integer index
              ? index
              : 0;
        }

        @Override
        public Optional<String> error() {
          return text(SampleColumns.ERROR);
        }

        private Optional<String> text(String column) {
          return flat.containsKey(column) && value(column) instanceof String text
              ? Optional.of(text)
              : Optional.empty();
        }
      };

  /** The current row's map of the column {@code column}; null where it is null. */
  Map<String, Double> map(String column) {
    return maps.get(column).map();
  }

  /**
   * Each row of {@code input} that {@code filter} may keep, read with {@code columns} (those the
   * file has; its other columns are not read): {@code each} is given this table at the row and the
   * row's index in the file. The filter skips the row groups and pages its statistics and column
   * indexes rule out, so the rows given are a superset of those it keeps: the caller tests each.
   *
   * @param name the file, for errors
   */
  static void forEach(
      InputFile input,
      String name,
      Set<String> columns,
      FilterCompat.Filter filter,
      ObjLongConsumer<SampleTable> each)
      throws IOException {
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration())
            .withRecordFilter(filter)
            .build();
    try (ParquetFileReader reader = new ParquetFileReader(input, options)) {
      MessageType schema = reader.getFileMetaData().getSchema();
      Set<String> fileColumns = new HashSet<>();
      schema.getFields().forEach(field -> fileColumns.add(field.getName()));
      MessageType requested = projection(schema, columns);
      reader.setRequestedSchema(requested);
      String createdBy = reader.getFileMetaData().getCreatedBy();
      boolean filtered = filter != FilterCompat.NOOP;
      for (PageReadStore pages =
              filtered ? reader.readNextFilteredRowGroup() : reader.readNextRowGroup();
          pages != null;
          pages = filtered ? reader.readNextFilteredRowGroup() : reader.readNextRowGroup()) {
        long offset =
            pages
                .getRowIndexOffset()
                .orElseThrow(() -> new IllegalStateException("a row group without its offset"));
        PrimitiveIterator.OfLong indexes = filtered ? pages.getRowIndexes().orElse(null) : null;
        rows(pages, requested, fileColumns, name, createdBy, offset, indexes, each);
      }
    }
  }

  /** The columns of {@code schema} among {@code columns}, in the file's order. */
  static MessageType projection(MessageType schema, Set<String> columns) {
    List<Type> projected = new ArrayList<>();
    for (Type field : schema.getFields()) {
      if (columns.contains(field.getName())) {
        projected.add(field);
      }
    }
    return new MessageType(schema.getName(), projected);
  }

  /**
   * Each row of {@code pages} (a row group's, or the part of one a filter or row range kept), read
   * with {@code requested}'s columns: {@code indexes} are the kept rows' indexes in the row group,
   * null where it is whole.
   */
  static void rows(
      PageReadStore pages,
      MessageType requested,
      Set<String> fileColumns,
      String name,
      String createdBy,
      long offset,
      PrimitiveIterator.OfLong indexes,
      ObjLongConsumer<SampleTable> each) {
    ColumnReadStoreImpl store =
        new ColumnReadStoreImpl(
            pages, new GroupRecordConverter(requested).getRootConverter(), requested, createdBy);
    SampleTable table = new SampleTable(fileColumns, name);
    List<Type> lists = new ArrayList<>();
    for (Type field : requested.getFields()) {
      if (LISTS.contains(field.getName())) {
        if (field.isPrimitive()) {
          throw LeadlineException.data(
              "%s: column %s: not a list of structs (%s)", name, field.getName(), field);
        }
        lists.add(field);
      } else {
        table.open(store, requested, field);
      }
    }
    // The lists of structs are assembled as records of their own columns alone.
    RecordReader<Group> nested = null;
    if (!lists.isEmpty()) {
      MessageType only = new MessageType(requested.getName(), lists);
      nested =
          new ColumnIOFactory(createdBy)
              .getColumnIO(only, only)
              .getRecordReader(pages, new GroupRecordConverter(only));
    }
    long rows = pages.getRowCount();
    for (long row = 0; row < rows; row++) {
      long index = offset + (indexes != null && indexes.hasNext() ? indexes.nextLong() : row);
      table.fileRow = index;
      table.advance.forEach(Runnable::run);
      table.lists = nested == null ? null : nested.read();
      each.accept(table, index);
    }
  }

  /**
   * The current row's lists of structs (judges' replies, options) as a record of those columns
   * alone; null where none is read. Assembled for every row, kept or not: the record reader reads
   * the lists' columns in step with the others.
   */
  Group lists() {
    return lists;
  }

  /**
   * A flat column's current row's value (a text still undecoded), and the last text decoded: the
   * rows are sorted, so a short column repeats its value row after row.
   */
  private static final class Flat {
    final boolean repeats;
    Object value;
    Binary lastRaw;
    String last;

    Flat(boolean repeats) {
      this.repeats = repeats;
    }

    String decode(Binary text) {
      if (!repeats) {
        return text.toStringUsingUTF8();
      }
      if (!text.equals(lastRaw)) {
        last = text.toStringUsingUTF8();
        lastRaw = text.copy();
      }
      return last;
    }
  }

  /**
   * A map column's current row's entries, undecoded until asked for; the names decoded last are
   * remembered, since row after row has the same ones.
   */
  private static final class Entries {
    boolean isNull;
    int size;
    Binary[] keys = new Binary[4];
    double[] values = new double[4];
    Binary[] lastRaw = new Binary[0];
    String[] last = new String[0];

    void clear(boolean isNull) {
      this.isNull = isNull;
      size = 0;
    }

    void add(Binary key, double value) {
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size++] = value;
    }

    Map<String, Double> map() {
      if (isNull) {
        return null;
      }
      if (lastRaw.length < size) {
        lastRaw = java.util.Arrays.copyOf(lastRaw, size);
        last = java.util.Arrays.copyOf(last, size);
      }
      Map<String, Double> map = new TreeMap<>();
      for (int i = 0; i < size; i++) {
        if (!keys[i].equals(lastRaw[i])) {
          last[i] = keys[i].toStringUsingUTF8();
          lastRaw[i] = keys[i].copy();
        }
        map.put(last[i], values[i]);
      }
      return map;
    }
  }

  private void open(ColumnReadStoreImpl store, MessageType schema, Type field) {
    String column = field.getName();
    if (field.isPrimitive()) {
      ColumnDescriptor descriptor = schema.getColumnDescription(new String[] {column});
      ColumnReader values = store.getColumnReader(descriptor);
      int defined = descriptor.getMaxDefinitionLevel();
      Flat current = new Flat(!TEXTS.contains(column));
      flat.put(column, current);
      advance.add(
          () -> {
            current.value =
                values.getCurrentDefinitionLevel() == defined ? raw(values, descriptor) : null;
            values.consume();
          });
      return;
    }
    // A map: optional group (MAP) { repeated group key_value { key; value } }.
    GroupType map = field.asGroupType();
    if (map.getFieldCount() != 1
        || map.getType(0).isPrimitive()
        || map.getType(0).asGroupType().getFieldCount() != 2) {
      throw LeadlineException.data(
          "%s: column %s: not a map of names to numbers (%s)", name, column, field);
    }
    GroupType entries = map.getType(0).asGroupType();
    ColumnDescriptor keyColumn =
        schema.getColumnDescription(
            new String[] {column, entries.getName(), entries.getType(0).getName()});
    ColumnDescriptor valueColumn =
        schema.getColumnDescription(
            new String[] {column, entries.getName(), entries.getType(1).getName()});
    ColumnReader keys = store.getColumnReader(keyColumn);
    ColumnReader values = store.getColumnReader(valueColumn);
    long total = keys.getTotalValueCount();
    long[] consumed = {0};
    // Definition levels: below the map's own, the map is null; at it, the map is empty.
    int mapDefined = schema.getMaxDefinitionLevel(new String[] {column});
    Entries current = new Entries();
    maps.put(column, current);
    advance.add(
        () -> {
          int defined = keys.getCurrentDefinitionLevel();
          if (defined <= mapDefined) {
            current.clear(defined < mapDefined);
            keys.consume();
            values.consume();
            consumed[0]++;
            return;
          }
          current.clear(false);
          do {
            if (values.getCurrentDefinitionLevel() != valueColumn.getMaxDefinitionLevel()
                || keys.getCurrentDefinitionLevel() != keyColumn.getMaxDefinitionLevel()) {
              throw LeadlineException.data(
                  "%s: row %d: column %s: not a map of names to numbers (a null entry)",
                  name, fileRow, column);
            }
            Object key = raw(keys, keyColumn);
            Object value = raw(values, valueColumn);
            if (!(key instanceof Binary text) || !(value instanceof Double number)) {
              throw LeadlineException.data(
                  "%s: row %d: column %s: not a map of names to numbers (%s)",
                  name, fileRow, column, field);
            }
            current.add(text, number);
            keys.consume();
            values.consume();
            consumed[0]++;
          } while (consumed[0] < total && keys.getCurrentRepetitionLevel() > 0);
        });
  }

  private static Object raw(ColumnReader reader, ColumnDescriptor column) {
    return switch (column.getPrimitiveType().getPrimitiveTypeName()) {
      case BINARY -> reader.getBinary();
      case INT32 -> reader.getInteger();
      case INT64 -> reader.getLong();
      case DOUBLE -> reader.getDouble();
      case FLOAT -> (double) reader.getFloat();
      case BOOLEAN -> reader.getBoolean();
      default -> reader.getBinary();
    };
  }
}
