package io.leadline.benchmarks;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who grades a benchmark's completions under a setting, and how: the judges (models of the models
 * file, in order), the template and the parser that reads their replies. Part of the setting hash,
 * with each judge's identity once the sweep knows it (provider, model id, API, and for a simulated
 * judge its profile's fingerprint).
 *
 * @param identities each judge's identity as canonical text, by name; empty until a sweep resolves
 *     the models file
 * @param namedIn where the judges are named ({@code file: path}), for messages; not in the hash
 */
public record Judging(
    ImmutableList<String> judges,
    JudgeTemplate template,
    String parser,
    ImmutableMap<String, String> identities,
    String namedIn) {
  public Judging {
    requireNonNull(namedIn, "namedIn is null");
    requireNonNull(judges, "judges is null");
    requireNonNull(template, "template is null");
    requireNonNull(parser, "parser is null");
    requireNonNull(identities, "identities is null");
    checkArgument(!judges.isEmpty(), "a judging needs a judge");
    checkArgument(template.parsers().containsKey(parser), "no parser %s", parser);
  }

  /** This judging with the judges' identities, as the sweep resolved them. */
  public Judging withIdentities(Map<String, String> all) {
    ImmutableMap.Builder<String, String> known = ImmutableMap.builder();
    for (String judge : judges) {
      String identity = all.get(judge);
      if (identity != null) {
        known.put(judge, identity);
      }
    }
    return new Judging(judges, template, parser, known.buildOrThrow(), namedIn);
  }

  void canonical(ObjectNode node) {
    ArrayNode list = node.putArray("judges");
    for (String judge : judges) {
      ObjectNode entry = list.addObject();
      entry.put("name", judge);
      entry.put("identity", identities.getOrDefault(judge, ""));
    }
    node.put("parser", parser);
    template.canonical(node.putObject("template"), parser);
  }

  /**
   * A {@code judge:} entry of a benchmark or a setting, each part optional so that a setting
   * changes only what it names: {@code judge: NAME}, {@code judge: [A, B]}, or {@code judge:
   * {models: [A, B], template: T, parser: P}}.
   */
  record Choice(
      Optional<ImmutableList<String>> models,
      Optional<String> template,
      Optional<String> parser,
      Optional<ConfigNode> node,
      Optional<String> modelsNamedIn) {
    static final Choice NONE =
        new Choice(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    static Choice load(ConfigNode node) {
      if (node.isText() || node.isList()) {
        ImmutableList<String> names = node.isText() ? ImmutableList.of(node.text()) : names(node);
        return new Choice(
            Optional.of(names),
            Optional.empty(),
            Optional.empty(),
            Optional.of(node),
            Optional.of(node.where()));
      }
      node.allowOnly(Set.of("models", "template", "parser"));
      return new Choice(
          node.optional("models").map(Choice::names),
          node.optional("template").map(ConfigNode::text),
          node.optional("parser").map(ConfigNode::text),
          Optional.of(node),
          node.optional("models").map(ConfigNode::where));
    }

    private static ImmutableList<String> names(ConfigNode node) {
      List<String> names = node.list().stream().map(ConfigNode::text).toList();
      if (names.isEmpty() || Set.copyOf(names).size() != names.size()) {
        throw node.error("names one or more judges, each once");
      }
      return ImmutableList.copyOf(names);
    }

    /** This choice with what {@code over} names put over it. */
    Choice with(Choice over) {
      return new Choice(
          over.models.or(() -> models),
          over.template.or(() -> template),
          over.parser.or(() -> parser),
          over.node.or(() -> node),
          over.models.isPresent() ? over.modelsNamedIn : modelsNamedIn);
    }

    boolean isEmpty() {
      return models.isEmpty() && template.isEmpty() && parser.isEmpty();
    }

    /**
     * The judging this choice makes for {@code benchmark}, its template found in {@code templates};
     * {@code where} names the setting in errors.
     */
    Judging resolve(Benchmark benchmark, Map<String, JudgeTemplate> templates, String where) {
      ConfigNode at = node.orElse(null);
      if (models.isEmpty()) {
        throw error(at, where, benchmark.name() + " is judged but no judge is named (judge: NAME)");
      }
      JudgeTemplate chosen;
      if (template.isPresent()) {
        chosen = templates.get(template.get());
        if (chosen == null) {
          throw error(
              at,
              where,
              "no judge template '"
                  + template.get()
                  + "'; known: "
                  + String.join(", ", templates.keySet()));
        }
      } else {
        List<JudgeTemplate> grading =
            templates.values().stream().filter(t -> t.kind() == JudgeTemplate.Kind.GRADES).toList();
        if (grading.size() != 1) {
          throw error(
              at,
              where,
              "name the judge template (template: NAME); known: "
                  + String.join(", ", templates.keySet()));
        }
        chosen = grading.get(0);
      }
      if (chosen.kind() != JudgeTemplate.Kind.GRADES) {
        throw error(
            at,
            where,
            chosen.name() + " compares two completions: it is for leadline diff --judge");
      }
      java.util.Set<String> allowed = new java.util.TreeSet<>(JudgeTemplate.COMMON);
      allowed.addAll(benchmark.format().judgeInputs());
      for (String input : chosen.inputs()) {
        if (!allowed.contains(input)) {
          throw error(
              at,
              where,
              chosen.name()
                  + " uses {"
                  + input
                  + "}, which "
                  + benchmark.name()
                  + "'s items do not have; they have "
                  + String.join(", ", allowed));
        }
      }
      String parserName = parser.orElse(chosen.parser());
      if (!chosen.parsers().containsKey(parserName)) {
        throw error(
            at,
            where,
            "no parser '"
                + parserName
                + "' in "
                + chosen.name()
                + "; known: "
                + String.join(", ", chosen.parsers().keySet()));
      }
      return new Judging(
          models.get(), chosen, parserName, ImmutableMap.of(), modelsNamedIn.orElse(where));
    }

    private static LeadlineException error(ConfigNode node, String where, String why) {
      return node == null ? LeadlineException.userInput("%s: %s", where, why) : node.error(why);
    }
  }
}
