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
 * @param latency wall time from the first attempt to the last answer (for a batched answer, from
 *     the batch's submission to its results)
 * @param batch the provider's batch that answered it, or empty for an answer to its own request
 * @param simulated whether the server said it is Leadline's simulator ({@code X-Leadline-Simulated:
 *     true}), so that a run of a {@code serve-sim} server is labelled so
 */
public record Completion(
    List<Choice> choices,
    Usage usage,
    String reportedModel,
    String systemFingerprint,
    int requests,
    int attempts,
    Duration latency,
    String batch,
    boolean simulated) {
  public Completion {
    choices = ImmutableList.copyOf(choices);
    checkArgument(!choices.isEmpty(), "a completion has at least one choice");
    requireNonNull(usage, "usage is null");
    requireNonNull(reportedModel, "reportedModel is null");
    requireNonNull(systemFingerprint, "systemFingerprint is null");
    checkArgument(
        requests >= 1 && attempts >= requests, "requests %s, attempts %s", requests, attempts);
    requireNonNull(latency, "latency is null");
    requireNonNull(batch, "batch is null");
  }

  /** An answer from a server that did not say it is simulated. */
  public Completion(
      List<Choice> choices,
      Usage usage,
      String reportedModel,
      String systemFingerprint,
      int requests,
      int attempts,
      Duration latency,
      String batch) {
    this(
        choices,
        usage,
        reportedModel,
        systemFingerprint,
        requests,
        attempts,
        latency,
        batch,
        false);
  }

  /** An answer to requests of its own (not batched). */
  public Completion(
      List<Choice> choices,
      Usage usage,
      String reportedModel,
      String systemFingerprint,
      int requests,
      int attempts,
      Duration latency) {
    this(choices, usage, reportedModel, systemFingerprint, requests, attempts, latency, "");
  }

  /** Whether a provider's batch API answered it (billed at the batch price). */
  public boolean batched() {
    return !batch.isEmpty();
  }
}
