package io.leadline.benchmarks;

import java.util.List;

/**
 * Python's {@code random.Random(int)}: the MT19937 generator seeded by {@code init_by_array}, with
 * {@code getrandbits}, {@code _randbelow} and {@code shuffle} exactly as CPython 3 draws them, so a
 * permutation made here is the one GPT-Fathom's {@code random.Random(47)} made.
 *
 * <p>Not thread-safe: one instance per sequence of draws.
 */
public final class PyRandom {
  private static final int N = 624;
  private static final int M = 397;

  private final int[] state = new int[N];
  private int index;

  /** {@code random.Random(seed)} for a non-negative seed below 2^32. */
  public PyRandom(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seed must be in [0, 2^32): " + seed);
    }
    initByArray(new int[] {(int) seed});
  }

  private void initGenrand(int seed) {
    state[0] = seed;
    for (int i = 1; i < N; i++) {
      state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        state[0] = state[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        state[0] = state[N - 1];
        i = 1;
      }
    }
    state[0] = 0x80000000;
  }

  private int next32() {
    if (index >= N) {
      for (int k = 0; k < N; k++) {
        int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
        state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    int y = state[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** {@code getrandbits(k)} for 1 ≤ k ≤ 32. */
  public long getrandbits(int k) {
    if (k < 1 || k > 32) {
      throw new IllegalArgumentException("k must be in [1, 32]: " + k);
    }
    return (next32() & 0xFFFFFFFFL) >>> (32 - k);
  }

  /** {@code _randbelow(n)}: uniform in [0, n) by rejection, for 1 ≤ n < 2^32. */
  public int randbelow(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    int k = 32 - Integer.numberOfLeadingZeros(n);
    long r = getrandbits(k);
    while (r >= n) {
      r = getrandbits(k);
    }
    return (int) r;
  }

  /** {@code shuffle(list)} in place. */
  public <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = randbelow(i + 1);
      T swap = list.get(i);
      list.set(i, list.get(j));
      list.set(j, swap);
    }
  }

  /** The permutation {@code shuffle(list(range(n)))} makes: position → original index. */
  public int[] permutation(int n) {
    List<Integer> order = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    shuffle(order);
    return order.stream().mapToInt(Integer::intValue).toArray();
  }
}
