package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.Extraction;
import io.leadline.api.Judgement;
import io.leadline.api.ModelCalls;
import io.leadline.api.ModelResult;
import io.leadline.api.Sample;
import io.leadline.api.Score;
import io.leadline.api.Scorer;
import io.leadline.api.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A model-graded scorer: every judge of a {@link Judging} is asked to grade the completion with the
 * template, and its reply read by the parser. Values, for template {@code T}:
 *
 * <ul>
 *   <li>{@code T}: the mean of the score fields, each scaled to [0, 1];
 *   <li>{@code T/f}: each field with a value (a scale, or a verdict with a correct category);
 *   <li>{@code T/f=c}: for a categorical field, the share of the judges that chose {@code c};
 *   <li>with two or more judges, {@code T[j]} and {@code T/f[j]} for each judge {@code j}.
 * </ul>
 *
 * Each value is the mean over the judges whose reply gave a grade; a reply that gives none is kept
 * as {@code no_grade} with its reason and counts in {@link Score#noGrade()}, never as 0. Judge
 * requests go through {@code models}, so they are stored and a rerun or a rescoring with another
 * parser asks nothing again.
 */
final class JudgedScorer implements Scorer {
  private final Judging judging;
  private final JudgeTemplate template;
  private final List<JudgeTemplate.Field> valued = new ArrayList<>();
  private final List<JudgeTemplate.Field> categorical = new ArrayList<>();
  private final ImmutableList<String> values;

  JudgedScorer(Judging judging) {
    this.judging = judging;
    this.template = judging.template();
    ImmutableList.Builder<String> names = ImmutableList.builder();
    String t = template.name();
    names.add(t);
    for (JudgeTemplate.Field field : template.fields().values()) {
      boolean hasValue = field.ordinal() || field.correct().isPresent();
      if (hasValue && !template.score().equals(List.of(field.name()))) {
        valued.add(field);
        names.add(t + "/" + field.name());
      }
      if (!field.ordinal()) {
        categorical.add(field);
        for (String category : field.categories()) {
          names.add(distribution(field, category));
        }
      }
    }
    if (judging.judges().size() > 1) {
      for (String judge : judging.judges()) {
        names.add(perJudge(t, judge));
        for (JudgeTemplate.Field field : valued) {
          names.add(perJudge(t + "/" + field.name(), judge));
        }
      }
    }
    this.values = names.build();
  }

  static String perJudge(String value, String judge) {
    return value + "[" + judge + "]";
  }

  private String distribution(JudgeTemplate.Field field, String category) {
    return template.name() + "/" + field.name() + "=" + category;
  }

  @Override
  public String name() {
    return template.name();
  }

  @Override
  public ImmutableList<String> values() {
    return values;
  }

  @Override
  public boolean callsModels() {
    return true;
  }

  /** The values a template's placeholders take for one sample. */
  static Map<String, String> inputs(Sample sample, Target target) {
    Map<String, String> inputs = new LinkedHashMap<>(target.fields());
    inputs.put("prompt", sample.prompt());
    inputs.put("completion", sample.completion());
    inputs.put("gold", target.display());
    inputs.put("golds", String.join("; ", target.golds()));
    return inputs;
  }

  /** One judge's reply to {@code prompt}, read by {@code parser}. */
  static Judgement ask(
      ModelCalls models, String judge, JudgeTemplate template, String parser, String prompt) {
    ModelResult result =
        models.call(judge, new CompletionRequest(prompt, ChatWrapping.NONE, template.sampling()));
    if (result instanceof ModelResult.Completed completed
        && !completed.completion().choices().isEmpty()) {
      io.leadline.api.Choice choice = completed.completion().choices().get(0);
      String reply = choice.text();
      JudgeTemplate.Parsed parsed = template.parse(reply, parser);
      // A reply cut at max_tokens says so: the template may need a longer one.
      return new Judgement(
          judge,
          reply,
          parsed.grades(),
          parsed
              .noGrade()
              .map(
                  why ->
                      choice.truncated()
                          ? why + " (the reply was cut at max_tokens " + template.maxTokens() + ")"
                          : why));
    }
    String why =
        result instanceof ModelResult.Failed failed
            ? "the request failed: " + failed.message()
            : "the judge answered with no choice";
    return new Judgement(judge, "", ImmutableMap.of(), Optional.of(why));
  }

  @Override
  public Score score(Sample sample, Target target, ModelCalls models) {
    String prompt = template.render(inputs(sample, target));
    List<Judgement> judgements = new ArrayList<>();
    for (String judge : judging.judges()) {
      judgements.add(ask(models, judge, template, judging.parser(), prompt));
    }
    String t = template.name();
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, int[]> asked = new LinkedHashMap<>();
    boolean perJudge = judging.judges().size() > 1;
    List<String> explained = new ArrayList<>();
    for (Judgement judgement : judgements) {
      List<String> names = new ArrayList<>(List.of(t));
      valued.forEach(f -> names.add(t + "/" + f.name()));
      categorical.forEach(f -> f.categories().forEach(c -> names.add(distribution(f, c))));
      for (String name : names) {
        count(asked, name, judgement.graded());
        if (perJudge && !name.contains("=")) {
          count(asked, perJudge(name, judgement.judge()), judgement.graded());
        }
      }
      if (!judgement.graded()) {
        explained.add(judgement.judge() + " gave no grade (" + judgement.noGrade().get() + ")");
        continue;
      }
      double score = 0;
      for (String field : template.score()) {
        score += value(field, judgement);
      }
      score /= template.score().size();
      add(sums, t, score);
      if (perJudge) {
        add(sums, perJudge(t, judgement.judge()), score);
      }
      for (JudgeTemplate.Field field : valued) {
        double value = value(field.name(), judgement);
        add(sums, t + "/" + field.name(), value);
        if (perJudge) {
          add(sums, perJudge(t + "/" + field.name(), judgement.judge()), value);
        }
      }
      for (JudgeTemplate.Field field : categorical) {
        for (String category : field.categories()) {
          add(
              sums,
              distribution(field, category),
              judgement.grades().get(field.name()).equals(category) ? 1 : 0);
        }
      }
      List<String> grades = new ArrayList<>();
      judgement.grades().forEach((field, grade) -> grades.add(field + " " + grade));
      explained.add(judgement.judge() + ": " + String.join(", ", grades));
    }
    ImmutableMap.Builder<String, Double> out = ImmutableMap.builder();
    ImmutableMap.Builder<String, Double> noGrade = ImmutableMap.builder();
    for (String name : values) {
      int[] counts = asked.get(name);
      if (counts == null) {
        continue;
      }
      noGrade.put(name, (counts[0] - counts[1]) / (double) counts[0]);
      double[] sum = sums.get(name);
      if (sum != null) {
        out.put(name, Math.min(1, Math.max(0, sum[0] / sum[1])));
      }
    }
    ImmutableMap<String, Double> built = out.buildOrThrow();
    Double primary = built.get(t);
    String explanation =
        t
            + " asked "
            + judgements.size()
            + (judgements.size() == 1 ? " judge" : " judges")
            + " — "
            + String.join("; ", explained)
            + (primary == null
                ? ": no grade"
                : String.format(Locale.ROOT, ": score %.4f", primary.doubleValue()));
    return new Score(
        built,
        Extraction.answer(sample.completion()),
        explanation,
        ImmutableMap.of(),
        ImmutableList.copyOf(judgements),
        noGrade.buildOrThrow());
  }

  private double value(String field, Judgement judgement) {
    OptionalDouble value = template.fields().get(field).value(judgement.grades().get(field));
    return value.orElseThrow();
  }

  private static void count(Map<String, int[]> asked, String name, boolean graded) {
    int[] counts = asked.computeIfAbsent(name, k -> new int[2]);
    counts[0]++;
    counts[1] += graded ? 1 : 0;
  }

  private static void add(Map<String, double[]> sums, String name, double value) {
    double[] sum = sums.computeIfAbsent(name, k -> new double[2]);
    sum[0] += value;
    sum[1]++;
  }
}
