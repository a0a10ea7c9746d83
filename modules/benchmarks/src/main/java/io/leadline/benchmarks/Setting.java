package io.leadline.benchmarks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.leadline.api.ChatWrapping;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named setting ({@code settings/<name>.yaml}): per benchmark, shots, CoT, sampling, max tokens
 * and the chat wrapping. A setting may {@code extend} another and change what differs; {@code
 * every_benchmark} applies to all. {@code shots-N} needs no file: it is {@code gpt-fathom} with N
 * exemplars wherever the benchmark has exemplars (capped at those it has). Nor does a {@link
 * DerivedSetting} ({@code gpt-fathom+shots=0+temperature=0.7}): a setting with axes changed.
 *
 * @param perBenchmark the setting resolved for each benchmark, in suite order
 */
public record Setting(
    String name, String description, ImmutableMap<String, BenchmarkSetting> perBenchmark) {
  public static final String DEFAULT = "gpt-fathom";

  private static final Pattern SHOTS = Pattern.compile("shots-(\\d{1,2})");
  private static final Set<String> KEYS =
      Set.of(
          "name",
          "description",
          "extends",
          "chat_wrapping",
          "every_benchmark",
          "benchmarks",
          "judge_templates");
  private static final Set<String> AXES =
      Set.of(
          "shots",
          "cot",
          "temperature",
          "top_p",
          "max_tokens",
          "stop",
          "n",
          "seed",
          "pass_at",
          "maj_at",
          "judge",
          "scoring");

  /** The setting for {@code benchmark}, which must be in the suite. */
  public BenchmarkSetting of(String benchmark) {
    BenchmarkSetting setting = perBenchmark.get(benchmark);
    if (setting == null) {
      throw LeadlineException.userInput("setting %s has no benchmark '%s'", name, benchmark);
    }
    return setting;
  }

  /**
   * The setting for {@code benchmark}, or empty where the setting leaves it out (a log-likelihood
   * setting leaves out the benchmarks without options).
   */
  public Optional<BenchmarkSetting> find(String benchmark) {
    return Optional.ofNullable(perBenchmark.get(benchmark));
  }

  /**
   * GPT-Fathom's label for {@code benchmark} under this setting ({@code 8-shot CoT}); for a {@link
   * DerivedSetting}, with its base and what changed ({@code gpt-fathom, 0-shot CoT, T=0.7}).
   */
  public String label(String benchmark) {
    BenchmarkSetting resolved = of(benchmark);
    return DerivedSetting.parse(name).map(d -> d.label(resolved)).orElse(resolved.label());
  }

  /** The judges this setting names for {@code benchmarks}, in order, each once. */
  public List<String> judges(java.util.Collection<String> benchmarks) {
    java.util.LinkedHashSet<String> judges = new java.util.LinkedHashSet<>();
    for (String benchmark : benchmarks) {
      find(benchmark).flatMap(BenchmarkSetting::judging).ifPresent(j -> judges.addAll(j.judges()));
    }
    return List.copyOf(judges);
  }

  /**
   * This setting with its judges' identities (name to canonical text), which its hashes then
   * record.
   */
  public Setting withJudgeIdentities(Map<String, String> identities) {
    ImmutableMap.Builder<String, BenchmarkSetting> per = ImmutableMap.builder();
    perBenchmark.forEach((name, setting) -> per.put(name, setting.withJudgeIdentities(identities)));
    return new Setting(this.name, description, per.buildOrThrow());
  }

  /** The shared price table in the settings folder, not a setting. */
  private static final String PRICES = "prices.yaml";

  /** The names of the settings in {@code dir}, sorted, plus a note that {@code shots-N} exists. */
  public static List<String> names(Path dir) {
    List<String> names = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yaml") && !name.startsWith("sim-") && !name.equals(PRICES)) {
          names.add(name.substring(0, name.length() - ".yaml".length()));
        }
      }
    } catch (java.io.IOException e) {
      throw LeadlineException.userInput("%s: cannot list settings (%s)", dir, e.getMessage());
    }
    return names;
  }

  /**
   * Loads {@code name} from {@code dir} for the suite's benchmarks.
   *
   * @throws LeadlineException naming the file and key for anything unknown or missing
   */
  public static Setting load(Path dir, String name, Map<String, Benchmark> benchmarks) {
    Optional<DerivedSetting> derived = DerivedSetting.parse(name);
    if (derived.isPresent()) {
      return derived.get().applyTo(load(dir, derived.get().base(), benchmarks));
    }
    Matcher shots = SHOTS.matcher(name);
    if (shots.matches() && !Files.exists(dir.resolve(name + ".yaml"))) {
      int count = Integer.parseInt(shots.group(1));
      Setting base = load(dir, DEFAULT, benchmarks);
      ImmutableMap.Builder<String, BenchmarkSetting> per = ImmutableMap.builder();
      for (BenchmarkSetting setting : base.perBenchmark.values()) {
        int available = setting.benchmark().format().hasShots() ? count : 0;
        per.put(setting.benchmark().name(), withShots(name, setting, available));
      }
      return new Setting(
          name,
          "gpt-fathom with " + count + " exemplars wherever a benchmark has them",
          per.buildOrThrow());
    }
    Map<String, Map<String, ConfigNode>> axes = new LinkedHashMap<>();
    String[] description = new String[1];
    Map<String, JudgeTemplate> templates = new LinkedHashMap<>();
    Set<String> scoredByName = new HashSet<>();
    ChatWrapping wrapping =
        resolve(dir, name, axes, new HashSet<>(), description, benchmarks, templates, scoredByName);
    ImmutableMap.Builder<String, BenchmarkSetting> per = ImmutableMap.builder();
    for (Benchmark benchmark : benchmarks.values()) {
      Map<String, ConfigNode> values = axes.getOrDefault(benchmark.name(), Map.of());
      ConfigNode scoring = values.get("scoring");
      if (scoring != null
          && scoring.oneOf(ScoringMode.ids()).equals(ScoringMode.LOGLIKELIHOOD.id())
          && benchmark.likelihoodContinuation().isEmpty()) {
        if (scoredByName.contains(benchmark.name())) {
          throw scoring.error(
              benchmark.name()
                  + " has no options to score by log-likelihood (only multiple-choice"
                  + " benchmarks do)");
        }
        // every_benchmark: {scoring: loglikelihood} means every benchmark that has options.
        continue;
      }
      per.put(benchmark.name(), build(name, benchmark, values, wrapping, templates));
    }
    return new Setting(name, description[0], per.buildOrThrow());
  }

  private static BenchmarkSetting withShots(String name, BenchmarkSetting base, int shots) {
    return new BenchmarkSetting(
        name,
        base.benchmark(),
        shots,
        base.cot(),
        base.chatWrapping(),
        base.temperature(),
        base.topP(),
        base.maxTokens(),
        base.stop(),
        base.n(),
        base.seed(),
        base.passAt(),
        base.majAt(),
        base.perturbation(),
        base.judging(),
        base.scoring());
  }

  /** Collects the axis values of {@code name} and its ancestors, nearest last so it wins. */
  private static ChatWrapping resolve(
      Path dir,
      String name,
      Map<String, Map<String, ConfigNode>> axes,
      Set<String> seen,
      String[] description,
      Map<String, Benchmark> benchmarks,
      Map<String, JudgeTemplate> templates,
      Set<String> scoredByName) {
    Path file = dir.resolve(name + ".yaml");
    if (!Files.exists(file)) {
      throw LeadlineException.userInput(
          "unknown setting '%s'%s; known: %s, shots-N",
          name,
          io.leadline.api.Suggestions.didYouMean(name, names(dir)),
          String.join(", ", names(dir)));
    }
    if (!seen.add(name)) {
      throw LeadlineException.userInput("%s: 'extends' loops back to %s", file, name);
    }
    ConfigNode root = ConfigNode.load(file).allowOnly(KEYS);
    if (!root.required("name").text().equals(name)) {
      throw root.required("name").error("must be the file's name, '" + name + "'");
    }
    ChatWrapping wrapping = ChatWrapping.GPT_FATHOM;
    Optional<ConfigNode> parent = root.optional("extends");
    if (parent.isPresent()) {
      wrapping =
          resolve(
              dir,
              parent.get().text(),
              axes,
              seen,
              new String[1],
              benchmarks,
              templates,
              scoredByName);
    }
    root.optional("judge_templates")
        .ifPresent(node -> templates.putAll(JudgeTemplate.loadAll(node)));
    description[0] = root.required("description").text();
    if (root.optional("chat_wrapping").isPresent()) {
      ConfigNode node = root.required("chat_wrapping");
      wrapping = ChatWrapping.fromId(node.oneOf(List.of("gpt-fathom", "none")));
    }
    root.optional("every_benchmark")
        .ifPresent(
            every -> {
              every.allowOnly(AXES);
              if (every.optional("scoring").isPresent()) {
                scoredByName.clear();
              }
              for (Benchmark benchmark : benchmarks.values()) {
                for (String key : every.keys()) {
                  axes.computeIfAbsent(benchmark.name(), b -> new LinkedHashMap<>())
                      .put(key, every.required(key));
                }
              }
            });
    root.optional("benchmarks")
        .ifPresent(
            per -> {
              per.allowOnly(benchmarks.keySet());
              for (String benchmark : per.keys()) {
                ConfigNode values = per.required(benchmark).allowOnly(AXES);
                if (values.optional("scoring").isPresent()) {
                  scoredByName.add(benchmark);
                }
                for (String key : values.keys()) {
                  axes.computeIfAbsent(benchmark, b -> new LinkedHashMap<>())
                      .put(key, values.required(key));
                }
              }
            });
    return wrapping;
  }

  /** Every judge template the settings of {@code dir} define, by name (for the simulator). */
  public static Map<String, JudgeTemplate> judgeTemplates(Path dir) {
    Map<String, JudgeTemplate> templates = new LinkedHashMap<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(".yaml")
            && !fileName.startsWith("sim-")
            && !fileName.equals(PRICES)) {
          ConfigNode.load(file)
              .optional("judge_templates")
              .ifPresent(
                  node ->
                      JudgeTemplate.loadAll(node)
                          .forEach(
                              (name, template) -> {
                                JudgeTemplate known = templates.putIfAbsent(name, template);
                                if (known != null && !known.sameAs(template)) {
                                  throw node.error(
                                      name, "is defined differently in another setting");
                                }
                              }));
        }
      }
    } catch (java.io.IOException e) {
      throw LeadlineException.userInput("%s: cannot list settings (%s)", dir, e.getMessage());
    }
    return templates;
  }

  private static BenchmarkSetting build(
      String name,
      Benchmark benchmark,
      Map<String, ConfigNode> axes,
      ChatWrapping wrapping,
      Map<String, JudgeTemplate> settingTemplates) {
    Map<String, ConfigNode> values = axes == null ? Map.of() : axes;
    String where = "setting " + name + ", benchmark " + benchmark.name();
    ConfigNode shotsNode = need(values, "shots", where);
    int shots = (int) shotsNode.whole(0, 64);
    if (shots > 0 && !benchmark.format().hasShots()) {
      throw shotsNode.error(benchmark.name() + " has no exemplars; use 0");
    }
    boolean cot = Optional.ofNullable(values.get("cot")).map(ConfigNode::bool).orElse(false);
    if (cot && benchmark.extractorCot().isEmpty()) {
      throw values.get("cot").error(benchmark.name() + " has no chain-of-thought template");
    }
    int n = Optional.ofNullable(values.get("n")).map(v -> v.whole(1, 1000)).orElse(1L).intValue();
    ImmutableList<Integer> passAt = ImmutableList.of();
    if (values.containsKey("pass_at")) {
      ImmutableList.Builder<Integer> ks = ImmutableList.builder();
      for (ConfigNode k : values.get("pass_at").list()) {
        ks.add((int) k.whole(1, n));
      }
      passAt = ks.build();
    }
    if (benchmark.format().executesCode() && passAt.isEmpty()) {
      throw need(values, "pass_at", where).error("is required for " + benchmark.name());
    }
    OptionalInt majAt = OptionalInt.empty();
    if (values.containsKey("maj_at")) {
      majAt = OptionalInt.of((int) values.get("maj_at").whole(1, n));
    }
    ScoringMode scoring =
        Optional.ofNullable(values.get("scoring"))
            .map(v -> ScoringMode.fromId(v.oneOf(ScoringMode.ids())))
            .orElse(ScoringMode.GENERATIVE);
    if (scoring == ScoringMode.LOGLIKELIHOOD) {
      // The options' likelihoods are the answer: nothing is generated, sampled or judged.
      for (String key : List.of("cot", "n", "pass_at", "maj_at", "judge")) {
        ConfigNode value = values.get(key);
        boolean unset =
            value == null
                || (key.equals("cot") && !value.bool())
                || (key.equals("n") && value.whole(1, 1000) == 1);
        if (!unset) {
          throw value.error("does not go with scoring: loglikelihood (" + where + ")");
        }
      }
    }
    return new BenchmarkSetting(
        name,
        benchmark,
        shots,
        cot,
        wrapping,
        need(values, "temperature", where).decimal(),
        Optional.ofNullable(values.get("top_p")).map(ConfigNode::decimal),
        (int) need(values, "max_tokens", where).whole(1, 1_000_000),
        Optional.ofNullable(values.get("stop"))
            .map(v -> ImmutableList.copyOf(v.list().stream().map(ConfigNode::text).toList()))
            .orElse(ImmutableList.of()),
        n,
        Optional.ofNullable(values.get("seed"))
            .map(v -> OptionalLong.of(v.whole(0, Long.MAX_VALUE)))
            .orElse(OptionalLong.empty()),
        passAt,
        majAt,
        Optional.empty(),
        judging(name, benchmark, values.get("judge"), settingTemplates),
        scoring);
  }

  /** The judging of {@code benchmark}: its own {@code judge:} with the setting's over it. */
  private static Optional<Judging> judging(
      String name,
      Benchmark benchmark,
      ConfigNode node,
      Map<String, JudgeTemplate> settingTemplates) {
    Judging.Choice choice =
        node == null ? benchmark.judge() : benchmark.judge().with(Judging.Choice.load(node));
    if (choice.isEmpty() || (!benchmark.judgedByDefinition() && node == null)) {
      // A benchmark names judges for its own judged metric; others are judged where a setting asks.
      return Optional.empty();
    }
    Map<String, JudgeTemplate> templates = new LinkedHashMap<>(benchmark.judgeTemplates());
    for (Map.Entry<String, JudgeTemplate> entry : settingTemplates.entrySet()) {
      if (templates.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
        throw LeadlineException.userInput(
            "setting %s: judge template %s is also %s's; give it another name",
            name, entry.getKey(), benchmark.name());
      }
    }
    return Optional.of(
        choice.resolve(
            benchmark, templates, "setting " + name + ", benchmark " + benchmark.name()));
  }

  private static ConfigNode need(Map<String, ConfigNode> values, String key, String where) {
    ConfigNode node = values.get(key);
    if (node == null) {
      throw LeadlineException.userInput("%s: '%s' is not set", where, key);
    }
    return node;
  }
}
