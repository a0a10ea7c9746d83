package io.leadline.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import io.leadline.api.LeadlineException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The items the simulator can recognise, and the recognising: a prompt is about the item whose text
 * it contains most completely (word 4-grams, so a typo or a changed number still leaves the item
 * recognisable), preferring an exact occurrence, then the longer text, then the later one, so that
 * few-shot exemplars before the question do not win.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SimAnswerKey {
  private static final int SHINGLE = 4;
  private static final Pattern GSM8K_CALCULATION = Pattern.compile("<<[^>]*>>");

  private final List<SimItem> items;
  private final List<String> normalisedNeedles;
  private final int[] shingleCounts;
  private final Map<Long, int[]> index;

  private SimAnswerKey(List<SimItem> items) {
    this.items = ImmutableList.copyOf(items);
    this.normalisedNeedles = new ArrayList<>();
    this.shingleCounts = new int[items.size()];
    Map<Long, List<Integer>> building = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      List<String> words = words(items.get(i).needle());
      normalisedNeedles.add(String.join(" ", words));
      Set<Long> shingles = new LinkedHashSet<>(shingles(words));
      shingleCounts[i] = shingles.size();
      for (long shingle : shingles) {
        building.computeIfAbsent(shingle, k -> new ArrayList<>()).add(i);
      }
    }
    this.index = new HashMap<>();
    building.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  public List<SimItem> items() {
    return items;
  }

  /** The item {@code prompt} asks about, if it asks about one this key knows. */
  public Optional<SimItem> find(String prompt) {
    List<String> words = words(prompt);
    List<Long> shingles = shingles(words);
    Map<Integer, Integer> matched = new HashMap<>();
    Map<Integer, Integer> lastPosition = new HashMap<>();
    Set<Long> seen = new HashSet<>();
    for (int position = 0; position < shingles.size(); position++) {
      long shingle = shingles.get(position);
      int[] holders = index.get(shingle);
      if (holders == null) {
        continue;
      }
      boolean first = seen.add(shingle);
      for (int item : holders) {
        if (first) {
          matched.merge(item, 1, Integer::sum);
        }
        lastPosition.put(item, position);
      }
    }
    String normalisedPrompt = null;
    int best = -1;
    double bestFraction = 0;
    boolean bestExact = false;
    for (Map.Entry<Integer, Integer> entry : matched.entrySet()) {
      int item = entry.getKey();
      double fraction = entry.getValue() / (double) shingleCounts[item];
      if (fraction < 0.5 || fraction + 1e-9 < bestFraction - 0.25) {
        continue;
      }
      if (normalisedPrompt == null) {
        normalisedPrompt = String.join(" ", words);
      }
      boolean exact = normalisedPrompt.contains(normalisedNeedles.get(item));
      if (best < 0 || better(item, exact, fraction, best, bestExact, bestFraction, lastPosition)) {
        best = item;
        bestFraction = fraction;
        bestExact = exact;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(items.get(best));
  }

  private boolean better(
      int item,
      boolean exact,
      double fraction,
      int best,
      boolean bestExact,
      double bestFraction,
      Map<Integer, Integer> lastPosition) {
    if (exact != bestExact) {
      return exact;
    }
    if (Math.abs(fraction - bestFraction) > 1e-9) {
      return fraction > bestFraction;
    }
    int length = normalisedNeedles.get(item).length();
    int bestLength = normalisedNeedles.get(best).length();
    if (length != bestLength) {
      return length > bestLength;
    }
    int position = lastPosition.get(item);
    int bestPosition = lastPosition.get(best);
    return position != bestPosition ? position > bestPosition : item < best;
  }

  /** Lower-cased runs of letters and digits. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
    }
    return words;
  }

  private static List<Long> shingles(List<String> words) {
    List<Long> shingles = new ArrayList<>();
    if (words.isEmpty()) {
      return shingles;
    }
    int width = Math.min(SHINGLE, words.size());
    for (int i = 0; i + width <= words.size(); i++) {
      shingles.add(
          Hashing.murmur3_128()
              .hashString(String.join(" ", words.subList(i, i + width)), StandardCharsets.UTF_8)
              .asLong());
    }
    return shingles;
  }

  /** Builds a key from benchmark rows in the Hugging Face row schema. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects items, one subset's rows at a time (wrong answers are drawn from sibling rows). */
  public static final class Builder {
    private final List<SimItem> items = new ArrayList<>();

    /**
     * Adds the rows of one subset (a BBH task, an MMLU subject, or the whole benchmark).
     *
     * @param source names the rows in errors, e.g. a file
     * @throws LeadlineException naming the row and field if a row lacks what its benchmark needs
     */
    public Builder add(String benchmark, String subset, List<JsonNode> rows, String source) {
      List<String> golds = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        golds.add(gold(benchmark, rows.get(i), source + " row " + (i + 1)));
      }
      for (int i = 0; i < rows.size(); i++) {
        items.add(item(benchmark, subset, rows.get(i), i, golds, source + " row " + (i + 1)));
      }
      return this;
    }

    public SimAnswerKey build() {
      return new SimAnswerKey(items);
    }
  }

  private static String gold(String benchmark, JsonNode row, String where) {
    return switch (benchmark) {
      case "gsm8k" -> {
        String answer = text(row, "answer", where);
        int mark = answer.lastIndexOf("####");
        if (mark < 0) {
          throw LeadlineException.data("%s: field 'answer' has no '####' line", where);
        }
        yield answer.substring(mark + 4).strip().replace(",", "");
      }
      case "mmlu" -> {
        JsonNode choices = row.path("choices");
        int answer = row.path("answer").asInt(-1);
        if (!choices.isArray() || answer < 0 || answer >= choices.size()) {
          throw LeadlineException.data(
              "%s: expected 'choices' and an 'answer' index into them", where);
        }
        yield choices.get(answer).asText();
      }
      case "humaneval" -> text(row, "canonical_solution", where);
      case "drop" -> {
        JsonNode spans = row.path("answers_spans").path("spans");
        if (!spans.isArray() || spans.isEmpty()) {
          throw LeadlineException.data(
              "%s: field 'answers_spans.spans' is missing or empty", where);
        }
        yield spans.get(0).asText();
      }
      case "triviaqa" -> text(row.path("answer"), "value", where + " answer");
      case "bbh" -> text(row, "target", where);
      default ->
          throw LeadlineException.userInput("the simulator knows no benchmark '%s'", benchmark);
    };
  }

  private static SimItem item(
      String benchmark, String subset, JsonNode row, int index, List<String> golds, String where) {
    String gold = golds.get(index);
    String id =
        switch (benchmark) {
          case "humaneval" -> text(row, "task_id", where);
          case "drop" -> text(row, "query_id", where);
          case "triviaqa" -> text(row, "question_id", where);
          default -> Integer.toString(index);
        };
    String key = benchmark + "/" + subset + "/" + id;
    return switch (benchmark) {
      case "gsm8k" -> {
        String answer = row.path("answer").asText();
        String work =
            GSM8K_CALCULATION
                .matcher(answer.substring(0, answer.lastIndexOf("####")))
                .replaceAll("")
                .strip();
        yield new SimItem(
            benchmark,
            key,
            text(row, "question", where),
            gold,
            offByOne(gold, key),
            work,
            List.of());
      }
      case "mmlu" -> {
        List<String> choices = new ArrayList<>();
        row.path("choices").forEach(choice -> choices.add(choice.asText()));
        int answer = row.path("answer").asInt();
        String wrong =
            choices.get(
                (answer + 1 + (int) (unsigned(key) % (choices.size() - 1))) % choices.size());
        yield new SimItem(benchmark, key, text(row, "question", where), gold, wrong, "", choices);
      }
      case "humaneval" ->
          new SimItem(
              benchmark, key, text(row, "prompt", where), gold, "    return None\n", "", List.of());
      case "drop" ->
          new SimItem(
              benchmark,
              key,
              text(row, "passage", where) + "\n" + text(row, "question", where),
              gold,
              isNumber(gold) ? offByOne(gold, key) : sibling(golds, index, "none"),
              "",
              List.of());
      case "triviaqa" ->
          new SimItem(
              benchmark,
              key,
              text(row, "question", where),
              gold,
              sibling(golds, index, "I do not know"),
              "",
              List.of());
      default ->
          new SimItem(
              benchmark,
              key,
              text(row, "input", where),
              gold,
              bbhWrong(gold, golds, index),
              "",
              List.of());
    };
  }

  private static String bbhWrong(String gold, List<String> golds, int index) {
    return switch (gold) {
      case "True" -> "False";
      case "False" -> "True";
      case "Yes" -> "No";
      case "No" -> "Yes";
      case "yes" -> "no";
      case "no" -> "yes";
      case "valid" -> "invalid";
      case "invalid" -> "valid";
      default ->
          isNumber(gold)
              ? Long.toString(Long.parseLong(gold) + 1)
              : sibling(golds, index, gold + " not");
    };
  }

  /** A sibling row's gold that differs from this row's, chosen by position so it is stable. */
  private static String sibling(List<String> golds, int index, String fallback) {
    for (int step = 1; step < golds.size(); step++) {
      String candidate = golds.get((index + step) % golds.size());
      if (!candidate.equals(golds.get(index))) {
        return candidate;
      }
    }
    return fallback;
  }

  private static String offByOne(String gold, String key) {
    if (!isNumber(gold)) {
      return gold + "1";
    }
    long delta = 1 + unsigned(key) % 9;
    return Long.toString(Long.parseLong(gold) + delta);
  }

  private static boolean isNumber(String text) {
    return text.matches("-?\\d{1,15}");
  }

  private static long unsigned(String key) {
    return Hashing.murmur3_128().hashString(key, StandardCharsets.UTF_8).asLong() >>> 1;
  }

  private static String text(JsonNode row, String field, String where) {
    JsonNode value = row.path(field);
    if (!value.isTextual()) {
      throw LeadlineException.data("%s: expected a string field '%s'", where, field);
    }
    return value.asText();
  }
}
