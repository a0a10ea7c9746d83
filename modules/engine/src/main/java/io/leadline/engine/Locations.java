package io.leadline.engine;

import io.leadline.records.RunFolders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where the result store and run folders live: a local path or any Hadoop-compatible URI ({@code
 * file:}, {@code hdfs:}, {@code s3a:} with its connector on the classpath). Local paths use
 * Hadoop's raw local filesystem, whose {@code hflush} is a plain write, so a record is with the OS
 * the moment it is appended.
 */
final class Locations {
  private Locations() {}

  /** {@code location} as a qualified Hadoop path: a URI as given, a plain path made absolute. */
  static Path path(String location) {
    return RunFolders.path(location);
  }

  /** The filesystem of {@code path}; the raw one for local paths. */
  static FileSystem fileSystem(Path path, Configuration conf) {
    return RunFolders.fileSystem(path, conf);
  }

  /** A Hadoop configuration as bytes, to ship to executors. */
  static byte[] serialize(Configuration conf) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        conf.write(out);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Configuration deserialize(byte[] bytes) {
    Configuration conf = new Configuration(false);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      conf.readFields(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return conf;
  }
}
