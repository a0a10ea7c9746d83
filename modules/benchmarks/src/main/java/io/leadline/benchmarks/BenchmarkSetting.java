package io.leadline.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import io.leadline.api.ChatWrapping;
import io.leadline.api.Sampling;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A named setting resolved for one benchmark: everything that changes its prompts or requests.
 *
 * @param shots exemplars requested (capped at those available)
 * @param cot chain of thought (only for benchmarks with a CoT trigger)
 * @param passAt the k of pass@k (HumanEval)
 * @param majAt the k of maj@k self-consistency (GSM8K, BBH), when sampling
 * @param stop the stop sequences of every request (a setting's, never a benchmark's)
 * @param perturbation the prompt perturbation variant, if any (see the perturb module)
 * @param judging who grades the completions and how, where judges do
 * @param scoring by generation, or by the log-likelihood of each option
 */
public record BenchmarkSetting(
    String setting,
    Benchmark benchmark,
    int shots,
    boolean cot,
    ChatWrapping chatWrapping,
    BigDecimal temperature,
    Optional<BigDecimal> topP,
    int maxTokens,
    ImmutableList<String> stop,
    int n,
    OptionalLong seed,
    ImmutableList<Integer> passAt,
    OptionalInt majAt,
    Optional<String> perturbation,
    Optional<Judging> judging,
    ScoringMode scoring) {
  private static final ObjectMapper CANONICAL = new ObjectMapper();

  /** Whether items are scored by the log-likelihood of each option. */
  public boolean byLikelihood() {
    return scoring == ScoringMode.LOGLIKELIHOOD;
  }

  /**
   * This setting under the prompt perturbation {@code id} (part of its hash), with the shots, chain
   * of thought and temperature the perturbation asks for.
   */
  public BenchmarkSetting perturbed(
      String id, int newShots, boolean newCot, BigDecimal newTemperature) {
    return new BenchmarkSetting(
        setting,
        benchmark,
        newShots,
        newCot,
        chatWrapping,
        newTemperature,
        topP,
        maxTokens,
        stop,
        n,
        seed,
        passAt,
        majAt,
        Optional.of(id),
        judging,
        scoring);
  }

  /** What a setting's name gets where its system message never reached the model. */
  public static final String COMPLETIONS_SUFFIX = "@completions";

  /**
   * The setting a record's setting name was made from: {@code gpt-fathom@completions}'s is {@code
   * gpt-fathom}.
   */
  public static String asked(String recorded) {
    return recorded.endsWith(COMPLETIONS_SUFFIX)
        ? recorded.substring(0, recorded.length() - COMPLETIONS_SUFFIX.length())
        : recorded;
  }

  /**
   * This setting as a legacy-completions model receives it: a completions request has no messages,
   * so the chat wrapping's system message is not sent — as GPT-Fathom itself prompted its base
   * models (reference §1.3–1.4: the system message only in {@code text_prompt_to_chat_prompt}).
   * Where the setting has a system message, the result is named {@code <setting>@completions} and
   * its hash records {@code chat_wrapping: none}, so that a report never shows it as the chat run's
   * setting; else this setting. Settings scored by log-likelihood are sent to the completions
   * endpoint by every model alike, and stay as they are.
   */
  public BenchmarkSetting asSentToCompletions() {
    if (chatWrapping.systemMessage().isEmpty() || byLikelihood()) {
      return this;
    }
    return new BenchmarkSetting(
        setting + COMPLETIONS_SUFFIX,
        benchmark,
        shots,
        cot,
        ChatWrapping.NONE,
        temperature,
        topP,
        maxTokens,
        stop,
        n,
        seed,
        passAt,
        majAt,
        perturbation,
        judging,
        scoring);
  }

  /** This setting with its judges' identities (the sweep's), which its hash then records. */
  public BenchmarkSetting withJudgeIdentities(java.util.Map<String, String> identities) {
    if (judging.isEmpty()) {
      return this;
    }
    return new BenchmarkSetting(
        setting,
        benchmark,
        shots,
        cot,
        chatWrapping,
        temperature,
        topP,
        maxTokens,
        stop,
        n,
        seed,
        passAt,
        majAt,
        perturbation,
        Optional.of(judging.get().withIdentities(identities)),
        scoring);
  }

  /** The sampling parameters of every request to a completions API. */
  public Sampling sampling() {
    return sampling(false);
  }

  /**
   * The sampling parameters of every request, to a chat API if {@code chat}. Where the format says
   * so, chat requests carry no stop list: a chat model writes HumanEval's whole function, signature
   * and all, which the completion stop list would cut at its first {@code def}, as in GPT-Fathom's
   * later chat runs (gpt-3.5-turbo-1106, gpt-4-1106-preview).
   */
  public Sampling sampling(boolean chat) {
    return new Sampling(
        temperature.doubleValue(),
        topP.map(BigDecimal::doubleValue),
        maxTokens,
        chat && !benchmark.format().chatKeepsStop() ? List.of() : stop,
        n,
        seed);
  }

  /** The template parts this setting uses, with the CoT or answer-only trigger. */
  public String trigger() {
    return benchmark.template().part(cot ? "cot_trigger" : "answer_only_trigger");
  }

  /**
   * The canonical JSON (sorted keys, decimals in plain form) of everything that changes a prompt or
   * a request (DESIGN §4).
   */
  public String canonicalJson() {
    ObjectNode root = CANONICAL.createObjectNode();
    root.put("benchmark", benchmark.name());
    root.put("format", benchmark.format().hashId());
    ObjectNode template = root.putObject("template");
    benchmark.template().parts().entrySet().stream()
        .filter(e -> !e.getKey().endsWith("_trigger"))
        .forEach(e -> template.put(e.getKey(), e.getValue()));
    root.put("trigger", trigger());
    root.put("shots", shots);
    root.put(
        "exemplars", shots == 0 ? "none" : benchmark.fewShot() + "@" + benchmark.fewShotDigest());
    root.put("cot", cot);
    root.put("perturbation", perturbation.orElse(null));
    root.put("chat_wrapping", chatWrapping.id());
    root.put("temperature", plain(temperature));
    root.put("top_p", topP.map(BenchmarkSetting::plain).orElse(null));
    root.put("max_tokens", maxTokens);
    ArrayNode stops = root.putArray("stop");
    stop.forEach(stops::add);
    root.put("n", n);
    if (seed.isPresent()) {
      root.put("seed", seed.getAsLong());
    } else {
      root.putNull("seed");
    }
    // Only a judged setting has the key, so the hashes of the others stay as they were.
    judging.ifPresent(j -> j.canonical(root.putObject("judge")));
    if (byLikelihood()) {
      // Likewise only a log-likelihood setting has these, with what its requests continue.
      root.put("scoring", scoring.id());
      root.put("continuation", benchmark.likelihoodContinuation().orElseThrow());
    }
    try {
      return CANONICAL.writeValueAsString(sortKeys(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** sha256 of {@link #canonicalJson()}, hex. */
  public String hash() {
    return Hashing.sha256().hashString(canonicalJson(), StandardCharsets.UTF_8).toString();
  }

  /** The first 12 hex digits of the hash, for listings and folder names. */
  public String shortHash() {
    return hash().substring(0, 12);
  }

  /** GPT-Fathom's label for the setting column, e.g. {@code 8-shot CoT}, {@code 0-shot, pass@1}. */
  public String label() {
    StringBuilder label = new StringBuilder(shots + "-shot");
    if (byLikelihood()) {
      return label.append(", log-likelihood").toString();
    }
    if (cot) {
      label.append(" CoT");
    }
    if (!passAt.isEmpty()) {
      label.append(", pass@").append(passAt.get(0));
    }
    if (majAt.isPresent()) {
      label.append(", maj@").append(majAt.getAsInt());
    }
    if (benchmark.primaryMetric().endsWith("-f1")) {
      label.append(", F1");
    }
    return label.toString();
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private static ObjectNode sortKeys(ObjectNode node) {
    ObjectNode sorted = CANONICAL.createObjectNode();
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    java.util.Collections.sort(names);
    for (String name : names) {
      var value = node.get(name);
      sorted.set(name, value instanceof ObjectNode object ? sortKeys(object) : value);
    }
    return sorted;
  }
}
