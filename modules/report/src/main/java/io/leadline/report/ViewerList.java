package io.leadline.report;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.binaryColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.leadline.records.MetricRow;
import io.leadline.records.RunFolders;
import io.leadline.records.SampleColumns;
import io.leadline.records.SampleKey;
import io.leadline.records.SampleRow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.io.api.Binary;

/**
 * The sample viewer's list: for every sample of a run, in {@code samples.parquet}'s order, only
 * what the list and its filters need — model, benchmark, subset, setting, perturbation, example,
 * sample index, and the outcome and score — read with a Parquet projection, so the prompts,
 * completions and judges' replies are not read until a sample is opened ({@link ViewerChunks}).
 * Strings are dictionary-coded; each dictionary is sorted, so the list's JSON is the same for the
 * same run.
 */
final class ViewerList {
  /** The columns read up front; the others are read per sample when it is opened. */
  static final List<String> COLUMNS =
      List.of(
          SampleColumns.MODEL,
          SampleColumns.BENCHMARK,
          SampleColumns.SUBSET,
          SampleColumns.SETTING,
          SampleColumns.PERTURBATION,
          SampleColumns.EXAMPLE_ID,
          SampleColumns.EXAMPLE_INDEX,
          SampleColumns.SAMPLE_INDEX,
          SampleColumns.NO_ANSWER_REASON,
          SampleColumns.ERROR,
          SampleColumns.SCORES);

  /**
   * A score at least this high on the benchmark's primary metric makes a sample correct: a 0/1
   * metric's 1; for a graded one (F1, a judge's grade) more right than wrong.
   */
  static final double CORRECT_AT = 0.5;

  /** How a sample came out: its code in the list's JSON. */
  enum Outcome {
    CORRECT('c'),
    INCORRECT('i'),
    NO_ANSWER('n');

    final char code;

    Outcome(char code) {
      this.code = code;
    }
  }

  /** The filterable dimensions, in the order the page shows their filters. */
  static final List<String> DIMENSIONS =
      List.of("model", "benchmark", "subset", "setting", "perturbation");

  private final int size;
  private final Map<String, Map<String, String>> primary;
  private final Map<String, Dictionary> dimensions;
  private final Dictionary examples;
  private final int[] exampleIndex;
  private final int[] sampleIndex;
  private final Outcome[] outcomes;
  private final double[] scores;

  private ViewerList(
      int size,
      Map<String, Map<String, String>> primary,
      Map<String, Dictionary> dimensions,
      Dictionary examples,
      int[] exampleIndex,
      int[] sampleIndex,
      Outcome[] outcomes,
      double[] scores) {
    this.size = size;
    this.primary = primary;
    this.dimensions = dimensions;
    this.examples = examples;
    this.exampleIndex = exampleIndex;
    this.sampleIndex = sampleIndex;
    this.outcomes = outcomes;
    this.scores = scores;
  }

  int size() {
    return size;
  }

  /** Sample {@code index}'s value of {@code dimension} ({@code ""} where it has none). */
  String value(String dimension, int index) {
    return dimensions.get(dimension).value(index);
  }

  Outcome outcome(int index) {
    return outcomes[index];
  }

  /** Sample {@code index}'s score on its benchmark's primary metric; NaN where it has none. */
  double score(int index) {
    return scores[index];
  }

  String exampleId(int index) {
    return examples.value(index);
  }

  /**
   * A filter that keeps sample {@code index} alone: its place in the file's sort order ({@link
   * SampleColumns#ORDER}) and its example, so Parquet reads only the pages that hold it.
   */
  FilterCompat.Filter key(int index) {
    FilterPredicate key =
        and(
            and(
                and(
                    eq(binaryColumn(SampleColumns.MODEL), binary(value("model", index))),
                    eq(binaryColumn(SampleColumns.BENCHMARK), binary(value("benchmark", index)))),
                and(
                    eq(binaryColumn(SampleColumns.SUBSET), binary(value("subset", index))),
                    eq(binaryColumn(SampleColumns.SETTING), binary(value("setting", index))))),
            and(
                and(
                    eq(
                        binaryColumn(SampleColumns.PERTURBATION),
                        binary(value("perturbation", index))),
                    eq(binaryColumn(SampleColumns.EXAMPLE_ID), binary(exampleId(index)))),
                and(
                    eq(intColumn(SampleColumns.EXAMPLE_INDEX), exampleIndex[index]),
                    eq(intColumn(SampleColumns.SAMPLE_INDEX), sampleIndex[index]))));
    return FilterCompat.get(key);
  }

