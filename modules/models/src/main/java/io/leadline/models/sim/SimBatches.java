package io.leadline.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.hash.Hashing;
import com.sun.net.httpserver.HttpExchange;
import io.leadline.models.sim.SimServer.BatchApi;
import io.leadline.models.sim.SimServer.Reply;
import io.leadline.models.sim.SimServer.Route;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's batch APIs: OpenAI's Files and Batch APIs ({@code /v1/files}, {@code
 * /v1/batches}) and Anthropic's Message Batches ({@code /v1/messages/batches}), in the providers'
 * documented shapes.
 *
 * <p>Each line is answered when its batch is created, through the synchronous route's own code path
 * ({@link SimServer#answer}) on the line's body as the server's ObjectMapper re-serialises it, so
 * it gets exactly the answer the synchronous route gives that body; faults and latency do not
 * apply. What a poll sees depends only on the time since creation: the profile's {@link
 * SimProfile.Batch#delay} is split over the states, and lines finish one by one, in input order,
 * while the batch is in progress (a cancel keeps those finished before it). A share {@link
 * SimProfile.Batch#expire} of lines, drawn per (custom_id, body digest), expires instead.
 *
 * <p>Thread-safe: all state is guarded by this object's monitor.
 */
final class SimBatches {
  private static final ObjectMapper MAPPER = SimServer.mapper();
  private static final Set<String> OPENAI_ENDPOINTS =
      Set.of("/v1/chat/completions", "/v1/completions");
  private static final Pattern CUSTOM_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
  private static final long WINDOW_SECONDS = 24 * 3600;
  private static final int MAX_LIST = 100;
  private static final int MAX_ANTHROPIC_LIST = 1000;

  private final SimServer server;
  private final SimProfile profile;
  private final Map<String, StoredFile> files = new LinkedHashMap<>();
  private final Map<String, OpenAiBatch> openAiBatches = new LinkedHashMap<>();
  private final Map<String, AnthropicBatch> anthropicBatches = new LinkedHashMap<>();
  private final Map<BatchApi, Long> created = new EnumMap<>(BatchApi.class);
  private final TreeMap<String, Integer> linesByCustomId = new TreeMap<>();
  private final TreeMap<String, Integer> linesByDigest = new TreeMap<>();
  private long sequence;

  SimBatches(SimServer server, SimProfile profile) {
    this.server = server;
    this.profile = profile;
  }

  synchronized long created(BatchApi api) {
    return created.getOrDefault(api, 0L);
  }

  synchronized SortedMap<String, Integer> linesByCustomId() {
    return ImmutableSortedMap.copyOfSorted(linesByCustomId);
  }

  synchronized SortedMap<String, Integer> linesByDigest() {
    return ImmutableSortedMap.copyOfSorted(linesByDigest);
  }

  /** The reply to a batch route, or empty if {@code path} is none of them. */
  Optional<Reply> handle(HttpExchange exchange, String path) throws IOException {
    boolean anthropic =
        path.equals("/v1/messages/batches") || path.startsWith("/v1/messages/batches/");
    boolean openAi =
        path.equals("/v1/files")
            || path.startsWith("/v1/files/")
            || path.equals("/v1/batches")
            || path.startsWith("/v1/batches/");
    if (!anthropic && !openAi) {
      return Optional.empty();
    }
    Optional<Reply> refused = server.refuse(exchange, anthropic);
    if (refused.isPresent()) {
      return refused;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Request request =
        new Request(
            exchange.getRequestMethod(),
            path,
            query(exchange.getRequestURI().getRawQuery()),
            Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse(""),
            body,
            "http://"
                + Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host"))
                    .orElse(server.baseUrl().getAuthority()));
    long now = System.nanoTime();
    synchronized (this) {
      return Optional.of(anthropic ? anthropic(request, now) : openAi(request, now));
    }
  }

  /** What a batch route needs of an HTTP request. */
  private record Request(
      String method,
      String path,
      Map<String, String> query,
      String contentType,
      byte[] body,
      String origin) {}

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(name, value);
    }
    return query;
  }

  private String nextId(String prefix) {
    sequence++;
    return prefix
        + Hashing.sha256()
            .hashString(
                prefix + "|" + profile.fingerprint() + "|" + sequence, StandardCharsets.UTF_8)
            .toString()
            .substring(0, 24);
  }

  /** One line of a batch: what it is answered and whether it expires instead. */
  private record Line(String customId, String digest, Reply reply, boolean expires) {}

  /**
   * The line answers of {@code lines} (custom_id, re-serialised body) and their counts; {@code
   * route} answers each as the synchronous route would.
   */
  private List<Line> answer(List<Map.Entry<String, JsonNode>> lines, Route route) {
    List<Line> answered = new ArrayList<>();
    for (Map.Entry<String, JsonNode> line : lines) {
      byte[] bytes;
      try {
        bytes = MAPPER.writeValueAsBytes(line.getValue());
      } catch (IOException e) {
        throw new IllegalStateException("cannot serialise a parsed JSON tree", e);
      }
      String digest = Hashing.sha256().hashBytes(bytes).toString();
      boolean expires =
          SimResponder.unit(profile.seed(), "batch-expire|" + line.getKey() + "|" + digest)
              < profile.batch().expire();
      answered.add(new Line(line.getKey(), digest, server.answer(bytes, digest, route), expires));
      linesByCustomId.merge(line.getKey(), 1, Integer::sum);
      linesByDigest.merge(digest, 1, Integer::sum);
    }
    return answered;
  }

  /**
   * When each line finishes, in nanoseconds from the batch's creation: the lines that do not expire
   * finish evenly over [{@code start}, {@code end}] in input order; expiring ones never (-1).
   */
  private static long[] finishTimes(List<Line> lines, long start, long end) {
    long running = lines.stream().filter(line -> !line.expires()).count();
    long[] times = new long[lines.size()];
    long rank = 0;
    for (int i = 0; i < lines.size(); i++) {
      times[i] = lines.get(i).expires() ? -1 : start + (end - start) * ++rank / running;
    }
    return times;
  }

  private long delay() {
    return profile.batch().delay().toNanos();
  }

  // ---------------------------------------------------------------- OpenAI

  /** An uploaded (or generated) file. */
  private record StoredFile(
      String id, String filename, String purpose, long createdAt, byte[] bytes) {
    ObjectNode json() {
      return MAPPER
          .createObjectNode()
          .put("id", id)
          .put("object", "file")
          .put("bytes", bytes.length)
          .put("created_at", createdAt)
          .put("filename", filename)
          .put("purpose", purpose);
    }
  }

  /** An OpenAI batch; its status is worked out from the time since {@code createdNanos}. */
  private static final class OpenAiBatch {
    final String id;
    final String endpoint;
    final String inputFileId;
    final JsonNode metadata;
    final long createdNanos;
    final long createdMillis;
    final List<Line> lines;
    final ArrayNode validationErrors;
    final long[] finishTimes;
    long cancelNanos = -1;
    boolean settled;
    String outputFileId;
    String errorFileId;

    OpenAiBatch(
        String id,
        String endpoint,
        String inputFileId,
        JsonNode metadata,
        long createdNanos,
        long createdMillis,
        List<Line> lines,
        ArrayNode validationErrors,
        long delay) {
      this.id = id;
      this.endpoint = endpoint;
      this.inputFileId = inputFileId;
      this.metadata = metadata;
      this.createdNanos = createdNanos;
      this.createdMillis = createdMillis;
      this.lines = lines;
      this.validationErrors = validationErrors;
      this.finishTimes = finishTimes(lines, delay / 4, delay * 3 / 4);
    }
  }

  private Reply openAi(Request request, long now) {
    String path = request.path();
    String method = request.method();
    List<String> parts = List.of(path.substring(1).split("/"));
    if (parts.get(1).equals("files")) {
      if (parts.size() == 2 && method.equals("POST")) {
        return upload(request);
      }
      if (parts.size() == 2 && method.equals("GET")) {
        ObjectNode list = MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        files.values().forEach(file -> data.add(file.json()));
        return Reply.of(200, list.put("has_more", false));
      }
      StoredFile file = parts.size() >= 3 ? files.get(parts.get(2)) : null;
      if (file == null) {
        return openAiError(
            404, "No such File object: " + (parts.size() >= 3 ? parts.get(2) : ""), "id");
      }
      if (parts.size() == 3 && method.equals("GET")) {
        return Reply.of(200, file.json());
      }
      if (parts.size() == 3 && method.equals("DELETE")) {
        files.remove(file.id());
        return Reply.of(
            200,
            MAPPER
                .createObjectNode()
                .put("id", file.id())
                .put("object", "file")
                .put("deleted", true));
      }
      if (parts.size() == 4 && parts.get(3).equals("content") && method.equals("GET")) {
        return Reply.raw(200, "application/octet-stream", file.bytes());
      }
      return openAiError(405, method + " " + path + " is not supported", null);
    }
    if (parts.size() == 2 && method.equals("POST")) {
      return createOpenAi(request, now);
    }
    if (parts.size() == 2 && method.equals("GET")) {
      return listOpenAi(request, now);
    }
    OpenAiBatch batch = parts.size() >= 3 ? openAiBatches.get(parts.get(2)) : null;
    if (batch == null) {
      return openAiError(
          404,
          "No batch found with id '" + (parts.size() >= 3 ? parts.get(2) : "") + "'.",
          "batch_id");
    }
    if (parts.size() == 3 && method.equals("GET")) {
      return Reply.of(200, openAiJson(batch, now));
    }
    if (parts.size() == 4 && parts.get(3).equals("cancel") && method.equals("POST")) {
      String status = openAiStatus(batch, now - batch.createdNanos);
      if (status.equals("cancelling")) {
        return Reply.of(200, openAiJson(batch, now));
      }
      if (!List.of("validating", "in_progress", "finalizing").contains(status)) {
        return openAiError(409, "Cannot cancel a batch with status '" + status + "'.", null);
      }
      batch.cancelNanos = now - batch.createdNanos;
      return Reply.of(200, openAiJson(batch, now));
    }
    return openAiError(405, method + " " + path + " is not supported", null);
  }

  private static Reply openAiError(int status, String message, String param) {
    ObjectNode error = SimServer.error(message, "invalid_request_error", null);
    if (param != null) {
      ((ObjectNode) error.get("error")).put("param", param);
    }
    return Reply.of(status, error);
  }

  /** {@code POST /v1/files}: multipart/form-data with {@code purpose} and {@code file}. */
  private Reply upload(Request request) {
    Matcher boundary = BOUNDARY.matcher(request.contentType());
    if (!request.contentType().startsWith("multipart/form-data") || !boundary.find()) {
      return openAiError(
          400, "Expected a multipart/form-data body with 'purpose' and 'file'.", null);
    }
    String delimiter = "--" + (boundary.group(1) != null ? boundary.group(1) : boundary.group(2));
    // ISO-8859-1 maps bytes to chars one to one, so the file's bytes survive the split.
    String text = new String(request.body(), StandardCharsets.ISO_8859_1);
    String purpose = null;
    String filename = null;
    byte[] content = null;
    for (String part : text.split(Pattern.quote(delimiter))) {
      int headerEnd = part.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        continue;
      }
      String headers = part.substring(0, headerEnd);
      String value = part.substring(headerEnd + 4);
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      }
      Matcher name =
          Pattern.compile("(?i)content-disposition:[^\r\n]*\\bname=\"([^\"]*)\"").matcher(headers);
      if (!name.find()) {
        continue;
      }
      if (name.group(1).equals("purpose")) {
        purpose = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      } else if (name.group(1).equals("file")) {
        Matcher file = Pattern.compile("\\bfilename=\"([^\"]*)\"").matcher(headers);
        filename = file.find() ? file.group(1) : "file";
        content = value.getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    if (purpose == null || content == null) {
      return openAiError(
          400,
          "Missing required parameter: '" + (purpose == null ? "purpose" : "file") + "'.",
          purpose == null ? "purpose" : "file");
    }
    if (!purpose.equals("batch")) {
      return openAiError(
          400, "The simulator takes only purpose 'batch', got '" + purpose + "'.", "purpose");
    }
    StoredFile file =
        new StoredFile(nextId("file-"), filename, purpose, Instant.now().getEpochSecond(), content);
    files.put(file.id(), file);
    return Reply.of(200, file.json());
  }

  private Reply createOpenAi(Request request, long now) {
    JsonNode body;
    try {
      body = MAPPER.readTree(request.body());
    } catch (IOException e) {
      return openAiError(400, "We could not parse the JSON body of your request.", null);
    }
    if (body == null || !body.isObject()) {
      return openAiError(400, "The request body must be a JSON object.", null);
    }
    for (var names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!Set.of("input_file_id", "endpoint", "completion_window", "metadata").contains(name)) {
        return openAiError(400, "Unrecognized request argument supplied: " + name, name);
      }
    }
    String endpoint = body.path("endpoint").asText("");
    if (!OPENAI_ENDPOINTS.contains(endpoint)) {
      return openAiError(
          400,
          "endpoint: expected '/v1/chat/completions' or '/v1/completions', got '" + endpoint + "'.",
          "endpoint");
    }
    if (!body.path("completion_window").asText("").equals("24h")) {
      return openAiError(400, "completion_window: only '24h' is supported.", "completion_window");
    }
    JsonNode metadata = body.path("metadata");
    if (!metadata.isMissingNode() && !metadata.isNull()) {
      boolean strings = metadata.isObject() && metadata.size() <= 16;
      for (JsonNode value : metadata) {
        strings &= value.isTextual();
      }
      if (!strings) {
        return openAiError(400, "metadata: expected at most 16 string values.", "metadata");
      }
    }
    StoredFile input = files.get(body.path("input_file_id").asText(""));
    if (input == null || !input.purpose().equals("batch")) {
      return openAiError(
          400,
          "input_file_id: no batch file '" + body.path("input_file_id").asText("") + "'.",
          "input_file_id");
    }
    ArrayNode errors = MAPPER.createArrayNode();
    List<Map.Entry<String, JsonNode>> lines = parseLines(input.bytes(), endpoint, errors);
    List<Line> answered =
        errors.isEmpty()
            ? answer(
                lines, endpoint.equals("/v1/chat/completions") ? Route.CHAT : Route.COMPLETIONS)
            : List.of();
    OpenAiBatch batch =
        new OpenAiBatch(
            nextId("batch_"),
            endpoint,
            input.id(),
            metadata.isMissingNode() ? null : metadata,
            now,
            System.currentTimeMillis(),
            answered,
            errors,
            delay());
    openAiBatches.put(batch.id, batch);
    created.merge(BatchApi.OPENAI, 1L, Long::sum);
    return Reply.of(200, openAiJson(batch, now));
  }

  /**
   * The lines of an input file as (custom_id, body), or nothing with {@code errors} filled as
   * OpenAI reports a batch that fails validation.
   */
  private List<Map.Entry<String, JsonNode>> parseLines(
      byte[] bytes, String endpoint, ArrayNode errors) {
    SimProfile.Batch limits = profile.batch();
    if (bytes.length > limits.openAiMaxBytes()) {
      addError(
          errors,
          "file_too_large",
          "The input file is larger than " + limits.openAiMaxBytes() + " bytes.",
          null,
          null);
      return List.of();
    }
    String[] texts = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    List<Map.Entry<String, JsonNode>> lines = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < texts.length; i++) {
      String text = texts[i].strip();
      int number = i + 1;
      if (text.isEmpty()) {
        continue;
      }
      JsonNode line;
      try {
        line = MAPPER.readTree(text);
      } catch (IOException e) {
        line = null;
      }
      if (line == null || !line.isObject()) {
        addError(
            errors, "invalid_json_line", "This line is not parseable as valid JSON.", null, number);
        continue;
      }
      if (!line.path("custom_id").isTextual() || line.get("custom_id").asText().isEmpty()) {
        addError(
            errors,
            "missing_required_parameter",
            "Missing required parameter: 'custom_id'.",
            "custom_id",
            number);
        continue;
      }
      String customId = line.get("custom_id").asText();
      if (!seen.add(customId)) {
        addError(
            errors,
            "duplicate_custom_id",
            "The custom_id '" + customId + "' is repeated; each line needs its own.",
            "custom_id",
            number);
        continue;
      }
      if (!line.path("method").asText("").equals("POST")) {
        addError(errors, "invalid_request", "method: only 'POST' is supported.", "method", number);
        continue;
      }
      if (!line.path("url").asText("").equals(endpoint)) {
        addError(
            errors,
            "url_mismatch",
            "The url '"
                + line.path("url").asText("")
                + "' does not match the batch's endpoint '"
                + endpoint
                + "'.",
            "url",
            number);
        continue;
      }
      if (!line.path("body").isObject()) {
        addError(
            errors,
            "missing_required_parameter",
            "Missing required parameter: 'body'.",
            "body",
            number);
        continue;
      }
      lines.add(Map.entry(customId, line.get("body")));
    }
    if (errors.isEmpty() && lines.isEmpty()) {
      addError(errors, "empty_file", "The input file has no requests.", null, null);
    }
    if (errors.isEmpty() && lines.size() > limits.openAiMaxRequests()) {
      addError(
          errors,
          "too_many_tasks",
          "The input file has "
              + lines.size()
              + " requests; the limit is "
              + limits.openAiMaxRequests()
              + ".",
          null,
          null);
    }
    return errors.isEmpty() ? lines : List.of();
  }

  private static void addError(
      ArrayNode errors, String code, String message, String param, Integer line) {
    ObjectNode error = errors.addObject().put("code", code).put("message", message);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (line == null) {
      error.putNull("line");
    } else {
      error.put("line", line);
    }
  }

  private String openAiStatus(OpenAiBatch batch, long elapsed) {
    long delay = delay();
    if (batch.cancelNanos >= 0) {
      return elapsed < batch.cancelNanos + delay / 4 ? "cancelling" : "cancelled";
    }
    if (elapsed < delay / 4) {
      return "validating";
    }
    if (!batch.validationErrors.isEmpty()) {
      return "failed";
    }
    if (elapsed < delay * 3 / 4) {
      return "in_progress";
    }
    if (elapsed < delay) {
      return "finalizing";
    }
    return batch.lines.stream().anyMatch(Line::expires) ? "expired" : "completed";
  }

  /** Whether line {@code i} has finished by {@code elapsed}, as far as the batch ever runs it. */
  private static boolean finished(long[] finishTimes, int i, long elapsed, long cancelNanos) {
    long limit = cancelNanos >= 0 ? Math.min(elapsed, cancelNanos) : elapsed;
    return finishTimes[i] >= 0 && finishTimes[i] <= limit;
  }

  private ObjectNode openAiJson(OpenAiBatch batch, long now) {
    long elapsed = now - batch.createdNanos;
    String status = openAiStatus(batch, elapsed);
    settleOpenAi(batch, status, elapsed);
    long delay = delay();
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", batch.id);
    json.put("object", "batch");
    json.put("endpoint", batch.endpoint);
    if (status.equals("failed")) {
      json.putObject("errors").put("object", "list").set("data", batch.validationErrors.deepCopy());
    } else {
      json.putNull("errors");
    }
    json.put("input_file_id", batch.inputFileId);
    json.put("completion_window", "24h");
    json.put("status", status);
    putOrNull(json, "output_file_id", batch.outputFileId);
    putOrNull(json, "error_file_id", batch.errorFileId);
    json.put("created_at", batch.createdMillis / 1000);
    boolean cancelled = batch.cancelNanos >= 0;
    boolean failed = !batch.validationErrors.isEmpty();
    long end = cancelled ? batch.cancelNanos + delay / 4 : delay;
    putTime(
        json,
        "in_progress_at",
        batch,
        !failed && reached(delay / 4, elapsed, batch.cancelNanos),
        delay / 4);
    json.put("expires_at", batch.createdMillis / 1000 + WINDOW_SECONDS);
    putTime(
        json,
        "finalizing_at",
        batch,
        !failed && reached(delay * 3 / 4, elapsed, batch.cancelNanos),
        delay * 3 / 4);
    putTime(json, "completed_at", batch, status.equals("completed"), delay);
    putTime(json, "failed_at", batch, status.equals("failed"), delay / 4);
    putTime(json, "expired_at", batch, status.equals("expired"), delay);
    putTime(json, "cancelling_at", batch, cancelled, batch.cancelNanos);
    putTime(json, "cancelled_at", batch, status.equals("cancelled"), end);
    long completed = 0;
    long failedLines = 0;
    boolean ended = List.of("completed", "expired", "cancelled").contains(status);
    for (int i = 0; i < batch.lines.size(); i++) {
      Line line = batch.lines.get(i);
      if (finished(batch.finishTimes, i, elapsed, batch.cancelNanos)) {
        if (line.reply().status() == 200) {
          completed++;
        } else {
          failedLines++;
        }
      } else if (line.expires() && ended && !cancelled) {
        failedLines++;
      }
    }
    json.putObject("request_counts")
        .put("total", batch.lines.size())
        .put("completed", completed)
        .put("failed", failedLines);
    if (batch.metadata == null) {
      json.putNull("metadata");
    } else {
      json.set("metadata", batch.metadata.deepCopy());
    }
    json.put("simulated", true);
    return json;
  }

  /** Whether a state starting {@code at} was reached by {@code elapsed}, before any cancel. */
  private static boolean reached(long at, long elapsed, long cancelNanos) {
    return elapsed >= at && (cancelNanos < 0 || cancelNanos >= at);
  }

  private static void putTime(
      ObjectNode json, String field, OpenAiBatch batch, boolean set, long offsetNanos) {
    if (set) {
      json.put(field, (batch.createdMillis + offsetNanos / 1_000_000) / 1000);
    } else {
      json.putNull(field);
    }
  }

  private static void putOrNull(ObjectNode json, String field, String value) {
    if (value == null) {
      json.putNull(field);
    } else {
      json.put(field, value);
    }
  }

  /**
   * Once the batch has ended, writes its output and error files (each only if it has a line) and
   * counts the tokens of its answers, once.
   */
  private void settleOpenAi(OpenAiBatch batch, String status, long elapsed) {
    if (batch.settled || !List.of("completed", "expired", "cancelled").contains(status)) {
      return;
    }
    batch.settled = true;
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    for (int i = 0; i < batch.lines.size(); i++) {
      Line line = batch.lines.get(i);
      ObjectNode out = MAPPER.createObjectNode();
      out.put("id", "batch_req_" + line.digest().substring(0, 24) + Integer.toHexString(i));
      out.put("custom_id", line.customId());
      if (finished(batch.finishTimes, i, elapsed, batch.cancelNanos)) {
        out.putObject("response")
            .put("status_code", line.reply().status())
            .put("request_id", "req_sim_" + line.digest().substring(0, 24))
            .set("body", line.reply().body());
        out.putNull("error");
        write(line.reply().status() == 200 ? output : errors, out);
        server.reportUsage(line.reply());
      } else if (line.expires() && batch.cancelNanos < 0) {
        out.putNull("response");
        out.putObject("error")
            .put("code", "batch_expired")
            .put(
                "message",
                "This request could not be executed before the completion window expired.");
        write(errors, out);
      }
    }
    batch.outputFileId = store(output, batch.id + "_output.jsonl");
    batch.errorFileId = store(errors, batch.id + "_error.jsonl");
  }

  private static void write(ByteArrayOutputStream out, JsonNode line) {
    try {
      out.write(MAPPER.writeValueAsBytes(line));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
    out.write('\n');
  }

  private String store(ByteArrayOutputStream bytes, String filename) {
    if (bytes.size() == 0) {
      return null;
    }
    StoredFile file =
        new StoredFile(
            nextId("file-"),
            filename,
            "batch_output",
            Instant.now().getEpochSecond(),
            bytes.toByteArray());
    files.put(file.id(), file);
    return file.id();
  }

  /** {@code GET /v1/batches?limit=&after=}: newest first, as OpenAI lists them. */
  private Reply listOpenAi(Request request, long now) {
    int limit;
    try {
      limit = Integer.parseInt(request.query().getOrDefault("limit", "20"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIST) {
      return openAiError(400, "limit: expected an integer in [1, " + MAX_LIST + "].", "limit");
    }
    List<OpenAiBatch> newestFirst = new ArrayList<>(openAiBatches.values());
    java.util.Collections.reverse(newestFirst);
    int start = 0;
    String after = request.query().get("after");
    if (after != null) {
      int at = newestFirst.stream().map(b -> b.id).toList().indexOf(after);
      if (at < 0) {
        return openAiError(400, "after: no batch '" + after + "'.", "after");
      }
      start = at + 1;
    }
    List<OpenAiBatch> page =
        newestFirst.subList(start, Math.min(newestFirst.size(), start + limit));
    ObjectNode list = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    page.forEach(batch -> data.add(openAiJson(batch, now)));
    putOrNull(list, "first_id", page.isEmpty() ? null : page.get(0).id);
    putOrNull(list, "last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
    list.put("has_more", start + page.size() < newestFirst.size());
    return Reply.of(200, list);
  }

  // ---------------------------------------------------------------- Anthropic

  /**
   * An Anthropic message batch; its status is worked out from the time since {@code createdNanos}.
   */
  private static final class AnthropicBatch {
    final String id;
    final long createdNanos;
    final long createdMillis;
    final List<Line> lines;
    final long[] finishTimes;
    long cancelNanos = -1;
    boolean settled;

    AnthropicBatch(String id, long createdNanos, long createdMillis, List<Line> lines, long delay) {
      this.id = id;
      this.createdNanos = createdNanos;
      this.createdMillis = createdMillis;
      this.lines = lines;
      this.finishTimes = finishTimes(lines, 0, delay);
    }
  }

  private Reply anthropic(Request request, long now) {
    String method = request.method();
    List<String> parts = List.of(request.path().substring(1).split("/"));
    if (parts.size() == 3 && method.equals("POST")) {
      return createAnthropic(request, now);
    }
    if (parts.size() == 3 && method.equals("GET")) {
      return listAnthropic(request, now);
    }
    AnthropicBatch batch = anthropicBatches.get(parts.size() >= 4 ? parts.get(3) : "");
    if (batch == null) {
      return Reply.of(
          404,
          SimMessages.error(
              "not_found_error",
              "No message batch with id '" + (parts.size() >= 4 ? parts.get(3) : "") + "'."));
    }
    long elapsed = now - batch.createdNanos;
    if (parts.size() == 4 && method.equals("GET")) {
      return Reply.of(200, anthropicJson(batch, request.origin(), now));
    }
    if (parts.size() == 5 && parts.get(4).equals("results") && method.equals("GET")) {
      if (!anthropicStatus(batch, elapsed).equals("ended")) {
        return Reply.of(
            400,
            SimMessages.error(
                "invalid_request_error",
                "Message batch "
                    + batch.id
                    + " has not ended; its results are available once processing_status is 'ended'."));
      }
      settleAnthropic(batch, elapsed);
      return Reply.raw(200, "application/binary", anthropicResults(batch, elapsed));
    }
    if (parts.size() == 5 && parts.get(4).equals("cancel") && method.equals("POST")) {
      String status = anthropicStatus(batch, elapsed);
      if (status.equals("ended")) {
        return Reply.of(
            400,
            SimMessages.error(
                "invalid_request_error",
                "Message batch " + batch.id + " has ended and cannot be canceled."));
      }
      if (status.equals("in_progress")) {
        batch.cancelNanos = elapsed;
      }
      return Reply.of(200, anthropicJson(batch, request.origin(), now));
    }
    return Reply.of(
        405,
        SimMessages.error(
            "invalid_request_error", method + " " + request.path() + " is not supported"));
  }

  private Reply createAnthropic(Request request, long now) {
    SimProfile.Batch limits = profile.batch();
    if (request.body().length > limits.anthropicMaxBytes()) {
      return Reply.of(
          413,
          SimMessages.error(
              "request_too_large",
              "The batch is larger than " + limits.anthropicMaxBytes() + " bytes."));
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(request.body());
    } catch (IOException e) {
      body = null;
    }
    JsonNode requests = body == null ? null : body.path("requests");
    if (requests == null || !requests.isArray() || requests.isEmpty()) {
      return anthropicInvalid("requests: a non-empty array is required");
    }
    if (requests.size() > limits.anthropicMaxRequests()) {
      return anthropicInvalid(
          "requests: "
              + requests.size()
              + " requests; the limit is "
              + limits.anthropicMaxRequests());
    }
    List<Map.Entry<String, JsonNode>> lines = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      JsonNode entry = requests.get(i);
      String customId = entry.path("custom_id").asText("");
      if (!entry.path("custom_id").isTextual() || !CUSTOM_ID.matcher(customId).matches()) {
        return anthropicInvalid("requests." + i + ".custom_id: expected 1-64 of [a-zA-Z0-9_-]");
      }
      if (!seen.add(customId)) {
        return anthropicInvalid(
            "requests."
                + i
                + ".custom_id: '"
                + customId
                + "' is repeated; custom_id must be unique");
      }
      if (!entry.path("params").isObject()) {
        return anthropicInvalid("requests." + i + ".params: an object is required");
      }
      lines.add(Map.entry(customId, entry.get("params")));
    }
    AnthropicBatch batch =
        new AnthropicBatch(
            nextId("msgbatch_"),
            now,
            System.currentTimeMillis(),
            answer(lines, Route.MESSAGES),
            delay());
    anthropicBatches.put(batch.id, batch);
    created.merge(BatchApi.ANTHROPIC, 1L, Long::sum);
    return Reply.of(200, anthropicJson(batch, request.origin(), now));
  }

  private static Reply anthropicInvalid(String message) {
    return Reply.of(400, SimMessages.error("invalid_request_error", message));
  }

  private String anthropicStatus(AnthropicBatch batch, long elapsed) {
    if (batch.cancelNanos >= 0) {
      return elapsed < batch.cancelNanos + delay() / 4 ? "canceling" : "ended";
    }
    return elapsed < delay() ? "in_progress" : "ended";
  }

  /** What line {@code i} ends as, or {@code processing}. */
  private String anthropicOutcome(AnthropicBatch batch, int i, long elapsed, boolean ended) {
    Line line = batch.lines.get(i);
    if (finished(batch.finishTimes, i, elapsed, batch.cancelNanos)) {
      return line.reply().status() == 200 ? "succeeded" : "errored";
    }
    if (!ended) {
      return "processing";
    }
    return batch.cancelNanos >= 0 ? "canceled" : "expired";
  }

  private ObjectNode anthropicJson(AnthropicBatch batch, String origin, long now) {
    long elapsed = now - batch.createdNanos;
    String status = anthropicStatus(batch, elapsed);
    boolean ended = status.equals("ended");
    if (ended) {
      settleAnthropic(batch, elapsed);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String outcome : List.of("processing", "succeeded", "errored", "canceled", "expired")) {
      counts.put(outcome, 0L);
    }
    for (int i = 0; i < batch.lines.size(); i++) {
      counts.merge(anthropicOutcome(batch, i, elapsed, ended), 1L, Long::sum);
    }
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", batch.id);
    json.put("type", "message_batch");
    json.put("processing_status", status);
    ObjectNode requestCounts = json.putObject("request_counts");
    counts.forEach(requestCounts::put);
    long end = batch.cancelNanos >= 0 ? batch.cancelNanos + delay() / 4 : delay();
    putOrNull(json, "ended_at", ended ? timestamp(batch, end) : null);
    json.put("created_at", timestamp(batch, 0));
    json.put(
        "expires_at",
        Instant.ofEpochMilli(batch.createdMillis).plusSeconds(WINDOW_SECONDS).toString());
    json.putNull("archived_at");
    putOrNull(
        json,
        "cancel_initiated_at",
        batch.cancelNanos >= 0 ? timestamp(batch, batch.cancelNanos) : null);
    putOrNull(
        json,
        "results_url",
        ended ? origin + "/v1/messages/batches/" + batch.id + "/results" : null);
    json.put("simulated", true);
    return json;
  }

  private static String timestamp(AnthropicBatch batch, long offsetNanos) {
    return Instant.ofEpochMilli(batch.createdMillis + offsetNanos / 1_000_000).toString();
  }

  private void settleAnthropic(AnthropicBatch batch, long elapsed) {
    if (batch.settled) {
      return;
    }
    batch.settled = true;
    for (int i = 0; i < batch.lines.size(); i++) {
      if (anthropicOutcome(batch, i, elapsed, true).equals("succeeded")) {
        server.reportUsage(batch.lines.get(i).reply());
      }
    }
  }

  private byte[] anthropicResults(AnthropicBatch batch, long elapsed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < batch.lines.size(); i++) {
      Line line = batch.lines.get(i);
      ObjectNode json = MAPPER.createObjectNode().put("custom_id", line.customId());
      ObjectNode result = json.putObject("result");
      String outcome = anthropicOutcome(batch, i, elapsed, true);
      result.put("type", outcome);
      if (outcome.equals("succeeded")) {
        result.set("message", line.reply().body());
      } else if (outcome.equals("errored")) {
        result.set("error", line.reply().body());
      }
      write(out, json);
    }
    return out.toByteArray();
  }

  /** {@code GET /v1/messages/batches?limit=&after_id=&before_id=}: newest first. */
  private Reply listAnthropic(Request request, long now) {
    int limit;
    try {
      limit = Integer.parseInt(request.query().getOrDefault("limit", "20"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_ANTHROPIC_LIST) {
      return anthropicInvalid("limit: expected an integer in [1, " + MAX_ANTHROPIC_LIST + "]");
    }
    List<AnthropicBatch> newestFirst = new ArrayList<>(anthropicBatches.values());
    java.util.Collections.reverse(newestFirst);
    List<String> ids = newestFirst.stream().map(b -> b.id).toList();
    int start = 0;
    int stop = newestFirst.size();
    String after = request.query().get("after_id");
    String before = request.query().get("before_id");
    if (after != null) {
      if (!ids.contains(after)) {
        return anthropicInvalid("after_id: no message batch '" + after + "'");
      }
      start = ids.indexOf(after) + 1;
    }
    if (before != null) {
      if (!ids.contains(before)) {
        return anthropicInvalid("before_id: no message batch '" + before + "'");
      }
      stop = ids.indexOf(before);
      start = Math.max(start, stop - limit);
    }
    List<AnthropicBatch> page =
        newestFirst.subList(start, Math.max(start, Math.min(stop, start + limit)));
    ObjectNode list = MAPPER.createObjectNode();
    ArrayNode data = list.putArray("data");
    page.forEach(batch -> data.add(anthropicJson(batch, request.origin(), now)));
    list.put("has_more", before != null ? start > 0 : start + page.size() < stop);
    putOrNull(list, "first_id", page.isEmpty() ? null : page.get(0).id);
    putOrNull(list, "last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
    return Reply.of(200, list);
  }
}
