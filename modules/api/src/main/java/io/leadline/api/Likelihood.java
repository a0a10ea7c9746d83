package io.leadline.api;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * The log-likelihood a model gives one continuation of a context: the log-probabilities of the
 * continuation's tokens, as the server returned them for the echoed prompt.
 *
 * @param tokenLogprobs each continuation token's log-probability, in order (natural log)
 * @param greedy whether every continuation token was the server's most likely token there, where
 *     the server said ({@code top_logprobs}); empty where it did not
 */
public record Likelihood(ImmutableList<Double> tokenLogprobs, Optional<Boolean> greedy) {
  public Likelihood {
    tokenLogprobs = ImmutableList.copyOf(tokenLogprobs);
    requireNonNull(greedy, "greedy is null");
    for (double logprob : tokenLogprobs) {
      if (Double.isNaN(logprob) || logprob > 0) {
        throw new IllegalArgumentException("a log-probability must be <= 0: " + logprob);
      }
    }
  }

  public Likelihood(List<Double> tokenLogprobs, Optional<Boolean> greedy) {
    this(ImmutableList.copyOf(tokenLogprobs), greedy);
  }

  /** The continuation's log-probability: its tokens' log-probabilities summed in order. */
  public double logprob() {
    double sum = 0;
    for (double logprob : tokenLogprobs) {
      sum += logprob;
    }
    return sum;
  }

  /** How many tokens the continuation took. */
  public int tokens() {
    return tokenLogprobs.size();
  }
}