  /**
   * Whether {@code key} is sample {@code index}'s, in all that {@link #key} filters on but the
   * example's index ({@link #exampleIndex(int)}, which a key does not hold).
   */
  boolean isKey(int index, SampleKey key) {
    return key.model().equals(value("model", index))
        && key.benchmark().equals(value("benchmark", index))
        && key.subset().orElse("").equals(value("subset", index))
        && key.setting().equals(value("setting", index))
        && key.perturbation().orElse("").equals(value("perturbation", index))
        && key.exampleId().equals(exampleId(index))
        && key.sampleIndex() == sampleIndex[index];
  }

  /** Sample {@code index}'s example's index in its benchmark. */
  int exampleIndex(int index) {
    return exampleIndex[index];
  }

  /** {@code value} as a column's value; {@code ""} is the null of an optional column. */
  private static Binary binary(String value) {
    return value.isEmpty() ? null : Binary.fromString(value);
  }

  /**
   * Reads the list of the run folder {@code location} (already checked to be one), whose metric
   * rows {@code metrics} name each benchmark's primary metric.
   *
   * @param what the argument that named the run, for errors
   */
  static ViewerList read(String location, String what, List<MetricRow> metrics) {
    Map<String, Map<String, String>> primary = new TreeMap<>();
    for (MetricRow row : metrics) {
      if (row.primary()) {
        primary
            .computeIfAbsent(row.benchmark(), b -> new TreeMap<>())
            .putIfAbsent(row.setting(), row.metric());
      }
    }
    Builder list = new Builder(primary);
    RunFolders.forEachSample(location, what, Set.copyOf(COLUMNS), list::add);
    return list.build();
  }

