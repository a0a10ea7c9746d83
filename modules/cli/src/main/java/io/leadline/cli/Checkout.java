package io.leadline.cli;

import io.leadline.api.LeadlineException;
import java.nio.file.Path;

/** The checkout {@code bin/leadline} runs from: where bundled samples and settings live. */
final class Checkout {
  private Checkout() {}

  /**
   * The checkout's top folder, as {@code bin/leadline} passes it in {@code -Dleadline.root}, or as
   * {@code LEADLINE_ROOT} names it (for {@code spark-submit} and the Docker image).
   *
   * @throws LeadlineException if Leadline was started some other way
   */
  static Path root() {
    String root = System.getProperty("leadline.root");
    if (root == null) {
      root = System.getenv("LEADLINE_ROOT");
    }
    if (root == null || root.isBlank()) {
      throw LeadlineException.userInput(
          "run through bin/leadline, or set LEADLINE_ROOT (or -Dleadline.root) to the checkout:"
              + " the bundled samples and settings are needed");
    }
    return Path.of(root);
  }

  static Path benchmarks() {
    return root().resolve("benchmarks");
  }

  static Path settings() {
    return root().resolve("settings");
  }
}
