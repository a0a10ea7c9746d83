package io.leadline.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import io.leadline.api.PrettyJson;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of {@link Diff#compute}, with two renderings: JSON (the contract) and Markdown (the
 * report module renders it as a page).
 *
 * @param compatible whether the runs agree on setting hashes, dataset revisions and examples
 * @param compared whether rows were computed (false when incompatible runs were refused)
 * @param rows overall rows, each followed by its subset rows
 * @param pairwise a judge's pairwise verdicts on open-ended benchmarks, where one was asked
 */
public record DiffResult(
    boolean compatible,
    boolean compared,
    List<String> mismatches,
    RunSide a,
    RunSide b,
    List<BenchmarkDelta> rows,
    List<PairwiseResult> pairwise) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int FLIPS_SHOWN = 5;

  public DiffResult {
    mismatches = ImmutableList.copyOf(mismatches);
    rows = ImmutableList.copyOf(rows);
    pairwise = ImmutableList.copyOf(pairwise);
  }

  /** This diff with a judge's pairwise verdicts. */
  public DiffResult withPairwise(List<PairwiseResult> results) {
    return new DiffResult(compatible, compared, mismatches, a, b, rows, results);
  }

  /** One line per pairwise result, for Markdown and HTML. */
  private List<String> pairwiseLines() {
    return pairwise.stream()
        .map(
            p ->
                String.format(
                    Locale.ROOT,
                    "%s (%s, judge %s, %s): B wins %d, A wins %d, ties %d of %d pairs judged in"
                        + " both orders; B's win rate %.1f%% [%.1f, %.1f] (a tie counts half)."
                        + " Position bias: %d pairs (%.1f%%) flipped with the order and count as"
                        + " ties; %.1f%% of replies preferred the completion shown first; %d"
                        + " pairs without a verdict; %d judge requests sent.",
                    title(p.benchmark()),
                    p.setting(),
                    p.judge(),
                    p.template(),
                    p.winsB(),
                    p.winsA(),
                    p.ties(),
                    p.graded(),
                    p.winRateB() * 100,
                    p.ciLow() * 100,
                    p.ciHigh() * 100,
                    p.flips(),
                    p.flipShare() * 100,
                    p.firstShownShare() * 100,
                    p.pairs() - p.graded(),
                    p.sentRequests()))
        .toList();
  }

  private List<BenchmarkDelta> overall() {
    return rows.stream().filter(r -> r.subset().isEmpty()).toList();
  }

  /** Benchmarks significantly up (overall rows), largest delta first. */
  public List<String> gains() {
    return moved("up");
  }

  /** Benchmarks significantly down (overall rows), largest drop first. */
  public List<String> regressions() {
    return moved("down");
  }

  private List<String> moved(String direction) {
    return overall().stream()
        .filter(r -> r.direction().equals(direction))
        .sorted(Comparator.comparingDouble(r -> -Math.abs(r.delta())))
        .map(BenchmarkDelta::benchmark)
        .distinct()
        .toList();
  }

  /** Some ability significantly up while another is significantly down. */
  public boolean seesaw() {
    return !gains().isEmpty() && !regressions().isEmpty();
  }

  /** One sentence in GPT-Fathom's manner. */
  public String headline() {
    if (!compared) {
      return "Not compared: the runs differ (" + mismatches.size() + " mismatches).";
    }
    Optional<BenchmarkDelta> up = largest("up");
    Optional<BenchmarkDelta> down = largest("down");
    if (up.isPresent() && down.isPresent()) {
      return describe(up.get()) + " while " + describe(down.get()) + ".";
    }
    if (up.isPresent()) {
      return describe(up.get()) + "; no benchmark fell significantly.";
    }
    if (down.isPresent()) {
      return describe(down.get()) + "; no benchmark rose significantly.";
    }
    return "No benchmark moved significantly (Holm-corrected p < 0.05).";
  }

  private Optional<BenchmarkDelta> largest(String direction) {
    return overall().stream()
        .filter(r -> r.direction().equals(direction))
        .max(Comparator.comparingDouble(r -> Math.abs(r.delta())));
  }

  private String describe(BenchmarkDelta row) {
    return String.format(
        Locale.ROOT,
        "%s %.1f → %.1f (%s%.1f, %s)",
        title(row.benchmark()),
        row.a() * 100,
        row.b() * 100,
        row.delta() >= 0 ? "+" : "−",
        Math.abs(row.delta()) * 100,
        pText(row.pAdjusted()));
  }

  private String title(String benchmark) {
    return a.titles().getOrDefault(benchmark, b.titles().getOrDefault(benchmark, benchmark));
  }

  static String pText(double p) {
    return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
  }

  /** The JSON contract of {@code leadline diff --format json}. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("compatible", compatible);
    ArrayNode mismatchList = root.putArray("mismatches");
    mismatches.forEach(mismatchList::add);
    root.set("run_a", a.summary());
    root.set("run_b", b.summary());
    ArrayNode benchmarks = root.putArray("benchmarks");
    for (BenchmarkDelta row : rows) {
      rowJson(benchmarks.addObject(), row);
    }
    root.put("seesaw", seesaw());
    ArrayNode gains = root.putArray("gains");
    gains().forEach(gains::add);
    ArrayNode regressions = root.putArray("regressions");
    regressions().forEach(regressions::add);
    root.put("headline", headline());
    if (!pairwise.isEmpty()) {
      ArrayNode judged = root.putArray("pairwise");
      for (PairwiseResult p : pairwise) {
        judged
            .addObject()
            .put("benchmark", p.benchmark())
            .put("setting", p.setting())
            .put("template", p.template())
            .put("judge", p.judge())
            .put("pairs", p.pairs())
            .put("graded", p.graded())
            .put("wins_a", p.winsA())
            .put("wins_b", p.winsB())
            .put("ties", p.ties())
            .put("flips", p.flips())
            .put("flip_share", p.flipShare())
            .put("first_shown_share", p.firstShownShare())
            .put("win_rate_b", p.winRateB())
            .put("ci_low", p.ciLow())
            .put("ci_high", p.ciHigh())
            .put("sent_requests", p.sentRequests());
        ArrayNode verdicts = judged.get(judged.size() - 1).withArray("verdicts");
        for (PairwiseResult.Pair pair : p.verdicts()) {
          verdicts
              .addObject()
              .put("example_id", pair.exampleId())
              .put("in_order", pair.inOrder().orElse(null))
              .put("swapped", pair.swapped().orElse(null))
              .put("winner", pair.graded() ? pair.winner() : null);
        }
      }
    }
    return PrettyJson.write(root);
  }

  /** One row in the diff's field names; {@code leadline evolution} writes its rows so too. */
  static ObjectNode rowJson(ObjectNode node, BenchmarkDelta row) {
    node.put("benchmark", row.benchmark());
    node.put("subset", row.subset().orElse(null));
    node.put("setting", row.setting());
    node.put("metric", row.metric());
    deltaJson(node, row);
    return node;
  }

  /** The paired statistics of a row, in the diff's field names. */
  static ObjectNode deltaJson(ObjectNode node, BenchmarkDelta row) {
    node.put("n_paired", row.nPaired());
    node.put("a", row.a());
    node.put("b", row.b());
    node.put("delta", row.delta());
    node.put("ci_low", row.ciLow());
    node.put("ci_high", row.ciHigh());
    node.put("test", row.test());
    node.put("p_value", row.pValue());
    node.put("p_adjusted", row.pAdjusted());
    node.put("direction", row.direction());
    node.put("min_detectable_delta", row.minDetectableDelta());
    flips(node.putArray("flips_up"), row.flipsUp());
    flips(node.putArray("flips_down"), row.flipsDown());
    return node;
  }

  private static void flips(ArrayNode array, List<Flip> flips) {
    for (Flip flip : flips) {
      array
          .addObject()
          .put("subset", flip.subset().orElse(null))
          .put("example_id", flip.exampleId())
          .put("question", flip.question())
          .put("answer_a", flip.answerA().orElse(null))
          .put("answer_b", flip.answerB().orElse(null))
          .put("gold", flip.gold());
    }
  }

  private String notice() {
    if (compatible) {
      return "";
    }
    return "Only the items both runs share are compared (--allow-mismatch); the runs differ: "
        + String.join("; ", mismatches);
  }

  /** The Markdown report: the headline first, then the table and the first flips. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    if (!compatible) {
      md.append("> **").append(notice()).append("**\n\n");
    }
    md.append("# ")
        .append(a.summary().path("model").asText("A"))
        .append(" → ")
        .append(b.summary().path("model").asText("B"))
        .append("\n\n")
        .append(headline())
        .append("\n\n");
    md.append(
        "| benchmark | subset | setting | n | A | B | Δ | 95% CI | test | p (Holm) | direction |"
            + " detectable Δ | flips ↑/↓ |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (BenchmarkDelta row : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %.1f | %.1f | %+.1f | [%+.1f, %+.1f] | %s | %s | %s | %.1f"
                  + " | %d/%d |\n",
              title(row.benchmark()),
              row.subset().orElse("—"),
              row.setting(),
              row.nPaired(),
              row.a() * 100,
              row.b() * 100,
              row.delta() * 100,
              row.ciLow() * 100,
              row.ciHigh() * 100,
              row.test(),
              pText(row.pAdjusted()),
              row.direction(),
              row.minDetectableDelta() * 100,
              row.flipsUp().size(),
              row.flipsDown().size()));
    }
    if (!pairwise.isEmpty()) {
      md.append("\n## Pairwise judging\n\n");
      pairwiseLines().forEach(line -> md.append("- ").append(line).append("\n"));
    }
    for (BenchmarkDelta row : overall()) {
      if (row.flipsUp().isEmpty() && row.flipsDown().isEmpty()) {
        continue;
      }
      md.append("\n## ").append(title(row.benchmark())).append(" flips\n\n");
      flipsMarkdown(md, "wrong → right", row.flipsUp());
      flipsMarkdown(md, "right → wrong", row.flipsDown());
    }
    return md.toString();
  }

  private static void flipsMarkdown(StringBuilder md, String label, List<Flip> flips) {
    if (flips.isEmpty()) {
      return;
    }
    md.append(String.format("%s: %d", label, flips.size()));
    md.append(flips.size() > FLIPS_SHOWN ? " (first " + FLIPS_SHOWN + ")\n\n" : "\n\n");
    for (Flip flip : flips.subList(0, Math.min(FLIPS_SHOWN, flips.size()))) {
      md.append(
          String.format(
              "- `%s`: %s — A: %s, B: %s, gold: %s%n",
              flip.exampleId(),
              oneLine(flip.question()),
              flip.answerA().map(DiffResult::oneLine).orElse("(none)"),
              flip.answerB().map(DiffResult::oneLine).orElse("(none)"),
              oneLine(flip.gold())));
    }
    md.append("\n");
  }

  /**
   * {@code text} (a question or a model's answer) on one line, cut to 120 characters, and escaped
   * so that Markdown renders it as text: no HTML ({@code </script>}, {@code <img onerror>}), code
   * spans or table cells of its own.
   */
  static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    String cut = flat.length() > 120 ? flat.substring(0, 117) + "…" : flat;
    StringBuilder escaped = new StringBuilder(cut.length());
    for (char c : cut.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '|', '`', '*', '_', '[', ']', '\\' -> escaped.append('\\').append(c);
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
