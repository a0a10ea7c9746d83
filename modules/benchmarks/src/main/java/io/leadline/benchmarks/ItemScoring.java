package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.Extraction;
import io.leadline.api.Judgement;
import io.leadline.api.Likelihood;
import io.leadline.api.ModelCalls;
import io.leadline.api.Sample;
import io.leadline.api.Score;
import io.leadline.api.Scorer;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import io.leadline.scoring.PassAtK;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the completions of one item become its record: each sample scored by every scorer of the
 * benchmark (values, extracted answer, explanation), then reduced to the item's per-problem values
 * — the mean over the n samples, maj@k self-consistency, pass@k from the executions, or under
 * changed numbers the share of samples that give the original answer.
 *
 * <p>Thread-safe once built; build one per (setting, perturbation) and reuse it.
 */
public final class ItemScoring {
  /**
   * What one sample scored.
   *
   * @param extraction the answer the setting's extractor found, or why there is none
   * @param values every scorer's values, in the benchmark's order
   * @param explanation how the values were reached, scorer by scorer
   * @param judgements the judges' replies, where a scorer asked judges
   * @param noGrade for each judged value, the share of its judges' replies that gave no grade
   * @param options under log-likelihood scoring, each option's likelihood in the order shown; else
   *     empty
   */
  public record SampleScore(
      Extraction extraction,
      ImmutableMap<String, Double> values,
      String explanation,
      ImmutableList<Judgement> judgements,
      ImmutableMap<String, Double> noGrade,
      ImmutableList<OptionScore> options) {}

  /**
   * One option's likelihood as a sample records it.
   *
   * @param letter the letter the prompt shows it under
   * @param continuation what followed the prompt, without the whitespace that joined them
   * @param logprob the continuation's log-probability (its tokens' summed)
   * @param tokens how many tokens the continuation took, as the server counted them
   * @param chars the continuation's length in characters (Unicode code points), which {@value
   *     #ACC_NORM} divides by
   * @param greedy whether each of its tokens was the server's likeliest, where the server said
   */
  public record OptionScore(
      String letter,
      String continuation,
      double logprob,
      int tokens,
      int chars,
      Optional<Boolean> greedy) {}

  /** The share of items whose likeliest option is the gold one (lm-evaluation-harness's). */
  public static final String ACC = "acc";

  /**
   * The same with each option's log-probability divided by its length in characters, so that long
   * options are not penalised for their length (lm-evaluation-harness's {@code acc_norm}).
   */
  public static final String ACC_NORM = "acc_norm";

  /**
   * What one item scored.
   *
   * @param samples each sample's score, in sample order
   * @param metrics the item's per-problem values, as metrics.json averages them
   * @param noAnswerRate the share of samples with no extracted answer
   * @param noGrade for each judged metric, the share of judge replies that gave no grade; a metric
   *     none of them graded is absent from {@code metrics}
   */
  public record ItemScore(
      ImmutableList<SampleScore> samples,
      ImmutableMap<String, Double> metrics,
      double noAnswerRate,
      ImmutableMap<String, Double> noGrade) {}

  private final BenchmarkSetting setting;
  private final Benchmark benchmark;
  private final boolean numbers;
  private final AnswerExtractor extractor;
  private final ImmutableList<Scorer> scorers;
  private final boolean passAtK;

  private ItemScoring(BenchmarkSetting setting, String perturbation) {
    this.setting = setting;
    this.benchmark = setting.benchmark();
    this.numbers = perturbation.startsWith(Kind.NUMBERS.id() + ":");
    this.extractor = AnswerExtractor.of(benchmark);
    this.scorers = scorers(setting);
    this.passAtK =
        benchmark.metrics().stream()
            .anyMatch(
                m ->
                    !m.name().equals(MetricSpec.JUDGED)
                        && Scorers.reduction(m.name()) == Scorers.Reduction.PASS_AT_K);
  }

