package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import io.leadline.api.LeadlineException;
import java.util.ArrayList;
import java.util.List;

/**
 * An item's options in GPT-Fathom's order: {@code make_abc} shuffles them with {@code
 * random.Random(47)} (a fresh one per test item, one shared across the exemplars).
 *
 * @param options {@code "(A) …\n(B) …"}, one per line, no trailing newline
 * @param goldLetter the letter the correct option is shown under
 * @param shown the options' texts in the order they are shown
 */
record MultipleChoice(
    String options, String goldLetter, String goldText, ImmutableList<String> shown) {
  static MultipleChoice of(Benchmark benchmark, JsonNode row, PyRandom random, String where) {
    Columns columns = benchmark.columns();
    JsonNode choices = columns.node(row, "choices", where);
    if (!choices.isArray() || choices.size() < 2 || choices.size() > 26) {
      throw LeadlineException.data(
          "%s: column '%s' must be a list of 2 to 26 strings", where, columns.path(row, "choices"));
    }
    int answer = answerIndex(columns, row, where);
    int[] permutation = random.permutation(choices.size());
    List<String> lines = new ArrayList<>();
    ImmutableList.Builder<String> shown = ImmutableList.builder();
    String gold = null;
    for (int position = 0; position < permutation.length; position++) {
      String letter = String.valueOf((char) ('A' + position));
      shown.add(choices.get(permutation[position]).asText());
      lines.add("(" + letter + ") " + choices.get(permutation[position]).asText());
      if (permutation[position] == answer) {
        gold = letter;
      }
    }
    return new MultipleChoice(
        String.join("\n", lines), gold, choices.get(answer).asText(), shown.build());
  }

  /**
   * The dataset index of the correct option, however the benchmark's columns give it: a one-hot
   * list ({@code answer_labels}), a label among {@code labels}, or {@code answer} as an index (a
   * number, or digits as HellaSwag's {@code "0"}…{@code "3"}) or a letter ({@code "A"}, RACE's).
   */
  static int answerIndex(Columns columns, JsonNode row, String where) {
    int size = columns.node(row, "choices", where).size();
    int index;
    String field;
    if (columns.has(row, "answer_labels")) {
      field = "answer_labels";
      index = -1;
      JsonNode labels = columns.node(row, field, where);
      for (int i = 0; i < labels.size(); i++) {
        if (labels.get(i).asInt() == 1) {
          index = index < 0 ? i : -2;
        }
      }
    } else if (columns.has(row, "labels")) {
      field = "answer";
      String key = columns.text(row, "answer", where);
      index = columns.texts(row, "labels", where).indexOf(key);
    } else {
      field = "answer";
      JsonNode answer = columns.node(row, "answer", where);
      String text = answer.asText();
      if (answer.isIntegralNumber()) {
        index = answer.canConvertToInt() ? answer.asInt() : -1;
      } else if (answer.isTextual() && text.matches("[0-9]{1,2}")) {
        index = Integer.parseInt(text);
      } else if (answer.isTextual() && text.matches("[A-Z]")) {
        index = text.charAt(0) - 'A';
      } else {
        index = -1;
      }
    }
    if (index < 0 || index >= size) {
      throw LeadlineException.data(
          "%s: column '%s' must pick exactly one of the %d options",
          where, columns.path(row, field), size);
    }
    return index;
  }
}
