package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import io.leadline.api.Judgement;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pairwise judging of two completions of one prompt with a {@link JudgeTemplate.Kind#PAIRWISE}
 * template (AlpacaEval, MT-Bench): the pair is judged in both orders, each verdict read in the
 * pair's terms (A, B or a tie); {@code compare}'s {@code PairwiseResult} counts a verdict that
 * changes with the order as a tie.
 */
public final class Pairwise {
  /** Which completion a judge preferred, in the terms of the pair (not of the order shown). */
  public enum Winner {
    A,
    B,
    TIE
  }

  /**
   * The pair's outcome.
   *
   * @param inOrder the winner when A was shown first, empty if that reply gave no grade
   * @param swapped the winner when B was shown first, empty if that reply gave no grade
   * @param firstShown how many of the two replies preferred the completion shown first
   * @param judgements the two replies (A first, then B first)
   */
  public record Outcome(
      Optional<Winner> inOrder,
      Optional<Winner> swapped,
      int firstShown,
      List<Judgement> judgements) {
    public Outcome {
      requireNonNull(inOrder, "inOrder is null");
      requireNonNull(swapped, "swapped is null");
      judgements = List.copyOf(judgements);
    }
  }

  private final JudgeTemplate template;
  private final String parser;

  private Pairwise(JudgeTemplate template, String parser) {
    this.template = template;
    this.parser = parser;
  }

  /**
   * The pairwise judging of {@code benchmark} with its template called {@code name}, or its only
   * pairwise template when {@code name} is empty.
   *
   * @throws LeadlineException naming the flag when there is none such
   */
  public static Pairwise of(Benchmark benchmark, Optional<String> name, String flag) {
    List<JudgeTemplate> pairwise =
        benchmark.judgeTemplates().values().stream()
            .filter(t -> t.kind() == JudgeTemplate.Kind.PAIRWISE)
            .filter(t -> name.isEmpty() || t.name().equals(name.get()))
            .toList();
    if (pairwise.size() != 1) {
      throw LeadlineException.userInput(
          "%s: %s has %s; its pairwise templates: %s",
          flag,
          benchmark.name(),
          name.map(n -> "no pairwise template '" + n + "'").orElse("no single pairwise template"),
          String.join(
              ", ",
              benchmark.judgeTemplates().values().stream()
                  .filter(t -> t.kind() == JudgeTemplate.Kind.PAIRWISE)
                  .map(JudgeTemplate::name)
                  .toList()));
    }
    JudgeTemplate template = pairwise.get(0);
    for (String input : template.inputs()) {
      if (!List.of("prompt", "completion_a", "completion_b").contains(input)) {
        throw LeadlineException.userInput(
            "%s: %s uses {%s}; a pairwise template may use {prompt}, {completion_a} and"
                + " {completion_b}",
            flag, template.name(), input);
      }
    }
    return new Pairwise(template, template.parser());
  }

  public JudgeTemplate template() {
    return template;
  }

  /** Judges completions {@code a} and {@code b} of {@code prompt} in both orders. */
  public Outcome judge(ModelCalls models, String judge, String prompt, String a, String b) {
    Judgement first = ask(models, judge, prompt, a, b);
    Judgement second = ask(models, judge, prompt, b, a);
    Optional<Integer> shownFirst = position(first);
    Optional<Integer> shownSecond = position(second);
    Optional<Winner> inOrder =
        shownFirst.map(p -> p == 0 ? Winner.A : p == 1 ? Winner.B : Winner.TIE);
    Optional<Winner> swapped =
        shownSecond.map(p -> p == 0 ? Winner.B : p == 1 ? Winner.A : Winner.TIE);
    int firstShown = (shownFirst.orElse(-1) == 0 ? 1 : 0) + (shownSecond.orElse(-1) == 0 ? 1 : 0);
    return new Outcome(inOrder, swapped, firstShown, List.of(first, second));
  }

  private Judgement ask(
      ModelCalls models, String judge, String prompt, String shownFirst, String shownSecond) {
    String text =
        template.render(
            Map.of("prompt", prompt, "completion_a", shownFirst, "completion_b", shownSecond));
    return JudgedScorer.ask(models, judge, template, parser, text);
  }

  /** 0 if the reply preferred the completion shown first, 1 the second, 2 a tie. */
  private Optional<Integer> position(Judgement judgement) {
    if (!judgement.graded()) {
      return Optional.empty();
    }
    JudgeTemplate.Field field = template.fields().values().iterator().next();
    return Optional.of(field.categories().indexOf(judgement.grades().get(field.name())));
  }
}
