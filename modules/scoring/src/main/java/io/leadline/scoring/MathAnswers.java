package io.leadline.scoring;

import static java.util.Objects.requireNonNull;

import io.leadline.api.Extraction;
import io.leadline.api.Extractor;
import io.leadline.api.Metric;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * MATH (Hendrycks et al., 2021) answer extraction and equivalence as hendrycks/math at 985bdc1
 * defines them ({@code modeling/dataset/util.py} {@code last_boxed_only_string}, {@code
 * modeling/eval_math_gpt.py} {@code remove_boxed}, {@code modeling/math_equivalence.py} {@code
 * _strip_string} and {@code is_equiv}), and GPT-Fathom's verdict on top of them ({@code
 * evals/utils/math_util.py}, a copy of the same functions, with {@code math_problem.check_match}
 * for dataset "math" and {@code record_and_check_match}).
 *
 * <p>The reference's quirks are reproduced, not fixed: only the last box counts, {@code \fbox{..}}
 * is found but then rejected, {@code \sqrt 3} becomes {@code \sqrt{}3}, {@code -1/8} becomes {@code
 * \frac{-1}{8}}, and where {@code _strip_string} raises ({@link StripError}) {@code is_equiv}
 * compares the raw strings. Lengths and "the first character" are counted in code points, as Python
 * counts them.
 */
public final class MathAnswers {
  private static final String BOXED = "\\boxed";
  private static final String FBOX = "\\fbox";
  private static final String BOXED_OPEN = "\\boxed{";
  private static final String SQRT = "\\sqrt";
  private static final String FRAC = "\\frac";
  private static final String UNITS = "\\text{ ";

  /** What {@code str(int(s)) == s} accepts: no sign but {@code -}, no leading zero, no spaces. */
  private static final Pattern CANONICAL_INT = Pattern.compile("0|-?[1-9][0-9]*");

  /** CPython 3.11's {@code sys.int_info.default_max_str_digits}: {@code int()} refuses more. */
  private static final int MAX_INT_DIGITS = 4300;

  /**
   * The prediction: {@code remove_boxed(last_boxed_only_string(completion))}, the inside of the
   * last {@code \boxed{...}}, braces balanced.
   */
  public static final Extractor LAST_BOXED =
      Conventions.extractor(
          "math/last-boxed",
          "hendrycks/math remove_boxed(last_boxed_only_string(completion)): the last \\boxed{...}"
              + " (else \\fbox), braces matched, unwrapped",
          MathAnswers::extractLastBoxed);

  /**
   * Hendrycks' equivalence of the {@link #LAST_BOXED} prediction and the gold answer string; a
   * completion without one scores 0. Reads the raw completion.
   */
  public static final Metric<String> HENDRYCKS_EQUIV =
      Conventions.metric(
          "math/hendrycks-equiv",
          "hendrycks/math is_equiv(remove_boxed(last_boxed_only_string(completion)), gold) with"
              + " _strip_string normalisation",
          (completion, gold) ->
              isEquiv(LAST_BOXED.extract(completion).answer().orElse(null), gold) ? 1.0 : 0.0);

  /** GPT-Fathom's verdict on the raw completion; see {@link #gptFathomSampled}. */
  public static final Metric<String> GPT_FATHOM_ACCURACY =
      Conventions.metric(
          "math/gpt-fathom-accuracy",
          "GPT-Fathom math_problem.check_match (math) with record_and_check_match: the gold if"
              + " is_equiv, else the boxed prediction (else the completion), startswith(gold)",
          (completion, gold) -> isGptFathomCorrect(completion, gold) ? 1.0 : 0.0);

  private MathAnswers() {}

  /**
   * A Python exception {@code _strip_string} raises ({@code IndexError} or {@code AssertionError}),
   * which {@code is_equiv} catches. Carries no stack trace: it is an outcome, not a bug.
   */
  public static final class StripError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pythonException;

    private StripError(String pythonException, String message) {
      super(pythonException + ": " + message, null, false, false);
      this.pythonException = pythonException;
    }

    static StripError indexError(String message) {
      return new StripError("IndexError", message);
    }

    static StripError assertionError(String message) {
      return new StripError("AssertionError", message);
    }

