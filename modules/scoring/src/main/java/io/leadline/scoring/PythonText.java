package io.leadline.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The string primitives of CPython 3.11 that the reference scorers are written in, reproduced
 * character for character: {@code str.isspace}, {@code str.strip}, {@code str.split()} and {@code
 * str.split(sep)}, {@code len}, {@code str.lower}, the Unicode word characters of {@code re}'s
 * {@code \w} and {@code \b}, and {@code string.punctuation}.
 *
 * <p>Java's own {@code String.strip} and regex classes differ from Python's on NBSP, U+001C..1F,
 * combining marks and line terminators; several golden rows depend on exactly those characters.
 */
public final class PythonText {
  /** {@code string.punctuation}. */
  public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private PythonText() {}

  /** {@code str.isspace()} for one code point (bidi class WS, B or S, or category Zs). */
  public static boolean isSpace(int c) {
    if (c < 0x80) {
      return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
    }
    return c == 0x85
        || c == 0xa0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200a)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202f
        || c == 0x205f
        || c == 0x3000;
  }

  /** Membership in {@code string.punctuation}. */
  public static boolean isAsciiPunctuation(int c) {
    return (c >= '!' && c <= '/')
        || (c >= ':' && c <= '@')
        || (c >= '[' && c <= '`')
        || (c >= '{' && c <= '~');
  }

  /**
   * A word character of Python's {@code re} on {@code str}: {@code str.isalnum()} or {@code _}.
   * Unlike Java's {@code UNICODE_CHARACTER_CLASS}, combining marks are not word characters.
   */
  public static boolean isWordChar(int c) {
    if (c < 0x80) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return true;
      default:
        return false;
    }
  }

  /** {@code str.isdecimal()} for one code point: Unicode category Nd. */
  public static boolean isDecimal(int c) {
    if (c < 0x80) {
      return c >= '0' && c <= '9';
    }
    return Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER;
  }

  /** {@code str.strip()}: removes leading and trailing {@link #isSpace} characters. */
  public static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** {@code str.lstrip()}. */
  public static String lstrip(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** {@code str.split()} with no arguments: runs of whitespace separate, no empty strings. */
  public static List<String> split(String s) {
    List<String> parts = new ArrayList<>();
    int length = s.length();
    int i = 0;
    while (i < length) {
      while (i < length && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < length && !isSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        parts.add(s.substring(start, i));
      }
    }
    return parts;
  }

  /**
   * {@code s.split(separator)} with a non-empty separator: every piece, empty ones included, so
   * there is always one more piece than occurrences (unlike Java's {@code String.split}).
   */
  public static List<String> splitOn(String s, String separator) {
    if (separator.isEmpty()) {
      throw new IllegalArgumentException("empty separator");
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    int at;
    while ((at = s.indexOf(separator, start)) >= 0) {
      parts.add(s.substring(start, at));
      start = at + separator.length();
    }
    parts.add(s.substring(start));
    return parts;
  }

  /** {@code len(s)}: the number of code points, not of UTF-16 units. */
  public static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** {@code " ".join(s.split())}. */
  public static String collapseWhitespace(String s) {
    return String.join(" ", split(s));
  }

  /** {@code str.lower()}: full Unicode lower-casing, locale-independent (İ becomes i + U+0307). */
  public static String lower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
        return s.toLowerCase(Locale.ROOT);
      }
    }
    return s;
  }

  /**
   * {@code re.sub(r"\b(a|an|the)\b", " ", s)} on lower-case text: every maximal run of word
   * characters that is exactly {@code a}, {@code an} or {@code the} becomes one space.
   */
  public static String replaceArticles(String s) {
    StringBuilder out = null;
    int length = s.length();
    int copied = 0;
    int i = 0;
    while (i < length) {
      int c = s.codePointAt(i);
      if (!isWordChar(c)) {
        i += Character.charCount(c);
        continue;
      }
      int start = i;
      while (i < length) {
        int d = s.codePointAt(i);
        if (!isWordChar(d)) {
          break;
        }
        i += Character.charCount(d);
      }
      if (isArticle(s, start, i)) {
        if (out == null) {
          out = new StringBuilder(length);
        }
        out.append(s, copied, start).append(' ');
        copied = i;
      }
    }
    if (out == null) {
      return s;
    }
    return out.append(s, copied, length).toString();
  }

  private static boolean isArticle(String s, int start, int end) {
    switch (end - start) {
      case 1:
        return s.charAt(start) == 'a';
      case 2:
        return s.charAt(start) == 'a' && s.charAt(start + 1) == 'n';
      case 3:
        return s.charAt(start) == 't' && s.charAt(start + 1) == 'h' && s.charAt(start + 2) == 'e';
      default:
        return false;
    }
  }
}
