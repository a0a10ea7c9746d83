package io.leadline.models.sim;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import com.google.common.primitives.Longs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The items the simulator can recognise, and the recognising: a prompt is about the item whose text
 * it contains most completely (word 4-grams, so a typo or a changed number still leaves the item
 * recognisable), preferring an exact occurrence, then one whose options follow it, then the longer
 * text, then the later one, so that few-shot exemplars before the question do not win; of two items
 * of a benchmark whose exemplars are items too, shown one after the other, the later. It also holds
 * the judge templates whose prompts a profile answers as a judge.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SimAnswerKey {
  private static final int SHINGLE = 4;

  private final List<SimItem> items;
  private final List<String> normalisedNeedles;
  private final int[] shingleCounts;
  private final Map<Long, int[]> index;
  private final Set<String> itemsAsExemplars;
  private final List<SimJudgeTemplate> judgeTemplates;

  private SimAnswerKey(
      List<SimItem> items, Set<String> itemsAsExemplars, List<SimJudgeTemplate> judgeTemplates) {
    this.items = ImmutableList.copyOf(items);
    this.itemsAsExemplars = Set.copyOf(itemsAsExemplars);
    this.judgeTemplates = ImmutableList.copyOf(judgeTemplates);
    this.normalisedNeedles = new ArrayList<>();
    this.shingleCounts = new int[items.size()];
    Map<Long, List<Integer>> building = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      List<String> words = words(items.get(i).needle());
      normalisedNeedles.add(String.join(" ", words));
      Set<Long> shingles = new LinkedHashSet<>(Longs.asList(shingles(words)));
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

  /** The judge templates, in the order added: a prompt of the first that matches is judged. */
  public List<SimJudgeTemplate> judgeTemplates() {
    return judgeTemplates;
  }

  /** The item {@code prompt} asks about, if it asks about one this key knows. */
  public Optional<SimItem> find(String prompt) {
    Scratch scratch = SCRATCH.get().fit(items.size());
    // A request for n samples asks about its prompt n times.
    if (scratch.lastKey == this && prompt.equals(scratch.lastPrompt)) {
      return scratch.lastFound;
    }
    Optional<SimItem> found = search(prompt, scratch);
    scratch.lastKey = this;
    scratch.lastPrompt = prompt;
    scratch.lastFound = found;
    return found;
  }

  private Optional<SimItem> search(String prompt, Scratch scratch) {
    List<String> words = words(prompt);
    long[] shingles = shingles(words);
    int[] matched = scratch.matched;
    int[] lastPosition = scratch.lastPosition;
    LongSet seen = new LongSet(shingles.length);
    int touched = 0;
    int[] order = scratch.order;
    for (int position = 0; position < shingles.length; position++) {
      long shingle = shingles[position];
      int[] holders = index.get(shingle);
      if (holders == null) {
        continue;
      }
      boolean first = seen.add(shingle);
      for (int item : holders) {
        if (lastPosition[item] < 0) {
          if (touched == order.length) {
            order = scratch.order = Arrays.copyOf(order, order.length * 2);
          }
          order[touched++] = item;
        }
        if (first) {
          matched[item]++;
        }
        lastPosition[item] = position;
      }
    }
    // In item order, so that which item wins never depends on how a table iterates.
    Arrays.sort(order, 0, touched);
    String normalisedPrompt = null;
    int best = -1;
    double bestFraction = 0;
    boolean bestExact = false;
    int[] exactAt = scratch.exactAt;
    try {
      for (int o = 0; o < touched; o++) {
        int item = order[o];
        double fraction = matched[item] / (double) shingleCounts[item];
        if (fraction < 0.5 || fraction + 1e-9 < bestFraction - 0.25) {
          continue;
        }
        if (normalisedPrompt == null) {
          normalisedPrompt = String.join(" ", words);
        }
        int at = normalisedPrompt.lastIndexOf(normalisedNeedles.get(item));
        boolean exact = at >= 0;
        exactAt[item] = at;
        if (best < 0
            || better(
                item,
                exact,
                fraction,
                best,
                bestExact,
                bestFraction,
                exactAt,
                lastPosition,
                normalisedPrompt)) {
          best = item;
          bestFraction = fraction;
          bestExact = exact;
        }
      }
    } finally {
      for (int o = 0; o < touched; o++) {
        int item = order[o];
        matched[item] = 0;
        lastPosition[item] = -1;
        exactAt[item] = -1;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(items.get(best));
  }

  /** The shingles a prompt has shown: open addressing, as they are well mixed already. */
  private static final class LongSet {
    private final long[] keys;
    private final boolean[] used;
    private final int mask;

    LongSet(int expected) {
      int size = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) * 2;
      keys = new long[size];
      used = new boolean[size];
      mask = size - 1;
    }

    /** Adds {@code key}; whether it was new. */
    boolean add(long key) {
      int slot = (int) key & mask;
      while (used[slot]) {
        if (keys[slot] == key) {
          return false;
        }
        slot = (slot + 1) & mask;
      }
      used[slot] = true;
      keys[slot] = key;
      return true;
    }
  }

  /** Per-thread counters of {@link #find}, indexed by item and reset after each call. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    int[] matched = new int[0];
    int[] lastPosition = new int[0];
    int[] exactAt = new int[0];
    int[] order = new int[64];
    SimAnswerKey lastKey;
    String lastPrompt;
    Optional<SimItem> lastFound;

    Scratch fit(int size) {
      if (matched.length < size) {
        matched = new int[size];
        lastPosition = new int[size];
        exactAt = new int[size];
        Arrays.fill(lastPosition, -1);
        Arrays.fill(exactAt, -1);
      }
      return this;
    }
  }

  private boolean better(
      int item,
      boolean exact,
      double fraction,
      int best,
      boolean bestExact,
      double bestFraction,
      int[] exactAt,
      int[] lastPosition,
      String normalisedPrompt) {
    if (exact != bestExact) {
      return exact;
    }
    if (Math.abs(fraction - bestFraction) > 1e-9) {
      return fraction > bestFraction;
    }
    // An item with options is asked where its options follow it; another benchmark's item the
    // prompt happens to show (MATH's in an MMLU exemplar) has no options of its own there.
    if (exact) {
      boolean shown = optionsFollow(item, exactAt[item], normalisedPrompt);
      boolean bestShown = optionsFollow(best, exactAt[best], normalisedPrompt);
      if (shown != bestShown) {
        return shown;
      }
    }
    // Two items of a benchmark whose exemplars are items too (RACE's), shown whole one after the
    // other: the later is asked, the earlier is the exemplar.
    String benchmark = items.get(item).benchmark();
    if (exact
        && itemsAsExemplars.contains(benchmark)
        && benchmark.equals(items.get(best).benchmark())) {
      int start = exactAt[item];
      int bestStart = exactAt[best];
      if (start >= bestStart + normalisedNeedles.get(best).length()) {
        return true;
      }
      if (bestStart >= start + normalisedNeedles.get(item).length()) {
        return false;
      }
    }
    int position = lastPosition[item];
    int bestPosition = lastPosition[best];
    int length = normalisedNeedles.get(item).length();
    int bestLength = normalisedNeedles.get(best).length();
    if (length != bestLength) {
      return length > bestLength;
    }
    return position != bestPosition ? position > bestPosition : item < best;
  }

  /** Whether {@code item} has options and each follows its occurrence at {@code at}. */
  private boolean optionsFollow(int item, int at, String normalisedPrompt) {
    List<String> choices = items.get(item).choices();
    if (choices.isEmpty()) {
      return false;
    }
    for (String choice : choices) {
      String words = String.join(" ", words(choice));
      if (!words.isEmpty() && normalisedPrompt.indexOf(words, at) < 0) {
        return false;
      }
    }
    return true;
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

  /**
   * The hashes of the word {@code SHINGLE}-grams (the whole text when shorter): FNV-1a per word,
   * mixed in order, so no shingle string is built.
   */
  private static long[] shingles(List<String> words) {
    if (words.isEmpty()) {
      return new long[0];
    }
    long[] hashes = new long[words.size()];
    for (int i = 0; i < hashes.length; i++) {
      long hash = 0xcbf29ce484222325L;
      String word = words.get(i);
      for (int c = 0; c < word.length(); c++) {
        hash = (hash ^ word.charAt(c)) * 0x100000001b3L;
      }
      hashes[i] = hash;
    }
    int width = Math.min(SHINGLE, words.size());
    long[] shingles = new long[words.size() - width + 1];
    for (int i = 0; i + width <= words.size(); i++) {
      long hash = width;
      for (int k = 0; k < width; k++) {
        hash = (hash ^ hashes[i + k]) * 0x9E3779B97F4A7C15L;
        hash ^= hash >>> 29;
      }
      // MurmurHash3's finaliser: every bit of the key reaches the bits a HashMap buckets by.
      hash = (hash ^ (hash >>> 33)) * 0xff51afd7ed558ccdL;
      hash = (hash ^ (hash >>> 33)) * 0xc4ceb9fe1a85ec53L;
      shingles[i] = hash ^ (hash >>> 33);
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
    private final Set<String> itemsAsExemplars = new java.util.HashSet<>();
    private final List<SimJudgeTemplate> judgeTemplates = new ArrayList<>();

    /**
     * Marks {@code benchmark} as one whose exemplars are drawn from its items (RACE's), so a prompt
     * that shows two of its items is about the later.
     */
    public Builder itemsAsExemplars(String benchmark) {
      itemsAsExemplars.add(benchmark);
      return this;
    }

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

    /**
     * Adds a judge template: a prompt it matches is answered as a judge would, by the profile's
     * {@code judge} settings.
     *
     * @throws IllegalArgumentException if a template of that name was added already
     */
    public Builder judgeTemplate(SimJudgeTemplate template) {
      java.util.Objects.requireNonNull(template, "template is null");
      for (SimJudgeTemplate added : judgeTemplates) {
        if (added.name().equals(template.name())) {
          throw new IllegalArgumentException(
              "judge template '" + template.name() + "' was added already");
        }
      }
      judgeTemplates.add(template);
      return this;
    }

    public SimAnswerKey build() {
      return new SimAnswerKey(items, itemsAsExemplars, judgeTemplates);
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
          case PROGRAM -> "def solution():\n    return None\n";
          case SPAN -> isNumber(gold) ? offByOne(gold, key) : sibling(golds, index, "none");
          case TEXT -> sibling(golds, index, "I do not know");
          // A story has no right ending, so none is wrong either: a judge grades it.
          case STORY -> "";
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
