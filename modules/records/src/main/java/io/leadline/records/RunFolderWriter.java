package io.leadline.records;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes the JSON files of a run folder ({@code manifest.json}, {@code metrics.json}) into a folder
 * on any Hadoop filesystem; {@code samples.parquet} is written by the engine's Spark job, with the
 * names of {@link SampleColumns}. Making the folder whole (writing into {@code .partial}, renaming)
 * is the caller's part.
 */
public final class RunFolderWriter {
  private final FileSystem fs;
  private final Path dir;

  public RunFolderWriter(FileSystem fs, Path dir) {
    this.fs = requireNonNull(fs, "fs is null");
    this.dir = requireNonNull(dir, "dir is null");
  }

  /** Writes {@code manifest.json}. */
  public void writeManifest(RunManifest manifest) {
    write(RunFolders.MANIFEST, manifest.toJson());
  }

  /** Writes {@code metrics.json}: {@code rows} in the order given. */
  public void writeMetrics(List<MetricRow> rows) {
    write(RunFolders.METRICS, MetricRow.toJson(rows));
  }

  /** Writes {@code agreement.json}, if there is a row: runs without two judges have none. */
  public void writeAgreement(List<AgreementRow> rows) {
    if (!rows.isEmpty()) {
      write(RunFolders.AGREEMENT, AgreementRow.toJson(rows));
    }
  }

  private void write(String name, String text) {
    try (FSDataOutputStream out = fs.create(new Path(dir, name), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
