package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated snapshot answers: a pure function of (profile, prompt, sample index,
 * temperature). A prompt of one of the key's judge templates is judged ({@link SimJudge}); a story
 * beginning is continued ({@link SimStories}). Otherwise it recognises the item, decides right,
 * wrong or no answer, and writes the answer in the benchmark's expected format.
 *
 * <p>At temperature 0 an item is right exactly when its difficulty (shared by the snapshot family)
 * is below the snapshot's accuracy. At temperature T the chance of a right sample moves from that
 * verdict towards the accuracy, by T/2 (at most 1/2), so sampled runs give pass@k curves whose
 * pass@1 expectation equals the accuracy.
 */
final class SimResponder {
  private static final Pattern OPTION = Pattern.compile("\\(([A-Z])\\)[ \\t]*");

  private final SimProfile profile;
  private final SimAnswerKey key;
  private final SimThoughts thoughts;

  SimResponder(SimProfile profile, SimAnswerKey key) {
    this.profile = requireNonNull(profile, "profile is null");
    this.key = requireNonNull(key, "key is null");
    this.thoughts = new SimThoughts(profile, key);
  }

  /** An answer and, for a profile that reasons, the thought before it. */
  record Reply(Optional<SimThoughts.Thought> thought, String answer) {}

  /** {@link #respond}'s answer to {@code prompt} with the reasoning profile's thought before it. */
  Reply reply(String prompt, boolean chat, long sampleIndex, double temperature) {
    String answer = respond(prompt, chat, sampleIndex, temperature);
    if (profile.reasoning().isEmpty()) {
      return new Reply(Optional.empty(), answer);
    }
    boolean judged =
        !key.judgeTemplates().isEmpty() && SimJudge.reply(profile, key, prompt).isPresent();
    Optional<SimItem> item = judged ? Optional.empty() : key.find(prompt);
    return new Reply(thoughts.think(prompt, item, chat), answer);
  }

  /**
   * The answer to {@code prompt}; {@code chat} asks for chat-style code (fenced, whole function).
   */
  String respond(String prompt, boolean chat, long sampleIndex, double temperature) {
    if (!key.judgeTemplates().isEmpty()) {
      Optional<String> judged = SimJudge.reply(profile, key, prompt);
      if (judged.isPresent()) {
        return judged.get();
      }
    }
    Optional<SimItem> found = key.find(prompt);
    if (found.isEmpty()) {
      return "I do not recognise this question.";
    }
    SimItem item = found.get();
    if (item.style() == SimItem.Style.STORY) {
      // Like the other styles, greedy decoding ignores the sample index.
      String draw = temperature > 0 ? item.key() + "|" + sampleIndex : item.key();
      return SimStories.write(profile.storiesOrDefault(), profile.seed(), draw, item.needle())
          .text();
    }
    double accuracy = profile.accuracyFor(item.benchmark(), prompt);
    double t = Math.min(1, temperature);
    // Greedy decoding ignores the sample index: every sample at T=0 is the same.
    long sample = t == 0 ? 0 : sampleIndex;
    boolean rightGreedy = unit(profile.difficultySeed(), item.key()) < accuracy;
    boolean right =
        t == 0
            ? rightGreedy
            : unit(profile.seed(), item.key() + "|" + sample + "|" + temperature)
                < (1 - t / 2) * (rightGreedy ? 1 : 0) + t / 2 * accuracy;
    boolean noAnswer =
        unit(profile.seed(), "no-answer|" + item.key() + "|" + sample + "|" + temperature)
            < profile.noAnswerRate();
    boolean biased =
        profile.positionBias().isPresent()
            && unit(profile.seed(), "position-bias|" + item.key())
                < profile.positionBias().get().rate();
    if (biased && item.style() == SimItem.Style.OPTION && !noAnswer) {
      String letter = profile.positionBias().get().letter();
      return prompt.stripTrailing().endsWith("Let's think step by step.")
          ? "We compare the options one by one. The answer is (" + letter + ")."
          : "(" + letter + ")";
    }
    return format(item, prompt, chat, right, noAnswer);
  }

