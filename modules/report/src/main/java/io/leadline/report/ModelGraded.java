package io.leadline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.leadline.records.AgreementRow;
import io.leadline.records.MetricRow;
import io.leadline.records.RunManifest;
import io.leadline.records.SampleRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model-graded part of a leaderboard: for each benchmark and setting that judges graded, the
 * judges, every judged metric per model with its interval and no-grade rate, how far the judges
 * agree, and what they said — for closed-book QA graded beside its fuzzy match, the items where the
 * two disagree; for stories, a viewer of each beginning, the models' endings and the judges'
 * replies (in {@code index.html}). Runs without judges have none of it, and their report is as it
 * was.
 */
final class ModelGraded {
  /** At most this many disagreements are listed per benchmark and setting. */
  static final int MAX_DISAGREEMENTS = 50;

  /** At most this many stories are shown per benchmark and setting. */
  static final int MAX_STORIES = 100;

  /** How much of a beginning a story's summary line shows. */
  static final int SUMMARY_CHARS = 80;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

  /** A judge as the manifest names it. */
  record Judge(
      String name,
      String provider,
      String model,
      List<String> reportedModels,
      boolean simulated,
      boolean known) {
    /** {@code sim-judge-a (sim/sim-judge-a, reported sim-judge-a, simulated)}. */
    String describe() {
      if (!known) {
        return name + " (not in the manifest's judges)";
      }
      List<String> parts = new ArrayList<>();
      parts.add(provider + "/" + model);
      parts.add(
          reportedModels.isEmpty()
              ? "no reported model version"
              : "reported " + String.join(", ", reportedModels));
      if (simulated) {
        parts.add("simulated");
      }
      return name + " (" + String.join(", ", parts) + ")";
    }
  }

  /** A judged metric's value for one model column. */
  record Value(double value, double ciLow, double ciHigh, long n, double noGradeRate) {}

  /** One judged metric: a value per model column. */
  record Metric(String name, Map<String, Value> cells) {}

  /** One row of {@code agreement.json}, with the model as its column. */
  record Agreement(String column, AgreementRow row) {}

  /** One sample whose automatic primary score and judged score disagree. */
  record Disagreement(String column, SampleRow sample, double automatic, double judged) {}

  /** One story: its beginning, and per model column the samples that continued it. */
  record Story(
      String exampleId, int exampleIndex, String beginning, Map<String, List<SampleRow>> endings) {}

  /** One benchmark under one setting that judges graded. */
  record Group(
      String benchmark,
      String title,
      String setting,
      String label,
      String template,
      Optional<String> primaryMetric,
      List<Judge> judges,
      List<Metric> metrics,
      List<Agreement> agreement,
      boolean closedQa,
      long compared,
      List<Disagreement> disagreements,
      int storyCount,
      List<Story> stories) {
    boolean isDefault() {
      return setting.equals(Leaderboard.DEFAULT_SETTING);
    }

    String heading() {
      return title + " — " + label + " (setting " + setting + ")";
    }

    List<String> judgeNames() {
      return judges.stream().map(Judge::name).toList();
    }
  }

  private final List<Leaderboard.Column> columns;
  private final List<Group> groups;

  private ModelGraded(List<Leaderboard.Column> columns, List<Group> groups) {
    this.columns = columns;
    this.groups = groups;
  }

  boolean isEmpty() {
    return groups.isEmpty();
  }

  List<Group> groups() {
    return groups;
  }

  /** The group of {@code benchmark} under {@code setting}, if judges graded it. */
  Optional<Group> group(String benchmark, String setting) {
    return groups.stream()
        .filter(g -> g.benchmark().equals(benchmark) && g.setting().equals(setting))
        .findFirst();
  }

  /** What one benchmark × setting gathers over the runs, before it is a {@link Group}. */
  private static final class Builder {
    final String benchmark;
    final String setting;
    final Map<String, Map<String, Value>> metrics = new LinkedHashMap<>();
    final List<Agreement> agreement = new ArrayList<>();
    final List<Map.Entry<String, SampleRow>> samples = new ArrayList<>();
    final Set<String> judgeNames = new LinkedHashSet<>();
    final Set<String> readRuns = new LinkedHashSet<>();
    Optional<String> template = Optional.empty();
    List<String> scoreFields = List.of();
    Optional<String> primaryMetric = Optional.empty();
    Optional<String> beginningTemplate = Optional.empty();
    final List<String> promptTemplates = new ArrayList<>();

