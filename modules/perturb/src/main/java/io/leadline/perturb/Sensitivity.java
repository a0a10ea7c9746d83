package io.leadline.perturb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import io.leadline.api.Defaults;
import io.leadline.api.LeadlineException;
import io.leadline.api.PrettyJson;
import io.leadline.records.RunFolders;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleColumns;
import io.leadline.scoring.Bootstrap;
import io.leadline.scoring.PairedTests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * {@code leadline sensitivity}: per model, benchmark and perturbation kind, how much the score
 * moves with the prompt's wording and format. A kind is {@code sensitive} when its worst variant's
 * drop from the default is significant (paired test against the default on the same problems,
 * Holm-corrected over the kinds of that model and benchmark) and larger than the default's 95%
 * interval half-width. Scores are means over problems (for MMLU and BBH over all their problems,
 * not the macro mean), intervals percentile bootstraps seeded from the row's name.
 */
public final class Sensitivity {
  /** The columns of {@code samples.parquet} the analysis reads. */
  private static final java.util.Set<String> COLUMNS =
      java.util.Set.of(
          SampleColumns.MODEL,
          SampleColumns.BENCHMARK,
          SampleColumns.SUBSET,
          SampleColumns.SETTING,
          SampleColumns.PERTURBATION,
          SampleColumns.EXAMPLE_ID,
          SampleColumns.SAMPLE_INDEX,
          SampleColumns.ERROR,
          SampleColumns.PROBLEM_SCORES);

  static final double ALPHA = Defaults.ALPHA;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Sensitivity() {}

  /** A score with its 95% interval over {@code n} problems. */
  public record Score(double score, double ciLow, double ciHigh, int n) {}

  /** One variant's score. */
  public record VariantScore(String variant, Score score) {}

  /** One perturbation kind of one model and benchmark. */
  public record KindResult(
      String perturbation,
      List<VariantScore> variants,
      double range,
      double std,
      double worstDrop,
      double consistency,
      double flipRate,
      double pValue,
      double pAdjusted,
      boolean sensitive) {
    KindResult adjusted(double p, double halfWidth) {
      return new KindResult(
          perturbation,
          variants,
          range,
          std,
          worstDrop,
          consistency,
          flipRate,
          pValue,
          p,
          p < ALPHA && worstDrop > halfWidth);
    }
  }

  /**
   * The report of one model on one benchmark.
   *
   * @param memorisationRate under changed numbers, the share of answers that are the original
   *     question's answer; empty without that perturbation
   */
  public record Report(
      String model,
      String benchmark,
      Score defaults,
      List<KindResult> perturbations,
      boolean sensitive,
      OptionalDouble memorisationRate) {}

  /**
   * The observations of {@code run} under one setting: each request's first sample that did not
   * fail, at the primary metric of its setting (the memorisation rate under changed numbers).
   *
   * @param setting the setting to take; empty for the run's first
   * @throws LeadlineException if the run has no such setting, or no perturbed prompts
   */
  public static List<Observation> observations(RunFolders.Run run, Optional<String> setting) {
    RunManifest manifest = run.manifest();
    List<String> settings = manifest.settingNames();
    String chosen = setting.orElse(settings.isEmpty() ? "" : settings.get(0));
    if (!settings.contains(chosen)) {
      throw LeadlineException.userInput(
          "--setting: no setting '%s' in %s; it has %s",
          chosen, run.location(), String.join(", ", settings));
    }
    List<Observation> observations = new ArrayList<>();
    boolean[] perturbed = {false};
    run.forEachSample(
        COLUMNS,
        sample ->
            sample.setting().equals(chosen)
                && sample.sampleIndex() == 0
                && sample.error().isEmpty(),
        sample -> {
          perturbed[0] |= sample.perturbation().isPresent();
          // Under changed numbers an item has one value, memorisation, in place of the primary
          // metric.
          Optional<String> metric =
              sample.perturbation().filter(p -> p.startsWith(Kind.NUMBERS.id() + ":")).isPresent()
                  ? sample.problemScores().keySet().stream().findFirst()
                  : manifest
                      .setting(chosen, sample.benchmark())
                      .map(RunManifest.SettingBenchmark::primaryMetric);
          Double value = metric.map(m -> sample.problemScores().get(m)).orElse(null);
          if (value != null) {
            observations.add(
                new Observation(
                    sample.model(),
                    sample.benchmark(),
                    sample.subset().map(s -> s + "/").orElse("") + sample.exampleId(),
                    sample.perturbation(),
                    value));
          }
        });
    if (!perturbed[0]) {
      throw LeadlineException.userInput(
          "RUN: %s has no perturbed prompts; sweep with --perturbations first", run.location());
    }
    return observations;
  }

