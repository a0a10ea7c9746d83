package io.leadline.report;

import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole of each sample — prompt, completion, extraction, scores, judges' replies, usage — as
 * one JSON object (the columns' names), read in one pass over {@code samples.parquet} in file order
 * and handed on in chunks of {@link #SIZE} samples: the static bundle writes each chunk as a script
 * file, the server keeps each compressed until a sample of it is opened.
 */
final class ViewerChunks {
  /** Samples per chunk: a chunk of prompts a few hundred kB at most, loaded when one is opened. */
  static final int SIZE = 200;

  /** What receives the chunks, in order. */
  interface Sink {
    /**
     * Chunk {@code index}: samples {@code index * SIZE} on, each one compact JSON object in UTF-8.
     */
    void chunk(int index, List<byte[]> samples) throws IOException;
  }

  private ViewerChunks() {}

  /** The row's own JSON, made compact: a bundle of 100,000 samples is smaller by a third. */
  static byte[] compact(SampleRow sample) {
    return sample.toCompactJson();
  }

  /** The number of chunks {@code samples} samples make. */
  static int count(int samples) {
    return (samples + SIZE - 1) / SIZE;
  }

  /** Reads the run folder {@code location}'s samples into {@code sink}, chunk by chunk. */
  static void read(String location, String what, Sink sink) {
    List<byte[]> chunk = new ArrayList<>(SIZE);
    int[] index = {0};
    RunFolders.forEachSample(
        location,
        what,
        sample -> {
          try {
            chunk.add(compact(sample));
            if (chunk.size() == SIZE) {
              sink.chunk(index[0]++, List.copyOf(chunk));
              chunk.clear();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    if (!chunk.isEmpty()) {
      try {
        sink.chunk(index[0], List.copyOf(chunk));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
