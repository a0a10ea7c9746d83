package io.leadline.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * CPython 3.11's {@code float(str)} and {@code repr(float)}, which the official DROP metric uses to
 * decide what a number is and to canonicalise it ({@code "7"} becomes {@code "7.0"}, {@code "1e16"}
 * becomes {@code "1e+16"}).
 *
 * <p>Accepted like Python: surrounding Unicode whitespace, a sign, digits of any script (category
 * Nd), underscores between digits, {@code inf}, {@code infinity} and {@code nan} in any case. The
 * repr is the shortest string that reads back to the same double, nearest to it.
 */
public final class PythonFloat {
  private PythonFloat() {}

  /** Whether {@code float(text)} succeeds. */
  public static boolean isFloat(String text) {
    return toAscii(text) != null;
  }

  /** {@code float(text)}, or {@code null} where Python raises {@code ValueError}. */
  public static Double parse(String text) {
    String ascii = toAscii(text);
    return ascii == null ? null : parseAscii(ascii);
  }

  /** {@code str(float(text))}, or {@code null} where Python raises {@code ValueError}. */
  public static String reprOf(String text) {
    String ascii = toAscii(text);
    if (ascii == null) {
      return null;
    }
    String fast = fastRepr(ascii);
    return fast != null ? fast : repr(parseAscii(ascii));
  }

