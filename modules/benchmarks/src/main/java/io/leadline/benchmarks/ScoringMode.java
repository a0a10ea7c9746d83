package io.leadline.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * How a setting scores a benchmark ({@code scoring:}): by what the model generates (GPT-Fathom's
 * way), or by the log-likelihood of each option (lm-evaluation-harness's and HELM's way for
 * multiple choice: one request per option, the option the model finds likeliest is its answer).
 */
public enum ScoringMode {
  GENERATIVE("generative"),
  LOGLIKELIHOOD("loglikelihood");

  private final String id;

  ScoringMode(String id) {
    this.id = id;
  }

  /** The name settings and records use. */
  public String id() {
    return id;
  }

  static List<String> ids() {
    return Arrays.stream(values()).map(ScoringMode::id).toList();
  }

  static ScoringMode fromId(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElseThrow();
  }
}
