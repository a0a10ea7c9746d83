package io.leadline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import io.leadline.api.ModelResult;
import io.leadline.api.ModelResult.FailureReason;
import io.leadline.api.Usage;
import io.leadline.models.BatchApi;
import io.leadline.models.BatchOptions;
import io.leadline.models.Budget;
import io.leadline.models.HttpModelClient;
import io.leadline.models.ModelSpec;
import io.leadline.records.Hashes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Phase one for the models sent through their provider's batch API ({@code batch:} in the models
 * file, or {@code sweep --batch}), run on the driver: the pending items' requests go out as batches
 * chunked to the provider's limits, are polled, and their answers go into the result store as
 * ordinary records (tagged with the batch), which phase two scores like any stored answer.
 *
 * <p>Each batch is recorded in the store ({@code batches/<id>.json}: the model, the endpoint and
 * the request hash of every line) the moment the provider has made it, so a sweep killed while
 * batches run reattaches to them on rerun instead of submitting their lines again; once its answers
 * are stored, a {@code <id>.done} mark says the batch needs no more looking at. Lines the provider
 * did not answer (expired, cancelled, refused) are recorded failed and sent again by the next run.
 */
final class BatchPhase {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String FOLDER = "batches";

  private BatchPhase() {}

  /** How the phase ended: with batches still running ({@code --no-wait}), or none. */
  record Outcome(int inFlight) {}

  /** One pending item of a batch model: its plan index and rendered request. */
  private record Pending(long item, WorkerContext.Request request) {}

  /** A batch this run watches: its record, and the items of this run it answers. */
  private static final class Watched {
    final String id;
    final List<String> hashes;
    final List<Integer> parts;
    final int model;
    final long created;
    final Map<String, Budget.Reservation> reservations = new HashMap<>();
    String lastState = "";
    long lastCounts = -1;
    long lastShown;

    Watched(String id, List<String> hashes, List<Integer> parts, int model, long created) {
      this.id = id;
      this.hashes = hashes;
      this.parts = parts;
      this.model = model;
      this.created = created;
    }
  }

