package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.api.LeadlineException;
import java.util.ArrayList;
import java.util.List;

/**
 * An MMLU item's options in GPT-Fathom's order: {@code make_abc} shuffles them with {@code
 * random.Random(47)} (a fresh one per test item, one shared across the exemplars).
 *
 * @param options {@code "(A) …\n(B) …"}, one per line, no trailing newline
 * @param goldLetter the letter the correct option is shown under
 */
record MultipleChoice(String options, String goldLetter, String goldText) {
  static final int SEED = 47;

  static MultipleChoice of(JsonNode row, PyRandom random, String where) {
    JsonNode choices = row.get("choices");
    JsonNode answer = row.get("answer");
    if (choices == null || !choices.isArray() || choices.size() < 2 || choices.size() > 26) {
      throw LeadlineException.data("%s: field 'choices' must be a list of 2 to 26 strings", where);
    }
    if (answer == null
        || !answer.canConvertToInt()
        || answer.asInt() < 0
        || answer.asInt() >= choices.size()) {
      throw LeadlineException.data(
          "%s: field 'answer' must be an option index below %d", where, choices.size());
    }
    int[] permutation = random.permutation(choices.size());
    List<String> lines = new ArrayList<>();
    String gold = null;
    for (int position = 0; position < permutation.length; position++) {
      String letter = String.valueOf((char) ('A' + position));
      lines.add("(" + letter + ") " + choices.get(permutation[position]).asText());
      if (permutation[position] == answer.asInt()) {
        gold = letter;
      }
    }
    return new MultipleChoice(String.join("\n", lines), gold, choices.get(answer.asInt()).asText());
  }
}
