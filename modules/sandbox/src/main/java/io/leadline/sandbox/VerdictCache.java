package io.leadline.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verdicts of programs already run, on disk, so that a rerun (whose answers come from the
 * result store) does not run the same programs again and gets the verdicts the first run recorded.
 *
 * <p>A verdict is keyed by everything it depends on: the program, its timeout and limits, the
 * worker script, the interpreter and whether it ran isolated. The folder holds append-only segment
 * files of JSON lines, one per executor, each line written whole; a torn or malformed line is
 * skipped, so a killed run leaves a cache that only lacks its last verdicts. Only the harness
 * writes here, never a candidate: the sandbox cannot reach the folder. Thread-safe.
 */
final class VerdictCache {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SUFFIX = ".jsonl";

  private final Path dir;
  private final String identity;
  private final Map<String, ExecResult> known = new ConcurrentHashMap<>();
  private OutputStream segment;
  private boolean broken;

  private VerdictCache(Path dir, String identity) {
    this.dir = dir;
    this.identity = identity;
  }

  /**
   * The cache in {@code dir} for an executor of {@code identity}, its verdicts read; empty if the
   * folder cannot be made or read (a cache that is not there only costs the runs).
   */
  static Optional<VerdictCache> open(Path dir, String identity) {
    requireNonNull(dir, "dir is null");
    VerdictCache cache = new VerdictCache(dir, requireNonNull(identity, "identity is null"));
    try {
      Files.createDirectories(dir);
      try (var files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          if (file.getFileName().toString().endsWith(SUFFIX)) {
            cache.read(file);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(cache);
  }

  private void read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        try {
          JsonNode node = MAPPER.readTree(line);
          String key = node.path("key").asText("");
          JsonNode status = node.get("status");
          JsonNode result = node.get("result");
          JsonNode output = node.get("output");
          JsonNode seconds = node.get("seconds");
          if (!key.isEmpty()
              && status != null
              && status.isTextual()
              && result != null
              && result.isTextual()
              && output != null
              && output.isTextual()
              && seconds != null
              && seconds.isNumber()) {
            known.putIfAbsent(
                key,
                new ExecResult(
                    status.asText(), result.asText(), output.asText(), seconds.asDouble()));
          }
        } catch (IOException e) {
          // A torn last line of a killed run, or not a record: skipped.
        }
      }
    }
  }

  /** What a program's verdict is filed under. */
  String key(String program, double timeoutSeconds, Limits limits) {
    Hasher hasher = Hashing.sha256().newHasher();
    for (String part :
        new String[] {identity, Double.toString(timeoutSeconds), limits.toString()}) {
      hasher.putString(part, StandardCharsets.UTF_8).putByte((byte) 0);
    }
    return hasher.putString(program, StandardCharsets.UTF_8).hash().toString();
  }

  Optional<ExecResult> get(String key) {
    return Optional.ofNullable(known.get(key));
  }

  /**
   * Files {@code result} under {@code key}, in memory and, unless writing failed before, on disk.
   */
  synchronized void put(String key, ExecResult result) {
    if (known.putIfAbsent(key, result) != null || broken) {
      return;
    }
    ObjectNode line =
        MAPPER
            .createObjectNode()
            .put("key", key)
            .put("status", result.status())
            .put("result", result.result())
            .put("output", result.output())
            .put("seconds", result.seconds());
    try {
      if (segment == null) {
        segment =
            Files.newOutputStream(
                dir.resolve("verdicts-" + UUID.randomUUID() + SUFFIX),
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
      }
      // One write per line, so a kill leaves at most this line torn.
      segment.write((MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      segment.flush();
    } catch (IOException e) {
      broken = true;
    }
  }

  synchronized void close() {
    if (segment != null) {
      try {
        segment.close();
      } catch (IOException e) {
        // Every line was flushed as it was written.
      }
      segment = null;
    }
  }
}