  /**
   * The benchmark's scorers under {@code setting}: its {@code judged} entry, or where it has none a
   * judging the setting asks for, is the judges' scorer.
   */
  private static ImmutableList<Scorer> scorers(BenchmarkSetting setting) {
    ImmutableList.Builder<Scorer> scorers = ImmutableList.builder();
    boolean judged = false;
    for (MetricSpec metric : setting.benchmark().metrics()) {
      if (metric.name().equals(MetricSpec.JUDGED)) {
        scorers.add(new JudgedScorer(setting.judging().orElseThrow()));
        judged = true;
      } else {
        scorers.add(metric.scorer());
      }
    }
    if (!judged && setting.judging().isPresent()) {
      scorers.add(new JudgedScorer(setting.judging().get()));
    }
    return scorers.build();
  }

  /** The scoring of {@code setting}'s items under {@code perturbation} (empty for none). */
  public static ItemScoring of(BenchmarkSetting setting, String perturbation) {
    return new ItemScoring(setting, perturbation);
  }

  /** What {@code example}'s completions are scored against. */
  public Target target(Example example) {
    return benchmark.format().target(benchmark, example);
  }

  /** The gold answer of {@code example} as a record shows it. */
  public String gold(Example example) {
    return target(example).display();
  }

  /** Scores one completion of {@code example}. */
  public SampleScore sample(
      Example example, String prompt, String completion, boolean chat, ModelCalls models) {
    return sample(target(example), prompt, completion, chat, models);
  }

  private SampleScore sample(
      Target target, String prompt, String completion, boolean chat, ModelCalls models) {
    Sample sample = new Sample(prompt, completion, setting.cot(), chat);
    boolean byScorer = extractor.byScorer(setting.cot());
    Extraction extraction = byScorer ? null : extractor.extract(completion, setting.cot());
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, Double> noGrade = new LinkedHashMap<>();
    List<String> explanations = new ArrayList<>();
    ImmutableList.Builder<Judgement> judgements = ImmutableList.builder();
    for (Scorer scorer : scorers) {
      if (numbers && scorer.callsModels()) {
        // Under changed numbers only memorisation is reported: no judge is asked for nothing.
        continue;
      }
      Score score = scorer.score(sample, target, models);
      if (extraction == null) {
        extraction = score.answer();
      }
      values.putAll(score.values());
      noGrade.putAll(score.noGrade());
      judgements.addAll(score.judgements());
      explanations.add(score.explanation());
    }
    return new SampleScore(
        extraction,
        ImmutableMap.copyOf(values),
        String.join("; ", explanations),
        judgements.build(),
        ImmutableMap.copyOf(noGrade),
        ImmutableList.of());
  }

  /**
   * Scores the completions of {@code example}; {@code passed} holds, for formats that execute code,
   * each check's verdicts on the samples ({@link Format#checks()} order), and is empty otherwise.
   */
  public ItemScore item(
      Example example,
      String prompt,
      List<String> completions,
      boolean chat,
      List<List<Boolean>> passed,
      ModelCalls models) {
    return item(
        example,
        prompt,
        completions,
        java.util.Collections.nCopies(completions.size(), Optional.empty()),
        chat,
        passed,
        models);
  }

