package io.leadline.records;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Some columns of {@code samples.parquet}, read column by column, one row at a time: no record is
 * assembled, no unread column is decompressed, and a text is decoded only when asked for, which is
 * what makes reading a few columns of a large run fast and small. Holds flat columns and maps of
 * names to numbers; the nested lists (judges' replies, options) are read by record ({@link
 * RunFolders}).
 */
final class SampleTable {
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

  private SampleTable(Set<String> fileColumns, String name) {
    this.fileColumns = fileColumns;
    this.name = name;
  }

  /** Whether these columns can be read so: none is a list. */
  static boolean canRead(Set<String> columns) {
    return !columns.contains(SampleColumns.JUDGEMENTS) && !columns.contains(SampleColumns.OPTIONS);
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
   * Each row of {@code input}, read with {@code columns} (those the file has): {@code each} is
   * given this table at the row and the row's index in the file.
   *
   * @param name the file, for errors
   */
  static void forEach(
      InputFile input, String name, Set<String> columns, ObjLongConsumer<SampleTable> each)
      throws IOException {
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = new ParquetFileReader(input, options)) {
      MessageType schema = reader.getFileMetaData().getSchema();
      List<Type> projected = new ArrayList<>();
      Set<String> fileColumns = new HashSet<>();
      for (Type field : schema.getFields()) {
        fileColumns.add(field.getName());
        if (columns.contains(field.getName())) {
          projected.add(field);
        }
      }
      MessageType requested = new MessageType(schema.getName(), projected);
      reader.setRequestedSchema(requested);
      String createdBy = reader.getFileMetaData().getCreatedBy();
      long first = 0;
      for (PageReadStore pages = reader.readNextRowGroup();
          pages != null;
          pages = reader.readNextRowGroup()) {
        ColumnReadStoreImpl store =
            new ColumnReadStoreImpl(
                pages,
                new GroupRecordConverter(requested).getRootConverter(),
                requested,
                createdBy);
        SampleTable table = new SampleTable(fileColumns, name);
        for (Type field : projected) {
          table.open(store, requested, field);
        }
        long rows = pages.getRowCount();
        for (long row = 0; row < rows; row++) {
          table.fileRow = first + row;
          table.advance.forEach(Runnable::run);
          each.accept(table, first + row);
        }
        first += rows;
      }
    }
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
