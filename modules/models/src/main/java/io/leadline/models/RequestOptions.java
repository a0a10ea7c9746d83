package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import io.leadline.api.CompletionRequest;
import io.leadline.api.Sampling;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * A model's own request options from the models file, on top of what a setting asks: how a
 * reasoning model is asked to reason, and how its inline reasoning is marked. {@link ModelsFile}
 * checks which provider takes which.
 *
 * @param reasoningEffort OpenAI's {@code reasoning_effort} ({@code minimal}, {@code low}, {@code
 *     medium}, {@code high}); a model given one takes only the default temperature and top_p and no
 *     {@code stop}, so those are not sent (the client cuts at the stop sequences itself)
 * @param maxCompletionTokens OpenAI's {@code max_completion_tokens}, sent in place of the setting's
 *     {@code max_tokens} (reasoning tokens count against it)
 * @param thinkingBudget Anthropic's {@code thinking: {type: enabled, budget_tokens}}; a model
 *     thinking takes only temperature 1, so the setting's temperature and top_p are not sent
 * @param maxTokens Anthropic's {@code max_tokens}, sent in place of the setting's (above the
 *     thinking budget)
 * @param tags the tags inline reasoning is written between
 */
public record RequestOptions(
    Optional<String> reasoningEffort,
    OptionalInt maxCompletionTokens,
    OptionalInt thinkingBudget,
    OptionalInt maxTokens,
    ReasoningTags tags) {
  /** OpenAI's values of {@code reasoning_effort}. */
  public static final List<String> EFFORTS = List.of("minimal", "low", "medium", "high");

  /** Anthropic's smallest {@code budget_tokens}. */
  public static final int MIN_THINKING_BUDGET = 1024;

  /** No options: the setting's request as it is, {@code <think>} tags. */
  public static final RequestOptions NONE =
      new RequestOptions(
          Optional.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          ReasoningTags.THINK);

  public RequestOptions {
    requireNonNull(reasoningEffort, "reasoningEffort is null");
    reasoningEffort.ifPresent(
        e ->
            checkArgument(
                EFFORTS.contains(e), "reasoning_effort must be one of %s: %s", EFFORTS, e));
    requireNonNull(maxCompletionTokens, "maxCompletionTokens is null");
    requireNonNull(thinkingBudget, "thinkingBudget is null");
    requireNonNull(maxTokens, "maxTokens is null");
    requireNonNull(tags, "tags is null");
    checkArgument(maxCompletionTokens.orElse(1) >= 1, "max_completion_tokens must be >= 1");
    checkArgument(maxTokens.orElse(1) >= 1, "max_tokens must be >= 1");
    checkArgument(
        thinkingBudget.orElse(MIN_THINKING_BUDGET) >= MIN_THINKING_BUDGET,
        "budget_tokens must be >= %s",
        MIN_THINKING_BUDGET);
    checkArgument(
        thinkingBudget.isEmpty() || maxTokens.orElse(0) > thinkingBudget.getAsInt(),
        "max_tokens must be above budget_tokens");
  }

  /**
   * Whether the model takes only its provider's default temperature and top_p (OpenAI's reasoning
   * models, Anthropic's extended thinking), so the setting's are not sent.
   */
  public boolean defaultSamplingOnly() {
    return reasoningEffort.isPresent() || thinkingBudget.isPresent();
  }

  /** What of a setting's request is never sent to the model, sorted; empty if all is. */
  public List<String> notSent() {
    if (reasoningEffort.isPresent()) {
      return ImmutableList.of("stop", "temperature", "top_p");
    }
    return thinkingBudget.isPresent()
        ? ImmutableList.of("temperature", "top_p")
        : ImmutableList.of();
  }

  /** The cap on generated tokens a request of this model carries, given the setting's. */
  public int maxTokens(int settingMaxTokens) {
    return maxCompletionTokens.orElse(maxTokens.orElse(settingMaxTokens));
  }

  /** {@code request} with the cap on generated tokens this model's requests carry. */
  public CompletionRequest apply(CompletionRequest request) {
    Sampling sampling = request.sampling();
    int cap = maxTokens(sampling.maxTokens());
    if (cap == sampling.maxTokens()) {
      return request;
    }
    return new CompletionRequest(
        request.prompt(),
        request.wrapping(),
        new Sampling(
            sampling.temperature(),
            sampling.topP(),
            cap,
            sampling.stop(),
            sampling.n(),
            sampling.seed()));
  }

  /**
   * The options as the manifest and the request keys record them, by the models file's keys,
   * sorted; empty for a model without any (so that its keys and hashes are those of before).
   */
  public SortedMap<String, String> describe() {
    ImmutableSortedMap.Builder<String, String> options = ImmutableSortedMap.naturalOrder();
    reasoningEffort.ifPresent(e -> options.put("reasoning_effort", e));
    maxCompletionTokens.ifPresent(t -> options.put("max_completion_tokens", Integer.toString(t)));
    thinkingBudget.ifPresent(b -> options.put("thinking.budget_tokens", Integer.toString(b)));
    maxTokens.ifPresent(t -> options.put("max_tokens", Integer.toString(t)));
    if (!tags.equals(ReasoningTags.THINK)) {
      options.put("reasoning_tags", tags.open() + "…" + tags.close());
    }
    return options.build();
  }

  /**
   * The pair of tags a model writes inline reasoning between ({@code reasoning_tags: {open, close}}
   * in the models file). An empty {@code open} says the chat template opens the block in the prompt
   * (DeepSeek-R1's distills on a server without a reasoning parser): the completion is reasoning up
   * to {@code close}, and all reasoning if it never comes.
   */
  public record ReasoningTags(String open, String close) {
    /** DeepSeek-R1's and Qwen3's {@code <think>…</think>}. */
    public static final ReasoningTags THINK = new ReasoningTags("<think>", "</think>");

    public ReasoningTags {
      requireNonNull(open, "open is null");
      requireNonNull(close, "close is null");
      checkArgument(!close.isBlank(), "the closing tag must not be blank");
      checkArgument(open.isEmpty() || !open.isBlank(), "the opening tag must not be blank");
      checkArgument(!open.equals(close), "the opening and closing tags must differ");
    }

    /** Whether the chat template opens the block, so the completion begins inside it. */
    public boolean openedByTemplate() {
      return open.isEmpty();
    }
  }
}