  /** The reports of every (model, benchmark) that has default observations, in name order. */
  public static List<Report> analyse(List<Observation> observations) {
    Map<String, Map<String, Map<String, Double>>> byModelBenchmark = new TreeMap<>();
    for (Observation o : observations) {
      byModelBenchmark
          .computeIfAbsent(o.model() + "\u0000" + o.benchmark(), k -> new TreeMap<>())
          .computeIfAbsent(o.perturbation().orElse(""), k -> new TreeMap<>())
          .put(o.item(), o.value());
    }
    List<Report> reports = new ArrayList<>();
    for (Map.Entry<String, Map<String, Map<String, Double>>> entry : byModelBenchmark.entrySet()) {
      String[] names = entry.getKey().split("\u0000");
      Map<String, Map<String, Double>> byVariant = entry.getValue();
      Map<String, Double> defaults = byVariant.get("");
      if (defaults == null) {
        continue;
      }
      Score defaultScore = score(defaults.values(), entry.getKey() + "|default");
      double halfWidth = (defaultScore.ciHigh() - defaultScore.ciLow()) / 2;
      Map<String, Map<String, Map<String, Double>>> byKind = new TreeMap<>();
      List<Double> memorised = new ArrayList<>();
      for (Map.Entry<String, Map<String, Double>> variant : byVariant.entrySet()) {
        if (variant.getKey().isEmpty()) {
          continue;
        }
        String kind = variant.getKey().substring(0, variant.getKey().indexOf(':'));
        if (kind.equals(Kind.NUMBERS.id())) {
          memorised.addAll(variant.getValue().values());
          continue;
        }
        byKind
            .computeIfAbsent(kind, k -> new TreeMap<>())
            .put(variant.getKey(), variant.getValue());
      }
      List<KindResult> kinds = new ArrayList<>();
      for (Map.Entry<String, Map<String, Map<String, Double>>> kind : byKind.entrySet()) {
        kinds.add(kind(entry.getKey(), kind.getKey(), defaults, defaultScore, kind.getValue()));
      }
      double[] adjusted =
          PairedTests.holm(kinds.stream().mapToDouble(KindResult::pValue).toArray());
      List<KindResult> results = new ArrayList<>();
      for (int i = 0; i < kinds.size(); i++) {
        results.add(kinds.get(i).adjusted(adjusted[i], halfWidth));
      }
      reports.add(
          new Report(
              names[0],
              names[1],
              defaultScore,
              ImmutableList.copyOf(results),
              results.stream().anyMatch(KindResult::sensitive),
              memorised.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(mean(memorised))));
    }
    return reports;
  }

  private static KindResult kind(
      String where,
      String kind,
      Map<String, Double> defaults,
      Score defaultScore,
      Map<String, Map<String, Double>> variants) {
    List<VariantScore> scores = new ArrayList<>();
    List<Double> all = new ArrayList<>(List.of(defaultScore.score()));
    String worst = null;
    double worstScore = Double.POSITIVE_INFINITY;
    double flips = 0;
    Map<String, Boolean> consistent = new LinkedHashMap<>();
    defaults.forEach((item, value) -> consistent.put(item, true));
    for (Map.Entry<String, Map<String, Double>> variant : variants.entrySet()) {
      Score score = score(variant.getValue().values(), where + "|" + variant.getKey());
      scores.add(new VariantScore(variant.getKey(), score));
      all.add(score.score());
      if (score.score() < worstScore) {
        worstScore = score.score();
        worst = variant.getKey();
      }
      int paired = 0;
      int flipped = 0;
      for (Map.Entry<String, Double> item : defaults.entrySet()) {
        Double other = variant.getValue().get(item.getKey());
        if (other == null) {
          consistent.remove(item.getKey());
          continue;
        }
        paired++;
        if ((other >= 0.5) != (item.getValue() >= 0.5)) {
          flipped++;
          consistent.put(item.getKey(), false);
        }
      }
      flips += paired == 0 ? 0 : (double) flipped / paired;
    }
    double mean = mean(all);
    double squares = 0;
    for (double score : all) {
      squares += (score - mean) * (score - mean);
    }
    double max = all.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double min = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    return new KindResult(
        kind,
        scores,
        max - min,
        Math.sqrt(squares / all.size()),
        defaultScore.score() - worstScore,
        consistent.isEmpty()
            ? 1.0
            : consistent.values().stream().filter(Boolean::booleanValue).count()
                / (double) consistent.size(),
        flips / variants.size(),
        pairedTest(defaults, variants.get(worst), where + "|" + worst),
        1.0,
        false);
  }

