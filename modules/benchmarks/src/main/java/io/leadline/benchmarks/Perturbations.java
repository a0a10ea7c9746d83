package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import io.leadline.api.Defaults;
import io.leadline.perturb.Kind;
import io.leadline.perturb.TextPerturbations;
import io.leadline.perturb.Variant;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How each perturbation variant applies to a benchmark: which variants a benchmark has (its format
 * adapter says which kinds change its prompts), and what a variant does to the setting, the
 * example, the exemplar order and the prompt text. Every change is a pure function of the variant
 * id, the example and {@link Defaults#SEED}.
 */
public final class Perturbations {

  private static final String[][] LABELS = {
    {"q-a", "Q: ", "A:"},
    {"question-answer", "Question: ", "Answer:"},
    {"problem-solution", "Problem: ", "Solution:"}
  };
  private static final List<String> TEMPERATURES = List.of("0.5", "1");

  private Perturbations() {}

  /**
   * The paraphrases of each benchmark's instruction ({@code
   * benchmarks/instruction-paraphrases.yaml}).
   */
  public static Map<String, List<String>> paraphrases(Path benchmarks) {
    Path file = benchmarks.resolve("instruction-paraphrases.yaml");
    if (!Files.exists(file)) {
      return Map.of();
    }
    ConfigNode root = ConfigNode.load(file);
    ImmutableMap.Builder<String, List<String>> paraphrases = ImmutableMap.builder();
    for (String benchmark : root.keys()) {
      paraphrases.put(
          benchmark, root.required(benchmark).list().stream().map(ConfigNode::text).toList());
    }
    return paraphrases.buildOrThrow();
  }

  /** The variants of {@code kind} for a benchmark under {@code setting}, in a fixed order. */
  public static List<Variant> variants(
      Kind kind,
      BenchmarkSetting setting,
      int exemplarsAvailable,
      Map<String, List<String>> paraphrases) {
    Benchmark benchmark = setting.benchmark();
    Format format = benchmark.format();
    List<String> names = new ArrayList<>();
    if (!format.perturbedBy(kind)
        || (setting.byLikelihood() && (kind == Kind.COT || kind == Kind.TEMPERATURE))) {
      // Options scored by likelihood are not reasoned about or sampled: those variants would be
      // the same requests again, or a chain of thought nothing reads.
      return List.of();
    }
    switch (kind) {
      case INSTRUCTION -> {
        if (benchmark.template().parts().containsKey("instruction")) {
          int count = paraphrases.getOrDefault(benchmark.name(), List.of()).size();
          for (int i = 1; i <= count; i++) {
            names.add("paraphrase-" + i);
          }
        }
      }
      case QA_LABELS -> {
        String[] current = labels(benchmark);
        if (current != null) {
          for (String[] labels : LABELS) {
            if (labels != current) {
              names.add(labels[0]);
            }
          }
        }
      }
      case FORMAT -> {
        names.add("extra-newlines");
        if (String.join("", benchmark.template().parts().values()).contains("\n\n")) {
          names.add("fewer-newlines");
        }
        names.add("trailing-spaces");
        if (format.perturbedBy(Kind.OPTIONS)) {
          names.add("options-inline");
        }
      }
      case SHOTS_ORDER -> {
        if (setting.shots() >= 2 && exemplarsAvailable >= 2) {
          names.addAll(List.of("shuffle-1", "shuffle-2"));
        }
      }
      case SHOTS_COUNT -> {
        if (setting.shots() >= 1 && exemplarsAvailable >= 1) {
          names.add("minus-one");
        }
        if (setting.shots() >= 1 && exemplarsAvailable > setting.shots()) {
          names.add("plus-one");
        }
      }
      case OPTIONS -> names.addAll(List.of("gold-at-A", "gold-at-B", "gold-at-C", "gold-at-D"));
      case TYPOS -> names.addAll(List.of("rate-0.02", "rate-0.05"));
      case NUMBERS -> names.addAll(List.of("changed-1", "changed-2"));
      case COT -> {
        if (benchmark.extractorCot().isPresent()) {
          names.add(setting.cot() ? "off" : "on");
        }
      }
      case TEMPERATURE -> {
        for (String t : TEMPERATURES) {
          if (new BigDecimal(t).compareTo(setting.temperature()) != 0) {
            names.add("t-" + t);
          }
        }
      }
    }
    return names.stream().map(name -> new Variant(kind, name)).toList();
  }

  /** The setting the variant runs under: shots, CoT or temperature changed, its id in the hash. */
  public static BenchmarkSetting setting(Variant variant, BenchmarkSetting base) {
    int shots = base.shots();
    boolean cot = base.cot();
    BigDecimal temperature = base.temperature();
    switch (variant.kind()) {
      case SHOTS_COUNT -> shots += variant.name().equals("plus-one") ? 1 : -1;
      case COT -> cot = !cot;
      case TEMPERATURE -> temperature = new BigDecimal(variant.name().substring(2));
      default -> {
        // The setting's own.
      }
    }
    return base.perturbed(variant.id(), shots, cot, temperature);
  }

  /** The example the variant asks about. */
  public static Example example(Variant variant, Example example, Benchmark benchmark) {
    long seed = TextPerturbations.seed(Defaults.SEED, variant.id() + "|" + example.id());
    JsonNode row = example.row();
    switch (variant.kind()) {
      case OPTIONS -> {
        Format format = benchmark.format();
        int n = benchmark.columns().node(row, "choices", example.where()).size();
        int letter = Math.min(variant.name().charAt("gold-at-".length()) - 'A', n - 1);
        // The options are shown in Random(47)'s order (GPT-Fathom's): rotate the dataset's
        // choices so that the gold lands under the wanted letter after it.
        int[] shown = new PyRandom(MultipleChoiceFormat.SEED).permutation(n);
        int answer = format.answerIndex(benchmark, row, example.where());
        row = format.rotateOptions(benchmark, row, Math.floorMod(answer - shown[letter], n));
      }
      case TYPOS -> {
        String field = benchmark.format().questionField();
        double rate = Double.parseDouble(variant.name().substring("rate-".length()));
        String text = benchmark.columns().text(row, field, example.where());
        row =
            benchmark
                .columns()
                .withText(row, field, TextPerturbations.typos(text, rate, seed), example.where());
      }
      case NUMBERS -> {
        String text = benchmark.columns().text(row, "question", example.where());
        row =
            benchmark
                .columns()
                .withText(
                    row, "question", TextPerturbations.changeNumbers(text, seed), example.where());
      }
      default -> {
        return example;
      }
    }
    return new Example(example.benchmark(), example.subset(), example.id(), row);
  }

  /** The exemplar order of a shots-order variant, else null (their own order). */
  public static int[] order(Variant variant, int shots) {
    if (variant.kind() != Kind.SHOTS_ORDER) {
      return null;
    }
    return TextPerturbations.shuffled(shots, TextPerturbations.seed(Defaults.SEED, variant.id()));
  }

  /** The prompt text after the variant's rewording or layout change. */
  public static String text(
      Variant variant,
      String prompt,
      BenchmarkSetting base,
      Map<String, List<String>> paraphrases) {
    return switch (variant.kind()) {
      case INSTRUCTION -> {
        String instruction = base.benchmark().template().parts().get("instruction");
        int index = Integer.parseInt(variant.name().substring("paraphrase-".length())) - 1;
        String paraphrase = paraphrases.get(base.benchmark().name()).get(index);
        int at = prompt.indexOf(instruction);
        yield at < 0
            ? prompt
            : prompt.substring(0, at) + paraphrase + prompt.substring(at + instruction.length());
      }
      case QA_LABELS -> {
        String[] from = labels(base.benchmark());
        String[] to = null;
        for (String[] labels : LABELS) {
          if (labels[0].equals(variant.name())) {
            to = labels;
          }
        }
        yield TextPerturbations.relabel(prompt, from[1], from[2], to[1], to[2]);
      }
      case FORMAT ->
          switch (variant.name()) {
            case "extra-newlines" -> TextPerturbations.extraNewlines(prompt);
            case "fewer-newlines" -> TextPerturbations.fewerNewlines(prompt);
            case "trailing-spaces" -> TextPerturbations.trailingSpaces(prompt);
            default -> TextPerturbations.optionsInline(prompt);
          };
      default -> prompt;
    };
  }

  /** The question and answer labels the benchmark's query uses, or null for none. */
  private static String[] labels(Benchmark benchmark) {
    String query = benchmark.template().parts().getOrDefault("query", "");
    for (String[] labels : LABELS) {
      if (query.contains(labels[1].strip())) {
        return labels;
      }
    }
    return null;
  }

  public static List<String> ids(List<Variant> variants) {
    return ImmutableList.copyOf(variants.stream().map(Variant::id).toList());
  }
}
