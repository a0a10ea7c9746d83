package io.leadline.api;

/**
 * Every seed and statistical default of Leadline, in one place: the sweep's intervals, the diff's
 * paired statistics, the sensitivity report and the prompt perturbations all read them from here.
 * Changing one changes the numbers a run reports, so each is pinned by a test.
 */
public final class Defaults {
  /**
   * The seed every seeded draw starts from (GPT-Fathom's): bootstrap resamples, sign-flip
   * permutations and prompt perturbations, each mixed with the name of what it draws for.
   */
  public static final long SEED = 47;

  /** Bootstrap resamples behind each 95% interval of {@code metrics.json}. */
  public static final int METRIC_RESAMPLES = 1_000;

  /** Paired-bootstrap resamples behind each delta's 95% interval in {@code leadline diff}. */
  public static final int DIFF_RESAMPLES = 10_000;

  /** Bootstrap resamples behind each variant's 95% interval in {@code leadline sensitivity}. */
  public static final int SENSITIVITY_RESAMPLES = 2_000;

  /** Random sign patterns of a sign-flip test too large to enumerate. */
  public static final int PERMUTATIONS = 10_000;

  /** The most pairs a sign-flip test enumerates all 2^n sign patterns of. */
  public static final int SIGN_FLIP_EXACT_LIMIT = 16;

  /** The significance level (two-sided) of a diff's direction, the seesaw and sensitivity. */
  public static final double ALPHA = 0.05;

  /** The power at which a diff's minimum detectable delta is computed. */
  public static final double POWER = 0.8;

  private Defaults() {}
}
