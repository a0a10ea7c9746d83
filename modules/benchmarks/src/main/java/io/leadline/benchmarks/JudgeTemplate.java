package io.leadline.benchmarks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import io.leadline.api.Sampling;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge's grading prompt as data ({@code benchmarks/<name>/judge.yaml}, or a setting's {@code
 * judge_templates}): the text with its placeholders, the reply format it asks for, the fields that
 * format holds (a scale of whole numbers, or categories), which fields make the score, the parsers
 * that read a reply, and the judge's sampling (temperature 0 and a fixed seed unless it says
 * otherwise).
 *
 * <p>A {@link Kind#GRADES} template grades one completion ({@code {completion}}); a {@link
 * Kind#PAIRWISE} one compares two ({@code {completion_a}}, {@code {completion_b}}), its one field's
 * categories meaning, in order, the first shown is better, the second is, a tie.
 *
 * @param name the template's name, which prefixes its metrics (e.g. {@code tinystories/gpt-eval})
 * @param text the prompt, with {@code {placeholders}} and {@code {format}} where the format goes
 * @param format the reply format, with {@code {field}} where each field goes
 * @param fields the fields, in the format's order
 * @param score the fields whose mean is the template's primary value
 * @param parsers the parsers that may read a reply, by name
 * @param parser the parser used unless a setting names another
 */
public record JudgeTemplate(
    String name,
    Kind kind,
    String description,
    String text,
    String format,
    ImmutableMap<String, Field> fields,
    ImmutableList<String> score,
    ImmutableMap<String, Parser> parsers,
    String parser,
    BigDecimal temperature,
    long seed,
    int maxTokens) {
  /** What a template asks of its judge. */
  public enum Kind {
    GRADES,
    PAIRWISE
  }

  /** The placeholders every template may use besides the target's fields. */
  static final Set<String> COMMON = Set.of("prompt", "completion", "gold", "golds", "format");

  /** The judge's longest reply when a template names none. */
  static final int DEFAULT_MAX_TOKENS = 512;

  /** The judge's seed when a template names none: Leadline's (GPT-Fathom's) 47. */
  static final long DEFAULT_SEED = io.leadline.api.Defaults.SEED;

  /** A placeholder: {@code {name}}, the name lower case, digits and '_' (a field's too). */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)\\}");

  private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9._-]+)*");
  private static final Set<String> KEYS =
      Set.of(
          "kind",
          "description",
          "text",
          "format",
          "fields",
          "score",
          "parsers",
          "parser",
          "sampling");

  /**
   * One field of the reply.
   *
   * @param low the scale's lowest grade, for an ordinal field
   * @param high the scale's highest grade
   * @param categories a categorical field's categories, in order; empty for an ordinal field
   * @param correct the category that means "right" (a verdict), whose value is 1 and others' 0
   */
  public record Field(
      String name,
      OptionalLong low,
      OptionalLong high,
      ImmutableList<String> categories,
      Optional<String> correct) {
    public Field {
      requireNonNull(name, "name is null");
      requireNonNull(categories, "categories is null");
      requireNonNull(correct, "correct is null");
    }

    /** Whether the field is a scale of whole numbers (else it holds categories). */
    public boolean ordinal() {
      return low.isPresent();
    }

    /**
     * The field's value in [0, 1] for the grade {@code raw} as a parser read it: a scale's grade
     * scaled, a verdict's 1 or 0; empty for a categorical field without a correct category.
     */
    public OptionalDouble value(String raw) {
      if (ordinal()) {
        double grade = Double.parseDouble(raw);
        return OptionalDouble.of(
            (grade - low.getAsLong()) / (double) (high.getAsLong() - low.getAsLong()));
      }
      return correct
          .map(c -> OptionalDouble.of(c.equals(raw) ? 1.0 : 0.0))
          .orElse(OptionalDouble.empty());
    }
  }

  /**
   * A parser of replies: for each field, the last match of its pattern, whose first group is the
   * grade. {@code labels} parsers build each pattern from the format (the text before the field on
   * its line, any case, then the grade); {@code regex} parsers give them.
   */
  public record Parser(String name, String kind, ImmutableMap<String, Pattern> patterns) {
    public Parser {
      requireNonNull(name, "name is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(patterns, "patterns is null");
    }
  }

  /**
   * What a parser read from a reply: every field's grade as written (a category in the template's
   * spelling), or why there is none.
   */
  public record Parsed(ImmutableMap<String, String> grades, Optional<String> noGrade) {}

  public JudgeTemplate {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(description, "description is null");
    requireNonNull(text, "text is null");
    requireNonNull(format, "format is null");
    requireNonNull(fields, "fields is null");
    requireNonNull(score, "score is null");
    requireNonNull(parsers, "parsers is null");
    requireNonNull(parser, "parser is null");
    requireNonNull(temperature, "temperature is null");
  }

  /** The templates of {@code file} ({@code templates:}), or none if it does not exist. */
  static ImmutableMap<String, JudgeTemplate> loadFile(Path file) {
    if (!Files.exists(file)) {
      return ImmutableMap.of();
    }
    ConfigNode root = ConfigNode.load(file).allowOnly(Set.of("templates"));
    return loadAll(root.required("templates"));
  }

  /** The templates under {@code node}, a mapping of name to template. */
  static ImmutableMap<String, JudgeTemplate> loadAll(ConfigNode node) {
    ImmutableMap.Builder<String, JudgeTemplate> templates = ImmutableMap.builder();
    for (String name : node.keys()) {
      if (!NAME.matcher(name).matches()) {
        throw node.error(name, "is not a template name (lower case, digits, '-', '.', '/')");
      }
      templates.put(name, load(name, node.required(name)));
    }
    return templates.buildOrThrow();
  }

  static JudgeTemplate load(String name, ConfigNode node) {
    node.allowOnly(KEYS);
    Kind kind =
        Kind.valueOf(
            node.optional("kind")
                .map(k -> k.oneOf(List.of("grades", "pairwise")))
                .orElse("grades")
                .toUpperCase(Locale.ROOT));
    String text = node.required("text").rawText();
    String format = node.required("format").rawText();
    Set<String> used = placeholders(text);
    if (!used.contains("format")) {
      throw node.required("text").error("must show the reply format: {format}");
    }
    List<String> needed =
        kind == Kind.GRADES ? List.of("completion") : List.of("completion_a", "completion_b");
    for (String placeholder : needed) {
      if (!used.contains(placeholder)) {
        throw node.required("text").error("must contain {" + placeholder + "}");
      }
    }
    Matcher adjacent = Pattern.compile("\\}\\{").matcher(text);
    while (adjacent.find()) {
      if (!text.startsWith("{format}", adjacent.start() + 1)
          && !text.substring(0, adjacent.start() + 1).endsWith("{format}")) {
        throw node.required("text")
            .error("needs text between two placeholders, so a judge's prompt can be read back");
      }
    }
    ConfigNode fieldsNode = node.required("fields");
    Map<String, Field> fields = new LinkedHashMap<>();
    for (String field : fieldsNode.keys()) {
      ConfigNode spec =
          fieldsNode.required(field).allowOnly(Set.of("scale", "categories", "correct"));
      boolean scale = spec.optional("scale").isPresent();
      if (scale == spec.optional("categories").isPresent()) {
        throw spec.error("needs exactly one of 'scale' and 'categories'");
      }
      if (scale) {
        List<ConfigNode> bounds = spec.required("scale").list();
        if (bounds.size() != 2) {
          throw spec.required("scale").error("expected [low, high]");
        }
        long low = bounds.get(0).whole(-1000, 1000);
        long high = bounds.get(1).whole(-1000, 1000);
        if (high <= low) {
          throw spec.required("scale").error("high must be above low");
        }
        if (spec.optional("correct").isPresent()) {
          throw spec.error("correct", "is only for categories");
        }
        fields.put(
            field,
            new Field(
                field,
                OptionalLong.of(low),
                OptionalLong.of(high),
                ImmutableList.of(),
                Optional.empty()));
      } else {
        List<String> categories =
            spec.required("categories").list().stream().map(ConfigNode::text).toList();
        if (categories.size() < 2
            || categories.stream().map(c -> c.toLowerCase(Locale.ROOT)).distinct().count()
                != categories.size()) {
          throw spec.required("categories")
              .error("needs two or more categories that differ in more than case");
        }
        Optional<String> correct = spec.optional("correct").map(ConfigNode::text);
        if (correct.isPresent() && !categories.contains(correct.get())) {
          throw spec.required("correct").error("must be one of the categories");
        }
        fields.put(
            field,
            new Field(
                field,
                OptionalLong.empty(),
                OptionalLong.empty(),
                ImmutableList.copyOf(categories),
                correct));
      }
      if (!format.contains("{" + field + "}")) {
        throw fieldsNode.error(field, "is not in the format: {" + field + "}");
      }
    }
    for (String placeholder : placeholders(format)) {
      if (!fields.containsKey(placeholder)) {
        throw node.required("format").error("{" + placeholder + "} is not one of the fields");
      }
    }
    if (kind == Kind.PAIRWISE
        && (fields.size() != 1
            || fields.values().iterator().next().ordinal()
            || fields.values().iterator().next().categories().size() != 3)) {
      throw fieldsNode.error(
          "a pairwise template has one field of three categories: first better, second better,"
              + " tie");
    }
    List<String> score = new ArrayList<>();
    for (ConfigNode entry : node.optional("score").map(ConfigNode::list).orElse(List.of())) {
      String field = entry.text();
      Field named = fields.get(field);
      if (named == null || !(named.ordinal() || named.correct().isPresent())) {
        throw entry.error("must be a scale field or a field with a correct category");
      }
      score.add(field);
    }
    if (kind == Kind.GRADES && score.isEmpty()) {
      throw node.required("score").error("names the fields whose mean is the score");
    }
    Map<String, Parser> parsers = new LinkedHashMap<>();
    parsers.put("labels", labels(format, fields));
    node.optional("parsers")
        .ifPresent(
            all -> {
              for (String parserName : all.keys()) {
                ConfigNode parserNode =
                    all.required(parserName).allowOnly(Set.of("kind", "patterns"));
                String parserKind = parserNode.required("kind").oneOf(List.of("labels", "regex"));
                if (parserKind.equals("labels")) {
                  parsers.put(parserName, labels(format, fields));
                  continue;
                }
                ConfigNode patterns = parserNode.required("patterns").allowOnly(fields.keySet());
                ImmutableMap.Builder<String, Pattern> compiled = ImmutableMap.builder();
                for (String field : fields.keySet()) {
                  ConfigNode pattern = patterns.required(field);
                  try {
                    Pattern p = Pattern.compile(pattern.rawText());
                    if (p.matcher("").groupCount() < 1) {
                      throw pattern.error("needs a group: the grade");
                    }
                    compiled.put(field, p);
                  } catch (java.util.regex.PatternSyntaxException e) {
                    throw pattern.error("is not a regular expression: " + e.getDescription());
                  }
                }
                parsers.put(parserName, new Parser(parserName, "regex", compiled.buildOrThrow()));
              }
            });
    String parser =
        node.optional("parser").map(p -> p.oneOf(List.copyOf(parsers.keySet()))).orElse("labels");
    BigDecimal temperature = BigDecimal.ZERO;
    long seed = DEFAULT_SEED;
    int maxTokens = 512;
    Optional<ConfigNode> sampling = node.optional("sampling");
    if (sampling.isPresent()) {
      ConfigNode s = sampling.get().allowOnly(Set.of("temperature", "seed", "max_tokens"));
      temperature = s.optional("temperature").map(ConfigNode::decimal).orElse(temperature);
      seed = s.optional("seed").map(v -> v.whole(0, Long.MAX_VALUE)).orElse(seed);
      maxTokens =
          (int) s.optional("max_tokens").map(v -> v.whole(1, 100_000)).orElse(512L).longValue();
    }
    return new JudgeTemplate(
        name,
        kind,
        node.optional("description").map(ConfigNode::text).orElse(""),
        text,
        format,
        ImmutableMap.copyOf(fields),
        ImmutableList.copyOf(score),
        ImmutableMap.copyOf(parsers),
        parser,
        temperature,
        seed,
        maxTokens);
  }

  /** The parser reading each field after its label, as the format writes it. */
  private static Parser labels(String format, Map<String, Field> fields) {
    ImmutableMap.Builder<String, Pattern> patterns = ImmutableMap.builder();
    for (Field field : fields.values()) {
      int at = format.indexOf("{" + field.name() + "}");
      int from = Math.max(format.lastIndexOf('\n', at) + 1, previousPlaceholderEnd(format, at));
      // The text before the field on its line, from the previous field's end ("Grammar:").
      String label =
          format.substring(from, at).replaceAll("^[\\s\\p{Punct}&&[^(\\[]]+", "").strip();
      String grade =
          field.ordinal()
              ? "(-?\\d+(?:\\.\\d+)?)"
              : "\\W{0,3}("
                  + String.join("|", field.categories().stream().map(Pattern::quote).toList())
                  + ")\\b";
      patterns.put(
          field.name(),
          Pattern.compile(
              (label.isEmpty() ? "" : Pattern.quote(label)) + "[ \\t*]*" + grade,
              Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }
    return new Parser("labels", "labels", patterns.buildOrThrow());
  }

  private static int previousPlaceholderEnd(String format, int before) {
    int end = 0;
    Matcher m = PLACEHOLDER.matcher(format);
    while (m.find() && m.start() < before) {
      end = m.end();
    }
    return end;
  }

  /** The placeholders {@code text} uses, in order, each once. */
  static Set<String> placeholders(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Whether {@code other} is this template as far as a judge sees it and its fields go (parsers
   * hold compiled patterns, which do not compare).
   */
  public boolean sameAs(JudgeTemplate other) {
    return name.equals(other.name)
        && kind == other.kind
        && text.equals(other.text)
        && format.equals(other.format)
        && fields.equals(other.fields)
        && score.equals(other.score)
        && temperature.compareTo(other.temperature) == 0
        && seed == other.seed
        && maxTokens == other.maxTokens;
  }

  /** The placeholders the text uses, but for {@code {format}}. */
  public Set<String> inputs() {
    Set<String> names = new LinkedHashSet<>(placeholders(text));
    names.remove("format");
    return names;
  }

  /**
   * The prompt for {@code values} (each placeholder's text; {@code {format}} is the template's),
   * filled in one pass so a value that shows a placeholder stays as it is.
   */
  public String render(Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>();
    for (String name : placeholders(text)) {
      String value = name.equals("format") ? format : values.get(name);
      if (value == null) {
        throw new IllegalStateException(
            "template " + this.name + " has no value for {" + name + "}");
      }
      all.put("{" + name + "}", value);
    }
    return Scorers.fill(text, all);
  }

  /**
   * The prompt split around its inputs: {@code literals.size() == placeholders.size() + 1}, the
   * format written in, as the simulator reads a rendered prompt back.
   */
  public List<List<String>> split() {
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(text);
    int at = 0;
    while (m.find()) {
      literal.append(text, at, m.start());
      if (m.group(1).equals("format")) {
        literal.append(format);
      } else {
        literals.add(literal.toString());
        literal.setLength(0);
        names.add(m.group(1));
      }
      at = m.end();
    }
    literal.append(text.substring(at));
    literals.add(literal.toString());
    return List.of(literals, names);
  }

  /** The judge's sampling: one reply, no stop. */
  public Sampling sampling() {
    return new Sampling(
        temperature.doubleValue(),
        Optional.empty(),
        maxTokens,
        List.of(),
        1,
        OptionalLong.of(seed));
  }

  /**
   * Reads {@code reply} with the parser called {@code parserName}: every field, or no grade naming
   * the first field it could not read.
   */
  public Parsed parse(String reply, String parserName) {
    Parser chosen = parsers.get(parserName);
    if (chosen == null) {
      throw new IllegalStateException("template " + name + " has no parser " + parserName);
    }
    ImmutableMap.Builder<String, String> grades = ImmutableMap.builder();
    for (Field field : fields.values()) {
      Matcher m = chosen.patterns().get(field.name()).matcher(reply);
      String found = null;
      while (m.find()) {
        found = m.group(1);
      }
      if (found == null) {
        return new Parsed(
            ImmutableMap.of(),
            Optional.of("the " + chosen.name() + " parser found no " + field.name()));
      }
      if (field.ordinal()) {
        double grade;
        try {
          grade = Double.parseDouble(found);
        } catch (NumberFormatException e) {
          return new Parsed(
              ImmutableMap.of(), Optional.of(field.name() + " '" + found + "' is not a number"));
        }
        if (grade < field.low().getAsLong() || grade > field.high().getAsLong()) {
          return new Parsed(
              ImmutableMap.of(),
              Optional.of(
                  String.format(
                      Locale.ROOT,
                      "%s %s is outside %d-%d",
                      field.name(),
                      found,
                      field.low().getAsLong(),
                      field.high().getAsLong())));
        }
        grades.put(field.name(), found);
      } else {
        String category = null;
        for (String c : field.categories()) {
          if (c.equalsIgnoreCase(found.strip())) {
            category = c;
          }
        }
        if (category == null) {
          return new Parsed(
              ImmutableMap.of(),
              Optional.of(field.name() + " '" + found + "' is not one of " + field.categories()));
        }
        grades.put(field.name(), category);
      }
    }
    return new Parsed(grades.buildOrThrow(), Optional.empty());
  }

  /** What a setting hash records of the template read by {@code parserName}. */
  void canonical(ObjectNode node, String parserName) {
    node.put("name", name);
    node.put("kind", kind.name().toLowerCase(Locale.ROOT));
    node.put("text", text);
    node.put("format", format);
    ObjectNode fieldsNode = node.putObject("fields");
    for (Field field : fields.values()) {
      ObjectNode f = fieldsNode.putObject(field.name());
      if (field.ordinal()) {
        ArrayNode scale = f.putArray("scale");
        scale.add(field.low().getAsLong()).add(field.high().getAsLong());
      } else {
        ArrayNode categories = f.putArray("categories");
        field.categories().forEach(categories::add);
        f.put("correct", field.correct().orElse(null));
      }
    }
    ArrayNode scoreNode = node.putArray("score");
    score.forEach(scoreNode::add);
    Parser chosen = parsers.get(parserName);
    ObjectNode parserNode = node.putObject("parser");
    parserNode.put("kind", chosen.kind());
    ObjectNode patterns = parserNode.putObject("patterns");
    chosen.patterns().forEach((field, pattern) -> patterns.put(field, pattern.pattern()));
    node.put(
        "temperature",
        temperature.signum() == 0 ? "0" : temperature.stripTrailingZeros().toPlainString());
    node.put("seed", seed);
    node.put("max_tokens", maxTokens);
  }
}
