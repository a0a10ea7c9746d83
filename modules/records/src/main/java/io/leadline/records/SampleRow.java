package io.leadline.records;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of {@code samples.parquet}: one sample of one request (model, benchmark, subset, setting,
 * perturbation, example, sample index), with what was asked, what came back, how it was scored, and
 * what the request cost. Maps are sorted by key.
 *
 * @param subset empty for benchmarks without subsets
 * @param perturbation the prompt perturbation variant ({@code kind:name}), empty for the default
 * @param completion empty when the request failed
 * @param extracted the extracted answer; empty when there is none ({@code noAnswerReason} says why)
 * @param explanation why the scorer judged as it did, where it says; empty in older runs
 * @param scores this sample's named score values
 * @param problemScores the problem's metric values (the same on every sample of the problem)
 * @param passed for executed code, whether it passed
 * @param error why the request failed, if it did
 * @param judgements the judges' replies, in the judges' order, where judges graded the sample
 * @param options under log-likelihood scoring, each option's likelihood in the order shown
 * @param reasoning the model's reasoning, apart from the completion; empty if it gave none
 * @param reasoningTokens the request's reasoning tokens (within its completion tokens), where the
 *     run recorded them
 * @param promptTokens the prompt tokens of the request that answered this sample: its own where the
 *     item's samples were asked one request each, else the item's one request's
 * @param systemFingerprint the server's {@code system_fingerprint}, where it sent one
 */
