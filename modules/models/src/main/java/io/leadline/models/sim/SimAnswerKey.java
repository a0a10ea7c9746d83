package io.leadline.models.sim;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
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

/**
 * The items the simulator can recognise, and the recognising: a prompt is about the item whose text
 * it contains most completely (word 4-grams, so a typo or a changed number still leaves the item
 * recognisable), preferring an exact occurrence, then the later one, then the longer text, so that
 * few-shot exemplars before the question do not win.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SimAnswerKey {
  private static final int SHINGLE = 4;

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
    // Of two items the prompt shows whole, the one it shows last is asked (an exemplar drawn from
    // the evaluated split, RACE's, comes first); at the same end, the longer contains the other.
    int position = lastPosition.get(item);
    int bestPosition = lastPosition.get(best);
    if (position != bestPosition) {
      return position > bestPosition;
    }
    int length = normalisedNeedles.get(item).length();
    int bestLength = normalisedNeedles.get(best).length();
    return length != bestLength ? length > bestLength : item < best;
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
     * Adds the rows of one subset (a BBH task, an MMLU subject, or the whole benchmark), as the
     * benchmark's format adapter read them.
     */
    public Builder add(String benchmark, String subset, List<SimItem.Draft> rows) {
      List<String> golds = rows.stream().map(SimItem.Draft::gold).toList();
      for (int i = 0; i < rows.size(); i++) {
        items.add(item(benchmark, subset, rows.get(i), i, golds));
      }
      return this;
    }

    public SimAnswerKey build() {
      return new SimAnswerKey(items);
    }
  }

  private static SimItem item(
      String benchmark, String subset, SimItem.Draft row, int index, List<String> golds) {
    String gold = row.gold();
    String key = benchmark + "/" + subset + "/" + row.id().orElse(Integer.toString(index));
    String wrong =
        switch (row.style()) {
          case MATH -> offByOne(gold, key);
          case BOXED -> isNumber(gold) ? offByOne(gold, key) : sibling(golds, index, "0");
          case OPTION -> {
            List<String> choices = row.choices();
            yield choices.get(
                (row.goldIndex() + 1 + (int) (unsigned(key) % (choices.size() - 1)))
                    % choices.size());
          }
          case CODE -> "    return None\n";
          case SPAN -> isNumber(gold) ? offByOne(gold, key) : sibling(golds, index, "none");
          case TEXT -> sibling(golds, index, "I do not know");
          case BBH -> bbhWrong(gold, golds, index);
        };
    return new SimItem(
        benchmark, row.style(), key, row.needle(), gold, wrong, row.work(), row.choices());
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
}
