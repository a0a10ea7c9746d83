package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code leadline evolution} over real sweeps of the simulated lineage (settings/sim-lineage-*:
 * GSM8K up, down, up, flat; ARC-Easy up at step 2 only; ARC-Challenge down at step 3 and back up)
 * swept as two runs that interleave in time, and of the simulated family at four sizes
 * (settings/sim-size-*) under gpt-fathom, cot-off and zero-shot.
 */
public class EvolutionCommandTest {
  private static final String LINEAGE =
      """
      models:
        - {name: sim-lineage-3, provider: sim, profile: sim-lineage-3, released: 2024-07-20}
        - {name: sim-lineage-1, provider: sim, profile: sim-lineage-1, released: 2024-01-15}
        - {name: sim-lineage-5, provider: sim, profile: sim-lineage-5, released: '2025-01-30'}
        - {name: sim-lineage-2, provider: sim, profile: sim-lineage-2, released: 2024-04-02}
        - {name: sim-lineage-4, provider: sim, profile: sim-lineage-4, released: 2024-10-11}
      """;
  private static final String FAMILY =
      """
      models:
        - {name: sim-size-70b, provider: sim, profile: sim-size-70b, params: 70B, family: sim-size}
        - {name: sim-size-350m, provider: sim, profile: sim-size-350m, params: 350M, family: sim-size}
        - {name: sim-size-7b, provider: sim, profile: sim-size-7b, params: 7e9, family: sim-size}
        - {name: sim-size-1b, provider: sim, profile: sim-size-1b, params: 1000000000, family: sim-size}
      """;

  private Path dir;
  private Path odd;
  private Path even;
  private Path family;

  private CliRun run(String... args) {
    return CliRun.withEnvironment(Map.of("LEADLINE_HOME", dir.resolve("home").toString()), args);
  }

  private Path sweep(Path models, String name, String... more) {
    Path out = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of("sweep", "--models-file", models.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    CliRun sweep = run(args.toArray(String[]::new));
    assertEquals(sweep.exitCode(), 0, sweep.err());
    return out;
  }

  @BeforeClass
  public void sweeps() throws Exception {
    dir = Files.createTempDirectory("evolution-command");
    Path lineage = Files.writeString(dir.resolve("lineage.yaml"), LINEAGE);
    Path sizes = Files.writeString(dir.resolve("family.yaml"), FAMILY);
    String[] benchmarks = {"--benchmarks", "gsm8k,arc-e,arc-c", "--limit", "60"};
    List<String> oddArgs = new ArrayList<>(List.of(benchmarks));
    oddArgs.addAll(List.of("--models", "sim-lineage-1,sim-lineage-3,sim-lineage-5"));
    odd = sweep(lineage, "odd", oddArgs.toArray(String[]::new));
    List<String> evenArgs = new ArrayList<>(List.of(benchmarks));
    evenArgs.addAll(List.of("--models", "sim-lineage-2,sim-lineage-4"));
    even = sweep(lineage, "even", evenArgs.toArray(String[]::new));
    family =
        sweep(
            sizes, "family", "--benchmarks", "gsm8k", "--settings", "gpt-fathom,cot-off,zero-shot");
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws Exception {
    CliRun.deleteRecursively(dir);
  }

  private JsonNode json(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("evolution"));
    all.addAll(List.of(args));
    all.addAll(List.of("--format", "json"));
    CliRun evolution = run(all.toArray(String[]::new));
    assertEquals(evolution.exitCode(), 0, evolution.err());
    return Json.MAPPER.readTree(evolution.out());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(field.isEmpty() ? node.asText() : node.get(field).asText()));
    return values;
  }

  private static JsonNode track(JsonNode evolution, String benchmark) {
    for (JsonNode track : evolution.get("benchmarks")) {
      if (track.get("benchmark").asText().equals(benchmark) && track.get("subset").isNull()) {
        return track;
      }
    }
    throw new AssertionError("no " + benchmark + " in " + evolution);
  }

