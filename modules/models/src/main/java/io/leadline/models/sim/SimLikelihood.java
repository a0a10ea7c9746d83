package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import io.leadline.models.sim.SimTokenizer.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a simulated snapshot scores a prompt token by token, for the {@code logprobs} of {@code
 * /v1/completions}: a pure function of (profile, prompt).
 *
 * <p>A prompt that ends with one option of a multiple-choice item the key knows (its continuation:
 * whitespace, then {@code (L) text}, {@code (L)} or {@code text}, the letter as the last options
 * block before it shows it) has continuation tokens whose log-probabilities add up to the option's
 * total: in [-1, -0.2] for the option the profile prefers, in [-6.5, -2.5] for each other, so the
 * preferred option always has the highest sum. It prefers the gold option exactly when the item's
 * difficulty (the draw generation uses) is below its log-likelihood accuracy, else a wrong option
 * drawn from its seed. Every other token gets a log-probability from a hash of the token and its
 * position.
 */
final class SimLikelihood {
  private static final Pattern LETTER = Pattern.compile("\\(([A-Z])\\)");

  /** How many {@code (L)} from the end of a prompt are tried as the start of its continuation. */
  private static final int LETTERS_TRIED = 4;

  /** Tokens offered as the likelier alternatives in {@code top_logprobs}. */
  private static final List<String> ALTERNATIVES =
      List.of(" the", ",", " a", ".", "\n", " of", " and", " to", " is", " in", " (", "A", " it");

  private final SimProfile profile;
  private final SimAnswerKey key;

  SimLikelihood(SimProfile profile, SimAnswerKey key) {
    this.profile = requireNonNull(profile, "profile is null");
    this.key = requireNonNull(key, "key is null");
  }

  /**
   * The end of a prompt that is one option of a multiple-choice item.
   *
   * @param option the option's index in the item's choices
   * @param start where the continuation starts (at its leading whitespace)
   */
  record Continuation(SimItem item, int option, int start) {}