  /**
   * Sends {@code items} (each {item, model}) of batch models through their batch APIs and records
   * the answers in {@code store}; waits for every batch unless {@code wait} is false.
   */
  static Outcome run(
      Job job, ResultStore store, List<long[]> items, SweepListener listener, boolean wait) {
    WorkerContext context = WorkerContext.of(job);
    LiveProgress live = LiveProgress.of(job.runId(), job.plan().models().size());
    Map<Integer, List<Pending>> byModel = new LinkedHashMap<>();
    for (long[] item : items) {
      byModel
          .computeIfAbsent((int) item[1], m -> new ArrayList<>())
          .add(new Pending(item[0], context.request(item[0])));
    }
    FileSystem fs = store.fileSystem();
    Path folder = new Path(store.dir(), FOLDER);
    Map<String, JsonNode> records = records(fs, folder);
    List<Watched> watched = new ArrayList<>();
    Map<Integer, List<Pending>> toSubmit = new LinkedHashMap<>();
    Map<String, Pending> byHash = new HashMap<>();
    for (Map.Entry<Integer, List<Pending>> entry : byModel.entrySet()) {
      int model = entry.getKey();
      ModelSpec spec = context.model(model);
      String owner = owner(job, spec);
      Map<String, Pending> pending = new LinkedHashMap<>();
      entry.getValue().forEach(p -> pending.put(p.request().hash(), p));
      byHash.putAll(pending);
      for (JsonNode record : records.values()) {
        if (!record.path("owner").asText().equals(owner)) {
          continue;
        }
        List<String> hashes = new ArrayList<>();
        List<Integer> parts = new ArrayList<>();
        boolean useful = false;
        for (JsonNode line : record.path("lines")) {
          hashes.add(line.path("hash").asText());
          parts.add(line.path("parts").asInt());
          useful |= pending.containsKey(line.path("hash").asText());
        }
        if (!useful) {
          continue;
        }
        Watched batch =
            new Watched(
                record.path("batch").asText(),
                hashes,
                parts,
                model,
                record.path("created_ms").asLong());
        watched.add(batch);
        hashes.forEach(pending::remove);
        listener.message(
            String.format(
                "%s: reattached to batch %s (%,d requests, submitted earlier)",
                spec.name(), batch.id, hashes.size()));
      }
      toSubmit.put(model, new ArrayList<>(pending.values()));
    }
    try (ResultStore.Segment segment = store.newSegment(job.runId())) {
      Budget budget = context.budget();
      while (true) {
        for (Map.Entry<Integer, List<Pending>> entry : toSubmit.entrySet()) {
          watched.addAll(
              submit(job, context, fs, folder, entry.getKey(), entry.getValue(), budget, listener));
        }
        boolean waiting = toSubmit.values().stream().anyMatch(l -> !l.isEmpty());
        if (watched.isEmpty()) {
          if (waiting) {
            // Nothing in flight and the next item does not fit: the budget is spent.
            recordNotSent(job, context, toSubmit, budget, segment, live);
          }
          break;
        }
        List<Watched> ended = new ArrayList<>();
        for (Watched batch : watched) {
          HttpModelClient client = context.httpClient(batch.model);
          BatchApi.Status status;
          try {
            status = client.batchApi().status(batch.id);
          } catch (BatchApi.BatchException e) {
            if (!e.notFound()) {
              throw LeadlineException.userInput(
                  "%s; rerun the same command to reattach to its batches", e.getMessage());
            }
            // The server does not know it (a simulator restarted, say): send its lines again.
            listener.message(
                String.format(
                    "%s: batch %s is unknown to the server; its %,d requests are sent again",
                    client.name(), batch.id, batch.hashes.size()));
            mark(fs, folder, batch.id, "unknown to the server");
            for (String hash : batch.hashes) {
              Pending again = byHash.get(hash);
              if (again != null && !toSubmit.get(batch.model).contains(again)) {
                toSubmit.get(batch.model).add(again);
              }
            }
            release(budget, batch);
            ended.add(batch);
            continue;
          }
          show(context, batch, status, listener);
          if (status.ended()) {
            collect(job, context, batch, status, byHash, segment, live, budget);
            mark(fs, folder, batch.id, status.state());
            ended.add(batch);
          }
        }
        watched.removeAll(ended);
        if (!wait && !watched.isEmpty()) {
          // --no-wait: what has ended is stored; the rest a rerun collects.
          return new Outcome(watched.size());
        }
        if (!ended.isEmpty()) {
          continue;
        }
        try {
          Thread.sleep(pollInterval(context, watched).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw LeadlineException.userInput(
              "interrupted while batches run; rerun the same command to reattach to them");
        }
      }
    }
    return new Outcome(0);
  }

  /** Records every item still to submit as not sent: the budget is spent. */
  private static void recordNotSent(
      Job job,
      WorkerContext context,
      Map<Integer, List<Pending>> toSubmit,
      Budget budget,
      ResultStore.Segment segment,
      LiveProgress live) {
    for (Map.Entry<Integer, List<Pending>> entry : toSubmit.entrySet()) {
      ModelSpec spec = context.model(entry.getKey());
      for (Pending pending : entry.getValue()) {
        budget.stop(
            upperTokens(context, pending),
            spec.pricing().map(p -> Estimates.maxCost(p, pending.request(), spec, true)));
        ModelResult notSent =
            new ModelResult.Failed(
                FailureReason.NOT_SENT,
                "model " + spec.name() + ": not sent: " + budget.exhausted().orElseThrow(),
                0,
                0);
        segment.append(
            ResultStore.encode(pending.request().hash(), spec.name(), job.runId(), notSent));
        live.add(entry.getKey(), LiveProgress.FAILED, 1);
      }
      entry.getValue().clear();
    }
  }

  /** Who a batch record belongs to: the model's identity and the server it was sent to. */
  private static String owner(Job job, ModelSpec spec) {
    return Hashes.sha256()
        .line(job.identities().get(spec.name()).canonical().toString())
        .line(spec.baseUrl().map(Object::toString).orElse(""))
        .hex();
  }

  /** The records of batches not yet marked done, by id. */
  private static Map<String, JsonNode> records(FileSystem fs, Path folder) {
    Map<String, JsonNode> records = new LinkedHashMap<>();
    try {
      if (!fs.exists(folder)) {
        return records;
      }
      FileStatus[] files = fs.listStatus(folder);
      java.util.Set<String> done = new java.util.HashSet<>();
      for (FileStatus file : files) {
        String name = file.getPath().getName();
        if (name.endsWith(".done")) {
          done.add(name.substring(0, name.length() - ".done".length()));
        }
      }
      java.util.Arrays.sort(files);
      for (FileStatus file : files) {
        String name = file.getPath().getName();
        if (!name.endsWith(".json")) {
          continue;
        }
        String id = name.substring(0, name.length() - ".json".length());
        if (done.contains(id)) {
          continue;
        }
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
          JsonNode record = MAPPER.readTree(reader);
          if (record != null
              && record.path("batch").isTextual()
              && record.path("lines").isArray()) {
            records.put(id, record);
          }
        } catch (IOException e) {
          // A record torn by a kill: its batch is submitted again (its answers are not lost).
        }
      }
      return records;
    } catch (IOException e) {
      throw LeadlineException.userInput(
          "%s: cannot read the batch records (%s)", folder, e.getMessage());
    }
  }

