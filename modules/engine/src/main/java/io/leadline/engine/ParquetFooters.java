package io.leadline.engine;

import static com.google.common.base.Verify.verify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
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

  static void canonicalize(Path file) {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(tail, size - 8);
      tail.flip();
      int length = tail.getInt();
      byte[] magic = new byte[4];
      tail.get(magic);
      verify(java.util.Arrays.equals(magic, MAGIC), "%s is not a Parquet file", file);
      long start = size - 8 - length;
      ByteBuffer footer = ByteBuffer.allocate(length);
      while (footer.hasRemaining()) {
        channel.read(footer, start + footer.position());
      }
      FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
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
      verify(rewritten.size() == length, "the footer of %s changed length", file);
      channel.write(ByteBuffer.wrap(rewritten.toByteArray()), start);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
