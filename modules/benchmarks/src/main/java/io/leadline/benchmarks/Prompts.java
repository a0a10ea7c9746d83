package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;
import java.nio.charset.StandardCharsets;
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
    this.header = setting.benchmark().format().headerFields(setting.benchmark(), subset);
  }

  /** Prompts of {@code subset} under {@code setting}, with exemplars read from {@code source}. */
  public static Prompts of(BenchmarkSetting setting, String subset, SplitSource source) {
    Benchmark benchmark = setting.benchmark();
    List<Exemplar> exemplars =
        setting.shots() == 0 ? List.of() : benchmark.format().exemplars(benchmark, subset, source);
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
   * The prompt for {@code example}. For a chat API, a template's {@code chat_query} (HumanEval's)
   * replaces its query; for a known {@code contextWindow} (tokens), exemplars are dropped from the
   * end until the prompt plus {@code max_tokens} fits by a conservative estimate of tokens.
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
    Benchmark benchmark = setting.benchmark();
    Map<String, String> fields =
        benchmark.format().queryFields(benchmark, subset, example, setting.trigger());
    String part = chat && template.parts().containsKey("chat_query") ? "chat_query" : "query";
    String head = template.render("header", header);
    String query = template.render("after_shots", Map.of()) + template.render(part, fields);
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

  /**
   * A deliberately high token estimate (one per 3 UTF-8 bytes, rounded up): no tokenizer is
   * bundled, and overestimating only drops a shot that might have fitted.
   */
  static int tokens(String text) {
    return (text.getBytes(StandardCharsets.UTF_8).length + 2) / 3;
  }
}