    Builder(String benchmark, String setting) {
      this.benchmark = benchmark;
      this.setting = setting;
    }
  }

  /**
   * The model-graded part of {@code runs}; {@code columnOf} gives the model column of a run id and
   * a model name.
   */
  static ModelGraded of(
      List<RunData> runs,
      List<Leaderboard.Column> columns,
      BiFunction<String, String, String> columnOf,
      Map<String, String> categories,
      Map<String, String> titles,
      Map<String, String> labels) {
    Map<String, Builder> builders = new LinkedHashMap<>();
    Map<String, Judge> known = new LinkedHashMap<>();
    for (RunData run : runs) {
      String runId = run.manifest().runId();
      for (RunManifest.Judge judge : run.manifest().judges()) {
        known.putIfAbsent(
            judge.name(),
            new Judge(
                judge.name(),
                judge.provider(),
                judge.model(),
                judge.reportedModels(),
                judge.simulated(),
                true));
      }
      for (MetricRow metric : run.metrics()) {
        if (metric.noGradeRate().isEmpty()
            || !metric.scored()
            || metric.subset().isPresent()
            || metric.perturbation().isPresent()) {
          continue;
        }
        Builder b = builder(builders, run, metric.benchmark(), metric.setting());
        b.metrics
            .computeIfAbsent(metric.metric(), k -> new LinkedHashMap<>())
            .put(
                columnOf.apply(runId, metric.model()),
                new Value(
                    metric.value(),
                    metric.ciLow(),
                    metric.ciHigh(),
                    metric.n(),
                    metric.noGradeRate().get()));
      }
      for (AgreementRow row : run.agreement()) {
        if (row.perturbation().isPresent()) {
          continue;
        }
        builder(builders, run, row.benchmark(), row.setting())
            .agreement
            .add(new Agreement(columnOf.apply(runId, row.model()), row));
      }
      for (SampleRow sample : run.judgedSamples()) {
        if (sample.perturbation().isPresent()) {
          continue;
        }
        Builder b = builder(builders, run, sample.benchmark(), sample.setting());
        b.samples.add(Map.entry(columnOf.apply(runId, sample.model()), sample));
        sample.judgements().forEach(j -> b.judgeNames.add(j.judge()));
      }
    }
    List<String> columnOrder = columns.stream().map(Leaderboard.Column::key).toList();
    List<Group> groups = new ArrayList<>();
    for (Builder b : builders.values()) {
      groups.add(group(b, known, columnOrder, titles, labels));
    }
    groups.sort(
        Comparator.comparingInt(
                (Group g) -> {
                  String category = categories.getOrDefault(g.benchmark(), "");
                  int at = Leaderboard.CATEGORIES.indexOf(category);
                  return at < 0 ? Leaderboard.CATEGORIES.size() : at;
                })
            .thenComparing(Group::title)
            .thenComparing(g -> g.isDefault() ? "" : g.setting()));
    return new ModelGraded(columns, ImmutableList.copyOf(groups));
  }

  /** The builder of {@code benchmark} × {@code setting}, reading what the manifest says of it. */
  private static Builder builder(
      Map<String, Builder> builders, RunData run, String benchmark, String setting) {
    Builder b =
        builders.computeIfAbsent(
            benchmark + "\u0000" + setting, k -> new Builder(benchmark, setting));
    if (!b.readRuns.add(run.manifest().runId() + "\u0000" + run.location())) {
      return b;
    }
    Optional<RunManifest.SettingBenchmark> resolved = run.manifest().setting(setting, benchmark);
    if (resolved.isEmpty()) {
      return b;
    }
    if (b.primaryMetric.isEmpty()) {
      b.primaryMetric = Optional.of(resolved.get().primaryMetric());
    }
    JsonNode canonical;
    try {
      canonical = MAPPER.readTree(resolved.get().canonical());
    } catch (IOException e) {
      return b;
    }
    JsonNode judge = canonical.path("judge");
    for (JsonNode entry : judge.path("judges")) {
      if (entry.path("name").isTextual()) {
        b.judgeNames.add(entry.path("name").asText());
      }
    }
    JsonNode template = judge.path("template");
    if (b.template.isEmpty() && template.path("name").isTextual()) {
      b.template = Optional.of(template.path("name").asText());
      List<String> fields = new ArrayList<>();
      template.path("score").forEach(f -> fields.add(f.asText()));
      b.scoreFields = fields;
    }
    JsonNode prompts = canonical.path("template");
    for (String key : List.of("query", "chat_query")) {
      if (prompts.path(key).isTextual()) {
        b.promptTemplates.add(prompts.path(key).asText());
      }
    }
    return b;
  }

