package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The local copy of pulled splits under {@code <home>/datasets}, laid out by dataset, revision,
 * config and split:
 *
 * <pre>
 * datasets/&lt;owner&gt;/&lt;name&gt;/&lt;revision&gt;/&lt;config&gt;/&lt;split&gt;.jsonl       the rows
 * datasets/&lt;owner&gt;/&lt;name&gt;/&lt;revision&gt;/&lt;config&gt;/&lt;split&gt;.meta.json   rows, sha256, fetched_at, source
 * datasets/&lt;owner&gt;/&lt;name&gt;/latest/&lt;config&gt;/&lt;split&gt;.json            the revision last pulled
 * </pre>
 *
 * <p>Every file is written to a temporary file and renamed into place; a split is read only when
 * its rows match the sha256 in its metadata. Pulls of one split are serialised across threads and
 * processes by a lock file, so two pulls at once leave one correct copy.
 */
public final class DatasetCache {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private final Path root;

  public DatasetCache(Path home) {
    this.root = requireNonNull(home, "home is null").resolve("datasets");
  }

  /** What {@link #read} found: a verified split, or why there is none. */
  public sealed interface Lookup permits Hit, Miss {}

  public record Hit(PulledSplit split, Path file) implements Lookup {}

  public record Miss(String reason, boolean corrupt) implements Lookup {}

  /**
   * The cached split at {@code revision}, or at the revision pulled last when empty; verified
   * against its sha256.
   */
  public Lookup read(SplitRef ref, Optional<String> revision) {
    Optional<String> resolved = revision.isPresent() ? revision : latest(ref);
    if (resolved.isEmpty()) {
      return new Miss(ref + " is not in the cache", false);
    }
    Path rows = rowsFile(ref, resolved.get());
    Path meta = metaFile(ref, resolved.get());
    if (!Files.exists(rows) || !Files.exists(meta)) {
      return new Miss(ref + " at revision " + resolved.get() + " is not in the cache", false);
    }
    try {
      JsonNode metadata = MAPPER.readTree(meta.toFile());
      List<String> lines = Files.readAllLines(rows, StandardCharsets.UTF_8);
      String sha = SplitPuller.sha256(lines);
      if (!sha.equals(metadata.path("sha256").asText())
          || lines.size() != metadata.path("rows").asInt(-1)) {
        return new Miss(rows + " does not match its recorded sha256 (truncated or edited)", true);
      }
      return new Hit(
          new PulledSplit(
              ref,
              resolved.get(),
              ImmutableList.copyOf(lines),
              sha,
              Instant.parse(metadata.path("fetched_at").asText()),
              metadata.path("source").asText()),
          rows);
    } catch (IOException | RuntimeException e) {
      return new Miss(meta + " is unreadable (" + e.getMessage() + ")", true);
    }
  }

  /**
   * Runs {@code pull} holding the split's lock (across threads and processes) unless, once the lock
   * is held, a verified copy at {@code revision} is already there (another pull finished).
   */
  public PulledSplit pullLocked(
      SplitRef ref, Optional<String> revision, boolean force, Supplier<PulledSplit> pull) {
    Path lockFile = lockFolder(ref).resolve(ref.config() + "." + ref.split() + ".lock");
    ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
    local.lock();
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!force && read(ref, revision) instanceof Hit hit) {
          return hit.split();
        }
        PulledSplit split = pull.get();
        write(split);
        return split;
      }
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.USER_INPUT,
          "LEADLINE_HOME: cannot write the cache at " + root + ": " + e.getMessage());
    } finally {
      local.unlock();
    }
  }

  /** Stores {@code split} atomically: rows, then metadata, then the latest-revision pointer. */
  void write(PulledSplit split) throws IOException {
    SplitRef ref = split.ref();
    StringBuilder text = new StringBuilder();
    for (String row : split.rows()) {
      text.append(row).append('\n');
    }
    atomicWrite(rowsFile(ref, split.revision()), text.toString());
    ObjectNode meta = MAPPER.createObjectNode();
    meta.put("dataset", ref.dataset());
    meta.put("config", ref.config());
    meta.put("split", ref.split());
    meta.put("revision", split.revision());
    meta.put("rows", split.rows().size());
    meta.put("sha256", split.sha256());
    meta.put("bytes", text.toString().getBytes(StandardCharsets.UTF_8).length);
    meta.put("fetched_at", split.fetchedAt().toString());
    meta.put("source", split.source());
    atomicWrite(metaFile(ref, split.revision()), meta.toPrettyString() + "\n");
    ObjectNode pointer = MAPPER.createObjectNode().put("revision", split.revision());
    atomicWrite(latestFile(ref), pointer.toString() + "\n");
  }

  /** Every cached split's metadata, sorted by dataset, revision, config and split. */
  public List<JsonNode> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<JsonNode> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path meta :
          files.filter(path -> path.toString().endsWith(".meta.json")).sorted().toList()) {
        entries.add(MAPPER.readTree(meta.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  Path rowsFile(SplitRef ref, String revision) {
    return datasetFolder(ref)
        .resolve(revision)
        .resolve(ref.config())
        .resolve(ref.split() + ".jsonl");
  }

  private Path metaFile(SplitRef ref, String revision) {
    return datasetFolder(ref)
        .resolve(revision)
        .resolve(ref.config())
        .resolve(ref.split() + ".meta.json");
  }

  private Path latestFile(SplitRef ref) {
    return datasetFolder(ref)
        .resolve("latest")
        .resolve(ref.config())
        .resolve(ref.split() + ".json");
  }

  private Path lockFolder(SplitRef ref) {
    return datasetFolder(ref).resolve("locks");
  }

  private Path datasetFolder(SplitRef ref) {
    Path folder = root;
    for (String part : ref.dataset().split("/")) {
      folder = folder.resolve(part);
    }
    return folder;
  }

  private Optional<String> latest(SplitRef ref) {
    Path pointer = latestFile(ref);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    try {
      String revision = MAPPER.readTree(pointer.toFile()).path("revision").asText("");
      return revision.isEmpty() ? Optional.empty() : Optional.of(revision);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void atomicWrite(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(StandardCharsets.UTF_8.encode(text));
        channel.force(true);
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
