package io.leadline.scoring;

import java.util.List;

/**
 * The normalisation, fuzzy match and token F1 of openai/evals' {@code evals/elsuite/utils.py}, as
 * GPT-Fathom uses them for TriviaQA and DROP, and as openai/simple-evals copies them for its DROP
 * headline score.
 */
public final class FuzzyMatch {
  private FuzzyMatch() {}

  /**
   * {@code normalize}: lower-case, ASCII punctuation deleted, articles to spaces, whitespace
   * collapsed.
   */
  public static String normalize(String text) {
    String lower = PythonText.lower(text);
    StringBuilder kept = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (!PythonText.isAsciiPunctuation(c)) {
        kept.append(c);
      }
    }
    return PythonText.collapseWhitespace(PythonText.replaceArticles(kept.toString()));
  }

  /**
   * {@code fuzzy_match}: both normalised; if either is empty they must be equal, otherwise one must
   * contain the other.
   */
  public static boolean matches(String a, String b) {
    String x = normalize(a);
    String y = normalize(b);
    if (x.isEmpty() || y.isEmpty()) {
      return x.equals(y);
    }
    return x.contains(y) || y.contains(x);
  }

  /** Whether {@code completion} fuzzy-matches any of {@code golds}. */
  public static boolean matchesAny(String completion, List<String> golds) {
    for (String gold : golds) {
      if (matches(completion, gold)) {
        return true;
      }
    }
    return false;
  }

  /** {@code f1_score}: the best bag-of-words F1 (with multiplicity) against any gold. */
  public static double tokenF1(String prediction, List<String> golds) {
    List<String> predictionTokens = PythonText.split(normalize(prediction));
    double best = 0.0;
    for (String gold : golds) {
      List<String> goldTokens = PythonText.split(normalize(gold));
      best =
          Math.max(
              best,
              TokenBags.f1(
                  TokenBags.multisetOverlap(predictionTokens, goldTokens),
                  predictionTokens.size(),
                  goldTokens.size()));
    }
    return best;
  }
}