public record SampleRow(
    @JsonProperty(value = SampleColumns.MODEL, required = true) String model,
    @JsonProperty(value = SampleColumns.BENCHMARK, required = true) String benchmark,
    @JsonProperty(value = SampleColumns.SUBSET, required = true) Optional<String> subset,
    @JsonProperty(value = SampleColumns.SETTING, required = true) String setting,
    @JsonProperty(value = SampleColumns.SETTING_HASH, required = true) String settingHash,
    @JsonProperty(value = SampleColumns.PERTURBATION, required = true)
        Optional<String> perturbation,
    @JsonProperty(value = SampleColumns.EXAMPLE_ID, required = true) String exampleId,
    @JsonProperty(value = SampleColumns.EXAMPLE_INDEX, required = true) int exampleIndex,
    @JsonProperty(value = SampleColumns.SAMPLE_INDEX, required = true) int sampleIndex,
    @JsonProperty(value = SampleColumns.REQUEST_HASH, required = true) String requestHash,
    @JsonProperty(value = SampleColumns.PROMPT, required = true) String prompt,
    @JsonProperty(value = SampleColumns.GOLD, required = true) String gold,
    @JsonProperty(value = SampleColumns.SHOTS_USED, required = true) int shotsUsed,
    @JsonProperty(value = SampleColumns.COMPLETION, required = true) Optional<String> completion,
    @JsonProperty(value = SampleColumns.EXTRACTED, required = true) Optional<String> extracted,
    @JsonProperty(value = SampleColumns.NO_ANSWER_REASON, required = true)
        Optional<String> noAnswerReason,
    @JsonProperty(value = SampleColumns.EXPLANATION) Optional<String> explanation,
    @JsonProperty(value = SampleColumns.SCORES, required = true) Map<String, Double> scores,
    @JsonProperty(value = SampleColumns.PROBLEM_SCORES, required = true)
        Map<String, Double> problemScores,
    @JsonProperty(value = SampleColumns.PASSED, required = true) Optional<Boolean> passed,
    @JsonProperty(value = SampleColumns.EXEC_RESULT, required = true) Optional<String> execResult,
    @JsonProperty(value = SampleColumns.FINISH_REASON, required = true)
        Optional<String> finishReason,
    @JsonProperty(value = SampleColumns.TRUNCATED, required = true) Optional<Boolean> truncated,
    @JsonProperty(value = SampleColumns.ERROR, required = true) Optional<String> error,
    @JsonProperty(value = SampleColumns.REQUEST_LATENCY_MS, required = true)
        Optional<Long> latencyMs,
    @JsonProperty(value = SampleColumns.REQUEST_PROMPT_TOKENS, required = true)
        Optional<Long> promptTokens,
    @JsonProperty(value = SampleColumns.REQUEST_COMPLETION_TOKENS, required = true)
        Optional<Long> completionTokens,
    @JsonProperty(value = SampleColumns.REQUEST_ATTEMPTS, required = true)
        Optional<Integer> attempts,
    @JsonProperty(value = SampleColumns.REPORTED_MODEL, required = true)
        Optional<String> reportedModel,
    @JsonSetter(nulls = Nulls.AS_EMPTY)
        @JsonProperty(SampleColumns.JUDGEMENTS)
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Judgement> judgements,
    @JsonSetter(nulls = Nulls.AS_EMPTY)
        @JsonProperty(SampleColumns.OPTIONS)
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<OptionLikelihood> options,
    @JsonProperty(SampleColumns.REASONING) @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Optional<String> reasoning,
    @JsonProperty(SampleColumns.REQUEST_REASONING_TOKENS)
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Optional<Long> reasoningTokens,
    @JsonProperty(SampleColumns.SYSTEM_FINGERPRINT) @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Optional<String> systemFingerprint)
    implements SampleKey {
  /**
   * Under log-likelihood scoring, one option of the item: its letter, what followed the prompt (the
   * whitespace that joined them left out), its log-probability (natural log, its tokens' summed),
   * its tokens as the server counted them, its length in characters, and whether each of its tokens
   * was the server's likeliest (where the server said).
   */
  public record OptionLikelihood(
      @JsonProperty(value = "letter", required = true) String letter,
      @JsonProperty(value = "continuation", required = true) String continuation,
      @JsonProperty(value = "logprob", required = true) double logprob,
      @JsonProperty(value = "tokens", required = true) int tokens,
      @JsonProperty(value = "chars", required = true) int chars,
      @JsonProperty(value = "greedy", required = true) Optional<Boolean> greedy) {
    public OptionLikelihood {
      requireNonNull(letter, "letter is null");
      requireNonNull(continuation, "continuation is null");
      checkArgument(logprob <= 0, "logprob must be <= 0: %s", logprob);
      checkArgument(tokens >= 0 && chars >= 1, "tokens %s, chars %s", tokens, chars);
      requireNonNull(greedy, "greedy is null");
    }
  }

  /**
   * One judge's reply to the sample: as it came, the grades its parser read, or why there are none.
   */
  public record Judgement(
      @JsonProperty(value = "judge", required = true) String judge,
      @JsonProperty(value = "reply", required = true) String reply,
      @JsonProperty(value = "grades", required = true) Map<String, String> grades,
      @JsonProperty(value = "no_grade", required = true) Optional<String> noGrade) {
    public Judgement {
      requireNonNull(judge, "judge is null");
      requireNonNull(reply, "reply is null");
      grades = ImmutableMap.copyOf(requireNonNull(grades, "grades is null"));
      requireNonNull(noGrade, "no_grade is null");
    }
  }

  public SampleRow {
    requireNonNull(model, "model is null");
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(subset, "subset is null");
    requireNonNull(setting, "setting is null");
    requireNonNull(settingHash, "setting_hash is null");
    requireNonNull(perturbation, "perturbation is null");
    requireNonNull(exampleId, "example_id is null");
    checkArgument(exampleIndex >= 0, "example_index must be >= 0: %s", exampleIndex);
    checkArgument(sampleIndex >= 0, "sample_index must be >= 0: %s", sampleIndex);
    requireNonNull(requestHash, "request_hash is null");
    requireNonNull(prompt, "prompt is null");
    requireNonNull(gold, "gold is null");
    checkArgument(shotsUsed >= 0, "shots_used must be >= 0: %s", shotsUsed);
    requireNonNull(completion, "completion is null");
    requireNonNull(extracted, "extracted is null");
    requireNonNull(noAnswerReason, "no_answer_reason is null");
    explanation = explanation == null ? Optional.empty() : explanation;
    scores = ImmutableSortedMap.copyOf(requireNonNull(scores, "scores is null"));
    problemScores =
        ImmutableSortedMap.copyOf(requireNonNull(problemScores, "problem_scores is null"));
    requireNonNull(passed, "passed is null");
    requireNonNull(execResult, "exec_result is null");
    requireNonNull(finishReason, "finish_reason is null");
    requireNonNull(truncated, "truncated is null");
    requireNonNull(error, "error is null");
    requireNonNull(latencyMs, "request_latency_ms is null");
    requireNonNull(promptTokens, "request_prompt_tokens is null");
    requireNonNull(completionTokens, "request_completion_tokens is null");
    requireNonNull(attempts, "request_attempts is null");
    requireNonNull(reportedModel, "reported_model is null");
    judgements = judgements == null ? List.of() : List.copyOf(judgements);
    options = options == null ? List.of() : List.copyOf(options);
    reasoning = reasoning == null ? Optional.empty() : reasoning;
    reasoningTokens = reasoningTokens == null ? Optional.empty() : reasoningTokens;
    systemFingerprint = systemFingerprint == null ? Optional.empty() : systemFingerprint;
  }

  /** A row without a system fingerprint, as runs before it was kept have them. */
  public SampleRow(
      String model,
      String benchmark,
      Optional<String> subset,
      String setting,
      String settingHash,
      Optional<String> perturbation,
      String exampleId,
      int exampleIndex,
      int sampleIndex,
      String requestHash,
      String prompt,
      String gold,
      int shotsUsed,
      Optional<String> completion,
      Optional<String> extracted,
      Optional<String> noAnswerReason,
      Optional<String> explanation,
      Map<String, Double> scores,
      Map<String, Double> problemScores,
      Optional<Boolean> passed,
      Optional<String> execResult,
      Optional<String> finishReason,
      Optional<Boolean> truncated,
      Optional<String> error,
      Optional<Long> latencyMs,
      Optional<Long> promptTokens,
      Optional<Long> completionTokens,
      Optional<Integer> attempts,
      Optional<String> reportedModel,
      List<Judgement> judgements,
      List<OptionLikelihood> options,
      Optional<String> reasoning,
      Optional<Long> reasoningTokens) {
    this(
        model,
        benchmark,
        subset,
        setting,
        settingHash,
        perturbation,
        exampleId,
        exampleIndex,
        sampleIndex,
        requestHash,
        prompt,
        gold,
        shotsUsed,
        completion,
        extracted,
        noAnswerReason,
        explanation,
        scores,
        problemScores,
        passed,
        execResult,
        finishReason,
        truncated,
        error,
        latencyMs,
        promptTokens,
        completionTokens,
        attempts,
        reportedModel,
        judgements,
        options,
        reasoning,
        reasoningTokens,
        Optional.empty());
  }

  /** A row without reasoning, as runs before reasoning was kept apart have them. */
  public SampleRow(
      String model,
      String benchmark,
      Optional<String> subset,
      String setting,
      String settingHash,
      Optional<String> perturbation,
      String exampleId,
      int exampleIndex,
      int sampleIndex,
      String requestHash,
      String prompt,
      String gold,
      int shotsUsed,
      Optional<String> completion,
      Optional<String> extracted,
      Optional<String> noAnswerReason,
      Optional<String> explanation,
      Map<String, Double> scores,
      Map<String, Double> problemScores,
      Optional<Boolean> passed,
      Optional<String> execResult,
      Optional<String> finishReason,
      Optional<Boolean> truncated,
      Optional<String> error,
      Optional<Long> latencyMs,
      Optional<Long> promptTokens,
      Optional<Long> completionTokens,
      Optional<Integer> attempts,
      Optional<String> reportedModel,
      List<Judgement> judgements,
      List<OptionLikelihood> options) {
    this(
        model,
        benchmark,
        subset,
        setting,
        settingHash,
        perturbation,
        exampleId,
        exampleIndex,
        sampleIndex,
        requestHash,
        prompt,
        gold,
        shotsUsed,
        completion,
        extracted,
        noAnswerReason,
        explanation,
        scores,
        problemScores,
        passed,
        execResult,
        finishReason,
        truncated,
        error,
        latencyMs,
        promptTokens,
        completionTokens,
        attempts,
        reportedModel,
        judgements,
        options,
        Optional.empty(),
        Optional.empty());
  }

  /** This row as one JSON object (the columns' names), e.g. for a sample viewer. */
  public String toJson() {
    return RecordJson.write(this);
  }

  /** {@link #toJson()} without its whitespace, in UTF-8: the sample viewer's form. */
  public byte[] toCompactJson() {
    return RecordJson.compact(this);
  }
}
