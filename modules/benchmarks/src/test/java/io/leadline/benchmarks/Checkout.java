package io.leadline.benchmarks;

import java.nio.file.Path;

/** The checkout's folders, as surefire passes them in {@code leadline.root}. */
final class Checkout {
  private Checkout() {}

  static Path root() {
    return Path.of(System.getProperty("leadline.root", "../.."));
  }

  static Path benchmarks() {
    return root().resolve("benchmarks");
  }

  static Path settings() {
    return root().resolve("settings");
  }

  static Suite suite() {
    return Suite.load(benchmarks());
  }
}
