package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Predicting a passage's last word (reference §2.7: LAMBADA): {@code Q: <context>} and {@code A:
 * <word>} after an instruction, the exemplars the first rows of a split. Columns: either {@code
 * text} (the Hub row: the target is its last whitespace token and the context the other tokens
 * joined by single spaces, as GPT-Fathom's {@code build_lambada.py} splits it) or {@code context}
 * and {@code word} (GPT-Fathom's own files, already split).
 */
final class LastWordFormat implements Format {
  @Override
  public String id() {
    return "last-word";
  }

  @Override
  public ImmutableMap<String, Set<String>> placeholders() {
    return ImmutableMap.of(
        "header", Set.of("instruction"),
        "shot", Set.of("context", "word"),
        "query", Set.of("context"));
  }

  @Override
  public Set<String> requiredColumns() {
    return Set.of();
  }

  @Override
  public Set<String> optionalColumns() {
    return Set.of("id", "text", "context", "word");
  }

  @Override
  public void check(Columns columns, io.leadline.api.ConfigNode node) {
    boolean split = columns.has("context") && columns.has("word");
    if (columns.has("text") == split
        || (!split && (columns.has("context") || columns.has("word")))) {
      throw node.error("needs either 'text' or both 'context' and 'word'");
    }
  }

  @Override
  public Set<String> fewShotSources() {
    return Set.of("split");
  }

  @Override
  public String defaultExtractor(boolean chainOfThought) {
    return "lambada/gpt-fathom";
  }

  @Override
  public ImmutableList<String> scorers() {
    return ImmutableList.of("lambada/gpt-fathom-accuracy");
  }

  /** The row's context and target word. */
  private static String[] split(Benchmark benchmark, JsonNode row, String where) {
    Columns columns = benchmark.columns();
    if (columns.has(row, "text")) {
      List<String> tokens = io.leadline.scoring.PythonText.split(columns.text(row, "text", where));
      if (tokens.isEmpty()) {
        throw LeadlineException.data("%s: column '%s' is empty", where, columns.path(row, "text"));
      }
      return new String[] {
        String.join(" ", tokens.subList(0, tokens.size() - 1)), tokens.get(tokens.size() - 1)
      };
    }
    return new String[] {columns.text(row, "context", where), columns.text(row, "word", where)};
  }

  @Override
  public Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger) {
    return Map.of("context", split(benchmark, example.row(), example.where())[0]);
  }

  @Override
  public List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source) {
    String where = benchmark.fewShotWhere();
    List<JsonNode> rows = BenchmarkData.exemplarRows(benchmark, subset, source);
    List<Exemplar> exemplars = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String at = benchmark.name() + " " + where + " row " + i;
      String[] parts = split(benchmark, rows.get(i), at);
      ImmutableMap<String, String> fields = ImmutableMap.of("context", parts[0], "word", parts[1]);
      exemplars.add(new Exemplar(where + "/" + i, fields, fields));
    }
    return exemplars;
  }

  @Override
  public Target target(Benchmark benchmark, Example example) {
    String word = split(benchmark, example.row(), example.where())[1];
    return new Target(ImmutableList.of(word), ImmutableMap.of(), word);
  }

  /** Not by typos: the passage ends in the target word, which a typo must not change. */
  @Override
  public boolean perturbedBy(Kind kind) {
    return kind != Kind.OPTIONS && kind != Kind.NUMBERS && kind != Kind.TYPOS;
  }

  @Override
  public SimFacts sim(Benchmark benchmark, JsonNode row, String where) {
    String[] parts = split(benchmark, row, where);
    return new SimFacts(
        SimFacts.Style.TEXT,
        benchmark.columns().optionalText(row, "id"),
        parts[0],
        parts[1],
        -1,
        "",
        List.of());
  }
}
