package io.leadline.models;

/**
 * Separates a model's inline reasoning ({@code <think>…</think>}, as DeepSeek-R1, Qwen3 and other
 * open reasoning models write it) from its answer, so extraction reads only the answer while the
 * record keeps both.
 */
final class Reasoning {
  private Reasoning() {}

  /** An answer and the reasoning taken out of it (empty if none). */
  record Split(String answer, String reasoning) {}

  /**
   * Removes every {@code <think>} block. A block left open (generation stopped inside it) holds the
   * rest of the text; a {@code </think>} with no opening tag (the chat template opened the block in
   * the prompt) closes a block that began at the start.
   */
  static Split split(String text) {
    return split(text, RequestOptions.ReasoningTags.THINK);
  }

  /**
   * As {@link #split(String)}, the blocks marked by {@code tags}; where the chat template opens the
   * block, the completion is reasoning up to the first closing tag, and all of it without one.
   */
  static Split split(String text, RequestOptions.ReasoningTags tags) {
    String close = tags.close();
    if (tags.openedByTemplate()) {
      int closed = text.indexOf(close);
      return closed < 0
          ? new Split("", text.strip())
          : new Split(
              text.substring(closed + close.length()).stripLeading(),
              text.substring(0, closed).strip());
    }
    String open = tags.open();
    int firstOpen = text.indexOf(open);
    int firstClose = text.indexOf(close);
    if (firstOpen < 0 && firstClose < 0) {
      return new Split(text, "");
    }
    StringBuilder answer = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    int position = 0;
    if (firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen)) {
      reasoning.append(text, 0, firstClose);
      position = firstClose + close.length();
    }
    while (position < text.length()) {
      int opened = text.indexOf(open, position);
      if (opened < 0) {
        answer.append(text, position, text.length());
        break;
      }
      answer.append(text, position, opened);
      int closed = text.indexOf(close, opened + open.length());
      if (reasoning.length() > 0) {
        reasoning.append('\n');
      }
      if (closed < 0) {
        reasoning.append(text, opened + open.length(), text.length());
        break;
      }
      reasoning.append(text, opened + open.length(), closed);
      position = closed + close.length();
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
