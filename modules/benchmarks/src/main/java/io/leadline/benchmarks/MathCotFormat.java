package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import io.leadline.scoring.Gsm8k;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Math word problems with chain of thought (reference §2.4: GSM8K): {@code Q: … A: …} exemplars
 * from a file of worked answers (answer-only: their last {@code The answer is N.} line), the query
 * ending in the CoT trigger, the gold the number after {@code ####}. Columns: {@code question},
 * {@code answer} (the worked answer ending {@code #### N}).
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
    return Set.of("question", "answer");
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
    return ImmutableList.of("gsm8k/gpt-fathom-accuracy", "gsm8k/exact-number");
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
    String where = benchmark.fewShotWhere();
    List<JsonNode> rows = BenchmarkData.file(benchmark, where);
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

  /** A CoT answer cut to its last line, {@code The answer is N.}, keeping the ending. */
  static String answerOnly(String answer) {
    int at = answer.lastIndexOf("The answer is ");
    return at < 0 ? answer : answer.substring(at);
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    String answer = benchmark.columns().text(example.row(), "answer", example.where());
    return new Target(ImmutableList.of(answer), ImmutableMap.of(), Gsm8k.openAiGold(answer));
  }

  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    String answer = benchmark.columns().text(row, "answer", where);
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