  /**
   * The log-probability of each of {@code tokens} (the prompt's) given those before it; the first,
   * which has nothing before it, is {@link Double#NaN}.
   */
  double[] promptLogprobs(String prompt, List<Token> tokens) {
    double[] logprobs = new double[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      logprobs[i] = i == 0 ? Double.NaN : plainLogprob(tokens.get(i).text(), "prompt|" + i);
    }
    Optional<Continuation> found = continuation(prompt);
    if (found.isEmpty()) {
      return logprobs;
    }
    Continuation continuation = found.get();
    // Tokens never straddle the start: it is where whitespace follows the context's last
    // non-whitespace character, and no token holds whitespace after anything else.
    int first = Math.max(1, tokenAt(tokens, continuation.start()));
    if (first >= tokens.size()) {
      return logprobs;
    }
    String draw = continuation.item().key() + "|" + continuation.option();
    double[] weights = new double[tokens.size() - first];
    double weightSum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = 0.5 + SimResponder.unit(profile.seed(), "ll-weight|" + draw + "|" + i);
      weightSum += weights[i];
    }
    double total = total(continuation.item(), continuation.option());
    for (int i = 0; i < weights.length; i++) {
      logprobs[first + i] = total * weights[i] / weightSum;
    }
    return logprobs;
  }

  /**
   * The log-probability of a token the simulator knows nothing particular about, at {@code place}
   * ({@code prompt|i} for the prompt's token i, {@code generated|i} for the i-th generated).
   */
  double plainLogprob(String token, String place) {
    return -0.05 - 5.95 * SimResponder.unit(profile.seed(), "ll-token|" + place + "|" + token);
  }

  /**
   * The {@code top} likeliest tokens at a position whose token is {@code token} with {@code
   * logprob}, likeliest first: the token itself first when it is the likeliest (when it has more
   * than half the probability), else likelier alternatives before it. Probabilities add up to at
   * most 1.
   */
  Map<String, Double> topLogprobs(int top, String token, double logprob, String place) {
    String draw = "ll-top|" + place + "|" + token + "|";
    double probability = Math.exp(logprob);
    double rest = 1 - probability;
    // The token is entry 0; the alternatives' probabilities shrink, each within what is left.
    List<Double> logprobs = new ArrayList<>(List.of(logprob));
    double cap = Math.min(probability, rest);
    if (probability < rest) {
      double likelier =
          probability
              + (rest - probability) * (0.3 + 0.5 * SimResponder.unit(profile.seed(), draw + 0));
      rest -= likelier;
      cap = likelier;
      logprobs.add(Math.log(likelier));
    }
    for (int i = 1; logprobs.size() < top + 1; i++) {
      double next = Math.min(cap, rest) * (0.2 + 0.5 * SimResponder.unit(profile.seed(), draw + i));
      rest -= next;
      cap = next;
      logprobs.add(Math.log(next));
    }
    int shift = (int) (SimResponder.unit(profile.seed(), draw + "tokens") * ALTERNATIVES.size());
    List<String> names = new ArrayList<>(List.of(token));
    for (int i = 0; i < ALTERNATIVES.size() && names.size() < logprobs.size(); i++) {
      String alternative = ALTERNATIVES.get((shift + i) % ALTERNATIVES.size());
      if (!alternative.equals(token)) {
        names.add(alternative);
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < logprobs.size(); i++) {
      order.add(i);
    }
    // Stable, so a tie keeps the token first.
    order.sort(Comparator.comparing((Integer i) -> logprobs.get(i)).reversed());
    Map<String, Double> result = new LinkedHashMap<>();
    for (int i : order.subList(0, Math.min(top, order.size()))) {
      result.put(names.get(i), logprobs.get(i));
    }
    return result;
  }

  /**
   * Whether this profile makes the gold option the likeliest continuation of {@code context} (a
   * multiple-choice prompt without any option after it); empty if the key knows no multiple-choice
   * item there.
   */
  Optional<Boolean> right(String context) {
    return optionItem(context).map(item -> preferred(item) == goldIndex(item));
  }

  /** The option of {@code item} this profile gives the highest log-likelihood. */
  int preferred(SimItem item) {
    int gold = goldIndex(item);
    boolean right =
        SimResponder.unit(profile.difficultySeed(), item.key())
            < profile.likelihoodAccuracy(item.benchmark());
    int options = item.choices().size();
    if (right || options < 2) {
      return gold;
    }
    int wrong =
        Math.min(
            options - 2,
            (int) (SimResponder.unit(profile.seed(), "ll-wrong|" + item.key()) * (options - 1)));
    return wrong < gold ? wrong : wrong + 1;
  }

  /** The sum of the log-probabilities of the continuation that is option {@code option}. */
  double total(SimItem item, int option) {
    double unit = SimResponder.unit(profile.seed(), "ll-total|" + item.key() + "|" + option);
    return option == preferred(item) ? -0.2 - 0.8 * unit : -2.5 - 4.0 * unit;
  }

  /** The option {@code prompt} ends with, trying {@code (L) text}, {@code (L)} and then text. */
  Optional<Continuation> continuation(String prompt) {
    List<Integer> letters = new ArrayList<>();
    Matcher matcher = LETTER.matcher(prompt);
    while (matcher.find()) {
      letters.add(matcher.start());
    }
    for (int i = letters.size() - 1; i >= Math.max(0, letters.size() - LETTERS_TRIED); i--) {
      Optional<Continuation> found = lettered(prompt, letters.get(i));
      if (found.isPresent()) {
        return found;
      }
    }
    return textOnly(prompt);
  }

  /** A continuation {@code (L) text} or {@code (L)} whose letter is at {@code at}. */
  private Optional<Continuation> lettered(String prompt, int at) {
    String letter = prompt.substring(at + 1, at + 2);
    String tail = prompt.substring(at + 3);
    boolean letterOnly = tail.isBlank();
    if (!letterOnly && !Character.isWhitespace(tail.charAt(0))) {
      return Optional.empty();
    }
    int start = prompt.substring(0, at).stripTrailing().length();
    String context = prompt.substring(0, start);
    Optional<SimItem> found = optionItem(context);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SimItem item = found.get();
    List<SimResponder.Option> shown = SimResponder.lastOptions(context);
    int option = -1;
    if (shown.isEmpty()) {
      // No options block: letters follow the dataset's order.
      int index = letter.charAt(0) - 'A';
      option = index < item.choices().size() ? index : -1;
    } else {
      for (SimResponder.Option candidate : shown) {
        if (candidate.letter().equals(letter)) {
          option = choiceIndex(item, candidate.text());
          break;
        }
      }
    }
    if (option < 0 || !(letterOnly || tail.strip().equals(item.choices().get(option).strip()))) {
      return Optional.empty();
    }
    return Optional.of(new Continuation(item, option, start));
  }

  /** A continuation that is an option's text, the longest that the prompt ends with. */
  private Optional<Continuation> textOnly(String prompt) {
    Optional<SimItem> found = optionItem(prompt);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SimItem item = found.get();
    String stripped = prompt.stripTrailing();
    int best = -1;
    for (int i = 0; i < item.choices().size(); i++) {
      String text = item.choices().get(i).strip();
      int at = stripped.length() - text.length();
      if (!text.isEmpty()
          && stripped.endsWith(text)
          && at > 0
          && Character.isWhitespace(stripped.charAt(at - 1))
          && (best < 0 || text.length() > item.choices().get(best).strip().length())) {
        best = i;
      }
    }
    if (best < 0) {
      return Optional.empty();
    }
    String text = item.choices().get(best).strip();
    int start = stripped.substring(0, stripped.length() - text.length()).stripTrailing().length();
    // The context alone must be about the same item, as the verdict of right(context) is.
    Optional<SimItem> again = optionItem(prompt.substring(0, start));
    if (again.isEmpty() || !again.get().key().equals(item.key())) {
      return Optional.empty();
    }
    return Optional.of(new Continuation(item, best, start));
  }

  /** The multiple-choice item {@code prompt} is about, if its gold is one of its options. */
  private Optional<SimItem> optionItem(String prompt) {
    return key.find(prompt)
        .filter(item -> item.style() == SimItem.Style.OPTION && goldIndex(item) >= 0);
  }

  private static int goldIndex(SimItem item) {
    return choiceIndex(item, item.gold());
  }

  /** The choice {@code text} is, or else the first whose first line it is (as a block shows it). */
  private static int choiceIndex(SimItem item, String text) {
    for (int i = 0; i < item.choices().size(); i++) {
      if (item.choices().get(i).strip().equals(text.strip())) {
        return i;
      }
    }
    for (int i = 0; i < item.choices().size(); i++) {
      if (item.choices().get(i).strip().split("\n", 2)[0].strip().equals(text.strip())) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first token that ends after {@code offset}. */
  private static int tokenAt(List<Token> tokens, int offset) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).end() > offset) {
        return i;
      }
    }
    return tokens.size();
  }
}
