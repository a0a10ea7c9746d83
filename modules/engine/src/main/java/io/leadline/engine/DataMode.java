package io.leadline.engine;

/** Where a sweep's examples come from. */
public enum DataMode {
  /** The small real samples under {@code benchmarks/<name>/data/}: no network. */
  BUNDLED("bundled"),
  /** The full splits from the Hugging Face Hub, through the verified cache. */
  HUB("hub");

  private final String id;

  DataMode(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