  /**
   * The list as the page's JSON: {@code count}, {@code primary} (per benchmark and setting, the
   * primary metric), {@code dims} (each dimension's values, sorted), {@code examples} (the example
   * ids, sorted) and {@code rows}: per dimension and for the example the index of each sample's
   * value, {@code sample} its sample index, {@code outcome} one letter a sample ({@code c}orrect,
   * {@code i}ncorrect, {@code n}o answer) and {@code score} its primary score (4 decimals, null
   * where none).
   */
  String json() {
    StringWriter text = new StringWriter(size * 24);
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.writeStartObject();
      json.writeNumberField("count", size);
      json.writeObjectFieldStart("primary");
      for (var benchmark : primary.entrySet()) {
        json.writeObjectFieldStart(benchmark.getKey());
        for (var setting : benchmark.getValue().entrySet()) {
          json.writeStringField(setting.getKey(), setting.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeObjectFieldStart("dims");
      for (String dimension : DIMENSIONS) {
        strings(json, dimension, dimensions.get(dimension).values);
      }
      json.writeEndObject();
      strings(json, "examples", examples.values);
      json.writeObjectFieldStart("rows");
      for (String dimension : DIMENSIONS) {
        codes(json, dimension, dimensions.get(dimension).codes);
      }
      codes(json, "example", examples.codes);
      codes(json, "sample", sampleIndex);
      StringBuilder letters = new StringBuilder(size);
      for (Outcome outcome : outcomes) {
        letters.append(outcome.code);
      }
      json.writeStringField("outcome", letters.toString());
      json.writeArrayFieldStart("score");
      for (double score : scores) {
        if (Double.isNaN(score)) {
          json.writeNull();
        } else {
          json.writeNumber(Math.round(score * 10_000) / 10_000.0);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void strings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  private static void codes(JsonGenerator json, String field, int[] codes) throws IOException {
    json.writeArrayFieldStart(field);
    for (int code : codes) {
      json.writeNumber(code);
    }
    json.writeEndArray();
  }

  /** The outcome of a sample with these columns (see {@link #CORRECT_AT}). */
  static Outcome outcome(boolean noAnswer, boolean failed, double score) {
    if (noAnswer || failed) {
      return Outcome.NO_ANSWER;
    }
    return score >= CORRECT_AT ? Outcome.CORRECT : Outcome.INCORRECT;
  }

  /** Strings coded by their index in a sorted list of the distinct ones. */
  private static final class Dictionary {
    final List<String> values;
    final int[] codes;

    Dictionary(List<String> values, int[] codes) {
      this.values = values;
      this.codes = codes;
    }

    String value(int index) {
      return values.get(codes[index]);
    }
  }

  /** Codes strings in the order met, then renumbers them in sorted order. */
  private static final class DictionaryBuilder {
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<String> values = new ArrayList<>();
    private int[] codes = new int[1024];
    private int size;

    void add(String value) {
      Integer code = seen.get(value);
      if (code == null) {
        code = values.size();
        seen.put(value, code);
        values.add(value);
      }
      if (size == codes.length) {
        codes = Arrays.copyOf(codes, size * 2);
      }
      codes[size++] = code;
    }

    Dictionary build() {
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(null);
      int[] renumber = new int[values.size()];
      for (int i = 0; i < values.size(); i++) {
        renumber[i] = java.util.Collections.binarySearch(sorted, values.get(i));
      }
      int[] coded = new int[size];
      for (int i = 0; i < size; i++) {
        coded[i] = renumber[codes[i]];
      }
      return new Dictionary(List.copyOf(sorted), coded);
    }
  }

  private static final class Builder {
    private final Map<String, DictionaryBuilder> dimensions = new TreeMap<>();
    private final DictionaryBuilder examples = new DictionaryBuilder();
    private int[] exampleIndex = new int[1024];
    private int[] sampleIndex = new int[1024];
    private Outcome[] outcomes = new Outcome[1024];
    private double[] scores = new double[1024];
    private int size;

    private final Map<String, Map<String, String>> primary;

    Builder(Map<String, Map<String, String>> primary) {
      this.primary = primary;
      DIMENSIONS.forEach(dimension -> dimensions.put(dimension, new DictionaryBuilder()));
    }

    void add(SampleRow row) {
      String benchmark = row.benchmark();
      String setting = row.setting();
      dimensions.get("model").add(row.model());
      dimensions.get("benchmark").add(benchmark);
      dimensions.get("subset").add(row.subset().orElse(""));
      dimensions.get("setting").add(setting);
      dimensions.get("perturbation").add(row.perturbation().orElse(""));
      examples.add(row.exampleId());
      if (size == sampleIndex.length) {
        exampleIndex = Arrays.copyOf(exampleIndex, size * 2);
        sampleIndex = Arrays.copyOf(sampleIndex, size * 2);
        outcomes = Arrays.copyOf(outcomes, size * 2);
        scores = Arrays.copyOf(scores, size * 2);
      }
      exampleIndex[size] = row.exampleIndex();
      sampleIndex[size] = row.sampleIndex();
      double score = score(row.scores(), primary.getOrDefault(benchmark, Map.of()).get(setting));
      scores[size] = score;
      outcomes[size] = outcome(row.noAnswerReason().isPresent(), row.error().isPresent(), score);
      size++;
    }

    /** The score named {@code metric}, or the only one; NaN where neither is there. */
    private static double score(Map<String, Double> scores, String metric) {
      if (scores.size() == 1) {
        return scores.values().iterator().next();
      }
      Double named = metric == null ? null : scores.get(metric);
      return named == null ? Double.NaN : named;
    }

    ViewerList build() {
      Map<String, Dictionary> built = new HashMap<>();
      dimensions.forEach((name, dictionary) -> built.put(name, dictionary.build()));
      return new ViewerList(
          size,
          primary,
          Map.copyOf(built),
          examples.build(),
          Arrays.copyOf(exampleIndex, size),
          Arrays.copyOf(sampleIndex, size),
          Arrays.copyOf(outcomes, size),
          Arrays.copyOf(scores, size));
    }
  }
}
