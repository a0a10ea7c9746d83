package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import io.leadline.scoring.Gsm8k;
import io.leadline.scoring.MathAnswers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Math problems with chain of thought (reference §2.4–2.6: GSM8K, MATH, MGSM): {@code Q: … A: …}
 * exemplars from a file of worked answers (one file, or one per subset: MGSM's native-language
 * ones; answer-only: their last {@code The answer is N.} or {@code Final Answer:} line), the query
 * ending in the CoT trigger. Columns: {@code question} and the gold in one of three shapes: {@code
 * answer} (GSM8K's worked answer ending {@code #### N}), {@code solution} (MATH's worked solution;
 * the gold is its last {@code \boxed{}}), or {@code answer_number} (MGSM's number).
 */
final class MathCotFormat implements Format {
  private static final Pattern CALCULATION = Pattern.compile("<<[^>]*>>");

  @Override
  public String id() {
    return "math-cot";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("instruction"),
        "shot", Set.of("question", "answer"),
        "query", Set.of("question", "trigger"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of("question");
  }

  @Override
  public Set<String> optionalColumns() {
    return Set.of("id", "answer", "solution", "answer_number");
  }

  private static final List<String> GOLDS = List.of("answer", "solution", "answer_number");

  @Override
  public void check(Columns columns, io.leadline.api.ConfigNode node) {
    if (GOLDS.stream().filter(columns::has).count() != 1) {
      throw node.error("needs exactly one of " + String.join(", ", GOLDS));
    }
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("file");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "gsm8k/gpt-fathom";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of(
        "gsm8k/gpt-fathom-accuracy",
        "gsm8k/exact-number",
        "math/gpt-fathom-accuracy",
        "math/hendrycks-equiv",
        "mgsm/gpt-fathom-accuracy");
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return Map.of(
        "question",
        benchmark.columns().text(example.row(), "question", example.where()),
        "trigger",
        trigger);
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String where = benchmark.fewShotFile(subset);
    List<JsonNode> rows = BenchmarkData.file(benchmark, subset);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String at = benchmark.name() + " " + where + " row " + i;
      String question = BenchmarkData.text(rows.get(i), "question", at);
      String answer = BenchmarkData.text(rows.get(i), "answer", at);
      exemplars.add(
          new Exemplar(
              where + "#" + (i + 1),
              ImmutableMap.of("question", question, "answer", answer),
              ImmutableMap.of("question", question, "answer", answerOnly(answer))));
    }
    return exemplars;
  }

  /**
   * A CoT answer cut to its last line, {@code The answer is N.}, keeping the ending (GSM8K's;
   * MATH's and MGSM's exemplars have no answer-only form in GPT-Fathom and stay whole).
   */
  static String answerOnly(String answer) {
    int at = answer.lastIndexOf("The answer is ");
    return at < 0 ? answer : answer.substring(at);
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    Columns columns = benchmark.columns();
    JsonNode row = example.row();
    if (columns.has(row, "solution")) {
      String gold = gold(columns, row, example.where());
      return new Target(ImmutableList.of(gold), ImmutableMap.of(), gold);
    }
    if (columns.has(row, "answer_number")) {
      String number = columns.node(row, "answer_number", example.where()).asText();
      return new Target(ImmutableList.of(number), ImmutableMap.of(), number);
    }
    String answer = columns.text(row, "answer", example.where());
    return new Target(ImmutableList.of(answer), ImmutableMap.of(), Gsm8k.openAiGold(answer));
  }

  /**
   * MATH's gold: the last {@code \\boxed{}} of the solution, as Hendrycks and GPT-Fathom take it.
   */
  private static String gold(Columns columns, JsonNode row, String where) {
    String solution = columns.text(row, "solution", where);
    if (MathAnswers.lastBoxedOnlyString(solution).flatMap(MathAnswers::removeBoxed).isEmpty()) {
      throw LeadlineException.data(
          "%s: column '%s' has no \\boxed{...} answer", where, columns.path(row, "solution"));
    }
    return MathAnswers.goldOf(solution);
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    String question = columns.text(row, "question", where);
    if (columns.has(row, "solution")) {
      String gold = gold(columns, row, where);
      return new SimFacts(
          SimFacts.Style.BOXED, columns.optionalText(row, "id"), question, gold, -1, "", List.of());
    }
    if (columns.has(row, "answer_number")) {
      String number = columns.node(row, "answer_number", where).asText();
      return new SimFacts(
          SimFacts.Style.MATH,
          columns.optionalText(row, "id"),
          question,
          number,
          -1,
          "",
          List.of());
    }
    String answer = columns.text(row, "answer", where);
    int mark = answer.lastIndexOf("####");
    if (mark < 0) {
      throw LeadlineException.data("%s: field 'answer' has no '####' line", where);
    }
    String gold = answer.substring(mark + 4).strip().replace(",", "");
    String work = CALCULATION.matcher(answer.substring(0, mark)).replaceAll("").strip();
    return new SimFacts(
        SimFacts.Style.MATH,
        benchmark.columns().optionalText(row, "id"),
        benchmark.columns().text(row, "question", where),
        gold,
        -1,
        work,
        List.of());
  }
}
