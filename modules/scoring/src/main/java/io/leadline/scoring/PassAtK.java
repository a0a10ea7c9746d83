package io.leadline.scoring;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
 * Code"), in the numerically stable product form of openai/human-eval's {@code estimate_pass_at_k}:
 * {@code 1 - prod_{i=n-c+1..n} (1 - k/i)}, multiplied left to right with {@code i} ascending, which
 * reproduces the reference bit for bit.
 */
public final class PassAtK {
  private PassAtK() {}

  /**
   * pass@k from {@code n} samples of which {@code c} are correct.
   *
   * @throws IllegalArgumentException unless {@code n >= 1}, {@code 0 <= c <= n} and {@code 1 <= k
   *     <= n}
   */
  public static double estimate(int n, int c, int k) {
    checkArgument(n >= 1, "n must be >= 1: %s", n);
    checkArgument(c >= 0 && c <= n, "c must be in [0, n=%s]: %s", n, c);
    checkArgument(k >= 1 && k <= n, "k must be in [1, n=%s]: %s", n, k);
    return referenceEstimate(n, c, k);
  }

  /**
   * Exactly what human-eval's {@code estimate_pass_at_k} returns, also outside the estimator's
   * domain: {@code 1.0} whenever {@code n - c < k} (so {@code k > n} gives 1.0 even with no correct
   * sample) and {@code 0.0} for {@code k = 0}. Use {@link #estimate} for new results.
   */
  public static double referenceEstimate(int n, int c, int k) {
    checkArgument(n >= 0 && c >= 0 && c <= n && k >= 0, "need 0 <= c <= n and k >= 0");
    if (n - c < k) {
      return 1.0;
    }
    double product = 1.0;
    for (int i = n - c + 1; i <= n; i++) {
      product *= 1.0 - (double) k / i;
    }
    return 1.0 - product;
  }
}
