package io.leadline.models.sim;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hashing;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A simulated model snapshot (YAML in {@code settings/sim-*.yaml}): how often it is right per
 * benchmark, how fast it answers, how often it fails, how it reacts to prompt wording, how it
 * continues a story, how it grades as a judge and how it scores options by log-likelihood.
 *
 * @param snapshot the model name the server reports, e.g. {@code sim-v1}
 * @param difficultySeed decides which items are hard; snapshots of one family share it, so a better
 *     snapshot gains items and loses none unless its accuracy drops
 * @param seed decides sampling noise and faults
 * @param accuracy per benchmark, the share of items answered right at temperature 0
 * @param defaultAccuracy for benchmarks {@code accuracy} does not list
 * @param noAnswerRate share of answers given without the benchmark's answer format
 * @param latency time before each answer
 * @param faults failure rates
 * @param sensitivities accuracy changes when the prompt contains some text
 * @param positionBias on multiple choice, a preference for one letter whatever it holds
 * @param stories how it continues a story ({@code stories:}), if the profile says
 * @param judge how it grades as a judge ({@code judge:}), if the profile says
 * @param likelihood how it scores options by log-likelihood ({@code loglikelihood:}), else {@link
 *     Likelihood#DEFAULT}
 * @param batch how its batch APIs behave ({@code batch:}), else {@link Batch#DEFAULT}
 * @param reasoning how it reasons before it answers ({@code reasoning:}), if it does
 * @param answerOnly per benchmark, the accuracy change on a prompt that does not ask for a chain of
 *     thought ({@code answer_only_delta:}): how much less it gets right without reasoning first,
 *     the gain of chain-of-thought prompting that emerges with scale
 * @param fingerprint a digest of the profile text, reported as {@code system_fingerprint}
 */
public record SimProfile(
    String snapshot,
    long difficultySeed,
    long seed,
    Map<String, Double> accuracy,
    double defaultAccuracy,
    double noAnswerRate,
    Latency latency,
    Faults faults,
    List<Sensitivity> sensitivities,
    Optional<PositionBias> positionBias,
    Optional<Stories> stories,
    Optional<Judge> judge,
    Likelihood likelihood,
    Batch batch,
    Optional<Reasoning> reasoning,
    Map<String, Double> answerOnly,
    String fingerprint) {
  /** What a benchmark's name looks like; which benchmarks exist is the suite's to say. */
  private static final String BENCHMARK_NAME = "[a-z][a-z0-9_-]*";

  private static final Set<String> KEYS =
      ImmutableSet.of(
          "snapshot",
          "difficulty_seed",
          "seed",
          "accuracy",
          "no_answer_rate",
          "latency_ms",
          "faults",
          "format_sensitivity",
          "position_bias",
          "stories",
          "judge",
          "loglikelihood",
          "batch",
          "reasoning",
          "answer_only_delta");

  public SimProfile {
    requireNonNull(snapshot, "snapshot is null");
    accuracy = ImmutableMap.copyOf(accuracy);
    checkArgument(noAnswerRate >= 0 && noAnswerRate <= 1, "noAnswerRate must be in [0, 1]");
    requireNonNull(latency, "latency is null");
    requireNonNull(faults, "faults is null");
    sensitivities = ImmutableList.copyOf(sensitivities);
    requireNonNull(positionBias, "positionBias is null");
    requireNonNull(stories, "stories is null");
    requireNonNull(judge, "judge is null");
    requireNonNull(likelihood, "likelihood is null");
    requireNonNull(batch, "batch is null");
    requireNonNull(reasoning, "reasoning is null");
    answerOnly = ImmutableMap.copyOf(answerOnly);
    requireNonNull(fingerprint, "fingerprint is null");
  }

  /**
   * Time before an answer: fixed, or log-normal around a median.
   *
   * @param sigma 0 for a fixed latency
   */
  public record Latency(Duration median, double sigma) {
    public static final Latency NONE = new Latency(Duration.ZERO, 0);
  }

  /**
   * Per-attempt fault rates (each attempt draws anew, so a retry can pass).
   *
   * @param rateLimited answered 429 with {@code Retry-After: retryAfterSeconds}
   * @param serverError answered 500
   * @param timeout answered only after {@code timeoutSeconds}
   * @param garbage answered 200 with truncated JSON
   */
  public record Faults(
      double rateLimited,
      double serverError,
      double timeout,
      double garbage,
      long retryAfterSeconds,
      double timeoutSeconds) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 1, 30);

    public Faults {
      checkArgument(
          rateLimited + serverError + timeout + garbage <= 1, "fault rates add up to more than 1");
    }
  }

  /**
   * When the prompt contains {@code contains}, accuracy on {@code benchmarks} (all if empty) moves
   * by {@code accuracyDelta}.
   */
  public record Sensitivity(String contains, Set<String> benchmarks, double accuracyDelta) {
    public Sensitivity {
      benchmarks = ImmutableSet.copyOf(benchmarks);
    }
  }

  /**
   * On multiple-choice questions, a share {@code rate} of answers picks the option under {@code
   * letter}, whatever it says: the position bias that rotating the options exposes.
   */
  public record PositionBias(String letter, double rate) {
    public PositionBias {
      checkArgument(letter.matches("[A-Z]"), "letter must be A-Z: %s", letter);
      checkArgument(rate >= 0 && rate <= 1, "rate must be in [0, 1]: %s", rate);
    }
  }

  /**
   * How a snapshot continues a story (an item of style {@link SimItem.Style#STORY}): it finishes
   * the sentence the beginning stops in, then writes {@code sentences} sentences about the story's
   * main character.
   *
   * @param sentences sentences after the finished one, 1 to {@value #MAX_SENTENCES}
   * @param slips the share of those sentences with a grammatical slip, in [0, 1]
   * @param variety how varied its words are, in [0, 1]: the share of each word bank it draws from
   *     (the commonest words first), and the less often ({@code 0.6 (1 - variety)}) it reuses a
   *     word or sentence pattern it used already
   */
  public record Stories(int sentences, double slips, double variety) {
    /** The most sentences an ending has, which keeps it well under 300 tokens. */
    public static final int MAX_SENTENCES = 12;

    /** How a profile without a {@code stories:} section writes. */
    public static final Stories DEFAULT = new Stories(5, 0.2, 0.5);

    public Stories {
      checkArgument(
          sentences >= 1 && sentences <= MAX_SENTENCES,
          "sentences must be in [1, %s]: %s",
          MAX_SENTENCES,
          sentences);
      checkArgument(slips >= 0 && slips <= 1, "slips must be in [0, 1]: %s", slips);
      checkArgument(variety >= 0 && variety <= 1, "variety must be in [0, 1]: %s", variety);
    }
  }

  /**
   * How a profile grades when it plays the judge of a model-graded scorer (see {@link SimJudge}).
   *
   * @param seed decides the judge's noise, unreadable replies, order bias and wrong verdicts
   * @param leniency points added to every grade on a 0-10 scale (scaled for other scales), may be
   *     negative
   * @param noise the standard deviation of each grade's noise, in points of a 0-10 scale
   * @param noGradeRate the share of replies without the format asked for
   * @param orderBias pairwise, the share of pairs (unordered) where it prefers whichever text it is
   *     shown first
   * @param verdictErrorRate the share of verdicts that are wrong
   */
  public record Judge(
      long seed,
      double leniency,
      double noise,
      double noGradeRate,
      double orderBias,
      double verdictErrorRate) {
    public Judge {
      checkArgument(leniency >= -10 && leniency <= 10, "leniency must be in [-10, 10]");
      checkArgument(noise >= 0 && noise <= 10, "noise must be in [0, 10]");
      checkArgument(noGradeRate >= 0 && noGradeRate <= 1, "noGradeRate must be in [0, 1]");
      checkArgument(orderBias >= 0 && orderBias <= 1, "orderBias must be in [0, 1]");
      checkArgument(
          verdictErrorRate >= 0 && verdictErrorRate <= 1, "verdictErrorRate must be in [0, 1]");
    }

    /**
     * The judge of a profile without a {@code judge:} section: leniency 0, noise 0.5, no unreadable
     * replies, no order bias, no wrong verdicts.
     */
    public static Judge defaults(long seed) {
      return new Judge(seed, 0, 0.5, 0, 0, 0);
    }
  }

  /**
   * How a profile scores the options of a multiple-choice item by log-likelihood, when a client
   * asks {@code /v1/completions} for the {@code logprobs} of each option's prompt: the option it
   * prefers gets the highest sum of log-probabilities.
   *
   * @param accuracy per benchmark, the share of items whose gold option it prefers; a benchmark it
   *     does not list has its generative accuracy
   * @param echo how it answers {@code echo: true}
   */
  public record Likelihood(Map<String, Double> accuracy, Echo echo) {
    /** How a profile without a {@code loglikelihood:} section scores: generative accuracies. */
    public static final Likelihood DEFAULT = new Likelihood(Map.of(), Echo.HONOURED);

    public Likelihood {
      accuracy = ImmutableMap.copyOf(accuracy);
      requireNonNull(echo, "echo is null");
    }
  }

  /**
   * How the simulator's batch APIs (OpenAI's Batch API, Anthropic's Message Batches) behave for a
   * profile: how long a batch takes and which of its lines never run. Batch lines get the answers
   * the synchronous routes give, so none of this changes what a request is answered.
   *
   * @param delay from a batch's creation to its end, split over its states (OpenAI: a quarter
   *     validating, a half in progress, a quarter finalizing; Anthropic: all in progress)
   * @param expire the share of lines that expire instead of running, drawn per (custom_id, body)
   *     from the profile's seed, in [0, 1]
   * @param maxRequests the most lines in a batch; empty for each provider's own limit ({@value
   *     #OPENAI_MAX_REQUESTS} OpenAI, {@value #ANTHROPIC_MAX_REQUESTS} Anthropic)
   * @param maxBytes the largest batch in bytes (OpenAI: the input file; Anthropic: the request
   *     body); empty for each provider's own limit (200 MB OpenAI, 256 MB Anthropic)
   */
  public record Batch(
      Duration delay, double expire, OptionalLong maxRequests, OptionalLong maxBytes) {
    public static final long OPENAI_MAX_REQUESTS = 50_000;
    public static final long ANTHROPIC_MAX_REQUESTS = 100_000;
    public static final long OPENAI_MAX_BYTES = 200L * 1024 * 1024;
    public static final long ANTHROPIC_MAX_BYTES = 256L * 1024 * 1024;

    /** How a profile without a {@code batch:} section batches: 2 s a batch, no line expires. */
    public static final Batch DEFAULT =
        new Batch(Duration.ofMillis(2000), 0, OptionalLong.empty(), OptionalLong.empty());

    public Batch {
      requireNonNull(delay, "delay is null");
      checkArgument(!delay.isNegative(), "delay must be >= 0: %s", delay);
      checkArgument(expire >= 0 && expire <= 1, "expire must be in [0, 1]: %s", expire);
      requireNonNull(maxRequests, "maxRequests is null");
      requireNonNull(maxBytes, "maxBytes is null");
      checkArgument(maxRequests.orElse(1) >= 1, "maxRequests must be >= 1: %s", maxRequests);
      checkArgument(maxBytes.orElse(1) >= 1, "maxBytes must be >= 1: %s", maxBytes);
    }

    /** The most lines in an OpenAI batch. */
    public long openAiMaxRequests() {
      return maxRequests.orElse(OPENAI_MAX_REQUESTS);
    }

    /** The most requests in an Anthropic message batch. */
    public long anthropicMaxRequests() {
      return maxRequests.orElse(ANTHROPIC_MAX_REQUESTS);
    }

    /** The largest OpenAI batch input file, in bytes. */
    public long openAiMaxBytes() {
      return maxBytes.orElse(OPENAI_MAX_BYTES);
    }

    /** The largest Anthropic message batch request body, in bytes. */
    public long anthropicMaxBytes() {
      return maxBytes.orElse(ANTHROPIC_MAX_BYTES);
    }
  }

  /**
   * How a profile reasons before it answers: at length, mentioning a wrong candidate answer in the
   * benchmark's answer format on purpose (so that an extractor reading the reasoning scores
   * differently), then the answer it would give without reasoning.
   *
   * @param chat how {@code /v1/chat/completions} carries the reasoning; {@code /v1/messages} sends
   *     Anthropic {@code thinking} blocks when the request enables thinking, and no reasoning else
   * @param truncated the share of each benchmark's items whose reasoning never ends, so that the
   *     token limit is reached inside it and no answer comes: exactly that share of the answer
   *     key's items of the benchmark (rounded to a whole item), chosen by the profile's seed
   */
  public record Reasoning(ReasoningShape chat, double truncated) {
    public Reasoning {
      requireNonNull(chat, "chat is null");
      checkArgument(truncated >= 0 && truncated <= 1, "truncated must be in [0, 1]: %s", truncated);
    }
  }

  /** Where a chat completion carries a reasoning profile's reasoning. */
  public enum ReasoningShape {
    /**
     * A {@code reasoning_content} field beside the content (DeepSeek's API, llama.cpp, older vLLM).
     */
    REASONING_CONTENT("reasoning_content"),
    /** A {@code reasoning} field beside the content (OpenRouter, Ollama, vLLM since 0.11). */
    REASONING("reasoning"),
    /**
     * Inline, {@code <think>…</think>} before the answer in the content (a server without a
     * reasoning parser).
     */
    THINK("think"),
    /**
     * Not returned, only counted in {@code usage.completion_tokens_details} (OpenAI's reasoning
     * models).
     */
    HIDDEN("hidden");

    private final String yamlName;

    ReasoningShape(String yamlName) {
      this.yamlName = yamlName;
    }

    /** How a profile file spells it. */
    public String yamlName() {
      return yamlName;
    }
  }

  /**
   * How a profile answers {@code echo: true} with {@code logprobs} on {@code /v1/completions}: as
   * OpenAI does, or with one of the faults of servers that claim to be compatible.
   */
  public enum Echo {
    /** The text is the prompt and then the generated text; logprobs cover both. */
    HONOURED("honoured"),
    /** As llama.cpp's server: the text is only the generated text and so are the logprobs. */
    IGNORED("ignored"),
    /** The prompt is echoed, but the logprobs cover only the generated tokens. */
    NO_PROMPT_LOGPROBS("no-prompt-logprobs"),
    /** Echoed with logprobs, but without {@code text_offset}. */
    NO_OFFSETS("no-offsets");

    private final String yamlName;

    Echo(String yamlName) {
      this.yamlName = yamlName;
    }

    /** How a profile file spells it, e.g. {@code no-prompt-logprobs}. */
    public String yamlName() {
      return yamlName;
    }
  }

  /**
   * The share of {@code benchmark}'s items whose gold option this profile prefers by
   * log-likelihood: its {@code loglikelihood.accuracy}, else its generative accuracy (without
   * format sensitivities, which are about how a question is asked to be answered).
   */
  public double likelihoodAccuracy(String benchmark) {
    Double value = likelihood.accuracy().get(benchmark);
    return value != null ? value : accuracy.getOrDefault(benchmark, defaultAccuracy);
  }

  /** How this profile answers {@code echo: true}. */
  public Echo echo() {
    return likelihood.echo();
  }

  /**
   * This profile with {@code newEcho} for its {@code loglikelihood.echo} (what {@code serve-sim
   * --ignore-echo} serves); its fingerprint changes too, since the same requests get other answers.
   */
  public SimProfile withEcho(Echo newEcho) {
    requireNonNull(newEcho, "newEcho is null");
    if (newEcho == likelihood.echo()) {
      return this;
    }
    return new SimProfile(
        snapshot,
        difficultySeed,
        seed,
        accuracy,
        defaultAccuracy,
        noAnswerRate,
        latency,
        faults,
        sensitivities,
        positionBias,
        stories,
        judge,
        new Likelihood(likelihood.accuracy(), newEcho),
        batch,
        reasoning,
        answerOnly,
        fingerprintOf(fingerprint + "|loglikelihood.echo: " + newEcho.yamlName()));
  }

  /**
   * How this profile continues a story: its {@code stories:} section, else {@link Stories#DEFAULT}.
   */
  public Stories storiesOrDefault() {
    return stories.orElse(Stories.DEFAULT);
  }

  /**
   * How this profile judges: its {@code judge:} section, else {@link Judge#defaults} of its seed.
   */
  public Judge judgeOrDefault() {
    return judge.orElseGet(() -> Judge.defaults(seed));
  }

  /**
   * Accuracy on {@code benchmark} for a prompt, after the sensitivities and, for a prompt that does
   * not ask for a chain of thought, its {@code answer_only_delta}, within [0, 1].
   */
  double accuracyFor(String benchmark, String prompt) {
    double value = accuracy.getOrDefault(benchmark, defaultAccuracy);
    Double answerOnlyDelta = answerOnly.get(benchmark);
    if (answerOnlyDelta != null && !asksForReasoning(prompt)) {
      value += answerOnlyDelta;
    }
    for (Sensitivity sensitivity : sensitivities) {
      if ((sensitivity.benchmarks().isEmpty() || sensitivity.benchmarks().contains(benchmark))
          && prompt.contains(sensitivity.contains())) {
        value += sensitivity.accuracyDelta();
      }
    }
    return Math.max(0, Math.min(1, value));
  }

  /**
   * Whether {@code prompt} asks for a chain of thought: its last line carries a step-by-step
   * trigger ({@code A: Let's think step by step}), where an answer-only prompt ends in {@code A:}.
   * Only the last line counts, since answer-only prompts may still show worked exemplars.
   */
  static boolean asksForReasoning(String prompt) {
    String text = prompt.stripTrailing();
    return text.substring(text.lastIndexOf('\n') + 1).contains("step by step");
  }

  /**
   * Every benchmark the profile names (in its accuracies, sensitivities and log-likelihood
   * accuracies), sorted.
   */
  public java.util.SortedSet<String> benchmarks() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>(accuracy.keySet());
    names.addAll(likelihood.accuracy().keySet());
    sensitivities.forEach(sensitivity -> names.addAll(sensitivity.benchmarks()));
    names.addAll(answerOnly.keySet());
    return names;
  }

  /** This profile with other latency and faults: what tests and benchmarks vary. */
  public SimProfile with(Latency newLatency, Faults newFaults) {
    return new SimProfile(
        snapshot,
        difficultySeed,
        seed,
        accuracy,
        defaultAccuracy,
        noAnswerRate,
        newLatency,
        newFaults,
        sensitivities,
        positionBias,
        stories,
        judge,
        likelihood,
        batch,
        reasoning,
        answerOnly,
        fingerprint);
  }

  /**
   * This profile with other batch behaviour (what {@code serve-sim --batch-*} serves); its
   * fingerprint stays, since every request is answered as before.
   */
  public SimProfile withBatch(Batch newBatch) {
    requireNonNull(newBatch, "newBatch is null");
    return new SimProfile(
        snapshot,
        difficultySeed,
        seed,
        accuracy,
        defaultAccuracy,
        noAnswerRate,
        latency,
        faults,
        sensitivities,
        positionBias,
        stories,
        judge,
        likelihood,
        newBatch,
        reasoning,
        answerOnly,
        fingerprint);
  }

  /**
   * This profile reasoning as {@code newReasoning} says (or not at all, if empty); its fingerprint
   * changes too, since the same requests get other answers.
   */
  public SimProfile withReasoning(Optional<Reasoning> newReasoning) {
    requireNonNull(newReasoning, "newReasoning is null");
    if (newReasoning.equals(reasoning)) {
      return this;
    }
    return new SimProfile(
        snapshot,
        difficultySeed,
        seed,
        accuracy,
        defaultAccuracy,
        noAnswerRate,
        latency,
        faults,
        sensitivities,
        positionBias,
        stories,
        judge,
        likelihood,
        batch,
        newReasoning,
        answerOnly,
        fingerprintOf(
            fingerprint
                + "|reasoning: "
                + newReasoning.map(r -> r.chat().yamlName() + " " + r.truncated()).orElse("none")));
  }

  /**
   * The profile {@code nameOrPath} names: a file, or a profile in {@code settings} by name ({@code
   * sim-v1} is {@code settings/sim-v1.yaml}).
   *
   * @param what the flag or field that named it, for the error
   * @throws LeadlineException listing the profiles in {@code settings} if there is none such
   */
  public static SimProfile resolve(String nameOrPath, Path settings, String what) {
    Path file = Path.of(nameOrPath);
    if (Files.isRegularFile(file)) {
      return load(file, what + " ");
    }
    Path named = settings.resolve(nameOrPath + ".yaml");
    if (nameOrPath.matches("[A-Za-z0-9._-]+") && Files.isRegularFile(named)) {
      return load(named);
    }
    List<String> known = new java.util.ArrayList<>();
    try (var files = Files.list(settings)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.startsWith("sim-") && f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length()))
          .sorted()
          .forEach(known::add);
    } catch (IOException e) {
      // No settings folder: the message below says there are no known profiles.
    }
    throw LeadlineException.userInput(
        "%s: no profile file or settings profile '%s'; known: %s",
        what, nameOrPath, known.isEmpty() ? "(none)" : String.join(", ", known));
  }

  /** Reads a profile file. */
  public static SimProfile load(Path file) {
    return load(file, "");
  }

  private static SimProfile load(Path file, String what) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw notAProfile(what, file);
    }
    // Any file may be named here (a .env, a key file): until it looks like a profile, no error
    // quotes a word of it.
    ConfigNode root;
    try {
      root = ConfigNode.parse(file.toString(), text);
    } catch (LeadlineException e) {
      throw notAProfile(what, file);
    }
    List<String> keys;
    try {
      keys = root.isPresent() ? root.keys() : List.of();
    } catch (LeadlineException e) {
      throw notAProfile(what, file);
    }
    if (!keys.contains("snapshot")) {
      throw notAProfile(what, file);
    }
    return read(root, fingerprintOf(text));
  }

  private static LeadlineException notAProfile(String what, Path file) {
    return LeadlineException.userInput(
        "%s%s: not a sim profile (expected a YAML mapping with snapshot: and accuracy:, like"
            + " settings/sim-v1.yaml)",
        what, file);
  }

  /** Parses profile YAML, naming it {@code file} in errors. */
  public static SimProfile parse(String file, String yaml) {
    return read(ConfigNode.parse(file, yaml), fingerprintOf(yaml));
  }

  private static String fingerprintOf(String text) {
    return "sim-"
        + Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString().substring(0, 12);
  }

  private static SimProfile read(ConfigNode root, String fallbackFingerprint) {
    root.allowOnly(KEYS);
    String snapshot = root.required("snapshot").text();
    ImmutableMap.Builder<String, Double> accuracy = ImmutableMap.builder();
    double defaultAccuracy = 0.5;
    // A profile that only judges need not say how it answers benchmarks.
    boolean judges = root.optional("judge").isPresent();
    Optional<ConfigNode> accuracyNode =
        judges ? root.optional("accuracy") : Optional.of(root.required("accuracy"));
    for (String key : accuracyNode.map(ConfigNode::keys).orElse(List.of())) {
      double value = accuracyNode.get().required(key).number(0, 1);
      if (key.equals("default")) {
        defaultAccuracy = value;
      } else if (key.matches(BENCHMARK_NAME)) {
        accuracy.put(key, value);
      } else {
        throw accuracyNode
            .get()
            .error(
                "'"
                    + key
                    + "' is not a benchmark name (lower-case letters, digits, - and _) or default");
      }
    }
    Latency latency = Latency.NONE;
    Optional<ConfigNode> latencyNode = root.optional("latency_ms");
    if (latencyNode.isPresent()) {
      ConfigNode node = latencyNode.get().allowOnly(ImmutableSet.of("fixed", "median", "sigma"));
      if (node.optional("fixed").isPresent() == node.optional("median").isPresent()) {
        throw node.error("expected either 'fixed' or 'median' (with optional 'sigma')");
      }
      latency =
          node.optional("fixed").isPresent()
              ? new Latency(millis(node.required("fixed").number(0, 600_000)), 0)
              : new Latency(
                  millis(node.required("median").number(0, 600_000)),
                  node.optional("sigma").map(s -> s.number(0, 5)).orElse(0.0));
    }
    Faults faults = Faults.NONE;
    Optional<ConfigNode> faultsNode = root.optional("faults");
    if (faultsNode.isPresent()) {
      ConfigNode node =
          faultsNode
              .get()
              .allowOnly(
                  ImmutableSet.of(
                      "rate_limited",
                      "server_error",
                      "timeout",
                      "garbage",
                      "retry_after_seconds",
                      "timeout_seconds"));
      double rateLimited = rate(node, "rate_limited");
      double serverError = rate(node, "server_error");
      double timeout = rate(node, "timeout");
      double garbage = rate(node, "garbage");
      if (rateLimited + serverError + timeout + garbage > 1) {
        throw node.error("the fault rates add up to more than 1");
      }
      faults =
          new Faults(
              rateLimited,
              serverError,
              timeout,
              garbage,
              node.optional("retry_after_seconds").map(n -> n.whole(0, 3600)).orElse(1L),
              node.optional("timeout_seconds").map(n -> n.number(0, 3600)).orElse(30.0));
    }
    ImmutableList.Builder<Sensitivity> sensitivities = ImmutableList.builder();
    for (ConfigNode node :
        root.optional("format_sensitivity").map(ConfigNode::list).orElse(List.of())) {
      node.allowOnly(ImmutableSet.of("contains", "benchmarks", "accuracy_delta"));
      Set<String> benchmarks =
          node.optional("benchmarks").map(ConfigNode::list).orElse(List.of()).stream()
              .map(ConfigNode::text)
              .collect(ImmutableSet.toImmutableSet());
      sensitivities.add(
          new Sensitivity(
              node.required("contains").rawText(),
              benchmarks,
              node.required("accuracy_delta").number(-1, 1)));
    }
    Optional<PositionBias> positionBias =
        root.optional("position_bias")
            .map(
                node -> {
                  node.allowOnly(ImmutableSet.of("letter", "rate"));
                  return new PositionBias(
                      node.required("letter")
                          .oneOf(List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J")),
                      node.required("rate").number(0, 1));
                });
    Optional<Stories> stories =
        root.optional("stories")
            .map(
                node -> {
                  node.allowOnly(ImmutableSet.of("sentences", "slips", "variety"));
                  return new Stories(
                      node.optional("sentences")
                          .map(n -> (int) n.whole(1, Stories.MAX_SENTENCES))
                          .orElse(Stories.DEFAULT.sentences()),
                      node.optional("slips")
                          .map(n -> n.number(0, 1))
                          .orElse(Stories.DEFAULT.slips()),
                      node.optional("variety")
                          .map(n -> n.number(0, 1))
                          .orElse(Stories.DEFAULT.variety()));
                });
    long seed = root.optional("seed").map(n -> n.whole(0, Long.MAX_VALUE)).orElse(0L);
    Optional<Judge> judge =
        root.optional("judge")
            .map(
                node -> {
                  node.allowOnly(
                      ImmutableSet.of(
                          "seed",
                          "leniency",
                          "noise",
                          "no_grade_rate",
                          "order_bias",
                          "verdict_error_rate"));
                  Judge defaults = Judge.defaults(seed);
                  return new Judge(
                      node.optional("seed").map(n -> n.whole(0, Long.MAX_VALUE)).orElse(seed),
                      node.optional("leniency")
                          .map(n -> n.number(-10, 10))
                          .orElse(defaults.leniency()),
                      node.optional("noise").map(n -> n.number(0, 10)).orElse(defaults.noise()),
                      rate(node, "no_grade_rate"),
                      rate(node, "order_bias"),
                      rate(node, "verdict_error_rate"));
                });
    return new SimProfile(
        snapshot,
        root.optional("difficulty_seed").map(n -> n.whole(0, Long.MAX_VALUE)).orElse(0L),
        seed,
        accuracy.build(),
        defaultAccuracy,
        root.optional("no_answer_rate").map(n -> n.number(0, 1)).orElse(0.0),
        latency,
        faults,
        sensitivities.build(),
        positionBias,
        stories,
        judge,
        likelihood(root),
        batch(root),
        reasoning(root),
        answerOnly(root),
        fallbackFingerprint);
  }

  private static Optional<Reasoning> reasoning(ConfigNode root) {
    return root.optional("reasoning")
        .map(
            section -> {
              ConfigNode node = section.allowOnly(ImmutableSet.of("chat", "truncated"));
              List<String> shapes =
                  java.util.Arrays.stream(ReasoningShape.values())
                      .map(ReasoningShape::yamlName)
                      .toList();
              ReasoningShape chat =
                  node.optional("chat")
                      .map(n -> ReasoningShape.values()[shapes.indexOf(n.oneOf(shapes))])
                      .orElse(ReasoningShape.REASONING_CONTENT);
              return new Reasoning(chat, rate(node, "truncated"));
            });
  }

  private static Batch batch(ConfigNode root) {
    Optional<ConfigNode> section = root.optional("batch");
    if (section.isEmpty()) {
      return Batch.DEFAULT;
    }
    ConfigNode node =
        section.get().allowOnly(ImmutableSet.of("delay_ms", "expire", "max_requests", "max_bytes"));
    return new Batch(
        node.optional("delay_ms")
            .map(n -> millis(n.number(0, 86_400_000)))
            .orElse(Batch.DEFAULT.delay()),
        rate(node, "expire"),
        node.optional("max_requests")
            .map(n -> OptionalLong.of(n.whole(1, Long.MAX_VALUE)))
            .orElse(OptionalLong.empty()),
        node.optional("max_bytes")
            .map(n -> OptionalLong.of(n.whole(1, Long.MAX_VALUE)))
            .orElse(OptionalLong.empty()));
  }

  private static Likelihood likelihood(ConfigNode root) {
    Optional<ConfigNode> section = root.optional("loglikelihood");
    if (section.isEmpty()) {
      return Likelihood.DEFAULT;
    }
    ConfigNode node = section.get().allowOnly(ImmutableSet.of("accuracy", "echo"));
    ImmutableMap.Builder<String, Double> accuracy = ImmutableMap.builder();
    Optional<ConfigNode> accuracyNode = node.optional("accuracy");
    for (String key : accuracyNode.map(ConfigNode::keys).orElse(List.of())) {
      if (!key.matches(BENCHMARK_NAME)) {
        throw accuracyNode
            .get()
            .error("'" + key + "' is not a benchmark name (lower-case letters, digits, - and _)");
      }
      accuracy.put(key, accuracyNode.get().required(key).number(0, 1));
    }
    List<String> echoNames = java.util.Arrays.stream(Echo.values()).map(Echo::yamlName).toList();
    Echo echo =
        node.optional("echo")
            .map(n -> Echo.values()[echoNames.indexOf(n.oneOf(echoNames))])
            .orElse(Likelihood.DEFAULT.echo());
    return new Likelihood(accuracy.build(), echo);
  }

  private static Map<String, Double> answerOnly(ConfigNode root) {
    Optional<ConfigNode> section = root.optional("answer_only_delta");
    ImmutableMap.Builder<String, Double> deltas = ImmutableMap.builder();
    for (String key : section.map(ConfigNode::keys).orElse(List.of())) {
      if (!key.matches(BENCHMARK_NAME)) {
        throw section
            .get()
            .error("'" + key + "' is not a benchmark name (lower-case letters, digits, - and _)");
      }
      deltas.put(key, section.get().required(key).number(-1, 1));
    }
    return deltas.build();
  }

  private static double rate(ConfigNode node, String key) {
    return node.optional(key).map(n -> n.number(0, 1)).orElse(0.0);
  }

  private static Duration millis(double value) {
    return Duration.ofNanos((long) (value * 1_000_000));
  }
}
