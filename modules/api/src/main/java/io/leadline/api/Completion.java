package io.leadline.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.List;

/**
 * A model's answer to a {@link CompletionRequest}.
 *
 * @param choices one per requested completion, in sample order
 * @param usage tokens of every request it took
 * @param reportedModel the model name the server reported, for the run manifest
 * @param systemFingerprint the server's {@code system_fingerprint}, or empty
 * @param requests HTTP requests that returned a usable answer (more than one where {@code n} was
 *     split)
 * @param attempts HTTP attempts including retries
 * @param latency wall time from the first attempt to the last answer
 */
public record Completion(
    List<Choice> choices,
    Usage usage,
    String reportedModel,
    String systemFingerprint,
    int requests,
    int attempts,
    Duration latency) {
  public Completion {
    choices = ImmutableList.copyOf(choices);
    checkArgument(!choices.isEmpty(), "a completion has at least one choice");
    requireNonNull(usage, "usage is null");
    requireNonNull(reportedModel, "reportedModel is null");
    requireNonNull(systemFingerprint, "systemFingerprint is null");
    checkArgument(
        requests >= 1 && attempts >= requests, "requests %s, attempts %s", requests, attempts);
    requireNonNull(latency, "latency is null");
  }
}
