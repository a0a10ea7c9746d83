package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import io.leadline.api.ConfigNode;
import io.leadline.api.Scorer;
import java.util.Set;

/**
 * One entry of a benchmark's {@code metrics:}: a scorer by name, or {@value #JUDGED}, the values
 * its judges' template makes (who judges and with which template is the benchmark's {@code judge:}
 * or a setting's).
 *
 * @param name the scorer's name, which is also the metric's
 */
public record MetricSpec(String name) {
  /** The entry that stands for the judges' scorer. */
  public static final String JUDGED = "judged";

  public MetricSpec {
    requireNonNull(name, "name is null");
  }

  static MetricSpec load(ConfigNode node, Format format) {
    node.allowOnly(Set.of("name", "primary"));
    ConfigNode nameNode = node.required("name");
    String name = nameNode.text();
    if (name.equals(JUDGED)) {
      return new MetricSpec(name);
    }
    Scorers.entry(name, format, nameNode);
    return new MetricSpec(name);
  }

  /** The scorer this entry names; not for {@value #JUDGED}, which a setting's judging makes. */
  Scorer scorer() {
    return Scorers.entry(name).create(this, null);
  }
}
