package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Renders prompts: {@code header + shot × k + after_shots + query}, filled from the example and the
 * first k exemplars, exactly as GPT-Fathom builds them (reference §2).
 *
 * <p>Thread-safe once built; build one per (benchmark, subset) and reuse it for every example.
 */
public final class Prompts {
  private final BenchmarkSetting setting;
  private final String subset;
  private final List<Exemplar> exemplars;
  private final ImmutableMap<String, String> header;

  private Prompts(BenchmarkSetting setting, String subset, List<Exemplar> exemplars) {
    this.setting = setting;
    this.subset = subset;
    this.exemplars = exemplars;
    this.header = BenchmarkData.headerFields(setting.benchmark(), subset);
  }

  /** Prompts of {@code subset} under {@code setting}, with exemplars read from {@code source}. */
  public static Prompts of(BenchmarkSetting setting, String subset, SplitSource source) {
    Benchmark benchmark = setting.benchmark();
    List<Exemplar> exemplars =
        setting.shots() == 0 ? List.of() : BenchmarkData.exemplars(benchmark, subset, source);
    return new Prompts(setting, subset, exemplars);
  }

  /** How many exemplars there are to choose from. */
  public int exemplarsAvailable() {
    return exemplars.size();
  }

  /** The exemplar ids the prompts use, in order. */
  public List<String> exemplarIds() {
    return exemplars.stream().limit(shots()).map(Exemplar::id).toList();
  }

  /** The exemplars the prompts show (the setting's shots, capped at those available). */
  public int shots() {
    return Math.min(setting.shots(), exemplars.size());
  }

  /**
   * The prompt for {@code example}. For a chat API, HumanEval takes its chat prompt; for a known
   * {@code contextWindow} (tokens), exemplars are dropped from the end until the prompt plus {@code
   * max_tokens} fits by a conservative estimate of tokens.
   */
  public RenderedPrompt render(Example example, boolean chat, OptionalInt contextWindow) {
    return render(example, chat, contextWindow, null);
  }

  /**
   * As {@link #render(Example, boolean, OptionalInt)}, with the exemplars in {@code order} (indexes
   * into the exemplars used; null for their own order).
   */
  public RenderedPrompt render(
      Example example, boolean chat, OptionalInt contextWindow, int[] order) {
    Template template = setting.benchmark().template();
    Map<String, String> fields = queryFields(example);
    if (setting.benchmark().format() == Format.CODE) {
      String part = chat && template.parts().containsKey("chat_query") ? "chat_query" : "query";
      return new RenderedPrompt(template.render(part, fields), 0, 0);
    }
    String head = template.render("header", header);
    String query = template.render("after_shots", Map.of()) + template.render("query", fields);
    int requested = shots();
    int used = requested;
    String text = assemble(template, head, query, used, order);
    if (contextWindow.isPresent()) {
      while (used > 0 && tokens(text) + setting.maxTokens() > contextWindow.getAsInt()) {
        used--;
        text = assemble(template, head, query, used, order);
      }
    }
    return new RenderedPrompt(text, requested, used);
  }

  private String assemble(Template template, String head, String query, int shots, int[] order) {
    StringBuilder text = new StringBuilder(head);
    for (int i = 0; i < shots; i++) {
      int exemplar = order == null || order.length != shots ? i : order[i];
      text.append(template.render("shot", exemplars.get(exemplar).fields(setting.cot())));
    }
    return text.append(query).toString();
  }

  private Map<String, String> queryFields(Example example) {
    Map<String, String> fields = new HashMap<>();
    switch (setting.benchmark().format()) {
      case MATH_COT -> {
        fields.put("question", example.text("question"));
        fields.put("trigger", setting.trigger());
      }
      case MULTIPLE_CHOICE -> {
        fields.put("question", example.text("question"));
        fields.put("options", choice(example).options());
        fields.put("subject", subset.replace('_', ' '));
      }
      case CLOSED_QA -> fields.put("question", example.text("question"));
      case READING -> {
        fields.put("passage", example.text("passage"));
        fields.put("question", example.text("question"));
      }
      case BBH -> {
        fields.put("input", example.text("input"));
        fields.put("trigger", setting.trigger());
      }
      case CODE -> fields.put("prompt", example.text("prompt"));
    }
    return fields;
  }

  /** The example's options in GPT-Fathom's order: a fresh {@code Random(47)} per test item. */
  static MultipleChoice choice(Example example) {
    return MultipleChoice.of(
        example.row(), new PyRandom(MultipleChoice.SEED), example.benchmark() + " " + example.id());
  }

  /**
   * A deliberately high token estimate (one per 3 UTF-8 bytes, rounded up): no tokenizer is
   * bundled, and overestimating only drops a shot that might have fitted.
   */
  static int tokens(String text) {
    return (text.getBytes(StandardCharsets.UTF_8).length + 2) / 3;
  }
}
