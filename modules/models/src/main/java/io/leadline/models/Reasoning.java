package io.leadline.models;

/**
 * Separates a model's inline reasoning ({@code <think>…</think>}, as DeepSeek-R1, Qwen3 and other
 * open reasoning models write it) from its answer, so extraction reads only the answer while the
 * record keeps both.
 */
final class Reasoning {
  private static final String OPEN = "<think>";
  private static final String CLOSE = "</think>";

  private Reasoning() {}

  /** An answer and the reasoning taken out of it (empty if none). */
  record Split(String answer, String reasoning) {}

  /**
   * Removes every {@code <think>} block. A block left open (generation stopped inside it) holds the
   * rest of the text; a {@code </think>} with no opening tag (the chat template opened the block in
   * the prompt) closes a block that began at the start.
   */
  static Split split(String text) {
    int firstOpen = text.indexOf(OPEN);
    int firstClose = text.indexOf(CLOSE);
    if (firstOpen < 0 && firstClose < 0) {
      return new Split(text, "");
    }
    StringBuilder answer = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    int position = 0;
    if (firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen)) {
      reasoning.append(text, 0, firstClose);
      position = firstClose + CLOSE.length();
    }
    while (position < text.length()) {
      int open = text.indexOf(OPEN, position);
      if (open < 0) {
        answer.append(text, position, text.length());
        break;
      }
      answer.append(text, position, open);
      int close = text.indexOf(CLOSE, open + OPEN.length());
      if (reasoning.length() > 0) {
        reasoning.append('\n');
      }
      if (close < 0) {
        reasoning.append(text, open + OPEN.length(), text.length());
        break;
      }
      reasoning.append(text, open + OPEN.length(), close);
      position = close + CLOSE.length();
    }
    return new Split(answer.toString().stripLeading(), reasoning.toString().strip());
  }

  /** {@code text} cut before the first occurrence of any stop sequence. */
  static String cutAtStop(String text, Iterable<String> stops) {
    int cut = text.length();
    for (String stop : stops) {
      int at = text.indexOf(stop);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return text.substring(0, cut);
  }
}