  @Test
  public void ordersTwoRunsByReleaseDateAndFindsTheSeesawsAlongThePath() throws Exception {
    JsonNode evolution = json(odd.toString(), even.toString());
    assertEquals(
        texts(evolution.get("snapshots"), "model"),
        List.of(
            "sim-lineage-1", "sim-lineage-2", "sim-lineage-3", "sim-lineage-4", "sim-lineage-5"));
    assertEquals(evolution.get("snapshots").get(1).get("run").asText(), even.toString());
    assertEquals(evolution.get("snapshots").get(1).get("released").asText(), "2024-04-02");
    // Three benchmarks at four steps: Holm over twelve tests.
    assertEquals(evolution.get("holm_tests").asInt(), 12);
    assertEquals(texts(evolution.get("seesaw_steps"), ""), List.of("2", "3"));
    JsonNode gsm8k = track(evolution, "gsm8k");
    assertEquals(texts(gsm8k.get("steps"), "direction"), List.of("up", "down", "up", "flat"));
    assertEquals(
        texts(track(evolution, "arc-e").get("steps"), "direction"),
        List.of("flat", "up", "flat", "flat"));
    assertEquals(
        texts(track(evolution, "arc-c").get("steps"), "direction"),
        List.of("flat", "flat", "down", "up"));
    for (JsonNode step : gsm8k.get("steps")) {
      // Holm's p across the path is at least the step's own p, and at most 1.
      assertTrue(
          step.get("p_adjusted").asDouble() >= step.get("p_value").asDouble(), step.toString());
      assertTrue(step.get("ci_low").asDouble() <= step.get("delta").asDouble());
    }
    assertEquals(gsm8k.get("scores").get(0).get("n").asInt(), 50);
    // GSM8K's and ARC-Challenge's rise and fall make items oscillate; ARC-Easy's rise makes them
    // flip once and stay.
    JsonNode arcE = track(evolution, "arc-e").get("items");
    JsonNode arcC = track(evolution, "arc-c").get("items");
    assertEquals(arcE.get("oscillating").asInt(), 0, arcE.toString());
    assertTrue(arcE.get("stayed_up").asInt() >= 10, arcE.toString());
    assertEquals(
        arcC.get("stayed_up").asInt() + arcC.get("stayed_down").asInt(), 0, arcC.toString());
    assertTrue(arcC.get("oscillating").asInt() >= 10, arcC.toString());
    assertEquals(
        texts(arcC.get("examples").get("oscillating").get(0).get("right"), ""),
        List.of("true", "true", "true", "false", "true"));
    assertTrue(track(evolution, "gsm8k").get("items").get("oscillating").asInt() > 0);
    assertEquals(
        evolution.get("headline").asText(),
        "Steps 2, 3 are seesaws (step 1: GSM8K up; step 2: ARC-Easy up while GSM8K down; step 3:"
            + " GSM8K up while ARC-Challenge down; step 4: ARC-Challenge up).");

    // --models gives the order (here backwards), the date does not.
    JsonNode backwards =
        json(
            odd.toString(),
            even.toString(),
            "--models",
            "sim-lineage-5,sim-lineage-3,sim-lineage-1");
    assertEquals(
        texts(backwards.get("snapshots"), "model"),
        List.of("sim-lineage-5", "sim-lineage-3", "sim-lineage-1"));
    assertEquals(backwards.get("holm_tests").asInt(), 6);

    CliRun markdown = run("evolution", odd.toString(), even.toString());
    assertEquals(markdown.exitCode(), 0, markdown.err());
    assertTrue(
        markdown
            .out()
            .startsWith(
                "# sim-lineage-1 → sim-lineage-2 → sim-lineage-3 → sim-lineage-4 → sim-lineage-5\n\nSteps 2, 3"),
        markdown.out());
    assertTrue(
        markdown
            .out()
            .contains(
                "- step 2, sim-lineage-2 → sim-lineage-3: ARC-Easy up while GSM8K down — **a seesaw**"),
        markdown.out());
    Path html = dir.resolve("evolution.html");
    assertEquals(
        run(
                "evolution",
                odd.toString(),
                even.toString(),
                "--format",
                "html",
                "--out",
                html.toString())
            .exitCode(),
        0);
    String page = Files.readString(html);
    assertTrue(page.contains("<canvas id=\"chart-2\">"), page);
    assertTrue(page.contains("<span class=\"badge down\">seesaw</span>"));
    // The same runs give the same bytes.
    assertEquals(run("evolution", odd.toString(), even.toString()).out(), markdown.out());
  }

