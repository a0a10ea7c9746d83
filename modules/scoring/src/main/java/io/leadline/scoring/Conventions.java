package io.leadline.scoring;

import static java.util.Objects.requireNonNull;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Small builders for the named extractors and metrics the scorer classes publish. */
final class Conventions {
  private Conventions() {}

  static Extractor extractor(
      String name, String description, Function<String, Extraction> extraction) {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(extraction, "extraction is null");
    return new Extractor() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public Extraction extract(String completion) {
        return extraction.apply(requireNonNull(completion, "completion is null"));
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  static <G> Metric<G> metric(
      String name, String description, BiFunction<String, G, Double> scoring) {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(scoring, "scoring is null");
    return new Metric<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public double score(String prediction, G gold) {
        return scoring.apply(
            requireNonNull(prediction, "prediction is null"), requireNonNull(gold, "gold is null"));
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
