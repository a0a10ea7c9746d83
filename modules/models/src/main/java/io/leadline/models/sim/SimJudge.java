package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated profile playing the judge of a model-graded scorer: the reply to a prompt of one of
 * the key's {@link SimJudgeTemplate}s, by the profile's {@link SimProfile.Judge} settings. A pure
 * function of (profile, key, prompt): the same prompt is judged the same on every machine.
 *
 * <p>What the judge sees in a text is its {@link Quality}: grammar (the share of sentences without
 * a slip), creativity (the share of distinct words) and consistency (whether it names the
 * beginning's character, and how many of the beginning's words it takes up).
 *
 * <ul>
 *   <li>An ordinal field [low, high] gets {@code low + f (high - low) + (leniency + noise z) (high
 *       - low) / 10}, rounded and clamped to the scale, where f is the feature the field's name
 *       asks for ({@code grammar}/{@code fluency}, {@code creativity}, {@code consistency}; else
 *       the mean of the three) and z a standard normal draw from (judge seed, item key, text's
 *       hash, field name).
 *   <li>A categorical field without a correct category (an age group, youngest first) gets the
 *       category at {@code floor(m n + 0.3 noise z)}, clamped, where m is the mean of the ordinal
 *       grades as shares of their scales (the mean quality, with the leniency, when there are none)
 *       and n the number of categories.
 *   <li>A verdict field gets its correct category when the text contains a reference answer (the
 *       item's gold, or a {@code gold} or {@code golds} value) as words; else the last other
 *       category when the text attempts no answer (empty, or a short refusal) and there are three
 *       categories or more; else the first other one. A {@code verdictErrorRate} share of verdicts
 *       are one of the other categories instead. An item the key does not know gets no correct
 *       verdict.
 *   <li>A pairwise field gets its first category (first shown better) when the first text's mean
 *       quality is higher, its second when lower, its third (tie) when equal, or the first when
 *       there is no third; but for an {@code orderBias} share of (item, unordered pair of texts)
 *       the first whatever the texts are, so the verdict follows the order the texts are shown in.
 * </ul>
 *
 * <p>A reply is one or two sentences of assessment, a blank line, then the format with its fields
 * filled; a {@code noGradeRate} share of replies (by judge seed, item and text hash) stops after
 * the assessment, so that a parser finds no grades in it.
 */
public final class SimJudge {
  /** Refusals: a short text containing one of these (as words) attempts no answer. */
  private static final List<String> REFUSALS =
      List.of(
          "i do not know",
          "i don t know",
          "i dont know",
          "not sure",
          "no idea",
          "cannot answer",
          "can t answer",
          "unable to answer",
          "i am not able",
          "i m not able",
          "i cannot",
          "i can t",
          "cannot tell",
          "cannot decide",
          "do not recognise",
          "do not recognize");

  /** The most words a refusal has; a longer text with "I cannot" in it is an answer. */
  private static final int REFUSAL_WORDS = 15;

  /** Words of a beginning that do not count towards consistency. */
  private static final Set<String> COMMON =
      ImmutableSet.copyOf(
          ("the and was were she her his him they them their with that there once upon time one day"
                  + " for but had this then very what when you are have from not all out said its"
                  + " named did too can could would will wanted went got get saw see big little lot"
                  + " lots loved love liked like who which into onto some after before again also"
                  + " just always every because something thing things each other our your yes way"
                  + " how why where here now made make has been")
              .split(" "));

  /** The window of {@link #distinct}, in words. */
  private static final int WINDOW = 30;

  /** Shares of distinct words at or below this are no creativity at all. */
  private static final double CREATIVITY_FLOOR = 0.4;

  /** How far above the floor the share of distinct words is full creativity. */
  private static final double CREATIVITY_SPAN = 0.45;

  private static final Set<String> PERSON_WORDS =
      ImmutableSet.of("she", "he", "they", "her", "him", "his", "their", "it", "its");

  /** Capitalised starters right after a lower-case word: a missing full stop. */
  private static final Pattern RUN_ON =
      Pattern.compile("\\b[a-z]+ (" + String.join("|", SimStories.STARTERS) + ")\\b");

  private SimJudge() {}

  /**
   * What the judge sees in a text.
   *
   * @param sentences its sentences (pieces ending in a full stop, question or exclamation mark,
   *     plus one for each missing full stop)
   * @param slips the slips it has: sentences starting lower-case (not the first when it finishes
   *     the beginning's sentence), doubled words, missing full stops (a capitalised starter such as
   *     {@code She} or {@code Then} right after a lower-case word, or no stop at the end)
   * @param grammar {@code 1 - slips / sentences}, at least 0
   * @param creativity the share of distinct words d (see {@link #distinct}), as {@code (d - 0.4) /
   *     0.45} within [0, 1]
   * @param consistency with a beginning, {@code 0.5} if the text names its main character plus
   *     {@code 0.5 min(1, k / 3)} for k of its less common words the text takes up; without, the
   *     share of sentences that refer to a person
   */
  public record Quality(
      int sentences, int slips, double grammar, double creativity, double consistency) {
    /** The mean of grammar, creativity and consistency. */
    public double mean() {
      return (grammar + creativity + consistency) / 3;
    }
  }

  /**
   * A judge's answer to a prompt.
   *
   * @param template the name of the template the prompt is a prompt of
   * @param item the key of the item recognised from the prompt, if any
   * @param fields each field's value as the format writes it, in format order, whether or not the
   *     reply shows them
   * @param unreadable whether the reply leaves the format out
   * @param reply the text the judge sends
   */
  public record Judgement(
      String template,
      Optional<String> item,
      Map<String, String> fields,
      boolean unreadable,
      String reply) {
    public Judgement {
      requireNonNull(template, "template is null");
      requireNonNull(item, "item is null");
      fields = ImmutableMap.copyOf(fields);
      requireNonNull(reply, "reply is null");
    }
  }

  /**
   * How {@code profile} judges {@code prompt}, if it is a prompt of one of {@code key}'s judge
   * templates (the first that matches); the judge settings are the profile's, or {@link
   * SimProfile.Judge#defaults} of its seed.
   */
  public static Optional<Judgement> judge(SimProfile profile, SimAnswerKey key, String prompt) {
    for (SimJudgeTemplate template : key.judgeTemplates()) {
      Optional<Map<String, String>> values = template.match(prompt);
      if (values.isPresent()) {
        return Optional.of(judge(profile.judgeOrDefault(), key, template, values.get()));
      }
    }
    return Optional.empty();
  }

  /** The reply {@code profile} sends to {@code prompt} as a judge, if it is a judge prompt. */
  public static Optional<String> reply(SimProfile profile, SimAnswerKey key, String prompt) {
    return judge(profile, key, prompt).map(Judgement::reply);
  }

  /**
   * What the judge sees in {@code text}, an ending of {@code beginning} (empty when there is none
   * to compare with).
   */
  public static Quality quality(String beginning, String text) {
    String completion = text.strip();
    List<String> words = SimAnswerKey.words(completion);
    if (words.isEmpty()) {
      return new Quality(0, 0, 0, 0, 0);
    }
    List<String> pieces = sentences(completion);
    boolean continues =
        beginning.isBlank()
            ? Character.isLowerCase(firstLetter(completion))
            : SimStories.endsMidSentence(beginning);
    int slips = 0;
    int runOns = 0;
    for (int i = 0; i < pieces.size(); i++) {
      String piece = pieces.get(i);
      if (!(i == 0 && continues) && Character.isLowerCase(firstLetter(piece))) {
        slips++;
      }
      List<String> pieceWords = SimAnswerKey.words(piece);
      for (int w = 1; w < pieceWords.size(); w++) {
        if (pieceWords.get(w).equals(pieceWords.get(w - 1))) {
          slips++;
        }
      }
      Matcher runOn = RUN_ON.matcher(piece);
      while (runOn.find()) {
        runOns++;
      }
    }
    slips += runOns;
    if (!endsInStop(completion)) {
      slips++;
    }
    int sentences = pieces.size() + runOns;
    double grammar = Math.max(0, 1 - slips / (double) sentences);
    double creativity = clamp((distinct(words) - CREATIVITY_FLOOR) / CREATIVITY_SPAN);
    double consistency;
    if (beginning.isBlank()) {
      SimStories.Protagonist own = SimStories.protagonist(completion);
      int referring = 0;
      for (String piece : pieces) {
        List<String> pieceWords = SimAnswerKey.words(piece);
        if (pieceWords.contains(own.mention())
            || pieceWords.stream().anyMatch(PERSON_WORDS::contains)) {
          referring++;
        }
      }
      consistency = referring / (double) pieces.size();
    } else {
      SimStories.Protagonist character = SimStories.protagonist(beginning);
      Set<String> used = new HashSet<>(words);
      Set<String> taken = new LinkedHashSet<>();
      for (String word : SimAnswerKey.words(beginning)) {
        if (word.length() >= 3
            && !COMMON.contains(word)
            && !word.equals(character.mention())
            && used.contains(word)) {
          taken.add(word);
        }
      }
      consistency =
          (used.contains(character.mention()) ? 0.5 : 0) + 0.5 * Math.min(1, taken.size() / 3.0);
    }
    return new Quality(sentences, slips, grammar, creativity, consistency);
  }

  /**
   * The share of distinct words, length-robust: the mean over every window of {@value #WINDOW}
   * consecutive words of the share of distinct words in it (moving-average type-token ratio), or
   * the share in the whole of a shorter text.
   */
  static double distinct(List<String> words) {
    if (words.size() <= WINDOW) {
      return new HashSet<>(words).size() / (double) words.size();
    }
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (String word : words.subList(0, WINDOW)) {
      counts.merge(word, 1, Integer::sum);
    }
    long total = counts.size();
    int windows = 1;
    for (int end = WINDOW; end < words.size(); end++) {
      counts.merge(words.get(end), 1, Integer::sum);
      String out = words.get(end - WINDOW);
      if (counts.merge(out, -1, Integer::sum) == 0) {
        counts.remove(out);
      }
      total += counts.size();
      windows++;
    }
    return total / (double) (windows * WINDOW);
  }

  private static Judgement judge(
      SimProfile.Judge judge,
      SimAnswerKey key,
      SimJudgeTemplate template,
      Map<String, String> values) {
    String itemText = first(values, "beginning", "question", "prompt");
    Optional<SimItem> item = itemText == null ? Optional.empty() : key.find(itemText);
    String itemKey = item.map(SimItem::key).orElse("-");
    String beginning =
        values.containsKey("beginning")
            ? values.get("beginning")
            : item.filter(i -> i.style() == SimItem.Style.STORY).map(SimItem::needle).orElse("");
    List<String> names = inFormatOrder(template);
    ImmutableMap.Builder<String, String> fields = ImmutableMap.builder();
    String assessment;
    String salt;
    if (template.kind() == SimJudgeTemplate.Kind.PAIRWISE) {
      String a = values.get("completion_a").strip();
      String b = values.get("completion_b").strip();
      String hashA = hash(a);
      String hashB = hash(b);
      salt = itemKey + "|" + hashA + "|" + hashB;
      String unordered = hashA.compareTo(hashB) <= 0 ? hashA + "|" + hashB : hashB + "|" + hashA;
      boolean biased =
          unit(judge.seed(), "order-bias|" + itemKey + "|" + unordered) < judge.orderBias();
      double qualityA = quality(beginning, a).mean();
      double qualityB = quality(beginning, b).mean();
      String name = names.get(0);
      List<String> categories = template.fields().get(name).categories();
      int index;
      if (biased || qualityA > qualityB + 1e-12) {
        index = 0;
      } else if (qualityB > qualityA + 1e-12) {
        index = 1;
      } else {
        index = categories.size() >= 3 ? 2 : 0;
      }
      fields.put(name, categories.get(index));
      assessment =
          switch (index) {
            case 0 -> "The first ending is better than the second.";
            case 1 -> "The second ending is better than the first.";
            default -> "Both endings are about as good as each other.";
          };
    } else {
      String completion = values.get("completion").strip();
      salt = itemKey + "|" + hash(completion);
      Quality quality = quality(beginning, completion);
      Map<String, String> filled = new java.util.HashMap<>();
      double shares = 0;
      int ordinals = 0;
      for (String name : names) {
        SimJudgeTemplate.Field field = template.fields().get(name);
        if (!field.isOrdinal()) {
          continue;
        }
        int low = field.low().getAsInt();
        int high = field.high().getAsInt();
        double points = (high - low) / 10.0;
        double z = gaussian(judge.seed(), "grade|" + salt + "|" + name);
        double raw =
            low
                + feature(name, quality) * (high - low)
                + judge.leniency() * points
                + judge.noise() * points * z;
        long grade = Math.max(low, Math.min(high, Math.round(raw)));
        filled.put(name, Long.toString(grade));
        shares += (grade - low) / (double) (high - low);
        ordinals++;
      }
      double mean =
          ordinals > 0 ? shares / ordinals : clamp(quality.mean() + judge.leniency() / 10);
      Optional<String> verdict = Optional.empty();
      boolean attempted = attempted(completion);
      for (String name : names) {
        SimJudgeTemplate.Field field = template.fields().get(name);
        if (field.isOrdinal()) {
          continue;
        }
        List<String> categories = field.categories();
        if (field.correct().isEmpty()) {
          double z = gaussian(judge.seed(), "category|" + salt + "|" + name);
          int index = (int) Math.floor(mean * categories.size() + 0.3 * judge.noise() * z);
          filled.put(name, categories.get(Math.max(0, Math.min(categories.size() - 1, index))));
          continue;
        }
        String correct = field.correct().get();
        List<String> others = new ArrayList<>(categories);
        others.remove(correct);
        String chosen;
        if (item.isPresent() && answers(completion, references(item.get(), values))) {
          chosen = correct;
        } else if (!attempted && categories.size() >= 3) {
          chosen = others.get(others.size() - 1);
        } else {
          chosen = others.get(0);
        }
        if (unit(judge.seed(), "verdict-error|" + salt + "|" + name) < judge.verdictErrorRate()) {
          List<String> wrong = new ArrayList<>(categories);
          wrong.remove(chosen);
          chosen =
              wrong.get(
                  (int) (unit(judge.seed(), "verdict-other|" + salt + "|" + name) * wrong.size()));
        }
        filled.put(name, chosen);
        if (verdict.isEmpty()) {
          verdict =
              Optional.of(
                  chosen.equals(correct)
                      ? "The response gives the reference answer."
                      : categories.size() >= 3 && chosen.equals(others.get(others.size() - 1))
                          ? "The response does not attempt an answer."
                          : "The response gives an answer that does not match the reference.");
        }
      }
      names.forEach(name -> fields.put(name, filled.get(name)));
      assessment = verdict.orElseGet(() -> storyAssessment(mean, quality));
    }
    Map<String, String> filledFields = fields.build();
    boolean unreadable = unit(judge.seed(), "no-grade|" + salt) < judge.noGradeRate();
    String reply = unreadable ? assessment : assessment + "\n\n" + fill(template, filledFields);
    return new Judgement(template.name(), item.map(SimItem::key), filledFields, unreadable, reply);
  }

  private static String storyAssessment(double mean, Quality quality) {
    String overall =
        mean >= 0.75
            ? "The ending is well written and stays close to the beginning."
            : mean >= 0.5
                ? "The ending is readable, with a few problems."
                : "The ending has many problems and loses the thread of the story.";
    String grammar =
        quality.slips() == 0
            ? "Its sentences are grammatical."
            : quality.slips() == 1
                ? "One sentence has a grammatical slip."
                : "Several sentences have grammatical slips.";
    return overall + " " + grammar;
  }

  /** The feature a field's name asks for; the mean quality for a name it does not know. */
  private static double feature(String name, Quality quality) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("grammar") || lower.contains("fluen")) {
      return quality.grammar();
    }
    if (lower.contains("creativ") || lower.contains("original") || lower.contains("novel")) {
      return quality.creativity();
    }
    if (lower.contains("consisten")
        || lower.contains("coheren")
        || lower.contains("relevan")
        || lower.contains("plot")) {
      return quality.consistency();
    }
    return quality.mean();
  }

  /** The reference answers: the item's gold, and the prompt's {@code gold} and {@code golds}. */
  private static List<String> references(SimItem item, Map<String, String> values) {
    List<String> references = new ArrayList<>();
    references.add(item.gold());
    if (values.containsKey("gold")) {
      references.add(values.get("gold"));
    }
    if (values.containsKey("golds")) {
      for (String line : values.get("golds").split("[\\n;|]")) {
        references.add(line.strip().replaceFirst("^[-*]\\s+", ""));
      }
    }
    return references;
  }

  /** Whether {@code text} contains one of {@code references} as words (any case). */
  private static boolean answers(String text, List<String> references) {
    String words = " " + String.join(" ", SimAnswerKey.words(text)) + " ";
    for (String reference : references) {
      List<String> gold = SimAnswerKey.words(reference);
      if (!gold.isEmpty() && words.contains(" " + String.join(" ", gold) + " ")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} attempts an answer: it has words and is not a short refusal. */
  private static boolean attempted(String text) {
    List<String> words = SimAnswerKey.words(text);
    if (words.isEmpty()) {
      return false;
    }
    if (words.size() > REFUSAL_WORDS) {
      return true;
    }
    String joined = " " + String.join(" ", words) + " ";
    return REFUSALS.stream().noneMatch(refusal -> joined.contains(" " + refusal + " "));
  }

  /** {@code text} cut after each full stop, question or exclamation mark (and closing quote). */
  static List<String> sentences(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '.' && c != '!' && c != '?') {
        continue;
      }
      int end = i + 1;
      while (end < text.length() && (text.charAt(end) == '"' || text.charAt(end) == '”')) {
        end++;
      }
      if (end == text.length() || Character.isWhitespace(text.charAt(end))) {
        add(pieces, text.substring(start, end));
        start = end;
        i = end - 1;
      }
    }
    add(pieces, text.substring(start));
    return ImmutableList.copyOf(pieces);
  }

  private static void add(List<String> pieces, String piece) {
    if (!SimAnswerKey.words(piece).isEmpty()) {
      pieces.add(piece.strip());
    }
  }

  private static boolean endsInStop(String text) {
    String end = text.replaceAll("[\"”')\\s]+$", "");
    return end.endsWith(".") || end.endsWith("!") || end.endsWith("?");
  }

  private static char firstLetter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isLetter(text.charAt(i))) {
        return text.charAt(i);
      }
    }
    return 'A';
  }

  private static final Pattern FORMAT_FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

  /** The format with each {@code {field}} replaced by its value, in one pass. */
  private static String fill(SimJudgeTemplate template, Map<String, String> fields) {
    Matcher matcher = FORMAT_FIELD.matcher(template.format());
    StringBuilder reply = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(reply, Matcher.quoteReplacement(fields.get(matcher.group(1))));
    }
    matcher.appendTail(reply);
    return reply.toString();
  }

  /** The fields in the order the format shows them (a map's order may not be the file's). */
  private static List<String> inFormatOrder(SimJudgeTemplate template) {
    List<String> names = new ArrayList<>(template.fields().keySet());
    names.sort(
        java.util.Comparator.comparingInt(
            (String name) -> template.format().indexOf("{" + name + "}")));
    return names;
  }

  private static String first(Map<String, String> values, String... names) {
    for (String name : names) {
      if (values.containsKey(name)) {
        return values.get(name);
      }
    }
    return null;
  }

  private static String hash(String text) {
    return Hashing.murmur3_128().hashString(text, StandardCharsets.UTF_8).toString();
  }

  private static double unit(long seed, String key) {
    return SimResponder.unit(seed, key);
  }

  private static double gaussian(long seed, String key) {
    return new Random(SimResponder.unitSeed(seed, key)).nextGaussian();
  }

  private static double clamp(double value) {
    return Math.max(0, Math.min(1, value));
  }
}
