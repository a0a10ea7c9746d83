package io.leadline.engine;

import static org.apache.spark.sql.functions.col;

import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.JudgeTemplate;
import io.leadline.benchmarks.Judging;
import io.leadline.benchmarks.Setting;
import io.leadline.records.AgreementRow;
import io.leadline.scoring.Agreement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code agreement.json}: where two or more judges graded the same samples, how far they agree on
 * each field of the template — Krippendorff's alpha (ordinal metric) and the share of samples whose
 * grades differ by more than two points for a scale, Cohen's kappa (Light's mean of every pair's
 * kappa for three judges or more) for categories. The judges' grades are few (one reply per sample
 * and judge), so they are gathered on the driver.
 */
final class Agreements {
  private Agreements() {}

  static List<AgreementRow> rows(Dataset<Row> items, Map<String, Setting> settings) {
    Set<String> judged = new HashSet<>();
    for (Setting setting : settings.values()) {
      for (BenchmarkSetting resolved : setting.perBenchmark().values()) {
        if (resolved.judging().map(j -> j.judges().size() > 1).orElse(false)) {
          judged.add(resolved.benchmark().name());
        }
      }
    }
    if (judged.isEmpty()) {
      return List.of();
    }
    List<Row> rows =
        items
            .filter(col("error").isNull().and(col("benchmark").isin(judged.toArray())))
            .select(
                "model",
                "benchmark",
                "subset",
                "setting",
                "setting_hash",
                "perturbation",
                "example_index",
                "samples")
            .orderBy("model", "benchmark", "subset", "setting", "perturbation", "example_index")
            .collectAsList();
    Map<List<String>, List<Row>> groups = new LinkedHashMap<>();
    for (Row row : rows) {
      List<String> key = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        key.add(row.isNullAt(i) ? null : row.getString(i));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    List<AgreementRow> out = new ArrayList<>();
    for (Map.Entry<List<String>, List<Row>> group : groups.entrySet()) {
      List<String> key = group.getKey();
      Optional<Judging> judging =
          settings
              .get(io.leadline.benchmarks.BenchmarkSetting.asked(key.get(3)))
              .of(key.get(1))
              .judging();
      if (judging.isEmpty() || judging.get().judges().size() < 2) {
        continue;
      }
      List<String> judges = judging.get().judges();
      JudgeTemplate template = judging.get().template();
      // One unit per sample: each judge's grades of it, by field.
      List<List<Map<String, String>>> units = new ArrayList<>();
      for (Row item : group.getValue()) {
        for (Row sample : item.<Row>getList(item.fieldIndex("samples"))) {
          int at = sample.fieldIndex("judgements");
          List<Map<String, String>> grades = new ArrayList<>();
          for (int j = 0; j < judges.size(); j++) {
            grades.add(Map.of());
          }
          if (!sample.isNullAt(at)) {
            for (Row judgement : sample.<Row>getList(at)) {
              int j = judges.indexOf(judgement.getString(0));
              if (j >= 0) {
                grades.set(j, judgement.getJavaMap(2));
              }
            }
          }
          units.add(grades);
        }
      }
      for (JudgeTemplate.Field field : template.fields().values()) {
        out.add(row(key, template, field, judges, units));
      }
    }
    out.sort(AgreementRow.ORDER);
    return out;
  }

  private static AgreementRow row(
      List<String> key,
      JudgeTemplate template,
      JudgeTemplate.Field field,
      List<String> judges,
      List<List<Map<String, String>>> units) {
    String statistic;
    OptionalDouble value;
    OptionalDouble disagree = OptionalDouble.empty();
    long pairable;
    if (field.ordinal()) {
      double[][] data = new double[units.size()][judges.size()];
      for (int u = 0; u < units.size(); u++) {
        for (int j = 0; j < judges.size(); j++) {
          String grade = units.get(u).get(j).get(field.name());
          data[u][j] = grade == null ? Double.NaN : Double.parseDouble(grade);
        }
      }
      statistic = "krippendorff-alpha-ordinal";
      value = Agreement.krippendorffAlpha(data, Agreement.Level.ORDINAL);
      disagree =
          Agreement.shareDisagreeingBy(
              data,
              AgreementRow.DISAGREE_SCALE * (field.high().getAsLong() - field.low().getAsLong()));
      pairable = Agreement.pairableUnits(data);
    } else {
      statistic = judges.size() == 2 ? "cohen-kappa" : "light-kappa";
      double sum = 0;
      int defined = 0;
      for (int a = 0; a < judges.size(); a++) {
        for (int b = a + 1; b < judges.size(); b++) {
          List<String> first = new ArrayList<>();
          List<String> second = new ArrayList<>();
          for (List<Map<String, String>> unit : units) {
            first.add(unit.get(a).get(field.name()));
            second.add(unit.get(b).get(field.name()));
          }
          OptionalDouble kappa = Agreement.cohenKappa(first, second);
          if (kappa.isPresent()) {
            sum += kappa.getAsDouble();
            defined++;
          }
        }
      }
      value = defined == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / defined);
      pairable =
          units.stream()
              .filter(u -> u.stream().filter(g -> g.containsKey(field.name())).count() >= 2)
              .count();
    }
    return new AgreementRow(
        key.get(0),
        key.get(1),
        Optional.ofNullable(key.get(2)),
        key.get(3),
        key.get(4),
        Optional.ofNullable(key.get(5)),
        template.name(),
        field.name(),
        judges,
        statistic,
        value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty(),
        pairable,
        disagree.isPresent() ? Optional.of(disagree.getAsDouble()) : Optional.empty());
  }
}
