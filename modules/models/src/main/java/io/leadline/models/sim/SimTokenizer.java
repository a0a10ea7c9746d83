package io.leadline.models.sim;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The simulator's tokenizer, for the {@code logprobs} of {@code /v1/completions}: a token is an
 * optional single leading space and then a run of letters, a run of digits or one other character;
 * any other whitespace (a newline, several spaces) is a token of its own, except that the last
 * space before a word starts that word's token, as byte-pair tokenizers do.
 *
 * <p>Deterministic; the tokens of a text concatenate to it exactly, and offsets are {@link String}
 * indices.
 */
final class SimTokenizer {
  /** One token and where it starts in the text. */
  record Token(String text, int offset) {
    int end() {
      return offset + text.length();
    }
  }

  private SimTokenizer() {}

  static List<Token> tokenize(String text) {
    ImmutableList.Builder<Token> tokens = ImmutableList.builder();
    int at = 0;
    while (at < text.length()) {
      int end = end(text, at);
      tokens.add(new Token(text.substring(at, end), at));
      at = end;
    }
    return tokens.build();
  }

  /** Where the token starting at {@code start} ends. */
  private static int end(String text, int start) {
    int body = start;
    if (text.charAt(start) == ' ' && isNonSpace(text, start + 1)) {
      body = start + 1;
    } else if (Character.isWhitespace(text.charAt(start))) {
      int end = start;
      while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      // The last space before a word belongs to the word.
      return end - start > 1 && text.charAt(end - 1) == ' ' && end < text.length() ? end - 1 : end;
    }
    int first = text.codePointAt(body);
    int end = body + Character.charCount(first);
    if (Character.isLetter(first) || Character.isDigit(first)) {
      boolean letters = Character.isLetter(first);
      while (end < text.length()) {
        int next = text.codePointAt(end);
        if (letters ? !Character.isLetter(next) : !Character.isDigit(next)) {
          break;
        }
        end += Character.charCount(next);
      }
    }
    return end;
  }

  private static boolean isNonSpace(String text, int at) {
    return at < text.length() && !Character.isWhitespace(text.charAt(at));
  }
}