  /**
   * Both views in headless Chromium at 1280 and 390 px hold the family's conventions (no sideways
   * scroll, every score in view with its n, small samples marked, the best of a row bold) and draw
   * a chart per benchmark; screenshots are left in {@code target/pages/}.
   */
  @Test
  public void bothViewsReadOnAPhoneAndAWideScreen() throws Exception {
    Path lineage = dir.resolve("lineage.html");
    Path emergence = dir.resolve("emergence-page.html");
    assertEquals(
        run(
                "evolution",
                odd.toString(),
                even.toString(),
                "--format",
                "html",
                "--out",
                lineage.toString())
            .exitCode(),
        0);
    assertEquals(
        run(
                "evolution",
                family.toString(),
                "--by",
                "params",
                "--contrast",
                "cot-off",
                "--setting",
                "gpt-fathom",
                "--format",
                "html",
                "--out",
                emergence.toString())
            .exitCode(),
        0);
    try (Browser browser = Browser.open()) {
      for (int width : new int[] {1280, 390}) {
        browser.load(lineage, width);
        browser.screenshot(Path.of("target", "pages", "evolution-" + width + ".png"));
        PagesInChromiumTest.conventions(
            Json.MAPPER.readTree((String) browser.script(PagesInChromiumTest.PROBE)),
            width,
            3,
            "evolution");
        browser.load(emergence, width);
        browser.screenshot(Path.of("target", "pages", "emergence-" + width + ".png"));
        PagesInChromiumTest.conventions(
            Json.MAPPER.readTree((String) browser.script(PagesInChromiumTest.PROBE)),
            width,
            1,
            "emergence");
      }
    }
  }

  @Test
  public void aModelWithoutAReleaseDateIsOneLineNamingIt() {
    CliRun evolution = run("evolution", family.toString(), "--setting", "gpt-fathom");
    assertEquals(evolution.exitCode(), 2, evolution.err());
    assertEquals(
        evolution.err().strip(),
        "leadline evolution: model sim-size-70b has no released: date in "
            + family
            + " (its models-file entry gave none); add released: YYYY-MM-DD to it and sweep"
            + " again, or give the order with --models");
  }

  @Test
  public void stepsThatAreNotComparableAreRefusedNamingTheStep() {
    CliRun evolution =
        run(
            "evolution",
            odd.toString(),
            family.toString(),
            "--models",
            "sim-lineage-1,sim-size-7b",
            "--setting",
            "gpt-fathom");
    assertEquals(evolution.exitCode(), 2, evolution.err());
    List<String> lines = evolution.err().lines().toList();
    assertEquals(
        lines.get(0), "leadline evolution: the snapshots are not comparable (2 mismatches):");
    assertEquals(lines.get(1), "  - step 1 (sim-lineage-1 → sim-size-7b): arc-c: only in A");
  }

  @Test
  public void aModelTwoRunsHoldUnderTheSameSettingIsOneLine() throws Exception {
    Path copy = dir.resolve("odd-copy");
    try (var files = Files.walk(odd)) {
      for (Path from : files.toList()) {
        Files.copy(from, copy.resolve(odd.relativize(from).toString()));
      }
    }
    CliRun evolution = run("evolution", odd.toString(), copy.toString());
    assertEquals(evolution.exitCode(), 2, evolution.err());
    assertEquals(
        evolution.err().strip(),
        "leadline evolution: model sim-lineage-1: "
            + odd
            + " and "
            + copy
            + " both hold arc-c under gpt-fathom; keep one of the runs");
    CliRun twice = run("evolution", odd.toString(), odd.toString());
    assertEquals(twice.err().strip(), "leadline evolution: RUN: " + odd + " is given twice");
  }

