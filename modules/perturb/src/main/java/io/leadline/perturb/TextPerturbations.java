package io.leadline.perturb;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The perturbations themselves: pure functions of their input text (or row) and a seed, the same on
 * every machine.
 */
public final class TextPerturbations {
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:,\\d{3})*(?:\\.\\d+)?");
  private static final Pattern OPTION_BREAK = Pattern.compile("\n(\\([B-Z]\\) )");

  private TextPerturbations() {}

  /** A seed for {@code what} derived from a run's seed, so variants and items draw apart. */
  public static long seed(long base, String what) {
    return base ^ Hashing.sha256().hashString(what, StandardCharsets.UTF_8).asLong();
  }

  /**
   * Relabels questions and answers: every line starting {@code fromQuestion} or {@code fromAnswer}
   * starts {@code toQuestion} or {@code toAnswer} instead.
   */
  public static String relabel(
      String prompt, String fromQuestion, String fromAnswer, String toQuestion, String toAnswer) {
    String[] lines = prompt.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(fromQuestion)) {
        lines[i] = toQuestion + lines[i].substring(fromQuestion.length());
      } else if (lines[i].startsWith(fromAnswer)) {
        lines[i] = toAnswer + lines[i].substring(fromAnswer.length());
      }
    }
    return String.join("\n", lines);
  }

  /** Every line break doubled. */
  public static String extraNewlines(String prompt) {
    return prompt.replace("\n", "\n\n");
  }

  /** Every blank line between blocks removed. */
  public static String fewerNewlines(String prompt) {
    return prompt.replace("\n\n", "\n");
  }

  /** A trailing space on every line but the last. */
  public static String trailingSpaces(String prompt) {
    return prompt.replace("\n", " \n");
  }

  /** Multiple-choice options on one line instead of one per line. */
  public static String optionsInline(String prompt) {
    return OPTION_BREAK.matcher(prompt).replaceAll(" $1");
  }

  /**
   * Character noise at {@code rate} per letter: a letter is swapped with the next, dropped or
   * doubled, each a third of the time. Digits and punctuation are left alone, so numbers and option
   * letters keep their meaning.
   */
  public static String typos(String text, double rate, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isLetter(c) || random.nextDouble() >= rate) {
        out.append(c);
        continue;
      }
      switch (random.nextInt(3)) {
        case 0 -> {
          if (i + 1 < text.length() && Character.isLetter(text.charAt(i + 1))) {
            out.append(text.charAt(i + 1)).append(c);
            i++;
          } else {
            out.append(c);
          }
        }
        case 1 -> {
          // dropped
        }
        default -> out.append(c).append(c);
      }
    }
    return out.toString();
  }

  /**
   * Every number in {@code text} changed to another of the same kind (seeded): each grows by 1 to
   * 9, decimals keep their decimal places.
   */
  public static String changeNumbers(String text, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Matcher matcher = NUMBER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (matcher.find()) {
      String number = matcher.group().replace(",", "");
      int step = 1 + random.nextInt(9);
      String changed;
      if (number.contains(".")) {
        int places = number.length() - number.indexOf('.') - 1;
        java.math.BigDecimal value =
            new java.math.BigDecimal(number).add(java.math.BigDecimal.valueOf(step));
        changed = value.setScale(places, java.math.RoundingMode.UNNECESSARY).toPlainString();
      } else {
        java.math.BigInteger value = new java.math.BigInteger(number);
        java.math.BigInteger moved = value.add(java.math.BigInteger.valueOf(step));
        changed = moved.toString();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(changed));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * A seeded permutation of 0..n-1 (Fisher–Yates) that, for n >= 2, is never the identity: a
   * shuffle that changes nothing would not be a perturbation (it is rotated by one instead).
   */
  public static int[] shuffled(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    boolean identity = true;
    for (int i = 0; i < n; i++) {
      identity &= order[i] == i;
    }
    if (identity && n >= 2) {
      for (int i = 0; i < n; i++) {
        order[i] = (i + 1) % n;
      }
    }
    return order;
  }
}
