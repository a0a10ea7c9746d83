package io.leadline.compare;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One problem of a run as the diff sees it: where it belongs, its value of the primary metric, and
 * what a reader needs to see a flip (question, answer, gold).
 *
 * @param subset empty for benchmarks without subsets
 * @param value the problem's primary metric in [0, 1] (for sampled runs, over its samples)
 * @param answer the first sample's extracted answer, or empty when there was none
 * @param byLikelihood whether its setting scored it by the options' log-likelihoods
 */
public record Item(
    String benchmark,
    Optional<String> subset,
    String setting,
    String settingHash,
    String metric,
    String exampleId,
    int exampleIndex,
    double value,
    String question,
    Optional<String> answer,
    String gold,
    boolean byLikelihood) {
  public Item {
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(subset, "subset is null");
    requireNonNull(setting, "setting is null");
    requireNonNull(settingHash, "settingHash is null");
    requireNonNull(metric, "metric is null");
    requireNonNull(exampleId, "exampleId is null");
    requireNonNull(question, "question is null");
    requireNonNull(answer, "answer is null");
    requireNonNull(gold, "gold is null");
  }

  /**
   * This problem under another setting hash: how two settings' problems are paired item by item.
   */
  Item withSettingHash(String hash) {
    return new Item(
        benchmark,
        subset,
        setting,
        hash,
        metric,
        exampleId,
        exampleIndex,
        value,
        question,
        answer,
        gold,
        byLikelihood);
  }
}
