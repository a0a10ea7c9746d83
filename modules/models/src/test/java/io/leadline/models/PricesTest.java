package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LeadlineException;
import io.leadline.api.Sampling;
import io.leadline.api.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.testng.annotations.Test;

/** Issue 22: price tables, batch options in the models file, and prompt token estimates. */
public class PricesTest {
  private static ModelsFile file(String models) {
    return ModelsFile.parse("m.yaml", "models:\n" + models);
  }

  @Test
  public void batchPricesDefaultToHalfAndCachedInputToInput() {
    Pricing pricing = new Pricing(new BigDecimal("2.5"), new BigDecimal("10"));
    Usage usage = new Usage(1_000_000, 100_000, 0, 400_000);
    // 600k uncached at 2.5, 400k cached at 2.5 (no cached price), 100k out at 10.
    assertEquals(pricing.cost(usage).compareTo(new BigDecimal("3.5")), 0);
    assertEquals(pricing.cost(usage, true).compareTo(new BigDecimal("1.75")), 0);
    Pricing given =
        new Pricing(
            new BigDecimal("2.5"),
            new BigDecimal("10"),
            Optional.of(new BigDecimal("1.25")),
            Optional.of(new BigDecimal("1")),
            Optional.of(new BigDecimal("4")));
    // 600k x 2.5 + 400k x 1.25 + 100k x 10.
    assertEquals(given.cost(usage).compareTo(new BigDecimal("3")), 0);
    // Batched: 600k x 1 + 400k x (1.25 x 1/2.5) + 100k x 4.
    assertEquals(given.cost(usage, true).compareTo(new BigDecimal("1.2")), 0);
    assertEquals(pricing.describe().get("batch_output"), "5.0 (half of output)");
    assertEquals(given.describe().get("batch_output"), "4");
  }

  @Test
  public void theModelsFileTakesBatchAndEveryPrice() {
    ModelsFile models =
        file(
            """
              - name: a
                provider: openai
                model: gpt-4o-mini-2024-07-18
                price_per_million: {input: 0.15, output: 0.6, cached_input: 0.075, batch_input: 0.075, batch_output: 0.3}
                batch: {max_requests: 1000, max_bytes: 1000000, poll_seconds: 5}
              - {name: b, provider: anthropic, model: claude-3-5-haiku-20241022, batch: true}
              - {name: c, provider: openai, model: gpt-4o, batch: false}
            """);
    assertEquals(
        models.model("a").batch(),
        Optional.of(new BatchOptions(1000, 1_000_000, Duration.ofSeconds(5))));
    assertEquals(models.model("b").batch(), Optional.of(BatchOptions.ANTHROPIC));
    assertTrue(models.model("c").batch().isEmpty());
    assertEquals(
        models.model("a").pricing().orElseThrow().batchOutputPerMillion(),
        Optional.of(new BigDecimal("0.3")));
  }

  @Test
  public void badBatchAndPriceEntriesAreOneLine() {
    LeadlineException tooMany =
        expectThrows(
            LeadlineException.class,
            () ->
                file("  - {name: a, provider: openai, model: m, batch: {max_requests: 60000}}\n"));
    assertTrue(
        tooMany.getMessage().startsWith("m.yaml: models[0].batch.max_requests: "),
        tooMany.getMessage());
    LeadlineException word =
        expectThrows(
            LeadlineException.class,
            () -> file("  - {name: a, provider: openai, model: m, batch: soon}\n"));
    assertTrue(word.getMessage().startsWith("m.yaml: models[0].batch: "), word.getMessage());
    LeadlineException price =
        expectThrows(
            LeadlineException.class,
            () ->
                file(
                    "  - {name: a, provider: openai, model: m, price_per_million: {input: 1,"
                        + " output: 2, batch: 1}}\n"));
    assertTrue(price.getMessage().contains("price_per_million"), price.getMessage());
  }

  @Test
  public void thePriceTablePricesModelsWithoutAPriceOfTheirOwn() throws Exception {
    Path settings = Files.createTempDirectory("prices");
    Files.writeString(
        settings.resolve(Prices.FILE),
        "prices:\n"
            + "  openai/gpt-4o-mini-2024-07-18: {input: 0.15, output: 0.6}\n"
            + "  local: {input: 0, output: 0}\n");
    Prices prices = Prices.load(settings);
    ModelsFile resolved =
        file("""
                  - {name: mini, provider: openai, model: gpt-4o-mini-2024-07-18}
                  - {name: own, provider: openai, model: gpt-4o-mini-2024-07-18, price_per_million: {input: 1, output: 2}}
                  - {name: local, provider: openai-compatible, base_url: 'http://127.0.0.1:8000/v1', model: x}
                  - {name: none, provider: openai-compatible, base_url: 'http://127.0.0.1:8000/v1', model: y}
                """)
            .resolved(prices, true, Optional.of(new BigDecimal("7")));
    assertEquals(
        resolved.model("mini").pricing().orElseThrow().inputPerMillion(), new BigDecimal("0.15"));
    assertEquals(
        resolved.model("own").pricing().orElseThrow().inputPerMillion(), new BigDecimal("1"));
    assertEquals(
        resolved.model("local").pricing().orElseThrow().outputPerMillion(), new BigDecimal("0"));
    assertTrue(resolved.model("none").pricing().isEmpty());
    assertEquals(resolved.model("none").batch(), Optional.of(BatchOptions.OPENAI));
    assertEquals(resolved.maxCostUsd(), Optional.of(new BigDecimal("7")));
    assertTrue(Prices.load(settings.resolve("missing")).byModel().isEmpty());
  }

  @Test
  public void promptEstimatesTakeTheLargerOfFourCharactersAndPreTokens() {
    // Prose: four characters a token wins.
    assertEquals(TokenEstimate.text("The quick brown fox jumps over the lazy dog."), 11);
    assertEquals(TokenEstimate.preTokens("The quick brown fox jumps over the lazy dog."), 10);
    // Options dense with punctuation: pre-tokens win ("\n", "(", "A", ")", " 1", ".", "5", ...).
    assertEquals(TokenEstimate.preTokens("\n(A) 1.5\n(B) 2"), 12);
    assertEquals(TokenEstimate.text("\n(A) 1.5\n(B) 2"), 12);
    assertEquals(TokenEstimate.preTokens("a  b"), 3);
    CompletionRequest request =
        new CompletionRequest("Q: 2+2?\nA:", ChatWrapping.GPT_FATHOM, Sampling.greedy(5));
    assertEquals(
        TokenEstimate.prompt(request),
        TokenEstimate.text(ChatWrapping.GPT_FATHOM.systemMessage().orElseThrow())
            + TokenEstimate.text("Q: 2+2?\nA:"));
  }
}
