package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a reasoning profile ({@link SimProfile.Reasoning}) thinks before it answers, and how the
 * thought and the answer share a request's token limit.
 *
 * <p>The reasoning of an item it knows tries a wrong answer first, written in the benchmark's
 * answer format ({@code The answer is 17.}, {@code (C) …}), then rejects it: an extractor that
 * reads the reasoning finds that candidate, so it scores differently from one that reads the answer
 * alone. The reasoning of a share of each benchmark's items never ends (exactly {@code truncated}
 * of the answer key's items of the benchmark, rounded, ranked by the profile's seed): it goes on,
 * weighing the gold answer against the wrong one, until the token limit stops it, and no answer
 * comes.
 *
 * <p>Thread-safe; deterministic.
 */
final class SimThoughts {
  /** How far endless reasoning runs where a request sets no token limit. */
  static final long ENDLESS_TOKENS = 4096;

  private final SimProfile profile;
  private final SimAnswerKey key;
  private final Map<String, Set<String>> endless = new ConcurrentHashMap<>();

  SimThoughts(SimProfile profile, SimAnswerKey key) {
    this.profile = requireNonNull(profile, "profile is null");
    this.key = requireNonNull(key, "key is null");
  }

  /**
   * One thought: the reasoning as far as it goes before the answer, and for endless reasoning the
   * sentence it then repeats.
   */
  record Thought(String reasoning, boolean endless, String loop) {
    /** The reasoning written out to at least {@code tokens} tokens (all of it, if not endless). */
    String upTo(long tokens) {
      if (!endless) {
        return reasoning;
      }
      StringBuilder text = new StringBuilder(reasoning);
      while (SimServer.tokens(text.toString()) < tokens) {
        text.append(' ').append(loop);
      }
      return text.toString();
    }
  }

  /**
   * The thought before the answer to {@code prompt} about {@code item} (empty for a prompt the key
   * does not know, or one a judge answers); empty for a profile that does not reason.
   *
   * @param chat whether the answer is chat-style (fenced code)
   */
  Optional<Thought> think(String prompt, Optional<SimItem> item, boolean chat) {
    if (profile.reasoning().isEmpty()) {
      return Optional.empty();
    }
    if (item.isEmpty() || item.get().wrong().isEmpty()) {
      return Optional.of(
          new Thought("Let me think about how to answer this before I write.", false, ""));
    }
    SimItem known = item.get();
    String draft = SimResponder.format(known, prompt, chat, false, false);
    String reasoning =
        "Let me work this out before I answer. A first attempt:\n"
            + draft
            + "\nThat does not hold up, so I go through each step again.";
    String loop =
        "Checking once more: is it "
            + known.gold().strip()
            + ", or "
            + known.wrong().strip()
            + "? I go back over the steps.";
    return Optional.of(
        new Thought(reasoning, endlessItems(known.benchmark()).contains(known.key()), loop));
  }

  /**
   * The items of {@code benchmark} whose reasoning never ends: the first share by a seeded rank.
   */
  private Set<String> endlessItems(String benchmark) {
    return endless.computeIfAbsent(
        benchmark,
        name -> {
          List<SimItem> items =
              key.items().stream().filter(i -> i.benchmark().equals(name)).toList();
          long count = Math.round(profile.reasoning().orElseThrow().truncated() * items.size());
          return items.stream()
              .sorted(
                  Comparator.comparingDouble(
                          (SimItem i) ->
                              SimResponder.unit(profile.seed(), "reasoning-endless|" + i.key()))
                      .thenComparing(SimItem::key))
              .limit(count)
              .map(SimItem::key)
              .collect(Collectors.toUnmodifiableSet());
        });
  }

  /**
   * A thought and an answer laid out within {@code limit} generated tokens: the reasoning first,
   * then the answer, each cut where the limit falls.
   *
   * @param reasoning what of the reasoning was generated
   * @param answer what of the answer was generated (empty if the limit fell inside the reasoning)
   * @param truncated whether the limit cut the generation
   */
  record Generated(String reasoning, String answer, boolean truncated) {
    long reasoningTokens() {
      return SimServer.tokens(reasoning);
    }

    long tokens() {
      return reasoningTokens() + (answer.isEmpty() ? 0 : SimServer.tokens(answer));
    }
  }

  /** {@code thought} and {@code answer} within {@code limit} tokens, the reasoning apart. */
  static Generated separate(Thought thought, String answer, long limit) {
    long cap = limit == Long.MAX_VALUE ? ENDLESS_TOKENS : limit;
    String reasoning = thought.upTo(cap + 1);
    if (SimServer.tokens(reasoning) >= cap) {
      // The limit falls inside the reasoning, or at its end: nothing is left for the answer.
      return new Generated(cut(reasoning, cap), "", true);
    }
    long left = limit - SimServer.tokens(reasoning);
    if (SimServer.tokens(answer) > left) {
      return new Generated(reasoning, cut(answer, left), true);
    }
    return new Generated(reasoning, answer, false);
  }

  /**
   * {@code thought} and {@code answer} as one text, the reasoning between {@code <think>} tags
   * before the answer, within {@code limit} tokens: what a server without a reasoning parser sends.
   */
  static Generated inline(Thought thought, String answer, long limit) {
    long allowed = thought.endless() ? (limit == Long.MAX_VALUE ? ENDLESS_TOKENS : limit) : limit;
    String text =
        thought.endless()
            ? "<think>\n" + thought.upTo(allowed + 1)
            : "<think>\n" + thought.reasoning() + "\n</think>\n\n" + answer;
    if (SimServer.tokens(text) > allowed) {
      return new Generated("", cut(text, allowed), true);
    }
    return new Generated("", text, false);
  }

  /** The first {@code tokens} tokens of {@code text} (four characters a token). */
  private static String cut(String text, long tokens) {
    return text.substring(0, (int) Math.min(text.length(), Math.max(0, tokens) * 4));
  }
}
