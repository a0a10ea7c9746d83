package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * How likely a model finds each continuation of one context: one completions request per
 * continuation, its prompt the context followed by the continuation, echoed with log-probabilities
 * and generating nothing of note.
 *
 * @param context the text every continuation follows, without trailing whitespace
 * @param continuations the options, each as it would follow the context (usually with a leading
 *     space)
 */
public record LikelihoodRequest(String context, ImmutableList<String> continuations) {
  public LikelihoodRequest {
    requireNonNull(context, "context is null");
    continuations = ImmutableList.copyOf(continuations);
    checkArgument(!continuations.isEmpty(), "a likelihood request needs a continuation");
    continuations.forEach(c -> checkArgument(!c.isEmpty(), "a continuation is empty"));
  }

  public LikelihoodRequest(String context, List<String> continuations) {
    this(context, ImmutableList.copyOf(continuations));
  }
}
