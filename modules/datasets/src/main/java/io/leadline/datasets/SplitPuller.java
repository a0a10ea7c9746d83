package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a whole split through the dataset viewer's {@code /rows} endpoint, 100 rows a page, with a
 * bounded number of pages in flight. Every page is checked (row positions, the split's size, the
 * revision), so a pull ends with all the rows in order or with an error — never with fewer rows.
 */
final class SplitPuller {
  static final int PAGE = 100;

  private final HubClient client;
  private final URI viewer;
  private final URI hub;
  private final int concurrency;
  private final java.util.Map<String, JsonNode> splitsByDataset =
      new java.util.concurrent.ConcurrentHashMap<>();

  SplitPuller(HubClient client, URI viewer, URI hub, int concurrency) {
    this.client = requireNonNull(client, "client is null");
    this.viewer = requireNonNull(viewer, "viewer is null");
    this.hub = requireNonNull(hub, "hub is null");
    this.concurrency = concurrency;
  }

  PulledSplit pull(SplitRef ref, PullListener listener) {
    checkSplitExists(ref);
    Page first = page(ref, 0, -1, null);
    int total = first.total();
    int pages = Math.max(1, (total + PAGE - 1) / PAGE);
    List<List<String>> byPage = new ArrayList<>(pages);
    byPage.add(first.rows());
    AtomicInteger done = new AtomicInteger(1);
    listener.pages(ref, 1, pages);
    if (pages > 1) {
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, pages - 1));
      try {
        List<Future<Page>> futures = new ArrayList<>();
        for (int p = 1; p < pages; p++) {
          int offset = p * PAGE;
          futures.add(
              pool.submit(
                  () -> {
                    Page page = page(ref, offset, total, first.revision());
                    listener.pages(ref, done.incrementAndGet(), pages);
                    return page;
                  }));
        }
        for (Future<Page> future : futures) {
          byPage.add(future.get().rows());
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof LeadlineException leadline) {
          throw leadline;
        }
        throw new LeadlineException(ErrorKind.INTERNAL, ref + ": " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LeadlineException(ErrorKind.PROVIDER, ref + ": interrupted");
      } finally {
        pool.shutdownNow();
      }
    }
    ImmutableList<String> rows =
        byPage.stream().flatMap(List::stream).collect(ImmutableList.toImmutableList());
    if (rows.size() != total) {
      throw dataError(ref, "received %d rows but the server reports %d", rows.size(), total);
    }
    return new PulledSplit(
        ref,
        first.revision() != null ? first.revision() : hubRevision(ref),
        rows,
        sha256(rows),
        Instant.now(),
        rowsUri(ref, 0).toString());
  }

  /** Asks {@code /splits} first, so a wrong config or split name is named with the alternatives. */
  private void checkSplitExists(SplitRef ref) {
    JsonNode splits =
        splitsByDataset.computeIfAbsent(
            ref.dataset(),
            dataset ->
                client
                    .getJson(
                        URI.create(viewer + "/splits?dataset=" + encode(dataset)),
                        "the splits of " + dataset)
                    .body()
                    .path("splits"));
    java.util.Set<String> configs = new java.util.LinkedHashSet<>();
    java.util.Set<String> splitNames = new java.util.LinkedHashSet<>();
    for (JsonNode entry : splits) {
      String config = entry.path("config").asText();
      configs.add(config);
      if (config.equals(ref.config())) {
        splitNames.add(entry.path("split").asText());
      }
    }
    if (!configs.contains(ref.config())) {
      throw new LeadlineException(
          ErrorKind.USER_INPUT,
          String.format(
              "config '%s' is not in %s; known: %s",
              ref.config(), ref.dataset(), String.join(", ", configs)));
    }
    if (!splitNames.contains(ref.split())) {
      throw new LeadlineException(
          ErrorKind.USER_INPUT,
          String.format(
              "split '%s' is not in %s %s; known: %s",
              ref.split(), ref.dataset(), ref.config(), String.join(", ", splitNames)));
    }
  }

  /** The commit the Hub reports for the dataset's main branch, when the viewer sent none. */
  private String hubRevision(SplitRef ref) {
    URI uri = URI.create(hub + "/api/datasets/" + ref.dataset() + "/revision/main");
    JsonNode sha = client.getJson(uri, "the revision of " + ref.dataset()).body().get("sha");
    if (sha == null || !sha.isTextual()) {
      throw dataError(ref, "neither X-Revision nor the Hub API gave the dataset's commit");
    }
    return sha.textValue();
  }

  /** The sha256 (hex) of the rows as stored: each row followed by a newline. */
  static String sha256(List<String> rows) {
    var hasher = Hashing.sha256().newHasher();
    for (String row : rows) {
      hasher.putString(row, StandardCharsets.UTF_8).putByte((byte) '\n');
    }
    return hasher.hash().toString();
  }

  private record Page(List<String> rows, int total, String revision) {}

  /** One page, checked against what the first page said ({@code total} -1 and null for page 0). */
  private Page page(SplitRef ref, int offset, int expectedTotal, String expectedRevision) {
    String what = String.format("rows %d-%d of %s", offset, offset + PAGE - 1, ref);
    HubClient.JsonResponse response = client.getJson(rowsUri(ref, offset), what);
    JsonNode body = response.body();
    JsonNode rows = body.get("rows");
    JsonNode total = body.get("num_rows_total");
    if (rows == null || !rows.isArray() || total == null || !total.canConvertToInt()) {
      throw dataError(ref, "%s: the response has no 'rows' list or 'num_rows_total'", what);
    }
    if (body.path("partial").asBoolean(false)) {
      throw dataError(
          ref, "the viewer serves only a partial copy of this split; Leadline needs all rows");
    }
    int totalRows = total.intValue();
    if (expectedTotal >= 0 && totalRows != expectedTotal) {
      throw dataError(
          ref,
          "the split changed size during the pull (%d, then %d rows); pull again",
          expectedTotal,
          totalRows);
    }
    String revision = response.revision().orElse(null);
    if (expectedRevision != null && revision != null && !expectedRevision.equals(revision)) {
      throw dataError(
          ref,
          "the dataset changed during the pull (revision %s, then %s); pull again",
          expectedRevision,
          revision);
    }
    int expectedCount = Math.max(0, Math.min(PAGE, totalRows - offset));
    if (rows.size() != expectedCount) {
      throw dataError(
          ref, "%s: expected %d rows, the server sent %d", what, expectedCount, rows.size());
    }
    List<String> lines = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode entry = rows.get(i);
      if (entry.path("row_idx").asInt(-1) != offset + i || !entry.path("row").isObject()) {
        throw dataError(ref, "%s: row %d is not row_idx %d", what, i, offset + i);
      }
      if (entry.path("truncated_cells").size() > 0) {
        throw dataError(ref, "%s: the server truncated cells of row %d", what, offset + i);
      }
      lines.add(PythonJson.dumps(entry.get("row")));
    }
    return new Page(lines, totalRows, revision);
  }

  private URI rowsUri(SplitRef ref, int offset) {
    return URI.create(
        viewer
            + "/rows?dataset="
            + encode(ref.dataset())
            + "&config="
            + encode(ref.config())
            + "&split="
            + encode(ref.split())
            + "&offset="
            + offset
            + "&length="
            + PAGE);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static LeadlineException dataError(SplitRef ref, String format, Object... args) {
    return new LeadlineException(ErrorKind.PROVIDER, ref + ": " + String.format(format, args));
  }
}
