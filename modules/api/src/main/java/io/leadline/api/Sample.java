package io.leadline.api;

import static java.util.Objects.requireNonNull;

/**
 * One completion to score, with what decides how it is read.
 *
 * @param prompt the prompt as sent
 * @param completion the model's text
 * @param chainOfThought whether the setting asked for reasoning before the answer
 * @param chat whether the model was asked through a chat API
 */
public record Sample(String prompt, String completion, boolean chainOfThought, boolean chat) {
  public Sample {
    requireNonNull(prompt, "prompt is null");
    requireNonNull(completion, "completion is null");
  }
}