  /** One item's lines and what they may cost at most. */
  private record Lines(Pending pending, List<BatchApi.Line> lines, long bytes) {}

  /**
   * Submits as many of {@code pending} as the budget lets through, in batches within the provider's
   * limits, and removes them from {@code pending}.
   */
  private static List<Watched> submit(
      Job job,
      WorkerContext context,
      FileSystem fs,
      Path folder,
      int model,
      List<Pending> pending,
      Budget budget,
      SweepListener listener) {
    List<Watched> made = new ArrayList<>();
    if (pending.isEmpty()) {
      return made;
    }
    HttpModelClient client = context.httpClient(model);
    ModelSpec spec = context.model(model);
    BatchOptions options = spec.batch().orElse(BatchOptions.of(spec.provider()));
    BatchApi api = client.batchApi();
    // Likelihood and generation requests go to different endpoints, so to different batches.
    Map<String, List<Lines>> byEndpoint = new LinkedHashMap<>();
    Map<String, Budget.Reservation> reserved = new HashMap<>();
    List<Pending> left = new ArrayList<>();
    boolean full = false;
    for (Pending item : pending) {
      if (full) {
        left.add(item);
        continue;
      }
      Optional<Budget.Reservation> reservation =
          budget.tryReserve(
              upperTokens(context, item),
              spec.pricing().map(p -> Estimates.maxCost(p, item.request(), spec, true)));
      if (reservation.isEmpty()) {
        full = true;
        left.add(item);
        continue;
      }
      reserved.put(item.request().hash(), reservation.get());
      boolean likelihood = item.request().likelihood().isPresent();
      String endpoint = api.endpoint(likelihood);
      List<com.fasterxml.jackson.databind.node.ObjectNode> bodies =
          likelihood
              ? client.batchBodies(item.request().likelihood().get())
              : client.batchBodies(item.request().request());
      List<BatchApi.Line> lines = new ArrayList<>();
      long bytes = 0;
      for (int part = 0; part < bodies.size(); part++) {
        BatchApi.Line line = new BatchApi.Line("p" + part, bodies.get(part));
        lines.add(line);
        bytes += api.lineBytes(endpoint, line) + 12;
      }
      byEndpoint
          .computeIfAbsent(endpoint, e -> new ArrayList<>())
          .add(new Lines(item, lines, bytes));
    }
    pending.clear();
    pending.addAll(left);
    for (Map.Entry<String, List<Lines>> entry : byEndpoint.entrySet()) {
      List<Lines> chunk = new ArrayList<>();
      long requests = 0;
      long bytes = 0;
      for (Lines item : entry.getValue()) {
        if (!chunk.isEmpty()
            && (requests + item.lines().size() > options.maxRequests()
                || bytes + item.bytes() > options.maxBytes())) {
          made.add(
              create(job, fs, folder, model, spec, api, entry.getKey(), chunk, reserved, listener));
          chunk = new ArrayList<>();
          requests = 0;
          bytes = 0;
        }
        chunk.add(item);
        requests += item.lines().size();
        bytes += item.bytes();
      }
      if (!chunk.isEmpty()) {
        made.add(
            create(job, fs, folder, model, spec, api, entry.getKey(), chunk, reserved, listener));
      }
    }
    return made;
  }