  /**
   * As {@link #item(Example, String, List, boolean, List, ModelCalls)}, where {@code unanswered}
   * holds, sample by sample, why a completion has no answer to grade at all (its reasoning never
   * closed): such a sample is not extracted and no judge is asked about it; it has that reason and
   * 0 for every value.
   */
  public ItemScore item(
      Example example,
      String prompt,
      List<String> completions,
      List<Optional<String>> unanswered,
      boolean chat,
      List<List<Boolean>> passed,
      ModelCalls models) {
    com.google.common.base.Preconditions.checkArgument(
        unanswered.size() == completions.size(),
        "%s reasons for %s completions",
        unanswered.size(),
        completions.size());
    Target target = target(example);
    int n = completions.size();
    List<SampleScore> samples = new ArrayList<>(n);
    int noAnswers = 0;
    Map<String, Double> sums = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Double> noGrades = new LinkedHashMap<>();
    for (int index = 0; index < n; index++) {
      String completion = completions.get(index);
      SampleScore score =
          unanswered.get(index).isPresent()
              ? unanswered(unanswered.get(index).get())
              : sample(target, prompt, completion, chat, models);
      samples.add(score);
      if (score.extraction() instanceof Extraction.NoAnswer) {
        noAnswers++;
      }
      score.values().forEach((name, value) -> sums.merge(name, value, Double::sum));
      score.values().forEach((name, value) -> counts.merge(name, 1, Integer::sum));
      score.noGrade().forEach((name, value) -> noGrades.merge(name, value / n, Double::sum));
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (numbers) {
      // The changed question has no known answer: count how often the original one comes back.
      String original = target.display();
      int memorised = 0;
      for (SampleScore sample : samples) {
        memorised += sample.extraction().answer().filter(original::equals).isPresent() ? 1 : 0;
      }
      metrics.put(memorisedName(), (double) memorised / n);
    } else {
      if (passAtK) {
        List<String> checks = benchmark.format().checks();
        for (int check = 0; check < passed.size(); check++) {
          int right = (int) passed.get(check).stream().filter(Boolean::booleanValue).count();
          for (int k : setting.passAt()) {
            if (k <= n) {
              metrics.put(
                  check == 0 ? passAtName(k) : passAtName(checks.get(check), k),
                  PassAtK.estimate(n, right, k));
            }
          }
        }
      }
      // A judged value is the mean over the samples a judge graded; the others have every sample.
      sums.forEach((name, sum) -> metrics.put(name, sum / counts.get(name)));
      if (setting.majAt().isPresent()) {
        int k = setting.majAt().getAsInt();
        majority(k, samples)
            .values()
            .forEach((name, value) -> metrics.put(majorityName(name, k), value));
      }
    }
    return new ItemScore(
        ImmutableList.copyOf(samples),
        ImmutableMap.copyOf(metrics),
        (double) noAnswers / n,
        numbers ? ImmutableMap.of() : ImmutableMap.copyOf(noGrades));
  }

  /** A sample without an answer to grade: {@code reason}, and 0 for every scorer's values. */
  private SampleScore unanswered(String reason) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (Scorer scorer : scorers) {
      if (numbers && scorer.callsModels()) {
        continue;
      }
      scorer.values().forEach(name -> values.put(name, 0.0));
    }
    return new SampleScore(
        Extraction.noAnswer(reason),
        ImmutableMap.copyOf(values),
        reason + ": no answer to grade, every value 0",
        ImmutableList.of(),
        ImmutableMap.of(),
        ImmutableList.of());
  }

  /**
   * The continuations of {@code example}'s options in the order its prompt shows them: the
   * benchmark's {@code loglikelihood.continuation} for each, without the whitespace that joins it
   * to the prompt.
   */
  public ImmutableList<String> continuations(Example example) {
    Format.Options options = benchmark.format().options(benchmark, example);
    String template = benchmark.likelihoodContinuation().orElseThrow();
    ImmutableList.Builder<String> continuations = ImmutableList.builder();
    for (int i = 0; i < options.texts().size(); i++) {
      String continuation =
          template
              .replace("{letter}", options.letters().get(i))
              .replace("{answer}", options.texts().get(i));
      if (continuation.isBlank()) {
        throw io.leadline.api.LeadlineException.data(
            "%s: option (%s) is empty, so it has no likelihood to compare; its continuation"
                + " (%s) needs text besides {answer}",
            example.where(), options.letters().get(i), template);
      }
      continuations.add(continuation);
    }
    return continuations.build();
  }

