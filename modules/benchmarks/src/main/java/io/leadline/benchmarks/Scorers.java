package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import io.leadline.api.Extraction;
import io.leadline.api.Metric;
import io.leadline.api.ModelCalls;
import io.leadline.api.Sample;
import io.leadline.api.Score;
import io.leadline.api.Scorer;
import io.leadline.api.Target;
import io.leadline.scoring.AgiEval;
import io.leadline.scoring.Bbh;
import io.leadline.scoring.Drop;
import io.leadline.scoring.Gsm8k;
import io.leadline.scoring.Lambada;
import io.leadline.scoring.MathAnswers;
import io.leadline.scoring.Mgsm;
import io.leadline.scoring.Mmlu;
import io.leadline.scoring.Race;
import io.leadline.scoring.TriviaQa;
import io.leadline.scoring.TydiQa;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The metric registry: every scorer a {@code benchmark.yaml} may name, with how its values reduce
 * over an item's n samples ({@link Reduction}), then aggregate over items (the mean, with its
 * bootstrap interval; a macro mean over subsets), and which way is better. A format adapter lists
 * the scorers made for its rows; the model-graded one ({@code judged}) applies to any format.
 * GPT-Fathom's scorers read the whole completion, as it does; the strict ones beside them read its
 * first line.
 */
public final class Scorers {
  /** How a scorer's values reduce over an item's n samples to the item's value. */
  public enum Reduction {
    /** The mean over the samples (and, when the setting asks, maj@k beside it). */
    MEAN,
    /** The unbiased pass@k estimate from the samples' execution verdicts, for each k asked. */
    PASS_AT_K
  }

  /**
   * One registered scorer.
   *
   * @param reduction how its values reduce over an item's samples
   * @param judged whether it asks a model (then the setting's or benchmark's {@code judge:} says
   *     which)
   * @param anyFormat whether every format may use it (else only formats that list it)
   * @param higherIsBetter which way the metric improves
   * @param factory the scorer for a benchmark's metric entry; {@code node} is null once checked
   */
  record Entry(
      String name,
      String description,
      Reduction reduction,
      boolean judged,
      boolean anyFormat,
      boolean higherIsBetter,
      BiFunction<MetricSpec, ConfigNode, Scorer> factory) {
    Scorer create(MetricSpec spec, ConfigNode node) {
      return factory.apply(spec, node);
    }
  }

  private static final ImmutableMap<String, Entry> ENTRIES;

  static {
    ImmutableMap.Builder<String, Entry> entries = ImmutableMap.builder();
    for (Entry entry :
        List.of(
            whole(Gsm8k.GPT_FATHOM_ACCURACY, Target::gold, c -> Gsm8k.GPT_FATHOM.extract(c)),
            entry(
                "gsm8k/exact-number",
                "the GPT-Fathom extraction equals openai/grade-school-math's gold number",
                (spec, node) -> new ExactNumber()),
            whole(Mmlu.GPT_FATHOM_ACCURACY, Target::gold, c -> Mmlu.GPT_FATHOM.extract(c)),
            whole(TriviaQa.GPT_FATHOM_FUZZY_MATCH, Target::golds, Extraction::answer),
            firstLine(TriviaQa.OFFICIAL_EM, Target::golds),
            firstLine(TriviaQa.OFFICIAL_F1, Target::golds),
            whole(Drop.GPT_FATHOM_F1, Target::golds, Extraction::answer),
            firstLine(Drop.OFFICIAL_F1, Scorers::alternatives),
            firstLine(Drop.OFFICIAL_EM, Scorers::alternatives),
            entry(
                "bbh/gpt-fathom-accuracy",
                "GPT-Fathom's BBH accuracy: the CoT or answer-only extraction starts with the target",
                (spec, node) -> new BbhAccuracy()),
            whole(MathAnswers.GPT_FATHOM_ACCURACY, Target::gold, MathAnswers.LAST_BOXED::extract),
            whole(MathAnswers.HENDRYCKS_EQUIV, Target::gold, MathAnswers.LAST_BOXED::extract),
            whole(Mgsm.GPT_FATHOM_ACCURACY, Target::gold, Mgsm.GPT_FATHOM::extract),
            whole(Lambada.GPT_FATHOM_ACCURACY, Target::gold, Lambada.GPT_FATHOM::extract),
            whole(Race.GPT_FATHOM_ACCURACY, Target::gold, Race.GPT_FATHOM::extract),
            whole(TydiQa.GPT_FATHOM_F1, Target::golds, Extraction::answer),
            entry(
                "agieval/gpt-fathom-accuracy",
                "GPT-Fathom's AGIEval accuracy: the first (X) for a multiple-choice task, the"
                    + " completion for a cloze one, starts with the gold",
                (spec, node) -> new AgievalAccuracy()),
            new Entry(
                "mbpp/pass-at-k",
                "unbiased pass@k over the n samples' sandboxed executions: GPT-Fathom's first"
                    + " assert (pass@k), and every assert after the imports (all-tests-pass@k)",
                Reduction.PASS_AT_K,
                false,
                false,
                true,
                (spec, node) -> new Executed(spec.name(), false)),
            new Entry(
                "humaneval/pass-at-k",
                "unbiased pass@k over the n samples' sandboxed executions (openai/human-eval)",
                Reduction.PASS_AT_K,
                false,
                false,
                true,
                (spec, node) -> new Executed(spec.name(), true)),
            new Entry(
                MetricSpec.JUDGED,
                "the values the judges' template makes (judge: in benchmark.yaml or a setting)",
                Reduction.MEAN,
                true,
                true,
                true,
                (spec, node) -> {
                  throw new IllegalStateException("the judged scorer is made from a setting");
                }))) {
      entries.put(entry.name(), entry);
    }
    ENTRIES = entries.buildOrThrow();
  }

