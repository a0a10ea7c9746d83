package io.leadline.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadline.api.Likelihood;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log-probabilities a completions server returns for an echoed prompt, in OpenAI's legacy shape
 * ({@code logprobs: {tokens, token_logprobs, top_logprobs, text_offset}}), checked before they are
 * believed: the text must begin with the prompt, every prompt token but the first must have a
 * log-probability, and the offsets must place the tokens in the text from its start. A server that
 * ignores {@code echo} or leaves the prompt out would otherwise score every option alike — chance.
 *
 * <p>A continuation's tokens are found by {@code text_offset}, never by tokenising again: those
 * that end past the context. Offsets count characters as Python does (code points), as OpenAI and
 * vLLM send them. A token that straddles the boundary (the server merged the context's last
 * characters with the continuation's first) counts to the continuation.
 */
final class EchoLogprobs {
  static final String ECHO_IGNORED = "echo ignored";
  static final String NO_PROMPT_LOGPROBS = "no prompt logprobs";
  static final String OFFSETS_MISSING = "offsets missing";

  /** Log-probabilities above 0 by rounding only are read as 0. */
  private static final double ROUNDING = 1e-6;

  private EchoLogprobs() {}

  /** A response that cannot be scored by log-likelihood, with what was missing. */
  static final class Unscorable extends Protocol.MalformedResponse {
    private static final long serialVersionUID = 1L;

    Unscorable(String missing, String detail) {
      super(missing + " (" + detail + ")");
    }
  }

  /**
   * The likelihood of the part of {@code prompt} after its first {@code contextLength} characters,
   * from one choice of an echoed completions response.
   *
   * @throws Unscorable naming what the response lacks
   */
  static Likelihood continuation(JsonNode choice, String prompt, int contextLength)
      throws Unscorable {
    JsonNode text = choice.path("text");
    if (!text.isTextual() || !text.asText().startsWith(prompt)) {
      throw new Unscorable(ECHO_IGNORED, "the returned text does not begin with the prompt");
    }
    JsonNode logprobs = choice.path("logprobs");
    JsonNode tokens = logprobs.path("tokens");
    JsonNode values = logprobs.path("token_logprobs");
    if (!tokens.isArray() || !values.isArray() || tokens.size() != values.size()) {
      throw new Unscorable(
          NO_PROMPT_LOGPROBS, "no 'logprobs.tokens' with a 'token_logprobs' entry each");
    }
    JsonNode offsets = logprobs.path("text_offset");
    if (!offsets.isArray() || offsets.size() != tokens.size()) {
      throw new Unscorable(OFFSETS_MISSING, "no 'logprobs.text_offset' entry for each token");
    }
    int n = tokens.size();
    int promptEnd = prompt.codePointCount(0, prompt.length());
    int contextEnd = prompt.codePointCount(0, contextLength);
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      JsonNode offset = offsets.get(i);
      if (!offset.canConvertToInt() || !offset.isIntegralNumber()) {
        throw new Unscorable(OFFSETS_MISSING, "text_offset " + i + " is not a whole number");
      }
      at[i] = offset.asInt();
      if (at[i] < 0 || (i > 0 && at[i] < at[i - 1])) {
        throw new Unscorable(OFFSETS_MISSING, "text_offset does not increase from token to token");
      }
    }
    if (n == 0 || at[0] >= promptEnd) {
      throw new Unscorable(NO_PROMPT_LOGPROBS, "the tokens begin after the prompt");
    }
    if (at[0] != 0) {
      throw new Unscorable(OFFSETS_MISSING, "the first token is at offset " + at[0] + ", not 0");
    }
    // The prompt's tokens: those that start inside it.
    int last = 0;
    while (last + 1 < n && at[last + 1] < promptEnd) {
      last++;
    }
    if (last + 1 < n && at[last + 1] != promptEnd) {
      throw new Unscorable(
          OFFSETS_MISSING,
          "the prompt's tokens end at offset " + at[last + 1] + ", not at its end, " + promptEnd);
    }
    // The continuation's: from the last token starting at or before the context's end.
    int first = 0;
    while (first + 1 <= last && at[first + 1] <= contextEnd) {
      first++;
    }
    if (first == 0) {
      throw new Unscorable(
          NO_PROMPT_LOGPROBS, "the continuation begins in the first token, which has none");
    }
    for (int i = 1; i <= last; i++) {
      if (!values.get(i).isNumber()) {
        throw new Unscorable(
            NO_PROMPT_LOGPROBS, "prompt token " + i + " of " + (last + 1) + " has none");
      }
    }
    List<Double> continuation = new ArrayList<>();
    Optional<Boolean> greedy = Optional.of(true);
    JsonNode tops = logprobs.path("top_logprobs");
    for (int i = first; i <= last; i++) {
      double value = values.get(i).asDouble();
      if (Double.isNaN(value) || value > ROUNDING) {
        throw new Unscorable(
            NO_PROMPT_LOGPROBS, "token " + i + " has log-probability " + value + ", above 0");
      }
      continuation.add(Math.min(0, value));
      JsonNode top = tops.isArray() && tops.size() == n ? tops.get(i) : null;
      if (top == null || !top.isObject() || top.isEmpty()) {
        greedy = Optional.empty();
      } else if (greedy.isPresent()) {
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode alternative : top) {
          best = Math.max(best, alternative.asDouble(Double.NEGATIVE_INFINITY));
        }
        if (value < best - ROUNDING) {
          greedy = Optional.of(false);
        }
      }
    }
    return new Likelihood(continuation, greedy);
  }
}
