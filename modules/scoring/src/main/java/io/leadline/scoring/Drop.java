package io.leadline.scoring;

import static com.google.common.base.Preconditions.checkArgument;

import io.leadline.api.Metric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DROP scoring: the official number-aware exact match and F1 with multi-span alignment
 * (allenai/allennlp-reading-comprehension {@code drop_eval.py}), openai/simple-evals' variant of it
 * (F1 on a 0–100 scale, string golds only), simple-evals' fuzzy match, and GPT-Fathom's
 * bag-of-words F1.
 *
 * <p>A gold answer is a list of spans; a single-span answer is a one-element list. A question has
 * one or more alternative gold answers, and every metric takes the best over them.
 */
public final class Drop {
  /** Official exact match, max over the alternative gold answers. */
  public static final Metric<List<List<String>>> OFFICIAL_EM =
      Conventions.metric(
          "drop/official-em",
          "allennlp-reading-comprehension drop_eval get_metrics exact match, max over golds",
          (prediction, golds) -> official(prediction, golds).em());

  /** Official F1 (number-aware, aligned spans, rounded to 2 decimals), max over golds. */
  public static final Metric<List<List<String>>> OFFICIAL_F1 =
      Conventions.metric(
          "drop/official-f1",
          "allennlp-reading-comprehension drop_eval get_metrics F1, max over golds",
          (prediction, golds) -> official(prediction, golds).f1());

  /** GPT-Fathom's DROP metric: bag-of-words F1 of the whole completion, max over gold spans. */
  public static final Metric<List<String>> GPT_FATHOM_F1 =
      Conventions.metric(
          "drop/gpt-fathom-f1",
          "GPT-Fathom reading_comprehension f1_score (openai/evals utils): token F1, max over"
              + " gold spans",
          FuzzyMatch::tokenF1);

  private Drop() {}

  /** Exact match and F1 of one prediction. */
  public record Scores(double em, double f1) {}

  /**
   * The official metric as {@code evaluate_json} applies it: golds whose first span is blank after
   * stripping are skipped; the best EM and the best F1 over the rest (each independently), 0 if
   * none remain.
   */
  public static Scores official(String prediction, List<List<String>> golds) {
    Answer predicted = Answer.of(List.of(prediction));
    double em = 0.0;
    double f1 = 0.0;
    for (List<String> gold : golds) {
      checkArgument(!gold.isEmpty(), "a gold answer has no span");
      if (PythonText.strip(gold.get(0)).isEmpty()) {
        continue;
      }
      Scores scores = metrics(predicted, Answer.of(gold), 1.0);
      em = Math.max(em, scores.em());
      f1 = Math.max(f1, scores.f1());
    }
    return new Scores(em, f1);
  }

  /**
   * simple-evals {@code drop_metric}: every gold is one span; blank golds are skipped; F1 is on a
   * 0–100 scale (multiplied before the mean and the rounding).
   *
   * @throws IllegalArgumentException if every gold is blank (the reference raises too)
   */
  public static Scores simpleEvals(String prediction, List<String> golds) {
    Answer predicted = Answer.of(List.of(prediction));
    double em = Double.NEGATIVE_INFINITY;
    double f1 = Double.NEGATIVE_INFINITY;
    for (String gold : golds) {
      if (PythonText.strip(gold).isEmpty()) {
        continue;
      }
      Scores scores = metrics(predicted, Answer.of(List.of(gold)), 100.0);
      em = Math.max(em, scores.em());
      f1 = Math.max(f1, scores.f1());
    }
    checkArgument(em != Double.NEGATIVE_INFINITY, "every gold answer is blank");
    return new Scores(em, f1);
  }

