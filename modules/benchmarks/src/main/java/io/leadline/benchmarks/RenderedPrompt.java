package io.leadline.benchmarks;

/**
 * A prompt as sent, and how many exemplars it holds.
 *
 * @param shotsRequested what the setting asked for (capped at the exemplars there are)
 * @param shotsUsed fewer when the model's context window forced shots out (GPT-Fathom's "out of
 *     window")
 */
public record RenderedPrompt(String text, int shotsRequested, int shotsUsed) {
  public boolean outOfWindow() {
    return shotsUsed < shotsRequested;
  }
}