  private static Watched create(
      Job job,
      FileSystem fs,
      Path folder,
      int model,
      ModelSpec spec,
      BatchApi api,
      String endpoint,
      List<Lines> chunk,
      Map<String, Budget.Reservation> reserved,
      SweepListener listener) {
    List<BatchApi.Line> lines = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    List<Integer> parts = new ArrayList<>();
    Hashes.Sha256 digest = Hashes.sha256().line(owner(job, spec)).line(endpoint);
    for (int i = 0; i < chunk.size(); i++) {
      Lines item = chunk.get(i);
      String hash = item.pending().request().hash();
      hashes.add(hash);
      parts.add(item.lines().size());
      digest.line(hash);
      for (int part = 0; part < item.lines().size(); part++) {
        lines.add(new BatchApi.Line(customId(i, part), item.lines().get(part).body()));
      }
    }
    Map<String, String> metadata = Map.of("leadline_chunk", digest.hex().substring(0, 32));
    String id;
    try {
      // A batch made just before a kill, whose record was never written, is found by its chunk.
      id = api.find(metadata).orElse(null);
      if (id == null) {
        id = api.create(endpoint, lines, metadata);
      } else {
        listener.message(
            String.format(
                "%s: found batch %s made by an earlier run; reattached", spec.name(), id));
      }
    } catch (BatchApi.BatchException e) {
      throw LeadlineException.userInput("%s; nothing more was submitted", e.getMessage());
    }
    long created = System.currentTimeMillis();
    ObjectNode record = MAPPER.createObjectNode();
    record.put("batch", id);
    record.put("api", api.kind());
    record.put("model", spec.name());
    record.put("owner", owner(job, spec));
    record.put("endpoint", endpoint);
    record.put("run", job.runId());
    record.put("created_ms", created);
    ArrayNode written = record.putArray("lines");
    for (int i = 0; i < hashes.size(); i++) {
      written.addObject().put("hash", hashes.get(i)).put("parts", parts.get(i));
    }
    write(fs, new Path(folder, safe(id) + ".json"), record);
    listener.message(
        String.format(
            "%s: submitted batch %s (%,d requests for %,d items)",
            spec.name(), id, lines.size(), chunk.size()));
    Watched batch = new Watched(id, hashes, parts, model, created);
    for (String hash : hashes) {
      batch.reservations.put(hash, reserved.get(hash));
    }
    return batch;
  }

  /** A line's id within its batch: the item's index and the request's part. */
  static String customId(int item, int part) {
    return "i" + item + "_" + part;
  }

