package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import io.leadline.api.Scorer;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of a benchmark's {@code metrics:}: a scorer by name, with the options a model-graded
 * scorer takes.
 *
 * @param name the scorer's name, which is also the metric's
 * @param judge the model a model-graded scorer asks (a name in the models file)
 * @param options the scorer's other options (a judge's template), in file order
 */
public record MetricSpec(
    String name, Optional<String> judge, ImmutableMap<String, String> options) {
  public MetricSpec {
    requireNonNull(name, "name is null");
    requireNonNull(judge, "judge is null");
    requireNonNull(options, "options is null");
  }

  static MetricSpec load(ConfigNode node, Format format) {
    node.allowOnly(Set.of("name", "primary", "judge", "template"));
    ConfigNode nameNode = node.required("name");
    String name = nameNode.text();
    Scorers.Entry entry = Scorers.entry(name, format, nameNode);
    Optional<String> judge = node.optional("judge").map(ConfigNode::text);
    if (judge.isPresent() != entry.judged()) {
      throw entry.judged()
          ? node.error("judge", "is required: " + name + " asks a model")
          : node.error("judge", name + " asks no model");
    }
    ImmutableMap.Builder<String, String> options = ImmutableMap.builder();
    node.optional("template").ifPresent(template -> options.put("template", template.rawText()));
    MetricSpec spec = new MetricSpec(name, judge, options.buildOrThrow());
    entry.create(spec, node);
    return spec;
  }

  /** The scorer this entry names, configured. */
  Scorer scorer() {
    return Scorers.entry(name).create(this, null);
  }
}
