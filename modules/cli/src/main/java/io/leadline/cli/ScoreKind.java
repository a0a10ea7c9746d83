package io.leadline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.Extraction;
import io.leadline.scoring.Bbh;
import io.leadline.scoring.Drop;
import io.leadline.scoring.FuzzyMatch;
import io.leadline.scoring.Gsm8k;
import io.leadline.scoring.MathAnswers;
import io.leadline.scoring.Mmlu;
import io.leadline.scoring.PassAtK;
import io.leadline.scoring.PythonText;
import io.leadline.scoring.TriviaQa;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kinds {@code leadline score} reads, one per golden file. Each reads its inputs from a row
 * ({@link #parse}), computes every convention's values ({@link #compute}) and adds them to the row
 * under the golden file's {@code expected_*} names without the prefix ({@link #write}). Fields
 * prefixed {@code gpt_fathom} extend the golden format with GPT-Fathom's convention.
 */
enum ScoreKind {
  PASSK {
    @Override
    Object parse(ObjectNode row) {
      int n = Rows.integer(row, "n", 0);
      int c = Rows.integer(row, "c", 0);
      int k = Rows.integer(row, "k", 0);
      if (c > n) {
        throw new Rows.BadField("c", "at most n=" + n + ", found " + c);
      }
      return new int[] {n, c, k};
    }

    @Override
    Object compute(Object input) {
      int[] nck = (int[]) input;
      return PassAtK.referenceEstimate(nck[0], nck[1], nck[2]);
    }

    @Override
    void write(Object result, ObjectNode row) {
      row.put("pass_at_k", (Double) result);
    }
  },

  DROP {
    @Override
    Object parse(ObjectNode row) {
      String prediction = Rows.string(row, "prediction");
      JsonNode golds = row.get("golds");
      if (golds == null || !golds.isArray() || golds.isEmpty()) {
        throw new Rows.BadField("golds", "a non-empty list of strings or lists of strings");
      }
      List<List<String>> answers = new ArrayList<>(golds.size());
      boolean allStrings = true;
      for (JsonNode gold : golds) {
        if (gold.isTextual()) {
          answers.add(List.of(gold.textValue()));
        } else if (gold.isArray() && !gold.isEmpty()) {
          allStrings = false;
          List<String> spans = new ArrayList<>(gold.size());
          for (JsonNode span : gold) {
            if (!span.isTextual()) {
              throw new Rows.BadField("golds", "spans that are strings, found " + span);
            }
            spans.add(span.textValue());
          }
          answers.add(spans);
        } else {
          throw new Rows.BadField("golds", "each gold a string or a non-empty list, found " + gold);
        }
      }
      return new DropInput(prediction, answers, allStrings);
    }

    @Override
    Object compute(Object input) {
      DropInput drop = (DropInput) input;
      Drop.Scores official = Drop.official(drop.prediction(), drop.golds());
      Drop.Scores simpleEvals = null;
      Boolean fuzzy = null;
      List<String> spans = drop.golds().stream().map(gold -> gold.get(0)).toList();
      if (drop.allStrings()) {
        fuzzy = FuzzyMatch.matchesAny(drop.prediction(), spans);
        boolean anyNonBlank = spans.stream().anyMatch(span -> !PythonText.strip(span).isEmpty());
        if (anyNonBlank) {
          simpleEvals = Drop.simpleEvals(drop.prediction(), spans);
        }
      }
      List<String> allSpans = drop.golds().stream().flatMap(List::stream).toList();
      double gptFathom = Drop.GPT_FATHOM_F1.score(drop.prediction(), allSpans);
      return new DropResult(official, simpleEvals, fuzzy, gptFathom);
    }

    @Override
    void write(Object result, ObjectNode row) {
      DropResult drop = (DropResult) result;
      row.put("em", drop.official().em());
      row.put("f1", drop.official().f1());
      row.put("em_simple_evals", drop.simpleEvals() == null ? null : drop.simpleEvals().em());
      row.put("f1_simple_evals", drop.simpleEvals() == null ? null : drop.simpleEvals().f1());
      row.put("fuzzy_match_simple_evals", drop.fuzzy());
      row.put("f1_gpt_fathom", drop.gptFathomF1());
    }
  },

  TRIVIAQA {
    @Override
    Object parse(ObjectNode row) {
      return new TriviaQaInput(Rows.string(row, "prediction"), Rows.strings(row, "aliases"));
    }

    @Override
    Object compute(Object input) {
      TriviaQaInput trivia = (TriviaQaInput) input;
      return new TriviaQaResult(
          TriviaQa.score(trivia.prediction(), trivia.aliases()),
          TriviaQa.normalize(trivia.prediction()),
          trivia.aliases().stream().map(TriviaQa::normalize).toList(),
          FuzzyMatch.matchesAny(trivia.prediction(), trivia.aliases()));
    }

    @Override
    void write(Object result, ObjectNode row) {
      TriviaQaResult trivia = (TriviaQaResult) result;
      row.put("em", trivia.scores().em());
      row.put("f1", trivia.scores().f1());
      row.put("normalized_prediction", trivia.normalizedPrediction());
      trivia.normalizedAliases().forEach(row.putArray("normalized_aliases")::add);
      row.put("fuzzy_match_gpt_fathom", trivia.fuzzyMatch());
    }
  },

  GSM8K {
    @Override
    Object parse(ObjectNode row) {
      return new Completion(Rows.string(row, "completion"), Rows.string(row, "gold_answer_field"));
    }

    @Override
    Object compute(Object input) {
      String completion = ((Completion) input).completion();
      String answerField = ((Completion) input).gold();
      String strict = Gsm8k.LM_EVAL_STRICT.extract(completion).orElse(Gsm8k.INVALID);
      String flexible = Gsm8k.LM_EVAL_FLEXIBLE.extract(completion).orElse(Gsm8k.INVALID);
      Boolean gptFathomCorrect =
          answerField.contains("####") ? Gsm8k.isGptFathomCorrect(completion, answerField) : null;
      return new Gsm8kResult(
          strict,
          flexible,
          Gsm8k.lmEvalNormalize(answerField),
          Gsm8k.lmEvalNormalize(strict),
          Gsm8k.lmEvalNormalize(flexible),
          Gsm8k.openAiGold(answerField),
          Gsm8k.GPT_FATHOM.extract(completion),
          gptFathomCorrect);
    }

    @Override
    void write(Object result, ObjectNode row) {
      Gsm8kResult gsm = (Gsm8kResult) result;
      row.put("strict", gsm.strict());
      row.put("flexible", gsm.flexible());
      row.put("gold", gsm.gold());
      row.put("strict_normalized", gsm.strictNormalized());
      row.put("flexible_normalized", gsm.flexibleNormalized());
      row.put("strict_correct", gsm.strictNormalized().equals(gsm.gold()) ? 1.0 : 0.0);
      row.put("flexible_correct", gsm.flexibleNormalized().equals(gsm.gold()) ? 1.0 : 0.0);
      row.put("gold_openai_extract", gsm.openAiGold());
      putExtraction(row, "gpt_fathom", gsm.gptFathom());
      row.put("gpt_fathom_correct", gsm.gptFathomCorrect());
    }
  },

  BBH {
    @Override
    Object parse(ObjectNode row) {
      return Completion.withTarget(row);
    }

    @Override
    Object compute(Object input) {
      String completion = ((Completion) input).completion();
      String target = ((Completion) input).gold();
      String extracted = Bbh.LM_EVAL.extract(completion).orElse(INVALID);
      String cut = Bbh.applyStopSequences(completion, Bbh.LM_EVAL_STOP_SEQUENCES);
      return new BbhResult(
          target,
          extracted,
          Bbh.LM_EVAL.extract(cut).orElse(INVALID),
          Bbh.GPT_FATHOM_COT.extract(completion),
          Bbh.isGptFathomCorrect(completion, target, Bbh.GPT_FATHOM_COT));
    }

    @Override
    void write(Object result, ObjectNode row) {
      BbhResult bbh = (BbhResult) result;
      boolean correct = bbh.extracted().equals(bbh.target());
      row.put("extracted", bbh.extracted());
      row.put("correct", correct);
      row.put("exact_match", correct ? 1.0 : 0.0);
      row.put("extracted_after_stop_sequences", bbh.extractedAfterStop());
      row.put("correct_after_stop_sequences", bbh.extractedAfterStop().equals(bbh.target()));
      putExtraction(row, "gpt_fathom", bbh.gptFathom());
      row.put("gpt_fathom_correct", bbh.gptFathomCorrect());
    }
  },

  MMLU {
    @Override
    Object parse(ObjectNode row) {
      return Completion.withTarget(row);
    }

    @Override
    Object compute(Object input) {
      String completion = ((Completion) input).completion();
      String target = ((Completion) input).gold();
      return new MmluResult(
          target,
          Mmlu.SIMPLE_EVALS.extract(completion),
          Mmlu.SIMPLE_EVALS_MULTICHOICE.extract(completion),
          Mmlu.SIMPLE_EVALS_LEGACY_2024.extract(completion),
          Mmlu.GPT_FATHOM.extract(completion),
          Mmlu.isGptFathomCorrect(completion, target));
    }

    @Override
    void write(Object result, ObjectNode row) {
      MmluResult mmlu = (MmluResult) result;
      putChoice(row, "", mmlu.simpleEvals(), mmlu.target());
      putChoice(row, "_answer_pattern_multichoice", mmlu.multichoice(), mmlu.target());
      putChoice(row, "_legacy_2024", mmlu.legacy(), mmlu.target());
      putExtraction(row, "gpt_fathom", mmlu.gptFathom());
      row.put("gpt_fathom_correct", mmlu.gptFathomCorrect());
    }
  },

  /** MATH's golden file already holds GPT-Fathom's verdict, as {@code gptfathom_*}. */
  MATH {
    @Override
    Object parse(ObjectNode row) {
      return new Completion(Rows.string(row, "completion"), Rows.string(row, "gold_answer"));
    }

    @Override
    Object compute(Object input) {
      String completion = ((Completion) input).completion();
      String gold = ((Completion) input).gold();
      String prediction = MathAnswers.LAST_BOXED.extract(completion).answer().orElse(null);
      String sampled = MathAnswers.gptFathomSampled(completion, gold);
      return new MathResult(
          MathAnswers.lastBoxedOnlyString(completion).orElse(null),
          prediction,
          MathAnswers.isEquiv(prediction, gold),
          strip(prediction),
          strip(gold),
          sampled.startsWith(gold),
          sampled);
    }

    @Override
    void write(Object result, ObjectNode row) {
      MathResult math = (MathResult) result;
      row.put("last_boxed_only_string", math.lastBoxed());
      row.put("prediction", math.prediction());
      row.put("is_equiv", math.equivalent());
      putStripped(row, "strip_prediction", math.strippedPrediction());
      putStripped(row, "strip_gold", math.strippedGold());
      row.put("gptfathom_correct", math.gptFathomCorrect());
      row.put("gptfathom_sampled", math.gptFathomSampled());
    }

    /** {@code _strip_string}'s text, the name of the exception it raises, or null for no input. */
    private Stripped strip(String text) {
      if (text == null) {
        return null;
      }
      try {
        return new Stripped(MathAnswers.stripString(text), null);
      } catch (MathAnswers.StripError e) {
        return new Stripped(null, e.pythonException());
      }
    }

    /** As the golden file writes it: the text, {@code {"exception": "IndexError"}}, or null. */
    private void putStripped(ObjectNode row, String field, Stripped stripped) {
      if (stripped == null) {
        row.putNull(field);
      } else if (stripped.exception() != null) {
        row.putObject(field).put("exception", stripped.exception());
      } else {
        row.put(field, stripped.text());
      }
    }
  };

  private static final String INVALID = "[invalid]";

  /** Reads and validates this kind's input fields from a row. */
  abstract Object parse(ObjectNode row);

  /** Computes every convention's values from parsed input; pure and deterministic. */
  abstract Object compute(Object input);

  /** Adds the computed values to the row. */
  abstract void write(Object result, ObjectNode row);

  /** The name used on the command line and for the golden file. */
  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The extracted text, or JSON null with {@code <field>_reason} saying why there is none. */
  private static void putExtraction(ObjectNode row, String field, Extraction extraction) {
    if (extraction instanceof Extraction.NoAnswer none) {
      row.putNull(field);
      row.put(field + "_no_answer", none.reason());
    } else {
      row.put(field, extraction.orElse(""));
    }
  }

  private static void putChoice(
      ObjectNode row, String suffix, Extraction extraction, String target) {
    String extracted = extraction.answer().orElse(null);
    if (extracted == null) {
      row.putNull("extracted" + suffix);
    } else {
      row.put("extracted" + suffix, extracted);
    }
    row.put("correct" + suffix, target.equals(extracted));
  }

  /** A completion and the gold it is scored against (an answer field or a target). */
  record Completion(String completion, String gold) {
    static Completion withTarget(ObjectNode row) {
      return new Completion(Rows.string(row, "completion"), Rows.string(row, "target"));
    }
  }

  record DropInput(String prediction, List<List<String>> golds, boolean allStrings) {}

  record DropResult(
      Drop.Scores official, Drop.Scores simpleEvals, Boolean fuzzy, double gptFathomF1) {}

  record TriviaQaInput(String prediction, List<String> aliases) {}

  record TriviaQaResult(
      TriviaQa.Scores scores,
      String normalizedPrediction,
      List<String> normalizedAliases,
      boolean fuzzyMatch) {}

  record Gsm8kResult(
      String strict,
      String flexible,
      String gold,
      String strictNormalized,
      String flexibleNormalized,
      String openAiGold,
      Extraction gptFathom,
      Boolean gptFathomCorrect) {}

  record BbhResult(
      String target,
      String extracted,
      String extractedAfterStop,
      Extraction gptFathom,
      boolean gptFathomCorrect) {}

  /** {@code _strip_string}'s outcome: {@code text}, or the Python {@code exception} it raised. */
  record Stripped(String text, String exception) {}

  record MathResult(
      String lastBoxed,
      String prediction,
      boolean equivalent,
      Stripped strippedPrediction,
      Stripped strippedGold,
      boolean gptFathomCorrect,
      String gptFathomSampled) {}

  record MmluResult(
      String target,
      Extraction simpleEvals,
      Extraction multichoice,
      Extraction legacy,
      Extraction gptFathom,
      boolean gptFathomCorrect) {}
}
