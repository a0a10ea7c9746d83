package io.leadline.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.LeadlineException;
import io.leadline.benchmarks.Benchmark;
import io.leadline.benchmarks.JudgeTemplate;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.SimFacts;
import io.leadline.benchmarks.Suite;
import io.leadline.datasets.BundledSamples;
import io.leadline.datasets.PulledSplit;
import io.leadline.datasets.SplitRef;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimItem;
import io.leadline.models.sim.SimJudgeTemplate;
import io.leadline.models.sim.SimProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's answer key: every bundled row of every benchmark's evaluated split (from its
 * first evaluated row), each read by its benchmark's format adapter.
 */
public final class SimAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SimAnswers() {}

  /** Keys already built in this JVM, by folder: the bundled files do not change under a run. */
  private static final java.util.concurrent.ConcurrentMap<List<Path>, SimAnswerKey> BUILT =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The answer key of every bundled test and validation row under {@code benchmarks}, built once
   * per folder in a JVM (every simulated server of a sweep, and of a test suite, shares it).
   */
  public static SimAnswerKey bundled(Path benchmarks) {
    return bundled(benchmarks, benchmarks.toAbsolutePath().normalize().resolveSibling("settings"));
  }

  /**
   * As {@link #bundled(Path)}, the simulated judges recognising the judge templates of the
   * benchmarks and of the settings in {@code settings} (if it exists).
   */
  public static SimAnswerKey bundled(Path benchmarks, Path settings) {
    return BUILT.computeIfAbsent(
        List.of(benchmarks.toAbsolutePath().normalize(), settings.toAbsolutePath().normalize()),
        dirs -> build(dirs.get(0), dirs.get(1)));
  }

  /**
   * The judge templates the simulator recognises: every benchmark's {@code judge.yaml} and every
   * setting's {@code judge_templates}; one name must mean one template.
   */
  private static List<JudgeTemplate> templates(Suite suite, Path settings) {
    Map<String, JudgeTemplate> templates = new java.util.LinkedHashMap<>();
    for (Benchmark benchmark : suite.benchmarks().values()) {
      templates.putAll(benchmark.judgeTemplates());
    }
    if (Files.isDirectory(settings)) {
      for (JudgeTemplate template : Setting.judgeTemplates(settings).values()) {
        JudgeTemplate known = templates.putIfAbsent(template.name(), template);
        if (known != null && !known.sameAs(template)) {
          throw LeadlineException.userInput(
              "%s: judge template %s is defined twice, differently; give one another name",
              settings, template.name());
        }
      }
    }
    return List.copyOf(templates.values());
  }

  private static SimJudgeTemplate sim(JudgeTemplate template) {
    List<List<String>> split = template.split();
    Map<String, SimJudgeTemplate.Field> fields = new java.util.LinkedHashMap<>();
    for (JudgeTemplate.Field field : template.fields().values()) {
      fields.put(
          field.name(),
          field.ordinal()
              ? SimJudgeTemplate.Field.ordinal(
                  (int) field.low().getAsLong(), (int) field.high().getAsLong())
              : field.correct().isPresent()
                  ? SimJudgeTemplate.Field.verdict(field.categories(), field.correct().get())
                  : SimJudgeTemplate.Field.categorical(field.categories()));
    }
    return new SimJudgeTemplate(
        template.name(),
        template.kind() == JudgeTemplate.Kind.PAIRWISE
            ? SimJudgeTemplate.Kind.PAIRWISE
            : SimJudgeTemplate.Kind.GRADES,
        split.get(0),
        split.get(1),
        template.format(),
        fields);
  }

  private static SimAnswerKey build(Path benchmarks, Path settings) {
    Suite suite = Suite.load(benchmarks);
    BundledSamples samples = new BundledSamples(benchmarks);
    SimAnswerKey.Builder key = SimAnswerKey.builder();
    for (Benchmark benchmark : suite.benchmarks().values()) {
      for (SplitRef ref : samples.splits(benchmark.name())) {
        if (!ref.split().equals(benchmark.split())) {
          continue;
        }
        PulledSplit split = samples.load(benchmark.name(), ref.config(), ref.split());
        List<SimItem.Draft> rows = new ArrayList<>(split.rows().size());
        // Rows before the benchmark's start are exemplars: a prompt shows them before its item, so
        // the simulator must not mistake a prompt for one of them.
        int first = benchmark.start();
        for (int i = first; i < split.rows().size(); i++) {
          String where = split.source() + " row " + (i + 1);
          JsonNode row;
          try {
            row = MAPPER.readTree(split.rows().get(i));
          } catch (JsonProcessingException e) {
            throw LeadlineException.data("%s line %d: not JSON", split.source(), i + 1);
          }
          SimFacts facts = benchmark.format().sim(benchmark, row, where);
          rows.add(
              new SimItem.Draft(
                  style(facts.style()),
                  facts.id(),
                  facts.needle(),
                  facts.gold(),
                  facts.goldIndex(),
                  facts.work(),
                  facts.choices()));
        }
        key.add(benchmark.name(), ref.config(), rows);
        if (benchmark.fewShotOverlap()) {
          key.itemsAsExemplars(benchmark.name());
        }
      }
    }
    for (JudgeTemplate template : templates(suite, settings)) {
      key.judgeTemplate(sim(template));
    }
    return key.build();
  }

  private static SimItem.Style style(SimFacts.Style style) {
    return switch (style) {
      case MATH -> SimItem.Style.MATH;
      case BOXED -> SimItem.Style.BOXED;
      case OPTION -> SimItem.Style.OPTION;
      case BBH -> SimItem.Style.BBH;
      case CODE -> SimItem.Style.CODE;
      case PROGRAM -> SimItem.Style.PROGRAM;
      case SPAN -> SimItem.Style.SPAN;
      case TEXT -> SimItem.Style.TEXT;
      case STORY -> SimItem.Style.STORY;
    };
  }

  /** Refuses a profile that names a benchmark the suite under {@code benchmarks} does not have. */
  public static void checkProfile(SimProfile profile, String what, Path benchmarks) {
    Set<String> known = Suite.load(benchmarks).benchmarks().keySet();
    for (String name : profile.benchmarks()) {
      if (!known.contains(name)) {
        throw LeadlineException.userInput(
            "%s names unknown benchmark '%s'; known: %s", what, name, String.join(", ", known));
      }
    }
  }
}
