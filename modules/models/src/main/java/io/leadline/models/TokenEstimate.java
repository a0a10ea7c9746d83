package io.leadline.models;

import io.leadline.api.CompletionRequest;

/**
 * What a request's prompt is expected to cost in tokens before the model's tokenizer has seen it:
 * the larger of one token per four characters (OpenAI's rule of thumb for English prose) and the
 * number of GPT-2-style pre-tokens (a word with its leading space, a run of digits, one other
 * character, a run of whitespace), which a byte-pair tokenizer only splits further; the second wins
 * on text dense with punctuation, digits and newlines (multiple-choice options, code). The system
 * message counts too. Used for rate limits, budget reservations and {@code sweep --dry-run}.
 */
public final class TokenEstimate {
  private TokenEstimate() {}

  /** The prompt tokens of one request for {@code request}, its system message included. */
  public static long prompt(CompletionRequest request) {
    return request.wrapping().systemMessage().map(TokenEstimate::text).orElse(0L)
        + text(request.prompt());
  }

  /** The tokens of {@code text}. */
  public static long text(String text) {
    return Math.max((text.length() + 3) / 4, preTokens(text));
  }

  /** GPT-2-style pre-tokens of {@code text}. */
  static long preTokens(String text) {
    long tokens = 0;
    int at = 0;
    int length = text.length();
    while (at < length) {
      char c = text.charAt(at);
      int body = at;
      if (c == ' ' && at + 1 < length && !Character.isWhitespace(text.charAt(at + 1))) {
        body = at + 1;
      } else if (Character.isWhitespace(c)) {
        int end = at;
        while (end < length && Character.isWhitespace(text.charAt(end))) {
          end++;
        }
        // The last space before a word starts that word's token.
        at = end - at > 1 && text.charAt(end - 1) == ' ' && end < length ? end - 1 : end;
        tokens++;
        continue;
      }
      int first = text.codePointAt(body);
      int end = body + Character.charCount(first);
      if (Character.isLetter(first) || Character.isDigit(first)) {
        boolean letters = Character.isLetter(first);
        while (end < length) {
          int next = text.codePointAt(end);
          if (letters ? !Character.isLetter(next) : !Character.isDigit(next)) {
            break;
          }
          end += Character.charCount(next);
        }
      }
      tokens++;
      at = end;
    }
    return tokens;
  }
}
