package io.leadline.engine;

import io.leadline.api.Defaults;

/**
 * The bootstrap defaults as the manifest records them ({@code seeds}), for {@link RunFolder}. The
 * statistics are {@link io.leadline.scoring.Bootstrap}'s and the values {@link Defaults}'; this
 * class goes once the run writer reads {@link Defaults} itself.
 */
final class Bootstrap {
  static final long SEED = Defaults.SEED;

  static final int RESAMPLES = Defaults.METRIC_RESAMPLES;

  private Bootstrap() {}
}
