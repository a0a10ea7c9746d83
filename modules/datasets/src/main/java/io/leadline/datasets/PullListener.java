package io.leadline.datasets;

/** Hears how far a pull has come, for a progress bar; called from fetching threads. */
public interface PullListener {
  PullListener NONE = (ref, pagesDone, pagesTotal) -> {};

  void pages(SplitRef ref, int pagesDone, int pagesTotal);
}