  private static Group group(
      Builder b,
      Map<String, Judge> known,
      List<String> columnOrder,
      Map<String, String> titles,
      Map<String, String> labels) {
    String template =
        b.template.orElseGet(
            () ->
                b.metrics.keySet().stream()
                    .filter(m -> !m.contains("[") && !m.contains("="))
                    .min(Comparator.comparingInt(String::length).thenComparing(m -> m))
                    .orElse(b.primaryMetric.orElse(b.benchmark)));
    List<String> judgeNames = new ArrayList<>(b.judgeNames);
    if (judgeNames.isEmpty()) {
      judgeNames.addAll(known.keySet());
    }
    List<Judge> judges = new ArrayList<>();
    for (String name : judgeNames) {
      judges.add(known.getOrDefault(name, new Judge(name, "", "", List.of(), false, false)));
    }
    MetricOrder order = new MetricOrder(template, b.scoreFields, judgeNames);
    List<Metric> metrics = new ArrayList<>();
    b.metrics.keySet().stream()
        .sorted(order)
        .forEach(name -> metrics.add(new Metric(name, b.metrics.get(name))));
    List<Agreement> agreement = new ArrayList<>(b.agreement);
    agreement.sort(
        Comparator.comparingInt((Agreement a) -> columnOrder.indexOf(a.column()))
            .thenComparing(a -> a.row().subset().orElse(""))
            .thenComparing(a -> a.row().template())
            .thenComparing(a -> order.fieldRank(a.row().field()))
            .thenComparing(a -> a.row().field()));
    List<Map.Entry<String, SampleRow>> samples = new ArrayList<>(b.samples);
    samples.sort(
        Comparator.comparingInt((Map.Entry<String, SampleRow> e) -> columnOrder.indexOf(e.getKey()))
            .thenComparing(e -> e.getValue().subset().orElse(""))
            .thenComparingInt(e -> e.getValue().exampleIndex())
            .thenComparingInt(e -> e.getValue().sampleIndex()));
    Optional<String> primary = b.primaryMetric;
    boolean closedQa = primary.isPresent() && !order.isOfTemplate(primary.get());
    long compared = 0;
    List<Disagreement> disagreements = new ArrayList<>();
    int storyCount = 0;
    List<Story> stories = new ArrayList<>();
    if (closedQa) {
      for (Map.Entry<String, SampleRow> entry : samples) {
        Double automatic = entry.getValue().scores().get(primary.get());
        Double judged = entry.getValue().scores().get(template);
        if (automatic == null || judged == null) {
          continue;
        }
        compared++;
        if ((automatic >= 0.5) != (judged >= 0.5)) {
          disagreements.add(new Disagreement(entry.getKey(), entry.getValue(), automatic, judged));
        }
      }
    } else {
      Map<String, Story> byExample = new TreeMap<>();
      for (Map.Entry<String, SampleRow> entry : samples) {
        SampleRow sample = entry.getValue();
        String key =
            String.format(
                Locale.ROOT,
                "%s\u0000%09d\u0000%s",
                sample.subset().orElse(""),
                sample.exampleIndex(),
                sample.exampleId());
        byExample
            .computeIfAbsent(
                key,
                k ->
                    new Story(
                        sample.exampleId(),
                        sample.exampleIndex(),
                        beginning(sample.prompt(), b.promptTemplates),
                        new LinkedHashMap<>()))
            .endings()
            .computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
            .add(sample);
      }
      storyCount = byExample.size();
      byExample.values().stream().limit(MAX_STORIES).forEach(stories::add);
    }
    return new Group(
        b.benchmark,
        titles.getOrDefault(b.benchmark, b.benchmark),
        b.setting,
        labels.getOrDefault(b.setting + "/" + b.benchmark, b.setting),
        template,
        primary,
        ImmutableList.copyOf(judges),
        ImmutableList.copyOf(metrics),
        ImmutableList.copyOf(agreement),
        closedQa,
        compared,
        ImmutableList.copyOf(disagreements),
        storyCount,
        ImmutableList.copyOf(stories));
  }

