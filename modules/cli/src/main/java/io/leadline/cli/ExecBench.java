package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.api.LeadlineException;
import io.leadline.datasets.BundledSamples;
import io.leadline.datasets.SplitRef;
import io.leadline.sandbox.CodeExecutor;
import io.leadline.sandbox.ExecResult;
import io.leadline.sandbox.Limits;
import io.leadline.sandbox.Programs;
import io.leadline.sandbox.SandboxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadline bench exec}: candidates per second of the sandbox (a warm interpreter forking a
 * child per candidate) against, on the same candidates in the same run, a naive executor that
 * starts one sandboxed interpreter per candidate and a stand-in with the reference executor's
 * process structure (a multiprocessing Manager and Process per candidate, no isolation).
 */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description =
        "Candidates per second of leadline's sandbox, a naive one-interpreter-per-candidate"
            + " sandbox and the reference executor's process structure, side by side on the same"
            + " candidates, for all golden rows and for the fast ones (reference under 1 s).")
final class ExecBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      paramLabel = "FILE",
      description = "Candidate rows (default: the golden human-eval execution rows).")
  Path input;

  @Option(
      names = "--copies",
      defaultValue = "1",
      description = "Each row runs this many times (default ${DEFAULT-VALUE}).")
  int copies;

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "1,2",
      description = "Worker counts to measure (default ${DEFAULT-VALUE}).")
  List<Integer> workerCounts;

  @Override
  public Integer call() throws Exception {
    if (copies < 1 || workerCounts.stream().anyMatch(w -> w < 1)) {
      throw LeadlineException.userInput("--copies and every --workers must be positive");
    }
    Path file =
        input != null
            ? input
            : Checkout.root().resolve("modules/sandbox/src/test/resources/humaneval_exec.jsonl");
    List<ExecCommand.Candidate> rows = new ArrayList<>();
    JsonLines.read("--input", file, row -> rows.add(ExecCommand.parse(row)));
    List<ExecCommand.Candidate> fast = new ArrayList<>();
    for (ExecCommand.Candidate row : rows) {
      JsonNode seconds = row.row().get("reference_seconds_sequential");
      if (seconds == null || seconds.asDouble() < 1.0) {
        fast.add(row);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%d candidate rows from %s, each run %d time(s); %d are fast (reference < 1 s).%n",
        rows.size(), file, copies, fast.size());
    Path scripts = Files.createTempDirectory("leadline-bench-exec");
    try {
      extract(scripts);
      measure(out, "all rows", repeat(rows), scripts);
      measure(out, "fast rows", repeat(fast), scripts);
      if (input == null) {
        measure(
            out,
            "the 164 canonical HumanEval solutions (reference, golden README: 3.8 s on 1 worker,"
                + " 2.4 s on 4)",
            repeat(canonical()),
            scripts);
      }
    } finally {
      try (var files = Files.list(scripts)) {
        for (Path path : files.toList()) {
          Files.deleteIfExists(path);
        }
      }
      Files.deleteIfExists(scripts);
    }
    return 0;
  }

  /** The bundled HumanEval problems with their canonical solutions as completions. */
  private static List<ExecCommand.Candidate> canonical() throws IOException {
    BundledSamples samples = new BundledSamples(Checkout.benchmarks());
    SplitRef ref = samples.splits("humaneval").get(0);
    List<ExecCommand.Candidate> candidates = new ArrayList<>();
    for (String line : samples.load("humaneval", ref.config(), ref.split()).rows()) {
      JsonNode row = Json.MAPPER.readTree(line);
      candidates.add(
          new ExecCommand.Candidate(
              null,
              Programs.humanEval(
                  row.get("prompt").asText(),
                  row.get("canonical_solution").asText(),
                  row.get("test").asText(),
                  row.get("entry_point").asText()),
              ExecCommand.DEFAULT_TIMEOUT));
    }
    return candidates;
  }

  private List<ExecCommand.Candidate> repeat(List<ExecCommand.Candidate> rows) {
    List<ExecCommand.Candidate> all = new ArrayList<>(rows.size() * copies);
    for (int i = 0; i < copies; i++) {
      all.addAll(rows);
    }
    return all;
  }

  private void measure(
      PrintWriter out, String title, List<ExecCommand.Candidate> candidates, Path scripts)
      throws Exception {
    out.printf("%n%s: %d candidates%n", title, candidates.size());
    out.printf(
        "%-16s %8s %10s %10s %12s %14s %10s%n",
        "executor", "workers", "seconds", "cand/s", "x naive", "x reference", "verdicts");
    for (int workers : workerCounts) {
      Map<String, Timed> runs = new LinkedHashMap<>();
      runs.put("leadline", leadline(candidates, workers));
      runs.put("naive", naive(candidates, workers));
      runs.put("reference-style", referenceStyle(candidates, workers, scripts));
      List<String> mine = runs.get("leadline").verdicts();
      for (Map.Entry<String, Timed> run : runs.entrySet()) {
        Timed timed = run.getValue();
        int differ = 0;
        for (int i = 0; i < mine.size(); i++) {
          differ += mine.get(i).equals(timed.verdicts().get(i)) ? 0 : 1;
        }
        out.printf(
            "%-16s %8d %10.2f %10.1f %12.2f %14.2f %10s%n",
            run.getKey(),
            workers,
            timed.seconds(),
            candidates.size() / timed.seconds(),
            runs.get("naive").seconds() / timed.seconds(),
            runs.get("reference-style").seconds() / timed.seconds(),
            differ == 0 ? "same" : differ + " differ");
      }
      out.flush();
    }
  }

  /** Wall time and results (verdict strings) of one executor over all candidates. */
  private record Timed(double seconds, List<String> verdicts) {}

  private static Timed leadline(List<ExecCommand.Candidate> candidates, int workers) {
    try (CodeExecutor executor = CodeExecutor.start(SandboxOptions.isolated(workers))) {
      long start = System.nanoTime();
      List<Future<ExecResult>> results = new ArrayList<>();
      for (ExecCommand.Candidate candidate : candidates) {
        results.add(executor.submit(candidate.program(), candidate.timeout(), Limits.DEFAULT));
      }
      return timed(start, results);
    }
  }

  /** A fresh sandboxed interpreter per candidate: what the warm fork saves. */
  private static Timed naive(List<ExecCommand.Candidate> candidates, int workers) {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      long start = System.nanoTime();
      List<Future<ExecResult>> results = new ArrayList<>();
      for (ExecCommand.Candidate candidate : candidates) {
        results.add(
            pool.submit(
                () -> {
                  try (CodeExecutor one = CodeExecutor.start(SandboxOptions.isolated(1))) {
                    return one.run(candidate.program(), candidate.timeout(), Limits.DEFAULT);
                  }
                }));
      }
      return timed(start, results);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Timed timed(long start, List<Future<ExecResult>> results) {
    List<String> verdicts = new ArrayList<>(results.size());
    for (Future<ExecResult> result : results) {
      try {
        verdicts.add(result.get().result());
      } catch (Exception e) {
        throw new IllegalStateException("a bench candidate failed to run", e);
      }
    }
    return new Timed((System.nanoTime() - start) / 1e9, verdicts);
  }

  private static Timed referenceStyle(
      List<ExecCommand.Candidate> candidates, int workers, Path scripts) throws IOException {
    Process process =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-u",
                scripts.resolve("reference_style.py").toString(),
                scripts.toString(),
                Integer.toString(workers))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long start = System.nanoTime();
    try (OutputStream stdin = process.getOutputStream()) {
      for (ExecCommand.Candidate candidate : candidates) {
        String line =
            Json.MAPPER.writeValueAsString(
                Map.of(
                    "program",
                    Programs.plain(candidate.program()),
                    "timeout",
                    candidate.timeout()));
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    List<String> verdicts = new ArrayList<>();
    try (BufferedReader replies =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = replies.readLine(); line != null; line = replies.readLine()) {
        verdicts.add(Json.MAPPER.readTree(line).get("result").asText());
      }
    }
    if (verdicts.size() != candidates.size()) {
      throw new IllegalStateException("the reference-style executor stopped early");
    }
    return new Timed((System.nanoTime() - start) / 1e9, verdicts);
  }

  private static void extract(Path scripts) throws IOException {
    copy(CodeExecutor.class.getResourceAsStream("worker.py"), scripts.resolve("worker.py"));
    copy(
        ExecBench.class.getResourceAsStream("reference_style.py"),
        scripts.resolve("reference_style.py"));
  }

  private static void copy(InputStream in, Path to) throws IOException {
    try (in) {
      Files.copy(in, to);
    }
  }
}
