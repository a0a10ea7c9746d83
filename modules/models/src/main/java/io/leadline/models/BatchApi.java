package io.leadline.models;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A provider's batch API, as documented: OpenAI's Batch API (a JSONL file uploaded to {@code
 * /v1/files}, a batch made of it at {@code /v1/batches}, its output and error files) or Anthropic's
 * Message Batches ({@code /v1/messages/batches}, its {@code results_url}). Calls are retried on
 * 408, 409, 429, 5xx and connection faults within the model's attempts and retry time; anything
 * else is a {@link BatchException} in one line, without the key.
 */
public interface BatchApi {
  /** {@code openai} or {@code anthropic}: whose API this is, for the store and messages. */
  String kind();

  /** The API path each line of a batch goes to, for {@code likelihood} requests or not. */
  String endpoint(boolean likelihood);

  /**
   * Creates one batch of {@code lines}, all for {@code endpoint}, and returns its id.
   *
   * @param metadata recorded with the batch where the provider keeps metadata (OpenAI)
   */
  String create(String endpoint, List<Line> lines, java.util.Map<String, String> metadata);

  /** The bytes {@code line} adds to a batch for {@code endpoint}, as the provider counts them. */
  long lineBytes(String endpoint, Line line);

  /** Where batch {@code id} stands now. */
  Status status(String id);

  /**
   * Hands each answer of an ended batch to {@code sink} as it is read, each line once: results are
   * streamed, never held whole.
   */
  void results(Status status, java.util.function.Consumer<LineResult> sink);

  /** Asks the provider to stop batch {@code id}. */
  void cancel(String id);

  /**
   * An OpenAI batch made earlier with {@code metadata} (a submission the sweep was killed before it
   * could record), or empty; always empty for Anthropic, which keeps no metadata.
   */
  default Optional<String> find(java.util.Map<String, String> metadata) {
    return Optional.empty();
  }

  /** One request of a batch: its id within the batch and the body a request of its own sends. */
  record Line(String customId, ObjectNode body) {
    public Line {
      requireNonNull(customId, "customId is null");
      requireNonNull(body, "body is null");
    }
  }

  /**
   * A batch's state in the provider's words ({@code in_progress}, {@code completed}, {@code ended},
   * ...), whether it has ended, and its counts so far.
   *
   * @param outputFile OpenAI's output file, if any
   * @param errorFile OpenAI's error file, if any
   * @param resultsUrl Anthropic's results, once ended
   * @param problem why the batch failed as a whole (OpenAI's validation errors), or empty
   */
  record Status(
      String id,
      String state,
      boolean ended,
      long total,
      long succeeded,
      long failed,
      Optional<String> outputFile,
      Optional<String> errorFile,
      Optional<String> resultsUrl,
      String problem) {}

  /**
   * One line's outcome: an HTTP status and body as a request of its own would have had (200 and the
   * answer; 4xx and the error body), or status 0 and why there is no answer (expired, cancelled).
   *
   * @param simulated whether the server said it is Leadline's simulator ({@code
   *     X-Leadline-Simulated: true}) on the responses that brought the batch's results (each
   *     collection reads them through a {@link HttpModelClient#batchApi()} of its own)
   */
  record LineResult(
      String customId, int httpStatus, JsonNode body, String problem, boolean simulated) {
    public LineResult {
      requireNonNull(customId, "customId is null");
      requireNonNull(problem, "problem is null");
    }

    /** A line from a server that did not say it is simulated. */
    public LineResult(String customId, int httpStatus, JsonNode body, String problem) {
      this(customId, httpStatus, body, problem, false);
    }
  }

  /** A batch call that failed; {@link #notFound()} if the provider does not know the batch. */
  final class BatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BatchException(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }

    public boolean notFound() {
      return status == 404;
    }

    public int status() {
      return status;
    }
  }
}
