package io.leadline.cli;

import io.leadline.api.LeadlineException;
import io.leadline.benchmarks.Pairwise;
import io.leadline.benchmarks.Suite;
import io.leadline.compare.Diff;
import io.leadline.compare.DiffResult;
import io.leadline.compare.PairwiseResult;
import io.leadline.compare.RunSide;
import io.leadline.datasets.HubSettings;
import io.leadline.engine.JudgeSession;
import io.leadline.engine.SweepSpec;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleRow;
import io.leadline.report.DiffPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code leadline diff RUN_A RUN_B}: which benchmarks moved between two model snapshots. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two runs (or two models of one run) benchmark by benchmark: paired bootstrap"
          + " interval of the delta, exact McNemar or sign-flip permutation test, Holm's"
          + " correction, the smallest detectable delta, flips, and whether it is a seesaw.",
      "Runs whose setting hashes, dataset revisions or examples differ are refused (exit 2)"
          + " unless --allow-mismatch; a benchmark scored by generation in one and by"
          + " log-likelihood in the other is compared only with --across-scoring.",
      "With --judge, a judge model also compares A's and B's completions of open-ended"
          + " benchmarks (TinyStories) pairwise, every pair in both orders; a verdict that flips"
          + " with the order is a tie, and how often that happens is reported as the judge's"
          + " position bias. Its requests go through the result store: judging again sends none."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Leadline leadline;

  @Option(
      names = "--judge",
      paramLabel = "NAME",
      description = "A model of the models file that judges open-ended completions pairwise.")
  String judge;

  @Option(
      names = "--judge-template",
      paramLabel = "NAME",
      description = "The pairwise template (default: the benchmark's only pairwise template).")
  String judgeTemplate;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description =
          "The result store the judge's answers are kept in (default: LEADLINE_HOME/results).")
  String store;

  @Option(
      names = "--models-file",
      paramLabel = "FILE",
      description = "The models file the judge is in (default: the simulated models).")
  Path modelsFile;

  @Parameters(index = "0", paramLabel = "RUN_A", description = "The earlier run folder.")
  String runA;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "The later run folder.")
  String runB;

  @Option(names = "--model-a", description = "The model of RUN_A (needed when it has several).")
  String modelA;

  @Option(names = "--model-b", description = "The model of RUN_B (needed when it has several).")
  String modelB;

  @Option(
      names = "--setting-a",
      paramLabel = "NAME",
      description = "Only RUN_A's items of this setting.")
  String settingA;

  @Option(
      names = "--setting-b",
      paramLabel = "NAME",
      description = "Only RUN_B's items of this setting.")
  String settingB;

  @Option(
      names = "--across-scoring",
      description =
          "Compare a benchmark scored by generation on one side with the same benchmark scored by"
              + " log-likelihood on the other, item by item (each side keeps one setting of it,"
              + " e.g. --setting-a gpt-fathom --setting-b loglikelihood).")
  boolean acrossScoring;

  @Mixin FormattedOutput output;

  @Option(
      names = "--allow-mismatch",
      description = "Compare only the items both runs share, and say so in the output.")
  boolean allowMismatch;

  @Override
  public Integer call() throws IOException {
    output.check();
    folderA = RunFolders.read(runA, "RUN_A");
    // The same folder twice (two models of one run) is read once.
    folderB = runB.equals(runA) ? folderA : RunFolders.read(runB, "RUN_B");
    RunSide a;
    RunSide b;
    if (folderB == folderA && java.util.Objects.equals(settingA, settingB)) {
      // Two models of one run: one pass over its samples.
      List<RunSide> both =
          RunSide.of(
              folderA,
              Optional.ofNullable(modelA),
              "RUN_A",
              "--model-a",
              Optional.ofNullable(modelB),
              "RUN_B",
              "--model-b",
              Optional.ofNullable(settingA),
              "--setting-a");
      a = both.get(0);
      b = both.get(1);
    } else {
      a =
          RunSide.of(
              folderA,
              Optional.ofNullable(modelA),
              "RUN_A",
              "--model-a",
              Optional.ofNullable(settingA),
              "--setting-a");
      b =
          RunSide.of(
              folderB,
              Optional.ofNullable(modelB),
              "RUN_B",
              "--model-b",
              Optional.ofNullable(settingB),
              "--setting-b");
    }
    if (judge == null && judgeTemplate != null) {
      throw LeadlineException.userInput("--judge-template: needs --judge NAME");
    }
    DiffResult computed = Diff.compute(a, b, allowMismatch, acrossScoring);
    if (!computed.compared()) {
      DiffResult result = computed;
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "leadline diff: the runs are not comparable (%d mismatches; --allow-mismatch compares"
              + " the items they share):%n",
          result.mismatches().size());
      result.mismatches().forEach(m -> err.println("  - " + m));
      err.flush();
      return 2;
    }
    DiffResult result = judge == null ? computed : computed.withPairwise(pairwise(a, b));
    output.write(
        spec.commandLine().getOut(),
        () -> result.toMarkdown(),
        () -> result.toJson(),
        () -> DiffPage.html(result, folderA));
    return 0;
  }

  private RunFolders.Run folderA;
  private RunFolders.Run folderB;

  /**
   * The judge's pairwise verdicts on every benchmark both runs have with a pairwise template, per
   * setting: A's and B's completions of each item sample, in both orders.
   */
  private List<PairwiseResult> pairwise(RunSide a, RunSide b) throws IOException {
    Path root = Checkout.root();
    Suite suite = Suite.load(root.resolve("benchmarks"));
    SweepSpec.Builder builder =
        SweepSpec.builder()
            .checkout(root)
            .home(HubSettings.fromEnvironment(leadline.environment).home())
            .environment(leadline.environment);
    if (modelsFile != null) {
      if (!Files.isRegularFile(modelsFile)) {
        throw LeadlineException.userInput("--models-file: %s does not exist", modelsFile);
      }
      builder.modelsFile(modelsFile.toString(), Files.readString(modelsFile));
    }
    builder.store(Optional.ofNullable(store));
    String modelOfA = a.summary().path("model").asText();
    String modelOfB = b.summary().path("model").asText();
    Map<String, SampleRow> ofB = new LinkedHashMap<>();
    for (SampleRow sample : folderB.samples()) {
      if (sample.model().equals(modelOfB) && sample.completion().isPresent()) {
        ofB.put(key(sample), sample);
      }
    }
    // Per benchmark and setting, in A's order: the pairs both runs answered.
    Map<String, List<SampleRow[]>> groups = new LinkedHashMap<>();
    Map<String, Pairwise> judging = new LinkedHashMap<>();
    for (SampleRow sample : folderA.samples()) {
      SampleRow other = ofB.get(key(sample));
      if (!sample.model().equals(modelOfA) || sample.completion().isEmpty() || other == null) {
        continue;
      }
      if (!judging.containsKey(sample.benchmark())) {
        boolean hasPairwise =
            suite.benchmarks().containsKey(sample.benchmark())
                && suite.benchmark(sample.benchmark()).judgeTemplates().values().stream()
                    .anyMatch(t -> t.kind() == io.leadline.benchmarks.JudgeTemplate.Kind.PAIRWISE);
        judging.put(
            sample.benchmark(),
            hasPairwise
                ? Pairwise.of(
                    suite.benchmark(sample.benchmark()),
                    Optional.ofNullable(judgeTemplate),
                    "--judge-template")
                : null);
      }
      if (judging.get(sample.benchmark()) != null) {
        groups
            .computeIfAbsent(
                String.join(
                    "\u0000",
                    sample.benchmark(),
                    sample.setting(),
                    sample.subset().orElse(""),
                    sample.perturbation().orElse("")),
                k -> new ArrayList<>())
            .add(new SampleRow[] {sample, other});
      }
    }
    if (groups.isEmpty()) {
      throw LeadlineException.userInput(
          "--judge: the runs share no completions of a benchmark with a pairwise judge template");
    }
    List<PairwiseResult> results = new ArrayList<>();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(PAIRS_IN_FLIGHT);
    try {
      try (JudgeSession session = JudgeSession.open(builder.build(), judge)) {
        for (Map.Entry<String, List<SampleRow[]>> group : groups.entrySet()) {
          String[] parts = group.getKey().split("\u0000");
          Pairwise pairwise = judging.get(parts[0]);
          long before = session.sent();
          List<java.util.concurrent.Future<PairwiseResult.Pair>> futures = new ArrayList<>();
          for (SampleRow[] pair : group.getValue()) {
            futures.add(
                pool.submit(
                    () -> {
                      Pairwise.Outcome outcome =
                          pairwise.judge(
                              session.calls(),
                              judge,
                              pair[0].prompt(),
                              pair[0].completion().orElseThrow(),
                              pair[1].completion().orElseThrow());
                      return new PairwiseResult.Pair(
                          pair[0].exampleId()
                              + (pair[0].sampleIndex() == 0 ? "" : "#" + pair[0].sampleIndex()),
                          outcome.inOrder().map(Enum::name),
                          outcome.swapped().map(Enum::name),
                          outcome.firstShown());
                    }));
          }
          List<PairwiseResult.Pair> pairs = new ArrayList<>();
          for (java.util.concurrent.Future<PairwiseResult.Pair> future : futures) {
            pairs.add(join(future));
          }
          results.add(
              PairwiseResult.of(
                  parts[0] + (parts.length > 2 && !parts[2].isEmpty() ? "/" + parts[2] : ""),
                  parts[1] + (parts.length > 3 && !parts[3].isEmpty() ? " " + parts[3] : ""),
                  pairwise.template().name(),
                  judge,
                  pairs,
                  session.sent() - before));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  /** Pairs judged at once; each asks the judge twice, within the judge's own concurrency. */
  private static final int PAIRS_IN_FLIGHT = 8;

  private static <T> T join(java.util.concurrent.Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while judging", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String key(SampleRow sample) {
    return String.join(
        "\u0000",
        sample.benchmark(),
        sample.subset().orElse(""),
        sample.setting(),
        sample.perturbation().orElse(""),
        sample.exampleId(),
        Integer.toString(sample.sampleIndex()));
  }
}