  /**
   * Stores the answers of ended batch {@code batch}: one record per item of this run it answers,
   * failed where a line has no answer.
   */
  private static void collect(
      Job job,
      WorkerContext context,
      Watched batch,
      BatchApi.Status status,
      Map<String, Pending> byHash,
      ResultStore.Segment segment,
      LiveProgress live,
      Budget budget) {
    HttpModelClient client = context.httpClient(batch.model);
    Duration latency = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - batch.created));
    // Lines are stored as their items complete, so only items with parts still to come are held.
    Map<Integer, BatchApi.LineResult[]> partial = new HashMap<>();
    if (status.problem().isEmpty() || status.outputFile().isPresent()) {
      try {
        client
            .batchApi()
            .results(
                status,
                line -> {
                  int[] at = position(line.customId(), batch);
                  if (at == null) {
                    return; // Not a line this sweep submitted.
                  }
                  BatchApi.LineResult[] parts =
                      partial.computeIfAbsent(
                          at[0], i -> new BatchApi.LineResult[batch.parts.get(i)]);
                  if (parts[at[1]] == null) {
                    parts[at[1]] = line;
                  }
                  if (java.util.Arrays.stream(parts).allMatch(java.util.Objects::nonNull)) {
                    partial.remove(at[0]);
                    store(
                        job,
                        context,
                        batch,
                        at[0],
                        List.of(parts),
                        byHash,
                        segment,
                        live,
                        budget,
                        latency);
                  }
                });
      } catch (BatchApi.BatchException e) {
        throw LeadlineException.userInput(
            "%s; rerun the same command to collect the batch", e.getMessage());
      }
    }
    // What the batch did not answer is recorded failed, and sent again by the next run.
    for (int i = 0; i < batch.hashes.size(); i++) {
      if (!byHash.containsKey(batch.hashes.get(i))) {
        continue;
      }
      BatchApi.LineResult[] parts =
          partial.getOrDefault(i, new BatchApi.LineResult[batch.parts.get(i)]);
      for (int part = 0; part < parts.length; part++) {
        if (parts[part] == null) {
          parts[part] =
              new BatchApi.LineResult(
                  customId(i, part),
                  0,
                  null,
                  status.problem().isEmpty()
                      ? "the batch ended " + status.state() + " without answering it"
                      : "the batch " + status.state() + ": " + status.problem());
        }
      }
      store(job, context, batch, i, List.of(parts), byHash, segment, live, budget, latency);
    }
    release(budget, batch);
  }

  /** The item index and part of a line's custom_id, or null if the batch has no such line. */
  private static int[] position(String customId, Watched batch) {
    java.util.regex.Matcher id = CUSTOM_ID.matcher(customId);
    if (!id.matches()) {
      return null;
    }
    int item = Integer.parseInt(id.group(1));
    int part = Integer.parseInt(id.group(2));
    return item < batch.hashes.size() && part < batch.parts.get(item)
        ? new int[] {item, part}
        : null;
  }

  private static final java.util.regex.Pattern CUSTOM_ID =
      java.util.regex.Pattern.compile("i(\\d{1,9})_(\\d{1,6})");

  /** Stores item {@code i} of {@code batch} from its lines, if this run still wants it. */
  private static void store(
      Job job,
      WorkerContext context,
      Watched batch,
      int i,
      List<BatchApi.LineResult> parts,
      Map<String, Pending> byHash,
      ResultStore.Segment segment,
      LiveProgress live,
      Budget budget,
      Duration latency) {
    String hash = batch.hashes.get(i);
    Pending pending = byHash.remove(hash);
    if (pending == null) {
      return; // Answered some other way since, or not part of this sweep.
    }
    HttpModelClient client = context.httpClient(batch.model);
    ModelSpec spec = context.model(batch.model);
    ModelResult result =
        pending.request().likelihood().isPresent()
            ? client.batchResult(pending.request().likelihood().get(), parts, batch.id, latency)
            : client.batchResult(pending.request().request(), parts, batch.id, latency);
    segment.append(ResultStore.encode(hash, spec.name(), job.runId(), result));
    Usage usage =
        result instanceof ModelResult.Completed completed
            ? completed.completion().usage()
            : Usage.ZERO;
    Optional<BigDecimal> cost = spec.pricing().map(p -> p.cost(usage, true));
    Budget.Reservation reservation = batch.reservations.remove(hash);
    if (reservation != null) {
      budget.settle(reservation, usage, cost);
    } else {
      budget.spend(usage, cost);
    }
    boolean done = result instanceof ModelResult.Completed;
    live.add(batch.model, done ? LiveProgress.DONE : LiveProgress.FAILED, 1);
    live.add(batch.model, LiveProgress.REQUESTS, parts.size());
    live.add(batch.model, LiveProgress.TOKENS, usage.totalTokens());
  }

  /** Frees what a batch's unanswered items reserved. */
  private static void release(Budget budget, Watched batch) {
    for (Budget.Reservation reservation : batch.reservations.values()) {
      if (reservation != null) {
        budget.settle(reservation, Usage.ZERO, Optional.empty());
      }
    }
    batch.reservations.clear();
  }

  /** A line for the user when a batch's state or counts change (counts at most every 10 s). */
  private static void show(
      WorkerContext context, Watched batch, BatchApi.Status status, SweepListener listener) {
    long counts = status.succeeded() * 1_000_003L + status.failed();
    long now = System.nanoTime();
    boolean changed = !status.state().equals(batch.lastState);
    if (changed || (counts != batch.lastCounts && now - batch.lastShown > 10_000_000_000L)) {
      listener.message(
          String.format(
              "%s: batch %s %s: %,d of %,d done, %,d failed",
              context.model(batch.model).name(),
              batch.id,
              status.state(),
              status.succeeded(),
              Math.max(status.total(), batch.parts.stream().mapToLong(Integer::longValue).sum()),
              status.failed()));
      batch.lastState = status.state();
      batch.lastCounts = counts;
      batch.lastShown = now;
    }
  }

  private static Duration pollInterval(WorkerContext context, List<Watched> watched) {
    Duration shortest = Duration.ofMinutes(10);
    for (Watched batch : watched) {
      ModelSpec spec = context.model(batch.model);
      Duration poll = spec.batch().orElse(BatchOptions.of(spec.provider())).pollInterval();
      if (poll.compareTo(shortest) < 0) {
        shortest = poll;
      }
    }
    return shortest;
  }

  /** The most tokens an item's requests can use: prompt estimates and every sample's max_tokens. */
  private static long upperTokens(WorkerContext context, Pending item) {
    ModelSpec model = context.model(item.request().modelIndex());
    return Estimates.promptTokens(item.request(), model)
        + Estimates.maxCompletionTokens(item.request());
  }

  private static void mark(FileSystem fs, Path folder, String id, String state) {
    write(fs, new Path(folder, safe(id) + ".done"), MAPPER.createObjectNode().put("state", state));
  }

  private static void write(FileSystem fs, Path path, JsonNode json) {
    try {
      fs.mkdirs(path.getParent());
      try (OutputStream out = fs.create(path, true)) {
        out.write(MAPPER.writeValueAsBytes(json));
        out.write('\n');
        if (out instanceof org.apache.hadoop.fs.FSDataOutputStream data) {
          data.hsync();
        }
      }
    } catch (IOException | org.apache.hadoop.fs.FSError e) {
      if (Disk.isFull(e)) {
        throw Disk.full(path.getParent().toString());
      }
      throw LeadlineException.userInput(
          "%s: cannot write a batch record (%s)", path, e.getMessage());
    }
  }

  /** A batch id as a file name. */
  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
