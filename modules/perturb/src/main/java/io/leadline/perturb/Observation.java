package io.leadline.perturb;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One problem's primary metric in a run, under the default prompt or one perturbation variant.
 *
 * @param item identifies the problem within the benchmark (subset and example id)
 * @param perturbation the variant id ({@code kind:name}), empty for the default prompt
 */
public record Observation(
    String model, String benchmark, String item, Optional<String> perturbation, double value) {
  public Observation {
    requireNonNull(model, "model is null");
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(item, "item is null");
    requireNonNull(perturbation, "perturbation is null");
  }
}
