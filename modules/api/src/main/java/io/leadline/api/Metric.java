package io.leadline.api;

/**
 * Scores one prediction against its gold answer under one named convention (for example {@code
 * drop/official-f1} or {@code drop/gpt-fathom-f1}).
 *
 * <p>Implementations are stateless, thread-safe and deterministic; scores are in [0, 1].
 *
 * @param <G> the shape of the gold answer: a string, a list of aliases, a list of span lists
 */
public interface Metric<G> {
  /** The convention's name, unique across Leadline: {@code <benchmark>/<convention>}. */
  String name();

  /** One sentence naming the reference implementation this convention reproduces. */
  String description();

  /** The score of {@code prediction} against {@code gold}, in [0, 1]. */
  double score(String prediction, G gold);
}
