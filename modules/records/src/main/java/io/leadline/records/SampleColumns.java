package io.leadline.records;

import java.util.List;

/**
 * The column names of {@code samples.parquet}, in file order: the engine writes them and {@link
 * RunFolders} reads them from here, and {@link SampleRow}'s JSON uses the same names.
 */
public final class SampleColumns {
  public static final String MODEL = "model";
  public static final String BENCHMARK = "benchmark";
  public static final String SUBSET = "subset";
  public static final String SETTING = "setting";
  public static final String SETTING_HASH = "setting_hash";
  public static final String PERTURBATION = "perturbation";
  public static final String EXAMPLE_ID = "example_id";
  public static final String EXAMPLE_INDEX = "example_index";
  public static final String SAMPLE_INDEX = "sample_index";
  public static final String REQUEST_HASH = "request_hash";
  public static final String PROMPT = "prompt";
  public static final String GOLD = "gold";
  public static final String SHOTS_USED = "shots_used";
  public static final String COMPLETION = "completion";
  public static final String EXTRACTED = "extracted";
  public static final String NO_ANSWER_REASON = "no_answer_reason";

  /** Why the scorer judged as it did; absent in runs written before it existed. */
  public static final String EXPLANATION = "explanation";

  public static final String SCORES = "scores";
  public static final String PROBLEM_SCORES = "problem_scores";
  public static final String PASSED = "passed";
  public static final String EXEC_RESULT = "exec_result";
  public static final String FINISH_REASON = "finish_reason";
  public static final String TRUNCATED = "truncated";
  public static final String ERROR = "error";
  public static final String REQUEST_LATENCY_MS = "request_latency_ms";
  public static final String REQUEST_PROMPT_TOKENS = "request_prompt_tokens";
  public static final String REQUEST_COMPLETION_TOKENS = "request_completion_tokens";
  public static final String REQUEST_ATTEMPTS = "request_attempts";
  public static final String REPORTED_MODEL = "reported_model";

  /** The judges' replies to this sample, where judges graded it; absent in older runs. */
  public static final String JUDGEMENTS = "judgements";

  public static final String OPTIONS = "options";

  /**
   * The model's reasoning, kept apart from the completion extraction reads ({@code
   * reasoning_content}, thinking blocks, inline {@code <think>} blocks); absent in older runs.
   */
  public static final String REASONING = "reasoning";

  /** The reasoning tokens of the request (part of its completion tokens); absent in older runs. */
  public static final String REQUEST_REASONING_TOKENS = "request_reasoning_tokens";

  /**
   * The server's {@code system_fingerprint} on the response that answered the request (its build,
   * {@code b1-80fb11a} on llama-server); absent where the server sent none, and in older runs.
   */
  public static final String SYSTEM_FINGERPRINT = "system_fingerprint";

  /** The order rows are sorted in. */
  public static final List<String> ORDER =
      List.of(MODEL, BENCHMARK, SUBSET, SETTING, PERTURBATION, EXAMPLE_INDEX, SAMPLE_INDEX);

  /** Every column a row has (a file of an older run lacks some; a reader ignores any other). */
  public static final java.util.Set<String> ALL =
      java.util.Set.of(
          MODEL,
          BENCHMARK,
          SUBSET,
          SETTING,
          SETTING_HASH,
          PERTURBATION,
          EXAMPLE_ID,
          EXAMPLE_INDEX,
          SAMPLE_INDEX,
          REQUEST_HASH,
          PROMPT,
          GOLD,
          SHOTS_USED,
          COMPLETION,
          EXTRACTED,
          NO_ANSWER_REASON,
          EXPLANATION,
          SCORES,
          PROBLEM_SCORES,
          PASSED,
          EXEC_RESULT,
          FINISH_REASON,
          TRUNCATED,
          ERROR,
          REQUEST_LATENCY_MS,
          REQUEST_PROMPT_TOKENS,
          REQUEST_COMPLETION_TOKENS,
          REQUEST_ATTEMPTS,
          REPORTED_MODEL,
          JUDGEMENTS,
          OPTIONS,
          REASONING,
          REQUEST_REASONING_TOKENS,
          SYSTEM_FINGERPRINT);

  private SampleColumns() {}
}