  /**
   * The story's beginning: the prompt without what the setting's query template puts around its one
   * placeholder (a chat API's instruction), where the prompt has that form.
   */
  static String beginning(String prompt, List<String> templates) {
    for (String template : templates) {
      Matcher matcher = PLACEHOLDER.matcher(template);
      if (!matcher.find()) {
        continue;
      }
      String before = template.substring(0, matcher.start());
      String after = template.substring(matcher.end());
      if (matcher.find()) {
        continue;
      }
      if (!before.isEmpty() || !after.isEmpty()) {
        if (prompt.startsWith(before)
            && prompt.endsWith(after)
            && prompt.length() >= before.length() + after.length()) {
          return prompt.substring(before.length(), prompt.length() - after.length());
        }
      }
    }
    return prompt;
  }

  /**
   * The order of a judged template's metrics: the template's value, then its criteria (the score's
   * fields in its order, then the others), then each judge's, then the categories' shares.
   */
  private static final class MetricOrder implements Comparator<String> {
    private final String template;
    private final List<String> scoreFields;
    private final List<String> judges;

    MetricOrder(String template, List<String> scoreFields, List<String> judges) {
      this.template = template;
      this.scoreFields = scoreFields;
      this.judges = judges;
    }

    boolean isOfTemplate(String metric) {
      return metric.equals(template)
          || metric.startsWith(template + "/")
          || metric.startsWith(template + "[");
    }

    int fieldRank(String field) {
      int at = scoreFields.indexOf(field);
      return at < 0 ? scoreFields.size() : at;
    }

    /** {rank, judge rank, field rank} and the text to break ties with. */
    private Object[] key(String metric) {
      if (!isOfTemplate(metric)) {
        return new Object[] {4, 0, 0, metric};
      }
      String rest = metric.substring(template.length());
      String judge = "";
      if (rest.endsWith("]") && rest.contains("[")) {
        judge = rest.substring(rest.lastIndexOf('[') + 1, rest.length() - 1);
        rest = rest.substring(0, rest.lastIndexOf('['));
      }
      String field = rest.startsWith("/") ? rest.substring(1) : rest;
      if (field.contains("=")) {
        String name = field.substring(0, field.indexOf('='));
        return new Object[] {3, judgeRank(judge), fieldRank(name), field};
      }
      if (!judge.isEmpty()) {
        return new Object[] {2, judgeRank(judge), field.isEmpty() ? -1 : fieldRank(field), field};
      }
      if (field.isEmpty()) {
        return new Object[] {0, 0, 0, ""};
      }
      return new Object[] {1, 0, fieldRank(field), field};
    }

    private int judgeRank(String judge) {
      if (judge.isEmpty()) {
        return -1;
      }
      int at = judges.indexOf(judge);
      return at < 0 ? judges.size() : at;
    }

    @Override
    public int compare(String a, String b) {
      Object[] x = key(a);
      Object[] y = key(b);
      for (int i = 0; i < 3; i++) {
        int c = Integer.compare((Integer) x[i], (Integer) y[i]);
        if (c != 0) {
          return c;
        }
      }
      int c = ((String) x[3]).compareTo((String) y[3]);
      return c != 0 ? c : a.compareTo(b);
    }
  }

  // ---- formatting ----

  /** A share in %, whole where it is whole: {@code 4%}, {@code 12.5%}. */
  static String share(double rate) {
    String text = String.format(Locale.ROOT, "%.1f", rate * 100);
    return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + "%";
  }

  /** {@code 72.3 [68.1, 76.0] · no grade 4%}. */
  static String cellText(Value value) {
    return String.format(
            Locale.ROOT,
            "%.1f [%.1f, %.1f]",
            value.value() * 100,
            value.ciLow() * 100,
            value.ciHigh() * 100)
        + " · no grade "
        + share(value.noGradeRate());
  }

  static String agreementValue(AgreementRow row) {
    return row.value().map(v -> String.format(Locale.ROOT, "%.3f", v)).orElse("undefined");
  }

  static String disagreeShare(AgreementRow row) {
    return row.disagreeShare().map(ModelGraded::share).orElse("—");
  }