  /** The answer to {@code item} in its benchmark's format: right, wrong, or without an answer. */
  static String format(SimItem item, String prompt, boolean chat, boolean right, boolean noAnswer) {
    String answer = right ? item.gold() : item.wrong();
    boolean thinking = prompt.stripTrailing().endsWith("Let's think step by step.");
    return switch (item.style()) {
      case MATH ->
          noAnswer
              ? "I am not able to work this problem out."
              : (item.work().isEmpty() ? "" : item.work() + "\n") + "The answer is " + answer + ".";
      case BOXED ->
          noAnswer
              ? "I am not able to work this problem out."
              : "We work through the problem step by step.\nThe final answer is $\\boxed{"
                  + answer
                  + "}$.";
      case OPTION -> {
        if (noAnswer) {
          yield "I cannot tell which option is correct.";
        }
        String letter = letterOf(prompt, answer, item);
        yield thinking
            ? "We compare the options one by one. The answer is (" + letter + ")."
            : "(" + letter + ") " + answer;
      }
      case BBH ->
          noAnswer
              ? "Let us look at this carefully, but I cannot decide."
              : thinking || prompt.stripTrailing().endsWith("step by step.")
                  ? "We go through the question step by step. So the answer is " + answer + "."
                  : answer;
      case PROGRAM -> noAnswer ? "I cannot write this function." : answer;
      case CODE -> {
        String body = noAnswer ? "    pass\n" : answer;
        yield chat ? "```python\n" + item.needle() + body + "```\n" : body;
      }
      case SPAN, TEXT -> noAnswer ? "I do not know." : answer;
      case STORY -> throw new IllegalStateException("a story is continued, not answered");
    };
  }

  /**
   * The letter {@code answer} has in the last options block of the prompt, so rotated or shuffled
   * options are answered by content, as a model would.
   */
  private static String letterOf(String prompt, String answer, SimItem item) {
    for (Option option : lastOptions(prompt)) {
      if (option.text().equals(answer.strip())) {
        return option.letter();
      }
    }
    int index = item.choices().indexOf(answer);
    return String.valueOf((char) ('A' + Math.max(0, index)));
  }

  /**
   * The last options block of {@code text} (from its last {@code (A)} on, lines like {@code (B)
   * some text}), in the order shown; empty if there is no {@code (A)}.
   */
  static List<Option> lastOptions(String text) {
    List<Option> options = new ArrayList<>();
    int lastA = text.lastIndexOf("(A)");
    if (lastA < 0) {
      return options;
    }
    Matcher matcher = OPTION.matcher(text);
    matcher.region(lastA, text.length());
    List<int[]> starts = new ArrayList<>();
    List<String> letters = new ArrayList<>();
    while (matcher.find()) {
      starts.add(new int[] {matcher.start(), matcher.end()});
      letters.add(matcher.group(1));
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
      String option = text.substring(starts.get(i)[1], end);
      int newline = option.indexOf('\n');
      options.add(
          new Option(
              letters.get(i), (newline >= 0 ? option.substring(0, newline) : option).strip()));
    }
    return options;
  }

  /** An option of an options block: its letter and its text, stripped. */
  record Option(String letter, String text) {}

  /** A uniform number in [0, 1) from a seed and a key, the same on every machine. */
  static double unit(long seed, String key) {
    long bits =
        Hashing.murmur3_128((int) (seed ^ (seed >>> 32)))
            .hashString(seed + "|" + key, StandardCharsets.UTF_8)
            .asLong();
    return (bits >>> 11) * 0x1.0p-53;
  }

  /** A {@link java.util.Random} seed from a seed and a key, the same on every machine. */
  static long unitSeed(long seed, String key) {
    return Hashing.murmur3_128((int) (seed ^ (seed >>> 32)))
        .hashString("random|" + seed + "|" + key, StandardCharsets.UTF_8)
        .asLong();
  }
}
