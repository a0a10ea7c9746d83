package io.leadline.datasets;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.LeadlineException;
import java.util.Optional;

/**
 * The Hub datasets behind the six benchmarks and the splits {@code leadline data pull} fetches for
 * each: the evaluated split, plus the split few-shot exemplars come from where that is a whole
 * small split (MMLU {@code dev}). Column schemas are exactly as the Hub serves them.
 */
public final class KnownDatasets {
  /** The 57 MMLU subjects, as {@code cais/mmlu} names its configs. */
  public static final ImmutableList<String> MMLU_SUBJECTS =
      ImmutableList.of(
          "abstract_algebra",
          "anatomy",
          "astronomy",
          "business_ethics",
          "clinical_knowledge",
          "college_biology",
          "college_chemistry",
          "college_computer_science",
          "college_mathematics",
          "college_medicine",
          "college_physics",
          "computer_security",
          "conceptual_physics",
          "econometrics",
          "electrical_engineering",
          "elementary_mathematics",
          "formal_logic",
          "global_facts",
          "high_school_biology",
          "high_school_chemistry",
          "high_school_computer_science",
          "high_school_european_history",
          "high_school_geography",
          "high_school_government_and_politics",
          "high_school_macroeconomics",
          "high_school_mathematics",
          "high_school_microeconomics",
          "high_school_physics",
          "high_school_psychology",
          "high_school_statistics",
          "high_school_us_history",
          "high_school_world_history",
          "human_aging",
          "human_sexuality",
          "international_law",
          "jurisprudence",
          "logical_fallacies",
          "machine_learning",
          "management",
          "marketing",
          "medical_genetics",
          "miscellaneous",
          "moral_disputes",
          "moral_scenarios",
          "nutrition",
          "philosophy",
          "prehistory",
          "professional_accounting",
          "professional_law",
          "professional_medicine",
          "professional_psychology",
          "public_relations",
          "security_studies",
          "sociology",
          "us_foreign_policy",
          "virology",
          "world_religions");

  /** The 27 BIG-Bench Hard tasks. */
  public static final ImmutableList<String> BBH_TASKS =
      ImmutableList.of(
          "boolean_expressions",
          "causal_judgement",
          "date_understanding",
          "disambiguation_qa",
          "dyck_languages",
          "formal_fallacies",
          "geometric_shapes",
          "hyperbaton",
          "logical_deduction_five_objects",
          "logical_deduction_seven_objects",
          "logical_deduction_three_objects",
          "movie_recommendation",
          "multistep_arithmetic_two",
          "navigate",
          "object_counting",
          "penguins_in_a_table",
          "reasoning_about_colored_objects",
          "ruin_names",
          "salient_translation_error_detection",
          "snarks",
          "sports_understanding",
          "temporal_sequences",
          "tracking_shuffled_objects_five_objects",
          "tracking_shuffled_objects_seven_objects",
          "tracking_shuffled_objects_three_objects",
          "web_of_lies",
          "word_sorting");

  private static final ImmutableMap<String, ImmutableList<SplitRef>> SPLITS =
      ImmutableMap.<String, ImmutableList<SplitRef>>builder()
          .put("gsm8k", ImmutableList.of(new SplitRef("openai/gsm8k", "main", "test")))
          .put(
              "mmlu",
              ImmutableList.of(
                  new SplitRef("cais/mmlu", "all", "test"),
                  new SplitRef("cais/mmlu", "all", "dev")))
          .put(
              "humaneval",
              ImmutableList.of(new SplitRef("openai/openai_humaneval", "openai_humaneval", "test")))
          .put("drop", ImmutableList.of(new SplitRef("ucinlp/drop", "default", "validation")))
          .put(
              "triviaqa",
              ImmutableList.of(new SplitRef("mandarjoshi/trivia_qa", "rc.nocontext", "validation")))
          .put(
              "bbh",
              BBH_TASKS.stream()
                  .map(task -> new SplitRef("lukaemon/bbh", task, "test"))
                  .collect(ImmutableList.toImmutableList()))
          .buildOrThrow();

  private KnownDatasets() {}

  public static ImmutableList<String> benchmarks() {
    return SPLITS.keySet().asList();
  }

  /**
   * The splits {@code data pull} fetches for {@code benchmark}.
   *
   * @throws LeadlineException naming the known benchmarks if there is no such benchmark
   */
  public static ImmutableList<SplitRef> splits(String benchmark) {
    ImmutableList<SplitRef> splits = SPLITS.get(benchmark);
    if (splits == null) {
      throw LeadlineException.userInput(
          "BENCHMARK: unknown '%s'; known: %s", benchmark, String.join(", ", SPLITS.keySet()));
    }
    return splits;
  }

  /** The benchmark whose data {@code ref} is, if it is one of the six. */
  public static Optional<String> benchmarkOf(SplitRef ref) {
    return SPLITS.entrySet().stream()
        .filter(entry -> entry.getValue().stream().anyMatch(r -> r.dataset().equals(ref.dataset())))
        .map(ImmutableMap.Entry::getKey)
        .findFirst();
  }
}
