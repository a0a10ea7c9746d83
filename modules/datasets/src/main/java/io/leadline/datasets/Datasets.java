package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import io.leadline.api.ErrorKind;
import io.leadline.api.LeadlineException;
import io.leadline.api.RetryPolicy;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Splits of Hub datasets, from the verified cache or the dataset viewer: the one entry point the
 * rest of Leadline uses. Offline ({@code --offline} or {@code HF_HUB_OFFLINE=1}) only the cache is
 * read.
 *
 * <p>Thread-safe. Warnings (a pinned revision the server no longer serves, a corrupt cache file
 * being replaced) go to the {@code warnings} consumer, one line each.
 */
public final class Datasets {
  private final HubSettings settings;
  private final DatasetCache cache;
  private final SplitPuller puller;
  private final Consumer<String> warnings;
  private final String benchmark;

  public Datasets(
      HubSettings settings, RetryPolicy retry, int concurrency, Consumer<String> warnings) {
    this.settings = requireNonNull(settings, "settings is null");
    this.cache = new DatasetCache(settings.home());
    this.puller =
        new SplitPuller(
            new HubClient(settings, retry),
            settings.viewerEndpoint(),
            settings.hubEndpoint(),
            concurrency);
    this.warnings = requireNonNull(warnings, "warnings is null");
    this.benchmark = "BENCHMARK";
  }

  private Datasets(Datasets datasets, String benchmark) {
    this.settings = datasets.settings;
    this.cache = datasets.cache;
    this.puller = datasets.puller;
    this.warnings = datasets.warnings;
    this.benchmark = benchmark;
  }

  /**
   * These datasets as read for {@code benchmark}, which messages name (the {@code leadline data
   * pull} command to run); the cache and connections are shared.
   */
  public Datasets forBenchmark(String benchmark) {
    return new Datasets(this, requireNonNull(benchmark, "benchmark is null"));
  }

  public DatasetCache cache() {
    return cache;
  }

  /**
   * Fetches {@code ref} into the cache, replacing what is there, and returns it. With a pinned
   * {@code revision}: a verified cached copy of it is used without asking the server; otherwise the
   * server must still serve that revision. Offline, only a verified cached copy will do.
   */
  public PulledSplit pull(SplitRef ref, Optional<String> revision, PullListener listener) {
    if (settings.offline()) {
      return cachedOrFail(ref, revision);
    }
    if (revision.isPresent() && cache.read(ref, revision) instanceof DatasetCache.Hit hit) {
      return hit.split();
    }
    return fetch(ref, revision, true, listener);
  }

  /** The split from the cache if a verified copy is there, else fetched (unless offline). */
  public PulledSplit load(SplitRef ref, Optional<String> revision, PullListener listener) {
    DatasetCache.Lookup lookup = cache.read(ref, revision);
    if (lookup instanceof DatasetCache.Hit hit) {
      return hit.split();
    }
    if (settings.offline()) {
      return cachedOrFail(ref, revision);
    }
    DatasetCache.Miss miss = (DatasetCache.Miss) lookup;
    if (miss.corrupt()) {
      warnings.accept(miss.reason() + "; fetching it again");
    }
    return fetch(ref, revision, miss.corrupt(), listener);
  }

  private PulledSplit fetch(
      SplitRef ref, Optional<String> revision, boolean force, PullListener listener) {
    return cache.pullLocked(
        ref,
        revision,
        force,
        () -> {
          PulledSplit split = puller.pull(ref, listener);
          if (revision.isPresent() && !revision.get().equals(split.revision())) {
            throw new LeadlineException(
                ErrorKind.DATA,
                String.format(
                    "%s is pinned to revision %s, but the server now serves %s and the cache has"
                        + " no copy of %s; pull without --revision to accept %s, or restore the"
                        + " cached copy",
                    ref, revision.get(), split.revision(), revision.get(), split.revision()));
          }
          return split;
        });
  }

  private PulledSplit cachedOrFail(SplitRef ref, Optional<String> revision) {
    DatasetCache.Lookup lookup = cache.read(ref, revision);
    if (lookup instanceof DatasetCache.Hit hit) {
      return hit.split();
    }
    String reason = ((DatasetCache.Miss) lookup).reason();
    throw new LeadlineException(
        ErrorKind.DATA,
        String.format(
            "offline: %s; run 'leadline data pull %s%s' with network access first",
            reason, benchmark, revision.map(r -> " --revision " + r).orElse("")));
  }
}
