package io.leadline.scoring;

import io.leadline.api.Metric;
import java.util.List;

/**
 * TriviaQA scoring: the official metric of mandarjoshi90/triviaqa ({@code
 * evaluation/triviaqa_evaluation.py}: normalisation, exact match and token F1, each the maximum
 * over the answer's aliases), and GPT-Fathom's fuzzy match.
 */
public final class TriviaQa {
  /** Official exact match, max over aliases. */
  public static final Metric<List<String>> OFFICIAL_EM =
      Conventions.metric(
          "triviaqa/official-em",
          "mandarjoshi90/triviaqa metric_max_over_ground_truths(exact_match_score)",
          TriviaQa::exactMatch);

  /** Official token F1, max over aliases. */
  public static final Metric<List<String>> OFFICIAL_F1 =
      Conventions.metric(
          "triviaqa/official-f1",
          "mandarjoshi90/triviaqa metric_max_over_ground_truths(f1_score)",
          TriviaQa::f1);

  /** GPT-Fathom: any alias fuzzy-matches the whole completion. */
  public static final Metric<List<String>> GPT_FATHOM_FUZZY_MATCH =
      Conventions.metric(
          "triviaqa/gpt-fathom-fuzzy-match",
          "GPT-Fathom fuzzy_match (openai/evals utils): normalised substring in either direction,"
              + " any gold",
          (completion, golds) -> FuzzyMatch.matchesAny(completion, golds) ? 1.0 : 0.0);

  private TriviaQa() {}

  /**
   * {@code normalize_answer}: underscores to spaces, lower-case, ASCII punctuation and ‘ ’ ´ to
   * spaces, articles to spaces, whitespace collapsed.
   */
  public static String normalize(String text) {
    String lower = PythonText.lower(text);
    char[] chars = lower.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (PythonText.isAsciiPunctuation(c) || c == '\u2018' || c == '\u2019' || c == '\u00b4') {
        chars[i] = ' ';
      }
    }
    return PythonText.collapseWhitespace(PythonText.replaceArticles(new String(chars)));
  }

  /** 1.0 if the normalised prediction equals any normalised alias, else 0.0. */
  public static double exactMatch(String prediction, List<String> aliases) {
    String normalized = normalize(prediction);
    for (String alias : aliases) {
      if (normalize(alias).equals(normalized)) {
        return 1.0;
      }
    }
    return 0.0;
  }

  /** The best token F1 of the prediction against any alias (0.0 with no aliases). */
  public static double f1(String prediction, List<String> aliases) {
    List<String> predictionTokens = PythonText.split(normalize(prediction));
    double best = 0.0;
    for (String alias : aliases) {
      best = Math.max(best, f1Tokens(predictionTokens, PythonText.split(normalize(alias))));
    }
    return best;
  }

  /** Exact match and F1 in one pass over the normalised aliases, for bulk scoring. */
  public static Scores score(String prediction, List<String> aliases) {
    String normalized = normalize(prediction);
    List<String> predictionTokens = PythonText.split(normalized);
    double em = 0.0;
    double f1 = 0.0;
    for (String alias : aliases) {
      String normalizedAlias = normalize(alias);
      if (normalizedAlias.equals(normalized)) {
        em = 1.0;
      }
      f1 = Math.max(f1, f1Tokens(predictionTokens, PythonText.split(normalizedAlias)));
    }
    return new Scores(em, f1);
  }

  private static double f1Tokens(List<String> prediction, List<String> gold) {
    return TokenBags.f1(
        TokenBags.multisetOverlap(prediction, gold), prediction.size(), gold.size());
  }

  /** Official exact match and F1 of one prediction. */
  public record Scores(double em, double f1) {}
}
