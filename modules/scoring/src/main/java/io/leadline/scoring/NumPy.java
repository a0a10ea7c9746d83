package io.leadline.scoring;

/** The two pieces of NumPy arithmetic the DROP reference depends on, to the last bit. */
final class NumPy {
  private static final int BLOCK = 128;

  private NumPy() {}

  /**
   * {@code np.add.reduce} of a float64 vector: the first element, plus NumPy's pairwise sum of the
   * rest (sequential below 8 elements, 8 accumulators up to 128, halves beyond).
   */
  static double pairwiseSum(double[] values) {
    if (values.length == 0) {
      return 0.0;
    }
    return values[0] + pairwise(values, 1, values.length - 1);
  }

  private static double pairwise(double[] a, int offset, int n) {
    if (n < 8) {
      double result = 0.0;
      for (int i = 0; i < n; i++) {
        result += a[offset + i];
      }
      return result;
    }
    if (n <= BLOCK) {
      double[] r = new double[8];
      System.arraycopy(a, offset, r, 0, 8);
      int i = 8;
      for (; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[offset + i + j];
        }
      }
      double result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        result += a[offset + i];
      }
      return result;
    }
    int half = n / 2;
    half -= half % 8;
    return pairwise(a, offset, half) + pairwise(a, offset + half, n - half);
  }

  /** {@code np.round(x, decimals)}: scale, round half to even, unscale. */
  static double round(double x, int decimals) {
    double scale = Math.pow(10.0, decimals);
    return Math.rint(x * scale) / scale;
  }
}
