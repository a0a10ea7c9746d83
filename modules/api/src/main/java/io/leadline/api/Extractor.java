package io.leadline.api;

/**
 * Finds the answer in a model's completion under one named convention (for example {@code
 * gsm8k/lm-eval-strict} or {@code gsm8k/gpt-fathom}), so a number always says how it was made.
 *
 * <p>Implementations are stateless, thread-safe and deterministic.
 */
public interface Extractor {
  /** The convention's name, unique across Leadline: {@code <benchmark>/<convention>}. */
  String name();

  /** One sentence naming the reference implementation this convention reproduces. */
  String description();

  /** Extracts the answer from {@code completion}; never throws on any string. */
  Extraction extract(String completion);
}
