package io.leadline.engine;

import io.leadline.api.LeadlineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Who is sending which request, so that two sweeps on one result store send each request once: a
 * lease file per request hash in the store's {@code leases/} folder, created atomically before the
 * request is sent and deleted once its answer is stored.
 *
 * <p>A lease names its holder: host, process id and the process's start time, and the run. A sweep
 * that finds a request leased waits (polling) until the holder's answer is in the store, or until
 * the lease is gone, then takes it itself; a lease whose holder process is no longer running on
 * this host (killed, crashed, the machine rebooted) is broken and taken over. A holder on another
 * host cannot be checked from here: its lease is honoured while the file is younger than {@link
 * #FOREIGN_EXPIRY} (a shared filesystem seen by executors on several hosts), then broken.
 *
 * <p>On a local store the lease is made complete in a side file and linked into place, which fails
 * if the lease exists (the POSIX {@code O_EXCL} guarantee); elsewhere it is the filesystem's
 * create-if-absent (atomic on HDFS). Thread-safe.
 */
final class Leases {
  static final String FOLDER = "leases";
  static final Duration FOREIGN_EXPIRY = Duration.ofMinutes(10);
  private static final long POLL_MILLIS = Long.getLong("leadline.lease.pollMillis", 50);
  private static final Map<String, Leases> RUNS = new ConcurrentHashMap<>();

  private final Path dir;
  private final FileSystem fs;
  private final java.nio.file.Path localDir;
  private final Holder self;
  private final Tail tail;

  /**
   * Leases of run {@code runId} on {@code store}, looking for other runs' answers after the segment
   * lengths {@code seen} (and for this run's own too if {@code ownAnswers}: where two of its
   * executors may ask alike, as judges' calls can).
   */
  Leases(ResultStore store, String runId, Map<String, Long> seen, boolean ownAnswers) {
    this.dir = new Path(store.dir(), FOLDER);
    this.fs = store.fileSystem();
    this.localDir =
        "file".equals(dir.toUri().getScheme()) ? java.nio.file.Path.of(dir.toUri()) : null;
    this.self = Holder.current(runId);
    this.tail = new Tail(store, ownAnswers ? null : runId + "-", seen);
  }

  /**
   * The leases of run {@code runId} in this JVM; {@code seen} is the store's segment lengths when
   * the run read it, from where the answers of other sweeps are looked for.
   */
  static Leases of(String runId, ResultStore store, Map<String, Long> seen) {
    return RUNS.computeIfAbsent(runId, id -> new Leases(store, id, seen, false));
  }

  static void release(String runId) {
    RUNS.remove(runId);
  }

  /**
   * The lease on {@code hash}, once held; or, when another sweep stored a completed answer to it
   * meanwhile, that answer's line. Blocks while a running holder has the lease.
   */
  Lease take(String hash) {
    while (true) {
      long asked = System.nanoTime();
      if (create(hash)) {
        // Stored by a holder that released the lease after this run read the store? Only a read
        // begun after the lease was taken sees everything its last holder stored.
        Optional<String> answered = tail.completed(hash, System.nanoTime());
        if (answered.isPresent()) {
          delete(hash);
          return new Lease(this, hash, answered);
        }
        return new Lease(this, hash, Optional.empty());
      }
      Optional<String> answered = tail.completed(hash, asked);
      if (answered.isPresent()) {
        return new Lease(this, hash, answered);
      }
      Optional<Written> lease = read(hash);
      if (lease.isPresent() && !lease.get().holderAlive(self)) {
        // Two sweeps may break one stale lease at once; the comparison keeps the window small,
        // and the worst case is one request sent twice.
        Optional<Written> again = read(hash);
        if (again.isPresent() && again.get().text().equals(lease.get().text())) {
          delete(hash);
        }
        continue;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for another sweep's answer", e);
      }
    }
  }

  /** A held lease (released by {@link #close}), or another sweep's answer. */
  static final class Lease implements AutoCloseable {
    private final Leases leases;
    private final String hash;
    private final Optional<String> answered;

    private Lease(Leases leases, String hash, Optional<String> answered) {
      this.leases = leases;
      this.hash = hash;
      this.answered = answered;
    }

    /** The completed record another sweep stored; empty when this run is to send the request. */
    Optional<String> answered() {
      return answered;
    }

    @Override
    public void close() {
      if (answered.isEmpty()) {
        leases.delete(hash);
      }
    }
  }

  private boolean create(String hash) {
    byte[] text = (self.text() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (localDir != null) {
        Files.createDirectories(localDir);
        java.nio.file.Path side = localDir.resolve("." + hash + "." + UUID.randomUUID());
        Files.write(side, text);
        try {
          Files.createLink(localDir.resolve(hash), side);
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        } finally {
          Files.deleteIfExists(side);
        }
      }
      try (OutputStream out = fs.create(new Path(dir, hash), false)) {
        out.write(text);
      }
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        return false;
      }
      throw Disk.writeFailure(dir.toString(), e, "cannot take a lease in the result store");
    }
  }

  private Optional<Written> read(String hash) {
    Path path = new Path(dir, hash);
    try {
      FileStatus status = fs.getFileStatus(path);
      String text;
      try (FSDataInputStream in = fs.open(path)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      return Optional.of(new Written(text, status.getModificationTime()));
    } catch (java.io.FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: cannot read a lease of the result store (%s)", path, e.getMessage());
    }
  }

  private void delete(String hash) {
    try {
      if (localDir != null) {
        Files.deleteIfExists(localDir.resolve(hash));
      } else {
        fs.delete(new Path(dir, hash), false);
      }
    } catch (IOException e) {
      // A lease left behind is broken by the next sweep that needs it.
    }
  }

  /** A lease as found: its holder's line and when it was written (epoch millis). */
  private record Written(String text, long modified) {
    boolean holderAlive(Holder self) {
      Optional<Holder> holder = Holder.parse(text);
      if (holder.isEmpty()) {
        // Being written by a filesystem without atomic create; or torn by a killed writer.
        return System.currentTimeMillis() - modified < 10_000;
      }
      if (!holder.get().host().equals(self.host())) {
        return System.currentTimeMillis() - modified < FOREIGN_EXPIRY.toMillis();
      }
      return holder.get().running();
    }
  }

  /** The process holding a lease: host, pid, process start (epoch millis, 0 if unknown), run. */
  record Holder(String host, long pid, long start, String run) {
    static Holder current(String run) {
      ProcessHandle process = ProcessHandle.current();
      return new Holder(
          hostName(),
          process.pid(),
          process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L),
          run);
    }

    String text() {
      return "host=" + host + " pid=" + pid + " start=" + start + " run=" + run;
    }

    static Optional<Holder> parse(String text) {
      Map<String, String> fields = new HashMap<>();
      for (String field : text.split(" ")) {
        int equals = field.indexOf('=');
        if (equals > 0) {
          fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
      }
      try {
        return Optional.of(
            new Holder(
                fields.get("host"),
                Long.parseLong(fields.get("pid")),
                Long.parseLong(fields.get("start")),
                String.valueOf(fields.get("run"))));
      } catch (NumberFormatException | NullPointerException e) {
        return Optional.empty();
      }
    }

    /** Whether this process still runs on this host (the same pid and start: not a reused pid). */
    boolean running() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(
              process ->
                  start == 0
                      || process
                          .info()
                          .startInstant()
                          .map(instant -> instant.toEpochMilli() == start)
                          .orElse(true))
          .orElse(false);
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
  }

  /**
   * The completed answers other runs appended to the store since this run read it: each segment not
   * of this run is read on from where it was last read, whole lines only.
   */
  private static final class Tail {
    private final ResultStore store;
    private final java.nio.file.Path local;
    private final String ownPrefix;

    /** Where each segment was last read, by file name (unique in the store's folder). */
    private final Map<String, Long> offsets = new HashMap<>();

    private final Map<String, String> answers = new HashMap<>();
    private boolean read;
    private long refreshed;

    Tail(ResultStore store, String ownPrefix, Map<String, Long> seen) {
      this.store = store;
      this.local =
          "file".equals(store.dir().toUri().getScheme())
              ? java.nio.file.Path.of(store.dir().toUri())
              : null;
      this.ownPrefix = ownPrefix;
      seen.forEach((uri, length) -> offsets.put(new Path(URI.create(uri)).getName(), length));
    }

    /**
     * The completed answer to {@code hash}, reading the store again unless read since {@code
     * asked}.
     */
    synchronized Optional<String> completed(String hash, long asked) {
      if (!read || refreshed - asked < 0) {
        read = true;
        refreshed = System.nanoTime();
        refresh();
      }
      return Optional.ofNullable(answers.get(hash));
    }

    private void refresh() {
      for (Map.Entry<String, Long> segment : others().entrySet()) {
        String name = segment.getKey();
        long from = offsets.getOrDefault(name, 0L);
        if (segment.getValue() <= from) {
          continue;
        }
        offsets.put(name, from + read(name, from));
      }
    }

    /**
     * The lengths of the other runs' segments now, by file name. A local store's folder is listed
     * by name and only those segments are looked at: each request taken reads it (a store many
     * sweeps have written holds hundreds of segments, and Hadoop's listing looks at each: 7 ms for
     * 500).
     */
    private Map<String, Long> others() {
      if (local == null) {
        Map<String, Long> lengths = new HashMap<>();
        store
            .lengths()
            .forEach(
                (uri, length) -> {
                  String name = new Path(URI.create(uri)).getName();
                  if (!own(name)) {
                    lengths.put(name, length);
                  }
                });
        return lengths;
      }
      Map<String, Long> lengths = new HashMap<>();
      try (DirectoryStream<java.nio.file.Path> files =
          Files.newDirectoryStream(local, "*" + ResultStore.SUFFIX)) {
        for (java.nio.file.Path file : files) {
          String name = file.getFileName().toString();
          if (own(name)) {
            continue;
          }
          try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
              lengths.put(name, attributes.size());
            }
          } catch (NoSuchFileException e) {
            // Gone since the listing: nothing of it to read.
          }
        }
      } catch (NoSuchFileException e) {
        return lengths;
      } catch (IOException e) {
        throw LeadlineException.userInput(
            "%s: cannot list the result store (%s)", store.dir(), e.getMessage());
      }
      return lengths;
    }

    private boolean own(String name) {
      return ownPrefix != null && name.startsWith(ownPrefix);
    }

    /**
     * Reads the whole lines of segment {@code name} after {@code from}; returns the bytes consumed.
     */
    private long read(String name, long from) {
      // The name as one path element, a colon in it included.
      Path path = new Path(store.dir(), new Path(null, null, name));
      try (FSDataInputStream in = store.fileSystem().open(path)) {
        in.seek(from);
        byte[] bytes = in.readAllBytes();
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
          end--;
        }
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    new java.io.ByteArrayInputStream(bytes, 0, end), StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String record = line;
            ResultStore.decode(record)
                .filter(stored -> java.util.List.of(ResultStore.FINAL).contains(stored.status()))
                .ifPresent(stored -> answers.putIfAbsent(stored.hash(), record));
          }
        }
        return end;
      } catch (IOException e) {
        throw LeadlineException.userInput(
            "%s: cannot read the result store (%s)", path, e.getMessage());
      }
    }
  }
}