  /** McNemar where every value is 0 or 1, else the sign-flip permutation test. */
  private static double pairedTest(Map<String, Double> a, Map<String, Double> b, String what) {
    List<double[]> pairs = new ArrayList<>();
    a.forEach(
        (item, value) -> {
          Double other = b.get(item);
          if (other != null) {
            pairs.add(new double[] {value, other});
          }
        });
    boolean binary =
        pairs.stream().allMatch(p -> (p[0] == 0 || p[0] == 1) && (p[1] == 0 || p[1] == 1));
    if (binary) {
      int onlyA = 0;
      int onlyB = 0;
      for (double[] p : pairs) {
        onlyA += p[0] == 1 && p[1] == 0 ? 1 : 0;
        onlyB += p[0] == 0 && p[1] == 1 ? 1 : 0;
      }
      return PairedTests.mcnemarExact(onlyA, onlyB);
    }
    double[] d = pairs.stream().mapToDouble(p -> p[1] - p[0]).toArray();
    return PairedTests.signFlip(d, Bootstrap.seed(what), Defaults.PERMUTATIONS);
  }

  private static Score score(java.util.Collection<Double> values, String what) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    double mean = Bootstrap.mean(v);
    double[] interval =
        Bootstrap.interval95(
            Bootstrap.replicates(v, Bootstrap.seed(what), Defaults.SENSITIVITY_RESAMPLES));
    return new Score(mean, Math.min(interval[0], mean), Math.max(interval[1], mean), v.length);
  }

  private static double mean(List<Double> values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.size();
  }

  /** The JSON contract of {@code leadline sensitivity --format json}. */
  public static String toJson(List<Report> reports) {
    ArrayNode root = MAPPER.createArrayNode();
    for (Report report : reports) {
      ObjectNode node = root.addObject();
      node.put("model", report.model());
      node.put("benchmark", report.benchmark());
      score(node.putObject("default"), report.defaults());
      ArrayNode kinds = node.putArray("perturbations");
      for (KindResult kind : report.perturbations()) {
        ObjectNode k = kinds.addObject();
        k.put("perturbation", kind.perturbation());
        ArrayNode variants = k.putArray("variants");
        for (VariantScore variant : kind.variants()) {
          ObjectNode v = variants.addObject();
          v.put("variant", variant.variant());
          score(v, variant.score());
        }
        k.put("range", kind.range());
        k.put("std", kind.std());
        k.put("worst_drop", kind.worstDrop());
        k.put("consistency", kind.consistency());
        k.put("flip_rate", kind.flipRate());
        k.put("p_value", kind.pValue());
        k.put("p_adjusted", kind.pAdjusted());
        k.put("sensitive", kind.sensitive());
      }
      node.put("sensitive", report.sensitive());
      if (report.memorisationRate().isPresent()) {
        node.put("memorisation_rate", report.memorisationRate().getAsDouble());
      } else {
        node.putNull("memorisation_rate");
      }
    }
    return PrettyJson.write(root);
  }

  private static void score(ObjectNode node, Score score) {
    node.put("score", score.score());
    node.put("ci_low", score.ciLow());
    node.put("ci_high", score.ciHigh());
    node.put("n", score.n());
  }

  /** A Markdown table per model and benchmark. */
  public static String toMarkdown(List<Report> reports) {
    StringBuilder md = new StringBuilder("# Prompt sensitivity\n");
    for (Report report : reports) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n## %s, %s: default %.1f [%.1f, %.1f]%s%s%n%n",
              report.model(),
              report.benchmark(),
              report.defaults().score() * 100,
              report.defaults().ciLow() * 100,
              report.defaults().ciHigh() * 100,
              report.sensitive() ? " — **sensitive**" : "",
              report.memorisationRate().isPresent()
                  ? String.format(
                      Locale.ROOT,
                      "; memorisation under changed numbers %.1f%%",
                      report.memorisationRate().getAsDouble() * 100)
                  : ""));
      md.append(
          "| perturbation | variants (score) | range | std | worst drop | consistency | flip rate"
              + " | p (Holm) | sensitive |\n|---|---|---|---|---|---|---|---|---|\n");
      for (KindResult kind : report.perturbations()) {
        StringBuilder variants = new StringBuilder();
        for (VariantScore variant : kind.variants()) {
          if (variants.length() > 0) {
            variants.append(", ");
          }
          variants.append(
              String.format(
                  Locale.ROOT,
                  "%s %.1f",
                  variant.variant().substring(variant.variant().indexOf(':') + 1),
                  variant.score().score() * 100));
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.1f | %.1f | %+.1f | %.2f | %.2f | %s | %s |%n",
                kind.perturbation(),
                variants,
                kind.range() * 100,
                kind.std() * 100,
                kind.worstDrop() * 100,
                kind.consistency(),
                kind.flipRate(),
                kind.pAdjusted() < 0.001
                    ? "< 0.001"
                    : String.format(Locale.ROOT, "%.3f", kind.pAdjusted()),
                kind.sensitive() ? "**yes**" : "no"));
      }
    }
    return md.toString();
  }
}