  /** {@code _normalize_answer}: per space- or hyphen-separated token; see the class notes. */
  public static String normalizeAnswer(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    int length = text.length();
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || text.charAt(i) == ' ' || text.charAt(i) == '-') {
        if (i > start) {
          String part = normalizeToken(text.substring(start, i));
          if (!part.isEmpty()) {
            if (out.length() > 0) {
              out.append(' ');
            }
            out.append(part);
          }
        }
        start = i + 1;
      }
    }
    return out.toString();
  }

  /**
   * One token: lower-case; if not a Python float, ASCII punctuation deleted; if (now) a float, its
   * Python repr; articles to spaces; whitespace collapsed.
   */
  private static String normalizeToken(String token) {
    String lower = PythonText.lower(token);
    String text;
    if (mayBeFloat(lower) && PythonFloat.isFloat(lower)) {
      text = PythonFloat.reprOf(lower);
    } else {
      text = removeAsciiPunctuation(lower);
      if (mayBeFloat(text)) {
        String repr = PythonFloat.reprOf(text);
        if (repr != null) {
          text = repr;
        }
      }
    }
    return PythonText.collapseWhitespace(PythonText.replaceArticles(text));
  }

  /** A cheap filter: Python floats contain a digit or spell inf/nan. */
  private static boolean mayBeFloat(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= '0' && c <= '9') || c == 'i' || c == 'n' || c >= 0x80) {
        return true;
      }
    }
    return false;
  }

  private static String removeAsciiPunctuation(String text) {
    int length = text.length();
    int i = 0;
    while (i < length && !PythonText.isAsciiPunctuation(text.charAt(i))) {
      i++;
    }
    if (i == length) {
      return text;
    }
    StringBuilder out = new StringBuilder(length);
    out.append(text, 0, i);
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (!PythonText.isAsciiPunctuation(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** An answer's normalised spans and the token set of each. */
  private record Answer(List<String> spans, List<Set<String>> bags) {
    static Answer of(List<String> rawSpans) {
      List<String> spans = new ArrayList<>(rawSpans.size());
      List<Set<String>> bags = new ArrayList<>(rawSpans.size());
      for (String raw : rawSpans) {
        String normalized = normalizeAnswer(raw);
        spans.add(normalized);
        bags.add(new HashSet<>(PythonText.split(normalized)));
      }
      return new Answer(spans, bags);
    }
  }

  /**
   * {@code get_metrics} for one gold answer; {@code scale} is 1 (official) or 100 (simple-evals).
   */
  private static Scores metrics(Answer predicted, Answer gold, double scale) {
    double em =
        predicted.spans().size() == gold.spans().size()
                && new HashSet<>(predicted.spans()).equals(new HashSet<>(gold.spans()))
            ? 1.0
            : 0.0;
    double[] perGold = alignBags(predicted.bags(), gold.bags(), scale);
    double mean = NumPy.pairwiseSum(perGold) / perGold.length;
    return new Scores(em, NumPy.round(mean, 2));
  }

  /**
   * {@code _align_bags}: the F1 of every (gold, predicted) pair, zero where the gold has numbers
   * and none is shared; the best one-to-one assignment; each gold's assigned score, padded with
   * zeros to {@code max(#gold, #predicted)} entries.
   */
  private static double[] alignBags(
      List<Set<String>> predicted, List<Set<String>> gold, double scale) {
    int rows = gold.size();
    int columns = predicted.size();
    double[][] scores = new double[rows][columns];
    for (int g = 0; g < rows; g++) {
      for (int p = 0; p < columns; p++) {
        if (numbersMatchIfPresent(gold.get(g), predicted.get(p))) {
          scores[g][p] = bagF1(predicted.get(p), gold.get(g)) * scale;
        }
      }
    }
    int[] assignment = Assignment.maximize(scores);
    double[] perGold = new double[Math.max(rows, columns)];
    for (int g = 0; g < rows; g++) {
      if (assignment[g] >= 0) {
        perGold[g] = Math.max(perGold[g], scores[g][assignment[g]]);
      }
    }
    return perGold;
  }

  /** {@code _compute_f1} on token sets: an empty side counts as precision or recall 1. */
  private static double bagF1(Set<String> predicted, Set<String> gold) {
    int intersection = 0;
    for (String token : gold) {
      if (predicted.contains(token)) {
        intersection++;
      }
    }
    double precision = predicted.isEmpty() ? 1.0 : intersection / (double) predicted.size();
    double recall = gold.isEmpty() ? 1.0 : intersection / (double) gold.size();
    if (precision == 0.0 && recall == 0.0) {
      return 0.0;
    }
    return (2 * precision * recall) / (precision + recall);
  }

  /** {@code _match_numbers_if_present}: true if the gold has no number or shares one. */
  private static boolean numbersMatchIfPresent(Set<String> gold, Set<String> predicted) {
    boolean goldHasNumber = false;
    for (String word : gold) {
      if (mayBeFloat(word) && PythonFloat.isFloat(word)) {
        goldHasNumber = true;
        if (predicted.contains(word)) {
          return true;
        }
      }
    }
    return !goldHasNumber;
  }

  /**
   * {@code answer_json_to_strings} of the DROP release: a number, else the spans, else the date as
   * {@code "day month year"} (not stripped, as in the official code).
   *
   * @throws IllegalArgumentException if the object has none of them
   */
  public static List<String> answerJsonToStrings(
      String number, List<String> spans, String day, String month, String year) {
    if (number != null && !number.isEmpty()) {
      return List.of(number);
    }
    if (spans != null && !spans.isEmpty()) {
      return List.copyOf(spans);
    }
    checkArgument(
        day != null && month != null && year != null, "answer has no number, spans or date");
    return List.of(day + " " + month + " " + year);
  }
}