  private Scorers() {}

  /**
   * A registered scorer as {@code leadline conventions} lists it.
   *
   * @param formats the formats whose benchmarks may name it; empty for any format
   */
  public record Listing(
      String name,
      String description,
      Reduction reduction,
      boolean higherIsBetter,
      boolean judged,
      ImmutableList<String> formats) {}

  /** Every registered scorer, in a fixed order. */
  public static ImmutableList<Listing> list() {
    ImmutableList.Builder<Listing> listings = ImmutableList.builder();
    for (Entry entry : ENTRIES.values()) {
      ImmutableList<String> formats =
          entry.anyFormat()
              ? ImmutableList.of()
              : ImmutableList.copyOf(
                  Formats.ids().stream()
                      .filter(id -> Formats.get(id).scorers().contains(entry.name()))
                      .toList());
      listings.add(
          new Listing(
              entry.name(),
              entry.description(),
              entry.reduction(),
              entry.higherIsBetter(),
              entry.judged(),
              formats));
    }
    return listings.build();
  }

  /** How {@code metric}'s values reduce over an item's samples. */
  static Reduction reduction(String metric) {
    return entry(metric).reduction();
  }

  static Entry entry(String name) {
    Entry entry = ENTRIES.get(name);
    if (entry == null) {
      throw new IllegalStateException("no scorer " + name);
    }
    return entry;
  }

  /** The entry {@code name} names, if {@code format} may use it; else an error naming the node. */
  static Entry entry(String name, Format format, ConfigNode node) {
    Entry entry = ENTRIES.get(name);
    if (entry == null || !(entry.anyFormat() || format.scorers().contains(name))) {
      List<String> known =
          ENTRIES.values().stream()
              .filter(e -> e.anyFormat() || format.scorers().contains(e.name()))
              .map(Entry::name)
              .toList();
      throw node.error(
          "not a metric of format " + format.id() + "; known: " + String.join(", ", known));
    }
    return entry;
  }

  private static Entry entry(
      String name, String description, BiFunction<MetricSpec, ConfigNode, Scorer> factory) {
    return new Entry(name, description, Reduction.MEAN, false, false, true, factory);
  }

  /** A scoring-catalog metric applied to the whole completion. */
  private static <G> Entry whole(
      Metric<G> metric, Function<Target, G> gold, Function<String, Extraction> answer) {
    return entry(
        metric.name(),
        metric.description(),
        (spec, node) -> new CatalogScorer<>(metric, gold, answer, false));
  }

  /** A scoring-catalog metric applied to the completion's first line (the strict conventions). */
  private static <G> Entry firstLine(Metric<G> metric, Function<Target, G> gold) {
    return entry(
        metric.name(),
        metric.description(),
        (spec, node) -> new CatalogScorer<>(metric, gold, Extraction::answer, true));
  }

  /** Each gold span as a one-span alternative answer. */
  private static List<List<String>> alternatives(Target target) {
    return target.golds().stream().map(List::of).toList();
  }

  static String firstLine(String completion) {
    return completion.strip().lines().findFirst().orElse("");
  }

  private static String verdict(double value) {
    return value == 1 ? "right" : value == 0 ? "wrong" : "partly right";
  }

  private record CatalogScorer<G>(
      Metric<G> metric,
      Function<Target, G> gold,
      Function<String, Extraction> answer,
      boolean firstLine)
      implements Scorer {
    @Override
    public String name() {
      return metric.name();
    }

    @Override
    public ImmutableList<String> values() {
      return ImmutableList.of(metric.name());
    }

    @Override
    public Score score(Sample sample, Target target, ModelCalls models) {
      String read = firstLine ? Scorers.firstLine(sample.completion()) : sample.completion();
      double value = metric.score(read, gold.apply(target));
      Extraction extraction = answer.apply(read);
      String explanation =
          String.format(
              Locale.ROOT,
              "%s %s %s against %s: %s (%s)",
              metric.name(),
              firstLine ? "read the first line," : "read the whole completion,",
              extraction.answer().map(a -> "answer '" + shorten(a) + "'").orElse("no answer"),
              "gold '" + shorten(target.display()) + "'",
              verdict(value),
              PrettyNumber.of(value));
      return Score.of(metric.name(), value, extraction, explanation);
    }
  }

  private static final class ExactNumber implements Scorer {
    @Override
    public String name() {
      return "gsm8k/exact-number";
    }

