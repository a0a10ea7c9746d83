package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import io.leadline.datasets.KnownDatasets;
import io.leadline.scoring.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One benchmark as {@code benchmarks/<name>/benchmark.yaml} defines it: the dataset it binds, where
 * its few-shot exemplars come from, its template, extractors and metrics, its capability category
 * and its subsets.
 *
 * @param hub the Hub dataset id
 * @param subsets the configs evaluated (MMLU subjects, BBH tasks, or the one config)
 * @param hasSubsets true when subsets aggregate by a macro mean into an overall row
 * @param revision the pinned Hub revision, if pinned
 * @param fewShot where exemplars come from: {@code file:F}, {@code split:S}, {@code prompts:DIR}
 * @param fewShotDigest sha256 of the exemplar file or folder, empty for a split
 * @param extractorCot extractor for chain-of-thought completions, if the format has CoT
 * @param extractorAnswerOnly extractor for answer-only completions
 * @param metrics metric names, the primary one first
 */
public record Benchmark(
    String name,
    String title,
    Capability category,
    String hub,
    ImmutableList<String> subsets,
    boolean hasSubsets,
    String split,
    Optional<String> revision,
    Format format,
    String fewShot,
    String fewShotDigest,
    Template template,
    ImmutableList<String> stop,
    Optional<String> extractorCot,
    String extractorAnswerOnly,
    ImmutableList<String> metrics,
    Path dir) {

  private static final Set<String> KEYS =
      Set.of(
          "name",
          "title",
          "category",
          "dataset",
          "format",
          "fewshot",
          "aggregate",
          "template",
          "stop",
          "extractor",
          "metrics");

  /** Extractors that are not in the scoring catalog: the completion as it is, or its code. */
  static final Set<String> SPECIAL_EXTRACTORS = Set.of("whole-completion", "code");

  /** The primary metric: GPT-Fathom's. */
  public String primaryMetric() {
    return metrics.get(0);
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
      throw root.required("category")
          .error("expected one of Knowledge, Reasoning, Comprehension, Math, Coding");
    }
    ConfigNode dataset =
        root.required("dataset").allowOnly(Set.of("hub", "config", "subsets", "split", "revision"));
    ImmutableList<String> subsets;
    boolean hasSubsets = dataset.optional("subsets").isPresent();
    if (hasSubsets == dataset.optional("config").isPresent()) {
      throw dataset.error("needs exactly one of 'config' and 'subsets'");
    }
    if (hasSubsets) {
      String kind = dataset.required("subsets").oneOf(List.of("mmlu-subjects", "bbh-tasks"));
      subsets =
          kind.equals("mmlu-subjects") ? KnownDatasets.MMLU_SUBJECTS : KnownDatasets.BBH_TASKS;
      if (!root.optional("aggregate").isPresent()) {
        throw root.required("aggregate").error("is required with subsets");
      }
      root.required("aggregate").oneOf(List.of("macro-mean"));
    } else {
      subsets = ImmutableList.of(dataset.required("config").text());
    }
    Format format = Format.fromId(root.required("format").text());
    if (format == null) {
      throw root.required("format").error("expected one of " + String.join(", ", Format.ids()));
    }
    String fewShot = "none";
    String digest = "";
    if (format.hasShots()) {
      ConfigNode shots = root.required("fewshot").allowOnly(Set.of("file", "split", "prompts"));
      List<String> given = shots.keys();
      if (given.size() != 1) {
        throw shots.error("needs exactly one of 'file', 'split', 'prompts'");
      }
      String kind = given.get(0);
      String value = shots.required(kind).text();
      fewShot = kind + ":" + value;
      if (!kind.equals("split")) {
        Path path = dir.resolve(value);
        if (!Files.exists(path)) {
          throw shots
              .required(kind)
              .error("no such " + (kind.equals("file") ? "file" : "folder") + ": " + path);
        }
        digest = digest(path);
      }
    } else if (root.optional("fewshot").isPresent()) {
      throw root.required("fewshot").error("format " + format.id() + " takes no exemplars");
    }
    Template template = Template.load(root.required("template"), format);
    ImmutableList<String> stop =
        root.optional("stop")
            .map(node -> node.list().stream().map(ConfigNode::rawText))
            .map(s -> ImmutableList.copyOf(s.toList()))
            .orElse(ImmutableList.of());
    ConfigNode extractor = root.required("extractor").allowOnly(Set.of("cot", "answer_only"));
    Optional<String> cot = extractor.optional("cot").map(ConfigNode::text);
    if (cot.isPresent() != template.parts().containsKey("cot_trigger")) {
      throw extractor.error("'cot' is needed exactly when the template has a cot_trigger");
    }
    cot.ifPresent(n -> checkExtractor(extractor.required("cot"), n));
    String answerOnly = extractor.required("answer_only").text();
    checkExtractor(extractor.required("answer_only"), answerOnly);
    ImmutableList.Builder<String> metrics = ImmutableList.builder();
    String primary = null;
    for (ConfigNode metric : root.required("metrics").list()) {
      metric.allowOnly(Set.of("name", "primary"));
      String metricName = metric.required("name").text();
      if (!Scorer.supports(format, metricName)) {
        throw metric
            .required("name")
            .error(
                "not a metric of format "
                    + format.id()
                    + "; known: "
                    + String.join(", ", Scorer.metricsOf(format)));
      }
      if (metric.optional("primary").map(ConfigNode::bool).orElse(false)) {
        if (primary != null) {
          throw metric.required("primary").error("only one metric may be primary");
        }
        primary = metricName;
      } else {
        metrics.add(metricName);
      }
    }
    if (primary == null) {
      throw root.required("metrics").error("one metric needs 'primary: true'");
    }
    return new Benchmark(
        name,
        root.required("title").text(),
        category,
        dataset.required("hub").text(),
        subsets,
        hasSubsets,
        dataset.required("split").text(),
        dataset.optional("revision").map(ConfigNode::text),
        format,
        fewShot,
        digest,
        template,
        stop,
        cot,
        answerOnly,
        ImmutableList.<String>builder().add(primary).addAll(metrics.build()).build(),
        dir);
  }

  private static void checkExtractor(ConfigNode node, String name) {
    if (!SPECIAL_EXTRACTORS.contains(name)) {
      try {
        Catalog.extractor(name);
      } catch (LeadlineException e) {
        throw node.error(e.getMessage());
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