  @Test
  public void emergenceNamesTheThirdOfFourSizes() throws Exception {
    JsonNode emergence =
        json(
            family.toString(),
            "--by",
            "params",
            "--contrast",
            "cot-off",
            "--setting",
            "gpt-fathom");
    assertEquals(
        texts(emergence.get("models"), "model"),
        List.of("sim-size-350m", "sim-size-1b", "sim-size-7b", "sim-size-70b"));
    assertEquals(emergence.get("axis").asText(), "cot");
    JsonNode gsm8k = emergence.get("benchmarks").get(0);
    assertEquals(gsm8k.get("benchmark").asText(), "gsm8k");
    assertEquals(gsm8k.get("smallest_significant").asText(), "sim-size-7b");
    JsonNode sizes = gsm8k.get("sizes");
    assertEquals(
        texts(sizes, "params"), List.of("350000000", "1000000000", "7000000000", "70000000000"));
    for (int i = 0; i < 4; i++) {
      JsonNode gain = sizes.get(i).get("gain");
      assertEquals(gain.get("n_paired").asInt(), 50);
      assertEquals(
          gain.get("a").asDouble(), sizes.get(i).get("contrast").get("score").asDouble(), 1e-12);
      assertEquals(
          gain.get("b").asDouble(), sizes.get(i).get("first").get("score").asDouble(), 1e-12);
      if (i < 2) {
        // The small sizes answer cot-off prompts as they answer chain-of-thought ones.
        assertEquals(gain.get("delta").asDouble(), 0.0, gain.toString());
        assertEquals(gain.get("flips_up").size() + gain.get("flips_down").size(), 0);
        assertEquals(gain.get("direction").asText(), "flat");
      } else {
        assertEquals(gain.get("direction").asText(), "up", gain.toString());
        assertTrue(gain.get("delta").asDouble() > 0.3, gain.toString());
        assertEquals(gain.get("flips_down").size(), 0);
      }
    }
    assertTrue(
        emergence
            .get("headline")
            .asText()
            .startsWith(
                "GSM8K: gpt-fathom's gain over cot-off is significant from sim-size-7b (7B) on"),
        emergence.get("headline").asText());
    CliRun markdown =
        run(
            "evolution",
            family.toString(),
            "--by",
            "params",
            "--contrast",
            "cot-off",
            "--setting",
            "gpt-fathom");
    assertTrue(
        markdown.out().contains("Smallest size with a significant gain: sim-size-7b (7B)."),
        markdown.out());
    Path html = dir.resolve("emergence.html");
    assertEquals(
        run(
                "evolution",
                family.toString(),
                "--by",
                "params",
                "--contrast",
                "cot-off",
                "--setting",
                "gpt-fathom",
                "--format",
                "html",
                "--out",
                html.toString())
            .exitCode(),
        0);
    assertTrue(
        Files.readString(html)
            .contains("Smallest size with a significant gain: <strong>sim-size-7b (7B)</strong>"));
  }

  @Test
  public void settingsThatDifferInTwoAxesAreRefused() {
    CliRun evolution =
        run(
            "evolution",
            family.toString(),
            "--by",
            "params",
            "--contrast",
            "cot-off",
            "--setting",
            "zero-shot");
    assertEquals(evolution.exitCode(), 2, evolution.err());
    assertEquals(
        evolution.err().strip(),
        "leadline evolution: --contrast: zero-shot and cot-off differ in 2 axes (cot, shots); the"
            + " gain is read as one axis's effect only when the settings differ in exactly one");
  }

  @DataProvider
  public Object[][] badFlags() {
    return new Object[][] {
      {new String[] {"--by", "size", "--contrast", "cot-off"}, "--by: expected params, got 'size'"},
      {new String[] {"--contrast", "cot-off"}, "--contrast: needs --by params"},
      {
        new String[] {"--by", "params"},
        "--by params: needs --contrast SETTING, the setting the gain is measured against"
      },
      {
        new String[] {"--by", "params", "--contrast", "cot-off"},
        "--setting: the models have the settings gpt-fathom, zero-shot besides the contrast cot-off; name the first with --setting"
      },
      {
        new String[] {"--by", "params", "--contrast", "sampled"},
        "--contrast: the models have no items under 'sampled'; they have cot-off, gpt-fathom, zero-shot"
      },
      {
        new String[] {"--models", "sim-size-7b,sim-size-9b"},
        "--models: no model 'sim-size-9b' in the runs; they have sim-size-70b, sim-size-350m, sim-size-7b, sim-size-1b"
      },
      {
        new String[] {"--models", "sim-size-7b"},
        "--models: an evolution needs at least two models, got sim-size-7b"
      },
      {
        new String[] {"--models", "sim-size-7b,sim-size-7b"},
        "--models: 'sim-size-7b' is given twice"
      },
      {
        new String[] {"--family", "llama"},
        "--family: no model of family 'llama'; the models' families are sim-size"
      },
      {new String[] {"--format", "pdf"}, "--format: expected md, json or html, got 'pdf'"},
    };
  }

  @Test(dataProvider = "badFlags")
  public void aBadFlagIsOneLine(String[] flags, String message) {
    List<String> args = new ArrayList<>(List.of("evolution", family.toString()));
    args.addAll(List.of(flags));
    CliRun evolution = run(args.toArray(String[]::new));
    assertEquals(evolution.exitCode(), 2, evolution.err());
    assertEquals(evolution.err().strip(), "leadline evolution: " + message);
  }
}
