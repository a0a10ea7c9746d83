package io.leadline.api;

import com.google.common.collect.ImmutableList;

/**
 * Scores one sample against its target under a named convention, keeping its evidence.
 *
 * <p>Implementations are thread-safe and deterministic given the answers of {@code models}; a
 * scorer that asks a model (a judge) does so only through {@code models}, so that its requests are
 * keyed, stored, resumed and rate-limited like the model under test's.
 */
public interface Scorer {
  /** The scorer's name, unique across Leadline. */
  String name();

  /** The names of the values every {@link Score} of this scorer holds, in order. */
  ImmutableList<String> values();

  /** Whether the scorer asks a model; a run that needs none of them starts no judge. */
  default boolean callsModels() {
    return false;
  }

  /** The score of {@code sample} against {@code target}. */
  Score score(Sample sample, Target target, ModelCalls models);
}
