package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The decoding parameters of one request, as a setting fixes them.
 *
 * @param temperature 0 for greedy decoding
 * @param topP nucleus mass, or empty to leave the server's default
 * @param maxTokens the cap on generated tokens; a completion that reaches it is marked truncated
 * @param stop stop sequences, applied by the client as well where a server takes fewer
 * @param n completions wanted for the same prompt
 * @param seed the sampling seed, sent where the provider supports one
 */
public record Sampling(
    double temperature,
    Optional<Double> topP,
    int maxTokens,
    List<String> stop,
    int n,
    OptionalLong seed) {
  public Sampling {
    checkArgument(
        temperature >= 0 && temperature <= 2, "temperature must be in [0, 2]: %s", temperature);
    requireNonNull(topP, "topP is null");
    topP.ifPresent(p -> checkArgument(p > 0 && p <= 1, "top_p must be in (0, 1]: %s", p));
    checkArgument(maxTokens >= 1, "maxTokens must be >= 1: %s", maxTokens);
    stop = ImmutableList.copyOf(stop);
    stop.forEach(s -> checkArgument(!s.isEmpty(), "a stop sequence is empty"));
    checkArgument(n >= 1, "n must be >= 1: %s", n);
    requireNonNull(seed, "seed is null");
  }

  /** Greedy decoding of one completion with no stop sequences and no seed. */
  public static Sampling greedy(int maxTokens) {
    return new Sampling(0, Optional.empty(), maxTokens, List.of(), 1, OptionalLong.empty());
  }

  /** This sampling asking for {@code count} completions and seeded with {@code newSeed}. */
  public Sampling withN(int count, OptionalLong newSeed) {
    return new Sampling(temperature, topP, maxTokens, stop, count, newSeed);
  }
}
