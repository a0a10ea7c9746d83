package io.leadline.compare;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.LeadlineException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code leadline evolution --by params --contrast S}: a family's scores against size under two
 * settings that differ in one axis, and the gain of the first setting over the contrast at each
 * size, paired over the same items (the same model, the two settings) with the diff's statistics
 * ({@link Diff#compute}), Holm-corrected across every size and benchmark; with the smallest size at
 * which the gain is significant.
 */
public final class Emergence {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Emergence() {}

  /**
   * The axes in which two settings' recorded definitions (per benchmark, the canonical JSON of the
   * manifest) differ, over the benchmarks both define and do not define alike: the top-level keys
   * whose values differ, where a key that another decides is counted with it: the trigger with
   * {@code cot}, the exemplars with {@code shots}.
   */
  public static SortedSet<String> axes(Map<String, String> first, Map<String, String> contrast) {
    SortedSet<String> axes = new TreeSet<>();
    for (Map.Entry<String, String> entry : first.entrySet()) {
      String other = contrast.get(entry.getKey());
      if (other == null) {
        continue;
      }
      JsonNode a = read(entry.getValue());
      JsonNode b = read(other);
      SortedSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      SortedSet<String> differ = new TreeSet<>();
      for (String key : keys) {
        if (!a.path(key).equals(b.path(key))) {
          differ.add(key);
        }
      }
      // Derived keys go with the key that decides them: the trigger is the benchmark's cot_trigger
      // or answer_only_trigger, and the exemplars are those the shots take (none at 0 shots).
      if (differ.contains("cot")) {
        differ.remove("trigger");
      }
      if (differ.contains("shots")) {
        differ.remove("exemplars");
      }
      axes.addAll(differ);
    }
    return axes;
  }

  private static JsonNode read(String canonical) {
    try {
      return MAPPER.readTree(canonical);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a manifest's canonical form is not JSON", e);
    }
  }

  /**
   * The emergence view of {@code sizes} (one side per model, in ascending size, each holding its
   * problems under both settings): per benchmark, each size's score under {@code first} and under
   * {@code contrast}, and the gain of {@code first} over {@code contrast}.
   *
   * @param axis the one axis the settings differ in, for the report
   * @throws LeadlineException if a model lacks one of the settings, or a benchmark's items differ
   *     between them
   */
  public static EmergenceResult compute(
      List<RunSide> sizes, String first, String contrast, String axis) {
    checkArgument(!sizes.isEmpty(), "no models");
    List<DiffResult> gains = new ArrayList<>();
    SortedSet<String> unchanged = new TreeSet<>();
    for (RunSide model : sizes) {
      RunSide withFirst = model.only(first);
      RunSide withContrast = model.only(contrast);
      if (withFirst.items().isEmpty() || withContrast.items().isEmpty()) {
        throw LeadlineException.userInput(
            "%s: model %s has no items under setting %s in %s",
            withFirst.items().isEmpty() ? "--setting" : "--contrast",
            model.model(),
            withFirst.items().isEmpty() ? first : contrast,
            model.summary().path("run").asText());
      }
      // Pair each benchmark's items under the two settings: one shared hash per benchmark.
      Map<String, String> hashFirst = hashes(withFirst);
      Map<String, String> hashContrast = hashes(withContrast);
      List<Item> left = new ArrayList<>();
      List<Item> right = new ArrayList<>();
      for (Map.Entry<String, String> entry : hashFirst.entrySet()) {
        String other = hashContrast.get(entry.getKey());
        if (other == null) {
          continue;
        }
        if (other.equals(entry.getValue())) {
          unchanged.add(entry.getKey());
          continue;
        }
        String paired = other.substring(0, 12) + "+" + entry.getValue().substring(0, 12);
        withContrast.items().stream()
            .filter(i -> i.benchmark().equals(entry.getKey()))
            .forEach(i -> left.add(i.withSettingHash(paired)));
        withFirst.items().stream()
            .filter(i -> i.benchmark().equals(entry.getKey()))
            .forEach(i -> right.add(i.withSettingHash(paired)));
      }
      RunSide a = new RunSide(model.summary(), model.revisions(), model.titles(), left);
      RunSide b = new RunSide(model.summary(), model.revisions(), model.titles(), right);
      DiffResult diff = Diff.compute(a, b, false);
      if (!diff.compared()) {
        throw LeadlineException.userInput(
            "model %s: its items under %s and %s differ: %s",
            model.model(), first, contrast, String.join("; ", diff.mismatches()));
      }
      gains.add(diff);
    }
    // Holm across every size's overall rows together.
    List<List<BenchmarkDelta>> adjusted = Evolution.holmAcross(gains);
    SortedMap<String, List<EmergenceResult.Size>> curves = new TreeMap<>();
    Map<String, String[]> names = new LinkedHashMap<>();
    for (int m = 0; m < sizes.size(); m++) {
      RunSide model = sizes.get(m);
      for (BenchmarkDelta row : adjusted.get(m)) {
        String key = row.benchmark() + "\u0000" + row.subset().orElse("");
        names.put(key, new String[] {row.benchmark(), row.subset().orElse(null), row.metric()});
        curves
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(
                new EmergenceResult.Size(
                    model,
                    Score.of(model.model(), items(model, first, row)),
                    Score.of(model.model(), items(model, contrast, row)),
                    row));
      }
    }
    List<EmergenceResult.Curve> result = new ArrayList<>();
    for (Map.Entry<String, List<EmergenceResult.Size>> curve : curves.entrySet()) {
      String[] name = names.get(curve.getKey());
      Optional<RunSide> smallest =
          curve.getValue().stream()
              .filter(size -> size.gain().direction().equals("up"))
              .map(EmergenceResult.Size::model)
              .findFirst();
      result.add(
          new EmergenceResult.Curve(
              name[0], Optional.ofNullable(name[1]), name[2], curve.getValue(), smallest));
    }
    return new EmergenceResult(sizes, first, contrast, axis, unchanged, result);
  }

  private static Map<String, String> hashes(RunSide side) {
    Map<String, String> hashes = new TreeMap<>();
    side.items().forEach(item -> hashes.putIfAbsent(item.benchmark(), item.settingHash()));
    return hashes;
  }

  private static List<Item> items(RunSide model, String setting, BenchmarkDelta row) {
    return model.only(setting).items().stream()
        .filter(
            i ->
                i.benchmark().equals(row.benchmark())
                    && (row.subset().isEmpty() || i.subset().equals(row.subset())))
        .toList();
  }
}