  /** A score as a verdict: {@code 1}, {@code 0}, or its value where it is in between. */
  private static String verdict(double value) {
    if (value == 1) {
      return "1";
    }
    if (value == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** What one judge said: its grades, or that it gave none and why. */
  static String grades(SampleRow.Judgement judgement) {
    if (judgement.noGrade().isPresent()) {
      return "no grade (" + judgement.noGrade().get() + ")";
    }
    List<String> grades = new ArrayList<>();
    judgement.grades().forEach((field, grade) -> grades.add(field + " " + grade));
    return grades.isEmpty() ? "no grade" : String.join(", ", grades);
  }

  /** The judges' verdicts on a closed-book QA item: {@code INCORRECT}, or each judge's. */
  private static String judgeVerdict(SampleRow sample) {
    List<String> parts = new ArrayList<>();
    for (SampleRow.Judgement judgement : sample.judgements()) {
      String said =
          judgement.noGrade().isPresent()
              ? "no grade"
              : judgement.grades().size() == 1
                  ? judgement.grades().values().iterator().next()
                  : grades(judgement);
      parts.add(sample.judgements().size() == 1 ? said : judgement.judge() + " " + said);
    }
    return String.join(", ", parts);
  }

  private String columnLabel(String key) {
    return columns.stream()
        .filter(c -> c.key().equals(key))
        .map(Leaderboard.Column::label)
        .findFirst()
        .orElse(key);
  }

  private static String judgesLine(Group group) {
    List<String> described = group.judges().stream().map(Judge::describe).toList();
    return (described.size() == 1 ? "Judge: " : "Judges: ") + String.join("; ", described);
  }

  private static String summary(Disagreement d) {
    return "fuzzy match "
        + verdict(d.automatic())
        + ", judge "
        + judgeVerdict(d.sample())
        + (d.sample().judgements().size() == 1
            ? " (" + d.sample().judgements().get(0).judge() + ")"
            : "");
  }

  private static String completion(SampleRow sample) {
    return sample
        .completion()
        .orElse("(none: " + sample.error().orElse("the request failed") + ")");
  }

  /** The first {@link #SUMMARY_CHARS} characters of {@code text}, on one line. */
  static String firstChars(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    if (line.codePointCount(0, line.length()) <= SUMMARY_CHARS) {
      return line;
    }
    return line.substring(0, line.offsetByCodePoints(0, SUMMARY_CHARS)).stripTrailing() + "…";
  }

  // ---- Markdown ----

  /** Inline code that holds {@code text} whatever backticks it has, on one line. */
  private static String code(String text) {
    String line = text.replace("\r", "").replace("\n", " ⏎ ");
    String fence = "`".repeat(longestRun(line, '`') + 1);
    String pad = line.startsWith("`") || line.endsWith("`") || line.isBlank() ? " " : "";
    return fence + pad + line + pad + fence;
  }

  /** A fenced block holding {@code text}, every line indented by {@code indent}. */
  private static String block(String text, String indent) {
    String fence = "`".repeat(Math.max(3, longestRun(text, '`') + 1));
    StringBuilder md = new StringBuilder();
    md.append(indent).append(fence).append("text\n");
    for (String line : text.replace("\r", "").split("\n", -1)) {
      md.append(line.isEmpty() ? "" : indent).append(line).append('\n');
    }
    return md.append(indent).append(fence).append('\n').toString();
  }

  private static int longestRun(String text, char c) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == c ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  /** Short single-line text as inline code, anything else as a block under the item. */
  private static void text(StringBuilder md, String what, String text) {
    if (!text.contains("\n") && text.length() <= 200) {
      md.append("  - ").append(what).append(": ").append(code(text)).append('\n');
    } else {
      md.append("  - ").append(what).append(":\n\n").append(block(text, "    ")).append('\n');
    }
  }

  private static String tableText(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  String markdown() {
    StringBuilder md = new StringBuilder("\n## Model-graded\n\n");
    md.append("Judged metrics in % with 95% bootstrap intervals, and the share of the judges'")
        .append(" replies that gave no grade (left out of the value, never counted as 0).\n");
    for (Group group : groups) {
      md.append("\n### ").append(group.heading()).append("\n\n");
      md.append("Template `").append(group.template()).append("`. ");
      md.append(judgesLine(group)).append(".\n\n");
      if (group.metrics().isEmpty()) {
        md.append("No judged metric has a value: no judge gave a grade.\n");
      } else {
        md.append("| Metric |");
        columns.forEach(c -> md.append(' ').append(c.label()).append(" |"));
        md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
        for (Metric metric : group.metrics()) {
          md.append("| ").append(tableText(metric.name())).append(" |");
          for (Leaderboard.Column column : columns) {
            Value value = metric.cells().get(column.key());
            md.append(' ').append(value == null ? "—" : cellText(value)).append(" |");
          }
          md.append('\n');
        }
      }
      if (!group.agreement().isEmpty()) {
        md.append("\nAgreement between the judges:\n\n")
            .append(
                "| Model | Field | Statistic | Value | Units | Disagree by > 1/5 of the scale |\n")
            .append("|---|---|---|---|---|---|\n");
        for (Agreement a : group.agreement()) {
          AgreementRow row = a.row();
          md.append("| ")
              .append(tableText(agreementModel(a)))
              .append(" | ")
              .append(tableText(row.field()))
              .append(" | ")
              .append(row.statistic())
              .append(" | ")
              .append(agreementValue(row))
              .append(" | ")
              .append(row.units())
              .append(" | ")
              .append(disagreeShare(row))
              .append(" |\n");
        }
      }
      if (group.closedQa()) {
        markdownDisagreements(md, group);
      }
    }
    return md.toString();
  }

  private String agreementModel(Agreement a) {
    return columnLabel(a.column()) + a.row().subset().map(s -> " · " + s).orElse("");
  }

  private void markdownDisagreements(StringBuilder md, Group group) {
    md.append("\n#### Where the fuzzy match and the judge disagree\n\n");
    if (group.compared() == 0) {
      md.append(
          String.format(
              "No item has both `%s` and a grade from the judge.\n",
              group.primaryMetric().orElse("")));
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%d of %d items graded both ways (`%s` against the judge's `%s`)%s\n",
            group.disagreements().size(),
            group.compared(),
            group.primaryMetric().orElse(""),
            group.template(),
            group.disagreements().isEmpty() ? "." : ":"));
    if (group.disagreements().isEmpty()) {
      return;
    }
    md.append('\n');
    for (Disagreement d : group.disagreements().subList(0, listed(group))) {
      SampleRow sample = d.sample();
      md.append("- **")
          .append(columnLabel(d.column()))
          .append("**, ")
          .append(code(sample.exampleId()))
          .append(sample.sampleIndex() > 0 ? " sample " + sample.sampleIndex() : "")
          .append(": ")
          .append(summary(d))
          .append('\n');
      text(md, "completion", completion(sample));
      text(md, "gold", sample.gold());
      for (SampleRow.Judgement judgement : sample.judgements()) {
        md.append("  - ")
            .append(judgement.judge())
            .append("'s reply:\n\n")
            .append(block(judgement.reply(), "    "))
            .append('\n');
      }
    }
    int rest = group.disagreements().size() - listed(group);
    if (rest > 0) {
      md.append("… and ").append(rest).append(" more (samples.parquet holds every judge reply).\n");
    }
  }

  private static int listed(Group group) {
    return Math.min(MAX_DISAGREEMENTS, group.disagreements().size());
  }

  // ---- JSON ----

  void json(ObjectNode root) {
    ArrayNode list = root.putArray("model_graded");
    for (Group group : groups) {
      ObjectNode node = list.addObject();
      node.put("benchmark", group.benchmark());
      node.put("title", group.title());
      node.put("setting", group.setting());
      node.put("setting_label", group.label());
      node.put("default_setting", group.isDefault());
      node.put("template", group.template());
      node.put("primary_metric", group.primaryMetric().orElse(null));
      ArrayNode judges = node.putArray("judges");
      for (Judge judge : group.judges()) {
        ObjectNode j = judges.addObject().put("name", judge.name());
        if (judge.known()) {
          j.put("provider", judge.provider()).put("model", judge.model());
          judge.reportedModels().forEach(j.putArray("reported_models")::add);
          j.put("simulated", judge.simulated());
        }
      }
      ArrayNode metrics = node.putArray("metrics");
      for (Metric metric : group.metrics()) {
        ObjectNode m = metrics.addObject().put("metric", metric.name());
        ObjectNode scores = m.putObject("scores");
        for (Leaderboard.Column column : columns) {
          Value value = metric.cells().get(column.key());
          if (value != null) {
            scores
                .putObject(column.key())
                .put("value", value.value())
                .put("ci_low", value.ciLow())
                .put("ci_high", value.ciHigh())
                .put("n", value.n())
                .put("no_grade_rate", value.noGradeRate());
          }
        }
      }
      ArrayNode agreement = node.putArray("agreement");
      for (Agreement a : group.agreement()) {
        AgreementRow row = a.row();
        ObjectNode r = agreement.addObject();
        r.put("model", a.column());
        r.put("subset", row.subset().orElse(null));
        r.put("template", row.template());
        r.put("field", row.field());
        row.judges().forEach(r.putArray("judges")::add);
        r.put("statistic", row.statistic());
        if (row.value().isPresent()) {
          r.put("value", row.value().get());
        } else {
          r.putNull("value");
        }
        r.put("units", row.units());
        if (row.disagreeShare().isPresent()) {
          r.put("disagree_share", row.disagreeShare().get());
        } else {
          r.putNull("disagree_share");
        }
      }
      if (group.closedQa()) {
        node.putObject("disagreements")
            .put("compared", group.compared())
            .put("count", group.disagreements().size());
      } else {
        node.put("stories", group.storyCount());
      }
    }
  }

  // ---- HTML ----

  String html() {
    Escaper esc = HtmlEscapers.htmlEscaper();
    StringBuilder page = new StringBuilder("<h2 id=\"model-graded\">Model-graded</h2>\n");
    page.append("<p class=\"note\">Judged metrics in % with 95% bootstrap intervals, and the")
        .append(" share of the judges' replies that gave no grade (left out of the value, never")
        .append(" counted as 0).</p>\n");
    for (Group group : groups) {
      page.append("<section class=\"judged\" data-benchmark=\"")
          .append(esc.escape(group.benchmark()))
          .append("\" data-setting=\"")
          .append(esc.escape(group.setting()))
          .append("\">\n<h3>")
          .append(esc.escape(group.heading()))
          .append("</h3>\n<p class=\"judges\">Template <code>")
          .append(esc.escape(group.template()))
          .append("</code>. ")
          .append(esc.escape(judgesLine(group)))
          .append(".</p>\n");
      if (group.metrics().isEmpty()) {
        page.append("<p>No judged metric has a value: no judge gave a grade.</p>\n");
      } else {
        List<String> headings = new ArrayList<>(List.of("Metric"));
        columns.forEach(c -> headings.add(c.label()));
        page.append("<table class=\"scores judged-metrics\">")
            .append(Page.headerRow(headings, 1))
            .append("<tbody>\n");
        for (Metric metric : group.metrics()) {
          page.append("<tr data-metric=\"")
              .append(esc.escape(metric.name()))
              .append("\">")
              .append(Page.textCell("Metric", metric.name()));
          double best =
              metric.cells().values().stream().mapToDouble(Value::value).max().orElse(Double.NaN);
          for (Leaderboard.Column column : columns) {
            Value value = metric.cells().get(column.key());
            if (value == null) {
              page.append(Page.emptyCell(column.label(), "not graded"));
            } else {
              page.append(
                  Page.scoreCell(
                      column.label(),
                      value.value(),
                      value.ciLow(),
                      value.ciHigh(),
                      value.n(),
                      value.value() == best,
                      " <span class=\"nograde\">· no grade "
                          + share(value.noGradeRate())
                          + "</span>"));
            }
          }
          page.append("</tr>\n");
        }
        page.append("</tbody></table>\n");
      }
      if (!group.agreement().isEmpty()) {
        List<String> heads =
            List.of(
                "Model", "Field", "Statistic", "Value", "Units", "Disagree by > 1/5 of the scale");
        page.append("<h4>Agreement between the judges</h4>\n<table class=\"scores agreement\">")
            .append(Page.headerRow(heads, 3))
            .append("<tbody>\n");
        for (Agreement a : group.agreement()) {
          AgreementRow row = a.row();
          page.append("<tr>")
              .append(Page.textCell(heads.get(0), agreementModel(a)))
              .append(Page.textCell(heads.get(1), row.field()))
              .append(Page.textCell(heads.get(2), row.statistic()))
              .append(Page.numberCell(heads.get(3), agreementValue(row)))
              .append(Page.numberCell(heads.get(4), Long.toString(row.units())))
              .append(Page.numberCell(heads.get(5), disagreeShare(row)))
              .append("</tr>\n");
        }
        page.append("</tbody></table>\n");
      }
      if (group.closedQa()) {
        htmlDisagreements(page, group, esc);
      } else {
        htmlStories(page, group, esc);
      }
      page.append("</section>\n");
    }
    return page.toString();
  }

  private void htmlDisagreements(StringBuilder page, Group group, Escaper esc) {
    page.append("<details class=\"disagreements\"><summary>")
        .append(
            esc.escape(
                String.format(
                    Locale.ROOT,
                    "Where the fuzzy match (%s) and the judge (%s) disagree: %d of %d items",
                    group.primaryMetric().orElse(""),
                    group.template(),
                    group.disagreements().size(),
                    group.compared())))
        .append("</summary>\n");
    for (Disagreement d : group.disagreements().subList(0, listed(group))) {
      SampleRow sample = d.sample();
      page.append("<div class=\"item\" data-model=\"")
          .append(esc.escape(d.column()))
          .append("\" data-example=\"")
          .append(esc.escape(sample.exampleId()))
          .append("\"><p><strong>")
          .append(esc.escape(columnLabel(d.column())))
          .append("</strong>, ")
          .append(esc.escape(sample.exampleId()))
          .append(sample.sampleIndex() > 0 ? " sample " + sample.sampleIndex() : "")
          .append(": ")
          .append(esc.escape(summary(d)))
          .append("</p>\n<p>Completion:</p><pre class=\"wrap\">")
          .append(esc.escape(completion(sample)))
          .append("</pre>\n<p>Gold:</p><pre class=\"wrap\">")
          .append(esc.escape(sample.gold()))
          .append("</pre>\n");
      for (SampleRow.Judgement judgement : sample.judgements()) {
        page.append("<p>")
            .append(esc.escape(judgement.judge()))
            .append("'s reply:</p><pre class=\"wrap\">")
            .append(esc.escape(judgement.reply()))
            .append("</pre>\n");
      }
      page.append("</div>\n");
    }
    int rest = group.disagreements().size() - listed(group);
    if (rest > 0) {
      page.append("<p>… and ")
          .append(rest)
          .append(" more (samples.parquet holds every judge reply).</p>\n");
    }
    page.append("</details>\n");
  }

  private void htmlStories(StringBuilder page, Group group, Escaper esc) {
    if (group.stories().isEmpty()) {
      return;
    }
    page.append("<h4>Stories</h4>\n<p class=\"note\">Open a beginning to read each model's")
        .append(" ending and what each judge replied.</p>\n");
    for (Story story : group.stories()) {
      page.append("<details class=\"story\" data-example=\"")
          .append(esc.escape(story.exampleId()))
          .append("\"><summary>")
          .append(esc.escape(story.exampleId()))
          .append(" — ")
          .append(esc.escape(firstChars(story.beginning())))
          .append("</summary>\n<p><strong>Beginning</strong></p><pre class=\"wrap beginning\">")
          .append(esc.escape(story.beginning()))
          .append("</pre>\n");
      for (Leaderboard.Column column : columns) {
        List<SampleRow> samples = story.endings().get(column.key());
        if (samples == null) {
          continue;
        }
        for (SampleRow sample : samples) {
          page.append("<div class=\"ending\" data-model=\"")
              .append(esc.escape(column.key()))
              .append("\"><p><strong>")
              .append(esc.escape(column.label()))
              .append("</strong>")
              .append(sample.sampleIndex() > 0 ? " (sample " + sample.sampleIndex() + ")" : "")
              .append("</p><pre class=\"wrap ending-text\">")
              .append(esc.escape(completion(sample)))
              .append("</pre>\n");
          for (SampleRow.Judgement judgement : sample.judgements()) {
            page.append("<div class=\"judgement\" data-judge=\"")
                .append(esc.escape(judgement.judge()))
                .append("\"><p>")
                .append(esc.escape(judgement.judge()))
                .append(": <span class=\"grades\">")
                .append(esc.escape(grades(judgement)))
                .append("</span></p><pre class=\"wrap reply\">")
                .append(esc.escape(judgement.reply()))
                .append("</pre></div>\n");
          }
          page.append("</div>\n");
        }
      }
      page.append("</details>\n");
    }
    if (group.storyCount() > group.stories().size()) {
      page.append("<p>… and ")
          .append(group.storyCount() - group.stories().size())
          .append(" more stories (samples.parquet holds them all).</p>\n");
    }
  }
}