    @Override
    public ImmutableList<String> values() {
      return ImmutableList.of(name());
    }

    @Override
    public Score score(Sample sample, Target target, ModelCalls models) {
      Extraction extraction = Gsm8k.GPT_FATHOM.extract(sample.completion());
      String gold = Gsm8k.openAiGold(target.gold());
      double value = extraction.answer().filter(gold::equals).isPresent() ? 1.0 : 0.0;
      return Score.of(
          name(),
          value,
          extraction,
          name()
              + ": "
              + extraction.answer().map(a -> "'" + a + "'").orElse("no number")
              + (value == 1 ? " equals " : " is not ")
              + "the gold number "
              + gold);
    }
  }

  private static final class BbhAccuracy implements Scorer {
    @Override
    public String name() {
      return "bbh/gpt-fathom-accuracy";
    }

    @Override
    public ImmutableList<String> values() {
      return ImmutableList.of(name());
    }

    @Override
    public Score score(Sample sample, Target target, ModelCalls models) {
      boolean cot = sample.chainOfThought();
      double value =
          (cot ? Bbh.GPT_FATHOM_COT_ACCURACY : Bbh.GPT_FATHOM_ANSWER_ONLY_ACCURACY)
              .score(sample.completion(), target.gold());
      Extraction extraction =
          (cot ? Bbh.GPT_FATHOM_COT : Bbh.GPT_FATHOM_ANSWER_ONLY).extract(sample.completion());
      return Score.of(
          name(),
          value,
          extraction,
          name()
              + (cot ? " (CoT: the text after 'So the answer is ')" : " (answer-only)")
              + ": "
              + extraction.answer().map(a -> "'" + shorten(a) + "'").orElse("no answer")
              + (value == 1 ? " starts with " : " does not start with ")
              + "the target '"
              + target.gold()
              + "'");
    }
  }

  /** AGIEval: the multiple-choice or the cloze rule, as the item's task is. */
  private static final class AgievalAccuracy implements Scorer {
    @Override
    public String name() {
      return "agieval/gpt-fathom-accuracy";
    }

    @Override
    public ImmutableList<String> values() {
      return ImmutableList.of(name());
    }

    @Override
    public Score score(Sample sample, Target target, ModelCalls models) {
      boolean cloze = target.fields().getOrDefault("type", "mc").equals("cloze");
      boolean cot = sample.chainOfThought();
      Metric<String> metric =
          cloze
              ? (cot ? AgiEval.GPT_FATHOM_COT_CLOZE_ACCURACY : AgiEval.GPT_FATHOM_CLOZE_ACCURACY)
              : (cot ? AgiEval.GPT_FATHOM_COT_ACCURACY : AgiEval.GPT_FATHOM_ACCURACY);
      double value = metric.score(sample.completion(), target.gold());
      Extraction extraction =
          (cloze
                  ? (cot ? AgiEval.GPT_FATHOM_COT_CLOZE : AgiEval.GPT_FATHOM_CLOZE)
                  : (cot ? AgiEval.GPT_FATHOM_COT : AgiEval.GPT_FATHOM))
              .extract(sample.completion());
      return Score.of(
          name(),
          value,
          extraction,
          name()
              + (cloze ? " (cloze)" : " (multiple choice)")
              + ": "
              + extraction.answer().map(a -> "'" + shorten(a) + "'").orElse("no answer")
              + (value == 1 ? " starts with " : " does not start with ")
              + "the gold '"
              + shorten(target.gold())
              + "'");
    }
  }

  /**
   * Code execution: no value per sample; pass@k is estimated per problem from the executions. A
   * chat completion's code is taken from its fence when {@code fenced} (HumanEval's).
   */
  private record Executed(String name, boolean fenced) implements Scorer {
    @Override
    public ImmutableList<String> values() {
      return ImmutableList.of();
    }

    @Override
    public Score score(Sample sample, Target target, ModelCalls models) {
      return new Score(
          ImmutableMap.of(),
          Extraction.answer(fenced ? CodeFormat.code(sample.completion()) : sample.completion()),
          "the program runs with the tests in the sandbox; pass@k is taken over the samples",
          ImmutableMap.of());
    }
  }

  /**
   * {@code template} with each placeholder replaced in one pass, so a placeholder inside a filled
   * value (a prompt that shows {@code {gold}}) stays as it is.
   */
  static String fill(String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder(template.length() + 256);
    int at = 0;
    while (at < template.length()) {
      String found = null;
      for (String placeholder : values.keySet()) {
        if (template.startsWith(placeholder, at)) {
          found = placeholder;
          break;
        }
      }
      if (found == null) {
        out.append(template.charAt(at++));
      } else {
        out.append(values.get(found));
        at += found.length();
      }
    }
    return out.toString();
  }

  private static String shorten(String text) {
    String line = text.replace('\n', ' ');
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }

  /** Values as the records print them. */
  private static final class PrettyNumber {
    static String of(double value) {
      return value == Math.rint(value)
          ? Long.toString((long) value)
          : String.format(Locale.ROOT, "%.4f", value);
    }
  }
}
