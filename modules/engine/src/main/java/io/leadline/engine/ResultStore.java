package io.leadline.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.Choice;
import io.leadline.api.Completion;
import io.leadline.api.LeadlineException;
import io.leadline.api.Likelihood;
import io.leadline.api.ModelResult;
import io.leadline.api.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Model responses keyed by request hash, in a folder ({@code LEADLINE_HOME/results/} by default, or
 * {@code --store}: any Hadoop-compatible location): append-only segment files of JSON lines, one
 * file per writer (a Spark task), never appended to by anyone else.
 *
 * <p>Crash safety comes from the layout, not from locks: a record is one {@code write} of a whole
 * line, so a process killed at any moment leaves at most one torn line, at the end of its own
 * segment; readers skip any line that is not a whole record. A record is written once the response
 * is complete, so a killed sweep loses only what was in flight. Failures are stored too, tagged
 * with their run, so the run can record them; only completed responses count as answers for later
 * runs, so a rerun retries every failure, except a prompt longer than the model's context ({@code
 * out_of_context}): that is the model's answer to the prompt, kept like a completion.
 */
final class ResultStore {
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";

  /**
   * A prompt the model's context could not hold: recorded like a failure, but final, as an answer
   * is (a later run does not send it again; only a shorter prompt, a new request, would fit).
   */
  static final String OUT_OF_CONTEXT = ModelResult.FailureReason.OUT_OF_CONTEXT.id();

  /** The statuses of records that settle their request: later runs use them, never resend. */
  static final String[] FINAL = {COMPLETED, OUT_OF_CONTEXT};

  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String SUFFIX = ".jsonl";

  private final Path dir;
  private final FileSystem fs;

  private ResultStore(Path dir, FileSystem fs) {
    this.dir = dir;
    this.fs = fs;
  }

  /** The store at {@code location}, a local path or a Hadoop URI. */
  static ResultStore at(String location, Configuration conf) {
    Path dir = Locations.path(location);
    return new ResultStore(dir, Locations.fileSystem(dir, conf));
  }

  Path dir() {
    return dir;
  }

  FileSystem fileSystem() {
    return fs;
  }

  /** Every segment file's length now, by URI: where a later look for new records starts. */
  Map<String, Long> lengths() {
    try {
      Map<String, Long> lengths = new HashMap<>();
      if (!fs.exists(dir)) {
        return lengths;
      }
      for (FileStatus status : fs.listStatus(dir)) {
        if (status.isFile() && status.getPath().getName().endsWith(SUFFIX)) {
          lengths.put(status.getPath().toUri().toString(), status.getLen());
        }
      }
      return lengths;
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: cannot list the result store (%s)", dir, e.getMessage());
    }
  }

  /** Every segment file, sorted by name, as URIs. */
  List<String> segments() {
    try {
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<String> segments = new ArrayList<>();
      for (FileStatus status : fs.listStatus(dir)) {
        if (status.isFile() && status.getPath().getName().endsWith(SUFFIX)) {
          segments.add(status.getPath().toUri().toString());
        }
      }
      segments.sort(null);
      return segments;
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: cannot list the result store (%s)", dir, e.getMessage());
    }
  }

