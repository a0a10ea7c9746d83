package io.leadline.engine;

import static com.google.common.base.Verify.verify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's footer byte-identical from run to run. parquet-mr lists each column
 * chunk's encodings in the iteration order of a {@code HashSet} of enum constants, whose hash codes
 * differ from JVM to JVM; everything else it writes is a function of the data. The lists are sorted
 * in place, which keeps the footer's length.
 */
final class ParquetFooters {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ParquetFooters() {}

  /** Copies the Parquet file {@code source} to {@code target} with its footer in a fixed order. */
  static void copyCanonical(FileSystem fs, Path source, Path target) {
    try (FSDataInputStream in = fs.open(source)) {
      long size = fs.getFileStatus(source).getLen();
      byte[] tail = new byte[8];
      in.readFully(size - 8, tail);
      int length = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      verify(
          java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC),
          "%s is not a Parquet file",
          source);
      long start = size - 8 - length;
      byte[] footer = new byte[length];
      in.readFully(start, footer);
      FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
      for (RowGroup group : metadata.getRow_groups()) {
        for (ColumnChunk chunk : group.getColumns()) {
          ColumnMetaData column = chunk.getMeta_data();
          column.getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
          if (column.isSetEncoding_stats()) {
            column
                .getEncoding_stats()
                .sort(
                    Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                        .thenComparingInt(s -> s.getEncoding().getValue()));
          }
        }
      }
      ByteArrayOutputStream rewritten = new ByteArrayOutputStream(length);
      Util.writeFileMetaData(metadata, rewritten);
      verify(rewritten.size() == length, "the footer of %s changed length", source);
      in.seek(0);
      try (FSDataOutputStream out = fs.create(target, false)) {
        byte[] buffer = new byte[1 << 16];
        long left = start;
        while (left > 0) {
          int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (read < 0) {
            throw new IOException(source + " ended early");
          }
          out.write(buffer, 0, read);
          left -= read;
        }
        rewritten.writeTo(out);
        out.write(tail);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
