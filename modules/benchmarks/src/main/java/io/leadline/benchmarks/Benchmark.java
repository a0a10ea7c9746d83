package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import io.leadline.scoring.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One benchmark as {@code benchmarks/<name>/benchmark.yaml} defines it: the dataset it binds and
 * how its columns map onto its format's fields, where its few-shot exemplars come from, its
 * template, extractors and scorers, its capability category and its subsets.
 *
 * @param hub the Hub dataset id, or for a benchmark GPT-Fathom reads from upstream files ({@code
 *     dataset.github}), that repository
 * @param onHub whether {@code --data hub} can pull it (else only the bundled sample runs)
 * @param subsets the configs evaluated (MMLU subjects, BBH tasks, or the one config)
 * @param hasSubsets true when subsets aggregate by a macro mean into an overall row
 * @param start the first row of the split that is evaluated (rows before it are exemplars)
 * @param revision the pinned Hub revision, if pinned
 * @param format the format adapter that reads the rows and fills the template
 * @param columns which column holds each field the format reads
 * @param fewShot where exemplars come from: {@code file:F} ({@code {subset}} in F names one file
 *     per subset), {@code split:S}, {@code prompts:DIR}
 * @param fewShotOverlap whether the exemplars are the evaluated split's first rows and stay items
 *     too (GPT-Fathom's RACE: {@code fewshot: {split: test, overlap: true}})
 * @param fewShotDigest sha256 of the exemplar file(s) or folder, empty for a split
 * @param extractorCot extractor for chain-of-thought completions, if the format has CoT
 * @param extractorAnswerOnly extractor for answer-only completions
 * @param metrics the scorers, the primary one first
 * @param judgeTemplates the judge templates of the folder's {@code judge.yaml}, by name
 * @param judge who judges the benchmark unless a setting says otherwise ({@code judge:})
 * @param likelihoodContinuation for a benchmark with options, what follows the prompt when an
 *     option is scored by log-likelihood ({@code loglikelihood: {continuation: …}}, with {@code
 *     {letter}} and {@code {answer}}); empty for one without options
 */
public record Benchmark(
    String name,
    String title,
    Capability category,
    String hub,
    boolean onHub,
    ImmutableList<String> subsets,
    boolean hasSubsets,
    String split,
    int start,
    Optional<String> revision,
    Format format,
    Columns columns,
    String fewShot,
    boolean fewShotOverlap,
    String fewShotDigest,
    Template template,
    Optional<String> extractorCot,
    String extractorAnswerOnly,
    ImmutableList<MetricSpec> metrics,
    ImmutableMap<String, JudgeTemplate> judgeTemplates,
    Judging.Choice judge,
    Optional<String> likelihoodContinuation,
    Path dir) {

  private static final Set<String> KEYS =
      Set.of(
          "name",
          "title",
          "category",
          "dataset",
          "format",
          "columns",
          "schemas",
          "fewshot",
          "aggregate",
          "template",
          "extractor",
          "metrics",
          "judge",
          "loglikelihood");

  /** The primary metric: GPT-Fathom's. */
  public String primaryMetric() {
    return metrics.get(0).name();
  }

  /** The metric names, the primary one first. */
  public ImmutableList<String> metricNames() {
    return ImmutableList.copyOf(metrics.stream().map(MetricSpec::name).toList());
  }

  /** The judges the benchmark's own {@code judge:} names, if any. */
  public List<String> namedJudges() {
    return judge.models().map(List::copyOf).orElse(List.of());
  }

  /** Whether the benchmark's own metrics include its judges' ({@code judged}). */
  public boolean judgedByDefinition() {
    return metrics.stream().anyMatch(m -> m.name().equals(MetricSpec.JUDGED));
  }

  /**
   * The splits {@code leadline data pull} fetches so that a sweep can run offline: the evaluated
   * split of every subset and, where exemplars come from a split, that split too.
   */
  public ImmutableList<io.leadline.datasets.SplitRef> pullSplits() {
    ImmutableList.Builder<io.leadline.datasets.SplitRef> splits = ImmutableList.builder();
    for (String subset : subsets) {
      splits.add(new io.leadline.datasets.SplitRef(hub, subset, split));
      if (fewShot.startsWith("split:") && !fewShotWhere().equals(split)) {
        splits.add(new io.leadline.datasets.SplitRef(hub, subset, fewShotWhere()));
      }
    }
    return splits.build();
  }

  /** Where exemplars come from, without its kind: the file, split or folder. */
  public String fewShotWhere() {
    return fewShot.substring(fewShot.indexOf(':') + 1);
  }

  /** The exemplar file of {@code subset}: the {@code file:} source with its {@code {subset}}. */
  String fewShotFile(String subset) {
    return fewShotWhere().replace("{subset}", subset);
  }

  /**
   * Checks that {@code --data hub} can pull this benchmark.
   *
   * @throws LeadlineException one line saying where its data comes from instead
   */
  public void requireHub() {
    if (!onHub) {
      throw LeadlineException.userInput(
          "%s is read from the upstream files of %s, not from a Hub"
              + " dataset: only --data bundled runs it",
          name, hub);
    }
  }

  /** The folder's {@code benchmark.yaml}, checked strictly. */
  public static Benchmark load(Path dir) {
    Path file = dir.resolve("benchmark.yaml");
    ConfigNode root = ConfigNode.load(file).allowOnly(KEYS);
    String name = root.required("name").text();
    if (!name.equals(dir.getFileName().toString())) {
      throw root.required("name").error("must be the folder's name, '" + dir.getFileName() + "'");
    }
    Capability category = Capability.fromLabel(root.required("category").text());
    if (category == null) {
      throw root.required("category").error("expected one of " + Capability.labels());
    }
    ConfigNode dataset =
        root.required("dataset")
            .allowOnly(Set.of("hub", "github", "config", "subsets", "split", "revision", "start"));
    boolean onHub = dataset.optional("hub").isPresent();
    if (onHub == dataset.optional("github").isPresent()) {
      throw dataset.error("needs exactly one of 'hub' and 'github'");
    }
    ImmutableList<String> subsets;
    boolean hasSubsets = dataset.optional("subsets").isPresent();
    if (hasSubsets == dataset.optional("config").isPresent()) {
      throw dataset.error("needs exactly one of 'config' and 'subsets'");
    }
    if (hasSubsets) {
      subsets =
          ImmutableList.copyOf(
              dataset.required("subsets").list().stream().map(ConfigNode::text).toList());
      if (subsets.isEmpty()) {
        throw dataset.required("subsets").error("needs at least one config");
      }
      if (!root.optional("aggregate").isPresent()) {
        throw root.required("aggregate").error("is required with subsets");
      }
      root.required("aggregate").oneOf(List.of("macro-mean"));
    } else {
      subsets = ImmutableList.of(dataset.required("config").text());
    }
    int start =
        dataset.optional("start").map(node -> (int) node.whole(0, Integer.MAX_VALUE)).orElse(0);
    Format format = Formats.get(root.required("format").text());
    if (format == null) {
      throw root.required("format").error("expected one of " + String.join(", ", Formats.ids()));
    }
    Columns columns = Columns.load(root.required("columns"), root.optional("schemas"), format);
    format.check(columns, root.required("columns"));
    String fewShot = "none";
    String digest = "";
    boolean overlap = false;
    if (format.hasShots()) {
      Set<String> allowed = new java.util.HashSet<>(format.fewShotSources());
      allowed.add("overlap");
      ConfigNode shots = root.required("fewshot").allowOnly(allowed);
      overlap = shots.optional("overlap").map(ConfigNode::bool).orElse(false);
      List<String> given = shots.keys().stream().filter(k -> !k.equals("overlap")).toList();
      if (given.size() != 1) {
        throw shots.error(
            "needs exactly one of "
                + String.join(", ", new java.util.TreeSet<>(format.fewShotSources())));
      }
      String kind = given.get(0);
      String value = shots.required(kind).text();
      fewShot = kind + ":" + value;
      boolean evaluated = kind.equals("split") && value.equals(dataset.required("split").text());
      if (overlap && !evaluated) {
        throw shots.required("overlap").error("is only for exemplars from the evaluated split");
      }
      if (evaluated && !overlap && !dataset.optional("start").isPresent()) {
        throw shots
            .required(kind)
            .error(
                "is the evaluated split: set dataset.start to the first row that is not an"
                    + " exemplar, or overlap: true to keep the exemplars as items too");
      }
      if (overlap && dataset.optional("start").isPresent()) {
        throw shots.required("overlap").error("cannot go with dataset.start");
      }
      if (!kind.equals("split")) {
        List<Path> paths = new java.util.ArrayList<>();
        if (value.contains("{subset}")) {
          for (String subset : subsets) {
            paths.add(dir.resolve(value.replace("{subset}", subset)));
          }
        } else {
          paths.add(dir.resolve(value));
        }
        var hasher = Hashing.sha256().newHasher();
        for (Path path : paths) {
          if (!Files.exists(path)) {
            throw shots
                .required(kind)
                .error("no such " + (kind.equals("file") ? "file" : "folder") + ": " + path);
          }
          hasher.putUnencodedChars(digest(path));
        }
        digest = paths.size() == 1 ? digest(paths.get(0)) : hasher.hash().toString();
      }
    } else if (root.optional("fewshot").isPresent()) {
      throw root.required("fewshot").error("format " + format.id() + " takes no exemplars");
    }
    Template template = Template.load(root.required("template"), format);
    boolean hasCot = template.parts().containsKey("cot_trigger");
    Optional<String> cot = hasCot ? Optional.of(format.defaultExtractor(true)) : Optional.empty();
    String answerOnly = format.defaultExtractor(false);
    Optional<ConfigNode> extractorNode = root.optional("extractor");
    if (extractorNode.isPresent()) {
      ConfigNode extractor = extractorNode.get().allowOnly(Set.of("cot", "answer_only"));
      if (extractor.optional("cot").isPresent() && !hasCot) {
        throw extractor.error("cot", "is only for a template with a cot_trigger");
      }
      cot =
          extractor
              .optional("cot")
              .map(ConfigNode::text)
              .or(() -> hasCot ? Optional.of(format.defaultExtractor(true)) : Optional.empty());
      answerOnly = extractor.optional("answer_only").map(ConfigNode::text).orElse(answerOnly);
      cot.ifPresent(n -> checkExtractor(extractor, "cot", n));
      checkExtractor(extractor, "answer_only", answerOnly);
    }
    ImmutableList.Builder<MetricSpec> metrics = ImmutableList.builder();
    MetricSpec primary = null;
    java.util.Set<String> named = new java.util.HashSet<>();
    if (root.optional("metrics").isEmpty()) {
      // The format's scorers, the first primary.
      for (String scorer : format.scorers()) {
        MetricSpec metric = new MetricSpec(scorer);
        if (primary == null) {
          primary = metric;
        } else {
          metrics.add(metric);
        }
      }
    }
    for (ConfigNode node : root.optional("metrics").map(ConfigNode::list).orElse(List.of())) {
      MetricSpec metric = MetricSpec.load(node, format);
      if (!named.add(metric.name())) {
        throw node.required("name").error("is named twice; each metric's values go by its name");
      }
      if (node.optional("primary").map(ConfigNode::bool).orElse(false)) {
        if (primary != null) {
          throw node.required("primary").error("only one metric may be primary");
        }
        primary = metric;
      } else {
        metrics.add(metric);
      }
    }
    if (primary == null) {
      throw root.required("metrics").error("one metric needs 'primary: true'");
    }
    ImmutableMap<String, JudgeTemplate> judgeTemplates =
        JudgeTemplate.loadFile(dir.resolve("judge.yaml"));
    Judging.Choice judge =
        root.optional("judge").map(Judging.Choice::load).orElse(Judging.Choice.NONE);
    boolean judged = named.contains(MetricSpec.JUDGED) || primary.name().equals(MetricSpec.JUDGED);
    if (judged && judge.models().isEmpty()) {
      throw root.error("judge", "is required: the metrics include judged (name the judges)");
    }
    Optional<String> continuation = format.likelihoodContinuation();
    Optional<ConfigNode> likelihood = root.optional("loglikelihood");
    if (likelihood.isPresent()) {
      ConfigNode node = likelihood.get().allowOnly(Set.of("continuation"));
      if (continuation.isEmpty()) {
        throw root.error(
            "loglikelihood", "format " + format.id() + " has no options to score by likelihood");
      }
      ConfigNode text = node.required("continuation");
      continuation = Optional.of(text.text());
      java.util.regex.Matcher placeholder =
          java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(continuation.get());
      while (placeholder.find()) {
        if (!Set.of("letter", "answer").contains(placeholder.group(1))) {
          throw text.error(
              "has {" + placeholder.group(1) + "}; a continuation may use {letter} and {answer}");
        }
      }
      if (continuation.get().isBlank() || !continuation.get().equals(continuation.get().strip())) {
        throw text.error(
            "must be text without leading or trailing whitespace (the prompt's trailing"
                + " whitespace goes before it)");
      }
    }
    return new Benchmark(
        name,
        root.required("title").text(),
        category,
        dataset.required(onHub ? "hub" : "github").text(),
        onHub,
        subsets,
        hasSubsets,
        dataset.required("split").text(),
        start,
        dataset.optional("revision").map(ConfigNode::text),
        format,
        columns,
        fewShot,
        overlap,
        digest,
        template,
        cot,
        answerOnly,
        ImmutableList.<MetricSpec>builder().add(primary).addAll(metrics.build()).build(),
        judgeTemplates,
        judge,
        continuation,
        dir);
  }

  private static void checkExtractor(ConfigNode node, String key, String name) {
    if (!AnswerExtractor.SPECIAL.contains(name)) {
      try {
        Catalog.extractor(name);
      } catch (LeadlineException e) {
        throw node.error(key, e.getMessage());
      }
    }
  }

  /** sha256 of a file, or of a folder's files in name order (name and content). */
  private static String digest(Path path) {
    try {
      var hasher = Hashing.sha256().newHasher();
      if (Files.isDirectory(path)) {
        try (var files = Files.list(path)) {
          for (Path file : files.sorted().toList()) {
            hasher.putUnencodedChars(file.getFileName().toString()).putByte((byte) 0);
            hasher.putBytes(Files.readAllBytes(file)).putByte((byte) 0);
          }
        }
      } else {
        hasher.putBytes(Files.readAllBytes(path));
      }
      return hasher.hash().toString();
    } catch (IOException e) {
      throw LeadlineException.userInput("%s: cannot read (%s)", path, e.getMessage());
    }
  }
}