  /**
   * The completed records of {@code models}' requests, by request hash (the first record of a hash
   * wins, in segment order); torn, foreign and malformed lines are skipped. Read without Spark, for
   * the few requests a scorer makes (a judge's), not for the sweep's items.
   */
  Map<String, String> completed(Set<String> models) {
    // A record of one of the models names it as a JSON string, as Jackson writes it: a line holding
    // none of those strings (most of a store: the answers of the models under test) is not parsed.
    List<String> names = new ArrayList<>();
    for (String model : models) {
      try {
        names.add(MAPPER.writeValueAsString(model));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, String> lines = new HashMap<>();
    for (String segment : segments()) {
      Path path = new Path(java.net.URI.create(segment));
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!mentionsAny(line, names)) {
            continue;
          }
          JsonNode node = tree(line);
          Optional<Stored> stored = node == null ? Optional.empty() : stored(node);
          if (stored.isPresent()
              && stored.get().status().equals(COMPLETED)
              && models.contains(node.path("model").asText())) {
            lines.putIfAbsent(stored.get().hash(), line);
          }
        }
      } catch (IOException e) {
        throw LeadlineException.userInput(
            "%s: cannot read the result store (%s)", segment, e.getMessage());
      }
    }
    return lines;
  }

  /** A new segment for one writer of run {@code runId}; its file is made on the first record. */
  Segment newSegment(String runId) {
    return new Segment(this, runId);
  }

  /**
   * An open segment. Thread-safe: each record is one whole-line write, flushed to the filesystem at
   * once. Where the filesystem cannot flush an open file (object stores), the segment is closed and
   * a new one begun every {@link #ROLL_RECORDS} records or {@link #ROLL_NANOS}, which bounds what a
   * killed run loses there.
   */
  static final class Segment implements AutoCloseable {
    static final int ROLL_RECORDS = 1_000;
    static final long ROLL_NANOS = 30_000_000_000L;

    private final ResultStore store;
    private final String runId;
    private FSDataOutputStream out;
    private boolean flushable;
    private int records;
    private long opened;

    private Segment(ResultStore store, String runId) {
      this.store = store;
      this.runId = runId;
    }

    synchronized void append(String line) {
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        if (out == null) {
          store.fs.mkdirs(store.dir);
          out =
              store.fs.create(new Path(store.dir, runId + "-" + UUID.randomUUID() + SUFFIX), false);
          flushable = out.hasCapability(StreamCapabilities.HFLUSH);
          records = 0;
          opened = System.nanoTime();
        }
        out.write(bytes);
        records++;
        if (flushable) {
          out.hflush();
        } else if (records >= ROLL_RECORDS || System.nanoTime() - opened > ROLL_NANOS) {
          out.close();
          out = null;
        }
      } catch (IOException | org.apache.hadoop.fs.FSError e) {
        // Hadoop's local filesystem reports a failed write as an FSError around the IOException.
        if (Disk.isFull(e)) {
          throw Disk.full(store.dir.toString());
        }
        throw LeadlineException.userInput(
            "%s: cannot write to the result store (%s); choose a writable --store or LEADLINE_HOME",
            store.dir, e.getMessage());
      }
    }

    @Override
    public synchronized void close() {
      if (out == null) {
        return;
      }
      try {
        if (flushable) {
          out.hsync();
        }
        out.close();
        out = null;
      } catch (IOException | org.apache.hadoop.fs.FSError e) {
        out = null;
        if (Disk.isFull(e)) {
          throw Disk.full(store.dir.toString());
        }
        throw new IllegalStateException(
            store.dir + ": cannot close a segment: " + e.getMessage(), e);
      }
    }
  }

  /** One stored record: the request it answers, and what became of it. */
  record Stored(String hash, String status, String run, ModelResult result) {}

  /** The line recording {@code result} for {@code hash}. */
  static String encode(String hash, String model, String runId, ModelResult result) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("hash", hash);
    line.put("model", model);
    line.put("run", runId);
    if (result instanceof ModelResult.Completed completed) {
      Completion completion = completed.completion();
      line.put("status", COMPLETED);
      ArrayNode choices = line.putArray("choices");
      for (Choice choice : completion.choices()) {
        choices
            .addObject()
            .put("text", choice.text())
            .put("raw_text", choice.rawText())
            .put("reasoning", choice.reasoning())
            .put("finish_reason", choice.finishReason())
            .put("truncated", choice.truncated());
        if (choice.usage().isPresent()) {
          // Only a sample asked by a request of its own has one; other records stay as they were.
          Usage own = choice.usage().get();
          ((ObjectNode) choices.get(choices.size() - 1))
              .putObject("usage")
              .put("prompt_tokens", own.promptTokens())
              .put("completion_tokens", own.completionTokens())
              .put("reasoning_tokens", own.reasoningTokens())
              .put("cached_prompt_tokens", own.cachedPromptTokens());
        }
        if (choice.likelihood().isPresent()) {
          Likelihood likelihood = choice.likelihood().get();
          ObjectNode written =
              ((ObjectNode) choices.get(choices.size() - 1)).putObject("likelihood");
          ArrayNode logprobs = written.putArray("token_logprobs");
          likelihood.tokenLogprobs().forEach(logprobs::add);
          if (likelihood.greedy().isPresent()) {
            written.put("greedy", likelihood.greedy().get());
          } else {
            written.putNull("greedy");
          }
        }
      }
      line.putObject("usage")
          .put("prompt_tokens", completion.usage().promptTokens())
          .put("completion_tokens", completion.usage().completionTokens())
          .put("reasoning_tokens", completion.usage().reasoningTokens())
          .put("cached_prompt_tokens", completion.usage().cachedPromptTokens());
      line.put("reported_model", completion.reportedModel());
      line.put("system_fingerprint", completion.systemFingerprint());
      line.put("requests", completion.requests());
      line.put("attempts", completion.attempts());
      line.put("latency_ms", completion.latency().toMillis());
      line.put("batch", completion.batch());
      if (completion.simulated()) {
        // Only then: the records of every other server stay as they were.
        line.put("simulated", true);
      }
    } else {
      ModelResult.Failed failed = (ModelResult.Failed) result;
      line.put(
          "status",
          failed.reason() == ModelResult.FailureReason.OUT_OF_CONTEXT ? OUT_OF_CONTEXT : FAILED);
      line.put("reason", failed.reason().name());
      line.put("message", failed.message());
      line.put("http_status", failed.httpStatus());
      line.put("attempts", failed.attempts());
    }
    try {
      return MAPPER.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The record on {@code line}, or empty for a torn, foreign or malformed line. Every field is
   * checked for its type (a text is a string, token counts are whole numbers >= 0, ...): a line
   * with the right hash and a wrong shape is not an answer, and its request is sent again.
   */
  static Optional<Stored> decode(String line) {
    JsonNode node = tree(line);
    return node == null ? Optional.empty() : stored(node);
  }

  private static boolean mentionsAny(String line, List<String> names) {
    for (String name : names) {
      if (line.contains(name)) {
        return true;
      }
    }
    return false;
  }

  /** {@code line} parsed, or null if it is not JSON. */
  private static JsonNode tree(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The record {@code node} is, or empty as {@link #decode(String)}. */
  private static Optional<Stored> stored(JsonNode node) {
    if (!node.isObject()) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(node));
    } catch (Malformed | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code line} names a request (a JSON object with a hash and a status) but is not a
   * whole, well-typed record: what a torn line is not, and what the store should never hold.
   */
  static boolean isMalformed(String line) {
    JsonNode node = tree(line);
    return node != null
        && node.path("hash").isTextual()
        && node.path("status").isTextual()
        && stored(node).isEmpty();
  }

  private static Stored decode(JsonNode node) {
    String hash = text(node, "hash");
    String status = text(node, "status");
    String run = text(node, "run");
    text(node, "model");
    if (status.equals(COMPLETED)) {
      JsonNode written = node.get("choices");
      if (written == null || !written.isArray() || written.isEmpty()) {
        throw new Malformed();
      }
      List<Choice> choices = new ArrayList<>();
      for (JsonNode choice : written) {
        if (!choice.isObject()) {
          throw new Malformed();
        }
        Optional<Likelihood> likelihood = Optional.empty();
        JsonNode scored = choice.get("likelihood");
        if (scored != null && !scored.isNull()) {
          JsonNode logprobs = scored.get("token_logprobs");
          JsonNode greedy = scored.get("greedy");
          if (!scored.isObject()
              || logprobs == null
              || !logprobs.isArray()
              || greedy == null
              || !(greedy.isNull() || greedy.isBoolean())) {
            throw new Malformed();
          }
          List<Double> values = new ArrayList<>();
          for (JsonNode logprob : logprobs) {
            if (!logprob.isNumber()) {
              throw new Malformed();
            }
            values.add(logprob.doubleValue());
          }
          likelihood =
              Optional.of(
                  new Likelihood(
                      values,
                      greedy.isBoolean() ? Optional.of(greedy.booleanValue()) : Optional.empty()));
        }
        JsonNode truncated = choice.get("truncated");
        if (truncated == null || !truncated.isBoolean()) {
          throw new Malformed();
        }
        JsonNode own = choice.get("usage");
        if (own != null && !own.isObject()) {
          throw new Malformed();
        }
        choices.add(
            new Choice(
                text(choice, "text"),
                text(choice, "raw_text"),
                text(choice, "reasoning"),
                text(choice, "finish_reason"),
                truncated.booleanValue(),
                likelihood,
                own == null ? Optional.empty() : Optional.of(usage(own))));
      }
      JsonNode usage = node.get("usage");
      if (usage == null || !usage.isObject()) {
        throw new Malformed();
      }
      Completion completion =
          new Completion(
              choices,
              usage(usage),
              text(node, "reported_model"),
              text(node, "system_fingerprint"),
              Math.toIntExact(count(node, "requests")),
              Math.toIntExact(count(node, "attempts")),
              Duration.ofMillis(count(node, "latency_ms")),
              node.has("batch") ? text(node, "batch") : "",
              node.path("simulated").asBoolean(false));
      return new Stored(hash, COMPLETED, run, new ModelResult.Completed(completion));
    }
    if (!status.equals(FAILED) && !status.equals(OUT_OF_CONTEXT)) {
      throw new Malformed();
    }
    ModelResult.FailureReason reason = ModelResult.FailureReason.valueOf(text(node, "reason"));
    if (status.equals(OUT_OF_CONTEXT) != (reason == ModelResult.FailureReason.OUT_OF_CONTEXT)) {
      throw new Malformed();
    }
    return new Stored(
        hash,
        status,
        run,
        new ModelResult.Failed(
            reason,
            text(node, "message"),
            Math.toIntExact(count(node, "http_status")),
            Math.toIntExact(count(node, "attempts"))));
  }

  private static Usage usage(JsonNode usage) {
    return new Usage(
        count(usage, "prompt_tokens"),
        count(usage, "completion_tokens"),
        count(usage, "reasoning_tokens"),
        // Absent from records written before prompt caching was counted.
        usage.has("cached_prompt_tokens") ? count(usage, "cached_prompt_tokens") : 0);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new Malformed();
    }
    return value.textValue();
  }

  /** A whole number >= 0 (an integral JSON number, not a string or a fraction). */
  private static long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new Malformed();
    }
    long count = value.longValue();
    if (count < 0) {
      throw new Malformed();
    }
    return count;
  }

  /** A record that does not hold together: treated like a torn one, so its request is resent. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super(null, null, false, false);
    }
  }
}