    /** The Python exception's class name, for example {@code IndexError}. */
    public String pythonException() {
      return pythonException;
    }
  }

  /**
   * The gold answer of a MATH solution: {@code remove_boxed(last_boxed_only_string(solution))}.
   *
   * @throws IllegalArgumentException if the solution has no {@code \boxed{...}} (GPT-Fathom would
   *     then compare with {@code None} and fail)
   */
  public static String goldOf(String solution) {
    requireNonNull(solution, "solution is null");
    return lastBoxedOnlyString(solution)
        .flatMap(MathAnswers::removeBoxed)
        .orElseThrow(
            () -> new IllegalArgumentException("MATH solution has no \\boxed{...}: " + solution));
  }

  /**
   * {@code last_boxed_only_string}: from the last {@code \boxed} (or, if there is none, the last
   * {@code \fbox}) to the first closing brace that brings the brace depth back to 0. Empty if there
   * is no such box or it never closes; a closing brace before any opening one takes the depth below
   * 0, and the depth is only checked after a closing brace, so it never counts as closed.
   */
  public static Optional<String> lastBoxedOnlyString(String string) {
    int start = string.lastIndexOf(BOXED);
    if (start < 0) {
      start = string.lastIndexOf(FBOX);
      if (start < 0) {
        return Optional.empty();
      }
    }
    int open = 0;
    for (int i = start; i < string.length(); i++) {
      char c = string.charAt(i);
      if (c == '{') {
        open++;
      } else if (c == '}') {
        open--;
        if (open == 0) {
          return Optional.of(string.substring(start, i + 1));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * {@code remove_boxed}: the text between a leading {@code \boxed} with its opening brace and a
   * final closing brace; empty for anything else ({@code \fbox{...}} and {@code \boxed 5 {x}}
   * included).
   */
  public static Optional<String> removeBoxed(String boxed) {
    if (!boxed.startsWith(BOXED_OPEN) || !boxed.endsWith("}")) {
      return Optional.empty();
    }
    return Optional.of(boxed.substring(BOXED_OPEN.length(), boxed.length() - 1));
  }

  static Extraction extractLastBoxed(String completion) {
    Optional<String> boxed = lastBoxedOnlyString(completion);
    if (boxed.isEmpty()) {
      boolean anyBox = completion.contains(BOXED) || completion.contains(FBOX);
      return Extraction.noAnswer(
          anyBox
              ? "the last \\boxed (or \\fbox) never closes its braces"
              : "no \\boxed or \\fbox in the completion");
    }
    return removeBoxed(boxed.get())
        .map(Extraction::answer)
        .orElseGet(() -> Extraction.noAnswer("the last box is not \\boxed{...}: " + boxed.get()));
  }

  /**
   * {@code is_equiv}: both {@code null} is equivalent (the reference prints a warning), one {@code
   * null} is not; otherwise the {@link #stripString} forms are equal, or, where either raises, the
   * raw strings are.
   */
  public static boolean isEquiv(String prediction, String gold) {
    if (prediction == null || gold == null) {
      return prediction == null && gold == null;
    }
    try {
      return stripString(prediction).equals(stripString(gold));
    } catch (StripError e) {
      return prediction.equals(gold);
    }
  }

  /**
   * GPT-Fathom's {@code sampled}, the string it compares with the gold: the gold itself when the
   * {@link #LAST_BOXED} prediction {@link #isEquiv is equivalent}, else that prediction, else (no
   * prediction) the raw completion.
   */
  public static String gptFathomSampled(String completion, String gold) {
    String prediction = LAST_BOXED.extract(completion).answer().orElse(null);
    if (isEquiv(prediction, gold)) {
      return gold;
    }
    return prediction != null ? prediction : completion;
  }

  /**
   * GPT-Fathom's verdict: {@link #gptFathomSampled} starts with the gold, so a prediction {@code
   * 2x} is right for the gold {@code 2}.
   */
  public static boolean isGptFathomCorrect(String completion, String gold) {
    return gptFathomSampled(completion, gold).startsWith(gold);
  }

  /**
   * {@code _strip_string}, step by step in the reference's order.
   *
   * @throws StripError where the reference raises: {@code IndexError} from a {@code \sqrt} or
   *     {@code \frac} with nothing after it, {@code AssertionError} from two <code>"\text{ "</code>
   */
  public static String stripString(String string) {
    String s =
        string
            .replace("\n", "")
            .replace("\\!", "")
            .replace("\\\\", "\\")
            .replace("tfrac", "frac")
            .replace("dfrac", "frac")
            .replace("\\left", "")
            .replace("\\right", "")
            .replace("^{\\circ}", "")
            .replace("^\\circ", "")
            .replace("\\$", "");
    s = removeRightUnits(s);
    // The reference removes "\\%" and then "\%", the same two characters in Python.
    s = s.replace("\\%", "").replace(" .", " 0.").replace("{.", "{0.");
    if (s.isEmpty()) {
      return s;
    }
    if (s.charAt(0) == '.') {
      s = "0" + s;
    }
    List<String> sides = PythonText.splitOn(s, "=");
    if (sides.size() == 2 && PythonText.length(sides.get(0)) <= 2) {
      s = sides.get(1);
    }
    s = fixSqrt(s);
    s = s.replace(" ", "");
    s = fixFracs(s);
    if (s.equals("0.5")) {
      s = "\\frac{1}{2}";
    }
    return fixASlashB(s);
  }

  /**
   * {@code _remove_right_units}: everything before <code>"\text{ "</code>, which may occur once.
   */
  static String removeRightUnits(String string) {
    if (!string.contains(UNITS)) {
      return string;
    }
    List<String> splits = PythonText.splitOn(string, UNITS);
    if (splits.size() != 2) {
      throw StripError.assertionError("_remove_right_units: '\\text{ ' occurs more than once");
    }
    return splits.get(0);
  }

  /** {@code _fix_sqrt}: braces around the one code point after each {@code \sqrt} lacking them. */
  static String fixSqrt(String string) {
    if (!string.contains(SQRT)) {
      return string;
    }
    List<String> splits = PythonText.splitOn(string, SQRT);
    StringBuilder out = new StringBuilder(splits.get(0));
    for (String split : splits.subList(1, splits.size())) {
      if (split.isEmpty()) {
        throw StripError.indexError("_fix_sqrt: nothing after a \\sqrt");
      }
      if (split.charAt(0) == '{') {
        out.append(SQRT).append(split);
      } else {
        int end = split.offsetByCodePoints(0, 1);
        out.append("\\sqrt{").append(split, 0, end).append('}').append(split, end, split.length());
      }
    }
    return out.toString();
  }

  /**
   * {@code _fix_fracs}: {@code \frac12} to {@code \frac{1}{2}} and {@code \frac1{72}} to {@code
   * \frac{1}{72}}, one code point per argument; the whole input unchanged where a {@code \frac} is
   * followed by one code point only.
   */
  static String fixFracs(String string) {
    List<String> substrs = PythonText.splitOn(string, FRAC);
    StringBuilder out = new StringBuilder(substrs.get(0));
    for (String substr : substrs.subList(1, substrs.size())) {
      out.append(FRAC);
      if (substr.isEmpty()) {
        throw StripError.indexError("_fix_fracs: nothing after a \\frac");
      }
      if (substr.charAt(0) == '{') {
        out.append(substr);
        continue;
      }
      if (PythonText.length(substr) < 2) {
        return string;
      }
      int aEnd = substr.offsetByCodePoints(0, 1);
      int bEnd = substr.offsetByCodePoints(aEnd, 1);
      String a = substr.substring(0, aEnd);
      String b = substr.substring(aEnd, bEnd);
      out.append('{').append(a).append('}');
      if (b.equals("{")) {
        out.append(b);
      } else {
        out.append('{').append(b).append('}');
      }
      out.append(substr, bEnd, substr.length());
    }
    return out.toString();
  }

  /**
   * {@code _fix_a_slash_b}: {@code a/b} to {@code \frac{a}{b}} when both sides are integers written
   * exactly as Python's {@code str(int(...))} writes them (so {@code 1/02} and {@code +1/2} stay),
   * and short enough for CPython 3.11's {@code int()}.
   */
  static String fixASlashB(String string) {
    List<String> sides = PythonText.splitOn(string, "/");
    if (sides.size() != 2 || !isCanonicalInt(sides.get(0)) || !isCanonicalInt(sides.get(1))) {
      return string;
    }
    return "\\frac{" + sides.get(0) + "}{" + sides.get(1) + "}";
  }

  private static boolean isCanonicalInt(String text) {
    int digits = text.startsWith("-") ? text.length() - 1 : text.length();
    return digits <= MAX_INT_DIGITS && CANONICAL_INT.matcher(text).matches();
  }
}