  /**
   * Validates {@code text} against Python's float grammar and returns it as plain ASCII (digits
   * converted, underscores and surrounding whitespace removed), or {@code null} if invalid.
   */
  private static String toAscii(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && PythonText.isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && PythonText.isSpace(text.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return null;
    }
    StringBuilder out = new StringBuilder(end - start);
    int i = start;
    char first = text.charAt(i);
    if (first == '+' || first == '-') {
      out.append(first);
      i++;
    }
    if (i < end && isLetterStart(text.charAt(i))) {
      String word = text.substring(i, end).toLowerCase(java.util.Locale.ROOT);
      if (word.equals("inf") || word.equals("infinity") || word.equals("nan")) {
        return out.append(word.startsWith("inf") ? "inf" : "nan").toString();
      }
      return null;
    }
    int mantissaDigits = 0;
    i = digits(text, i, end, out);
    if (i < 0) {
      return null;
    }
    mantissaDigits += out.length() - (out.length() > 0 && isSign(out.charAt(0)) ? 1 : 0);
    if (i < end && text.charAt(i) == '.') {
      out.append('.');
      int before = out.length();
      i = digits(text, i + 1, end, out);
      if (i < 0) {
        return null;
      }
      mantissaDigits += out.length() - before;
    }
    if (mantissaDigits == 0) {
      return null;
    }
    if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      out.append('e');
      i++;
      if (i < end && isSign(text.charAt(i))) {
        out.append(text.charAt(i));
        i++;
      }
      int before = out.length();
      i = digits(text, i, end, out);
      if (i < 0 || out.length() == before) {
        return null;
      }
    }
    return i == end ? out.toString() : null;
  }

  /**
   * Appends a run of digits (any script) with single underscores between digits; returns the index
   * after the run, or -1 if an underscore is misplaced.
   */
  private static int digits(String text, int i, int end, StringBuilder out) {
    boolean previousDigit = false;
    while (i < end) {
      int c = text.codePointAt(i);
      if (c == '_') {
        int next = i + 1;
        if (!previousDigit || next >= end || !PythonText.isDecimal(text.codePointAt(next))) {
          return -1;
        }
        previousDigit = false;
        i = next;
        continue;
      }
      if (!PythonText.isDecimal(c)) {
        break;
      }
      out.append((char) ('0' + Character.digit(c, 10)));
      previousDigit = true;
      i += Character.charCount(c);
    }
    return i;
  }

  private static boolean isSign(char c) {
    return c == '+' || c == '-';
  }

  private static boolean isLetterStart(char c) {
    return c == 'i' || c == 'I' || c == 'n' || c == 'N';
  }

  private static double parseAscii(String ascii) {
    if (ascii.endsWith("inf")) {
      return ascii.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (ascii.endsWith("nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(ascii);
  }

  /**
   * The repr of a decimal with at most 15 significant digits and a modest exponent, without going
   * through binary: such a decimal survives the round trip, so its own digits are the shortest
   * (DBL_DIG is 15). Returns {@code null} when the slow path is needed.
   */
  private static String fastRepr(String ascii) {
    int length = ascii.length();
    int i = 0;
    boolean negative = false;
    if (isSign(ascii.charAt(0))) {
      negative = ascii.charAt(0) == '-';
      i++;
    }
    if (ascii.indexOf('e') >= 0 || ascii.endsWith("inf") || ascii.endsWith("nan")) {
      return null;
    }
    StringBuilder digits = new StringBuilder(length);
    int pointPosition = -1;
    for (; i < length; i++) {
      char c = ascii.charAt(i);
      if (c == '.') {
        pointPosition = digits.length();
      } else {
        digits.append(c);
      }
    }
    int integerDigits = pointPosition < 0 ? digits.length() : pointPosition;
    int leading = 0;
    while (leading < digits.length() && digits.charAt(leading) == '0') {
      leading++;
    }
    if (leading == digits.length()) {
      return negative ? "-0.0" : "0.0";
    }
    int trailing = digits.length();
    while (digits.charAt(trailing - 1) == '0') {
      trailing--;
    }
    String significant = digits.substring(leading, trailing);
    if (significant.length() > 15) {
      return null;
    }
    int decimalPoint = integerDigits - leading;
    if (decimalPoint > 300 || decimalPoint < -300) {
      return null;
    }
    return format(negative, significant, decimalPoint);
  }

  /** {@code repr(value)} for any double. */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    boolean negative = value < 0 || (value == 0.0 && 1.0 / value < 0);
    if (value == 0.0) {
      return negative ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(Math.abs(value));
    BigDecimal shortest = shortest(Math.abs(value), exact);
    String digits = shortest.unscaledValue().toString();
    int trailing = digits.length();
    while (trailing > 1 && digits.charAt(trailing - 1) == '0') {
      trailing--;
    }
    int decimalPoint = digits.length() - shortest.scale();
    return format(negative, digits.substring(0, trailing), decimalPoint);
  }

  /**
   * The shortest decimal that reads back as {@code value}; among those of that length, the nearest
   * to it (both neighbours are tried, because the rounding interval is lopsided at powers of two).
   */
  private static BigDecimal shortest(double value, BigDecimal exact) {
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == value;
      boolean upOk = up.doubleValue() == value;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp != 0) {
          return cmp < 0 ? down : up;
        }
        return down.unscaledValue().testBit(0) ? up : down;
      }
      if (downOk) {
        return down;
      }
      if (upOk) {
        return up;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }

  /**
   * Python's repr layout for digits {@code d1 d2 ... dn} worth {@code 0.d1d2...dn * 10^point}:
   * plain notation when {@code -4 < point <= 16}, otherwise {@code d1.d2...e+XX}.
   */
  private static String format(boolean negative, String digits, int point) {
    StringBuilder out = new StringBuilder(digits.length() + 8);
    if (negative) {
      out.append('-');
    }
    int n = digits.length();
    if (point > 16 || point <= -4) {
      out.append(digits.charAt(0));
      if (n > 1) {
        out.append('.').append(digits, 1, n);
      }
      int exponent = point - 1;
      out.append('e').append(exponent < 0 ? '-' : '+');
      int magnitude = Math.abs(exponent);
      if (magnitude < 10) {
        out.append('0');
      }
      return out.append(magnitude).toString();
    }
    if (point <= 0) {
      out.append("0.");
      for (int i = 0; i < -point; i++) {
        out.append('0');
      }
      return out.append(digits).toString();
    }
    if (point < n) {
      return out.append(digits, 0, point).append('.').append(digits, point, n).toString();
    }
    out.append(digits);
    for (int i = n; i < point; i++) {
      out.append('0');
    }
    return out.append(".0").toString();
  }
}