  /**
   * Scores {@code example} by its options' likelihoods (in the order shown): {@value #ACC} is 1
   * when the likeliest option is the gold one, {@value #ACC_NORM} when it is after dividing each
   * log-probability by the option's length in characters; a tie goes to the option shown first, as
   * {@code numpy.argmax} gives it.
   */
  public ItemScore likelihoodItem(Example example, List<Likelihood> likelihoods) {
    Format.Options options = benchmark.format().options(benchmark, example);
    List<String> continuations = continuations(example);
    if (likelihoods.size() != continuations.size()) {
      throw new IllegalArgumentException(
          example.id()
              + ": "
              + likelihoods.size()
              + " likelihoods for "
              + continuations.size()
              + " options");
    }
    ImmutableList.Builder<OptionScore> scored = ImmutableList.builder();
    int best = 0;
    int bestNorm = 0;
    double[] norm = new double[continuations.size()];
    for (int i = 0; i < continuations.size(); i++) {
      String continuation = continuations.get(i);
      Likelihood likelihood = likelihoods.get(i);
      int chars = continuation.codePointCount(0, continuation.length());
      norm[i] = likelihood.logprob() / chars;
      scored.add(
          new OptionScore(
              options.letters().get(i),
              continuation,
              likelihood.logprob(),
              likelihood.tokens(),
              chars,
              likelihood.greedy()));
      if (likelihood.logprob() > likelihoods.get(best).logprob()) {
        best = i;
      }
      if (norm[i] > norm[bestNorm]) {
        bestNorm = i;
      }
    }
    int gold = options.gold();
    double acc = best == gold ? 1 : 0;
    double accNorm = bestNorm == gold ? 1 : 0;
    String letter = options.letters().get(best);
    String explanation =
        String.format(
            java.util.Locale.ROOT,
            "likeliest option (%s) at %.4f; per character (%s) at %.5f; gold (%s)",
            letter,
            likelihoods.get(best).logprob(),
            options.letters().get(bestNorm),
            norm[bestNorm],
            options.letters().get(gold));
    ImmutableMap<String, Double> values = ImmutableMap.of(ACC, acc, ACC_NORM, accNorm);
    SampleScore sample =
        new SampleScore(
            Extraction.answer(letter),
            values,
            explanation,
            ImmutableList.of(),
            ImmutableMap.of(),
            scored.build());
    return new ItemScore(ImmutableList.of(sample), values, 0, ImmutableMap.of());
  }

  /**
   * maj@k self-consistency (Wang et al.): the answer most of the first {@code k} completions'
   * extractions agree on (ties go to the one reached first; completions without an answer do not
   * vote), scored through the first completion that gave it. With no answer at all, the first
   * completion is scored as it is.
   */
  private static SampleScore majority(int k, List<SampleScore> scored) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    Map<String, Integer> firstCompletion = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(k, scored.size()); i++) {
      int index = i;
      scored
          .get(i)
          .extraction()
          .answer()
          .ifPresent(
              answer -> {
                votes.merge(answer, 1, Integer::sum);
                firstCompletion.putIfAbsent(answer, index);
              });
    }
    String winner = null;
    for (Map.Entry<String, Integer> vote : votes.entrySet()) {
      if (winner == null || vote.getValue() > votes.get(winner)) {
        winner = vote.getKey();
      }
    }
    return scored.get(winner == null ? 0 : firstCompletion.get(winner));
  }

  /** The metric a leaderboard shows: GPT-Fathom's, or memorisation under changed numbers. */
  public String primaryMetric() {
    if (numbers) {
      return memorisedName();
    }
    if (setting.byLikelihood()) {
      return ACC;
    }
    if (passAtK) {
      return passAtName(setting.passAt().get(0));
    }
    String primary =
        benchmark.primaryMetric().equals(MetricSpec.JUDGED)
            ? setting.judging().orElseThrow().template().name()
            : benchmark.primaryMetric();
    return setting.majAt().isPresent()
        ? majorityName(primary, setting.majAt().getAsInt())
        : primary;
  }

  /** The metric row name of pass@k. */
  private String passAtName(int k) {
    return benchmark.name() + "/pass@" + k;
  }

  /** The metric row name of pass@k against a further check (MBPP's {@code all-tests}). */
  private String passAtName(String check, int k) {
    return benchmark.name() + "/" + check + "-pass@" + k;
  }

  /** The metric row name of {@code metric} under maj@k self-consistency. */
  static String majorityName(String metric, int k) {
    return metric + "@maj" + k;
  }

  /** The metric of the numbers perturbation: the share of answers that are the original one. */
  private String memorisedName() {
    return benchmark.name() + "/memorised";
  }
}
