package io.leadline.models;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class ModelsFileTest {
  @Test
  public void readsTheDesignExampleWithEveryDefaultPinned() {
    ModelsFile file =
        ModelsFile.parse(
            "models.yaml",
            """
            models:
              - name: local-llama            # what --models and reports use
                provider: openai-compatible  # or: openai, anthropic, sim
                base_url: http://127.0.0.1:8000/v1
                model: meta-llama/Llama-3.1-8B-Instruct
                api: chat                    # or: completions
                api_key_env: VLLM_API_KEY    # optional
                max_concurrency: 32          # optional
                requests_per_minute: 600     # optional
            """);
    ModelSpec spec = file.models().get(0);
    assertEquals(
        spec,
        new ModelSpec(
            "local-llama",
            Provider.OPENAI_COMPATIBLE,
            Optional.of(URI.create("http://127.0.0.1:8000/v1")),
            "meta-llama/Llama-3.1-8B-Instruct",
            ApiStyle.CHAT,
            Optional.of("VLLM_API_KEY"),
            32,
            OptionalInt.of(600),
            OptionalLong.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            true,
            Duration.ofSeconds(300),
            8,
            Duration.ofMinutes(15),
            Optional.empty(),
            false,
            8L << 20,
            Duration.ofMinutes(5),
            Optional.empty(),
            RequestOptions.NONE,
            ModelFacts.NONE,
            false,
            Optional.empty(),
            List.of()));
    assertEquals(spec.endpointHost(), "127.0.0.1:8000");
    assertTrue(file.maxTokens().isEmpty());
    assertTrue(file.newBudget().exhausted().isEmpty());
  }

  @Test
  public void fillsProviderDefaults() {
    ModelsFile file =
        ModelsFile.parse(
            "m.yaml",
            """
            models:
              - {name: gpt, provider: openai, model: gpt-4o-2024-08-06, price_per_million: {input: 2.5, output: 10}}
              - {name: claude, provider: anthropic, model: claude-sonnet-4-5, context_window: 200000}
              - {name: sim-v1, provider: sim, profile: sim-v1}
            budget: {max_tokens: 1000000, max_cost_usd: 5}
            """);
    ModelSpec gpt = file.model("gpt");
    assertEquals(gpt.baseUrl().orElseThrow(), URI.create("https://api.openai.com/v1"));
    assertEquals(gpt.apiKeyEnv(), Optional.of("OPENAI_API_KEY"));
    assertEquals(
        gpt.pricing().orElseThrow(), new Pricing(new BigDecimal("2.5"), new BigDecimal("10")));
    assertEquals(gpt.maxConcurrency(), ModelsFile.DEFAULT_MAX_CONCURRENCY);
    ModelSpec claude = file.model("claude");
    assertEquals(claude.baseUrl().orElseThrow(), URI.create("https://api.anthropic.com/v1"));
    assertEquals(claude.apiKeyEnv(), Optional.of("ANTHROPIC_API_KEY"));
    assertFalse(claude.supportsN());
    assertEquals(claude.contextWindow(), OptionalInt.of(200000));
    ModelSpec sim = file.model("sim-v1");
    assertEquals(sim.model(), "sim-v1");
    assertTrue(sim.baseUrl().isEmpty());
    assertEquals(sim.endpointHost(), "in-process");
    assertEquals(file.maxTokens(), OptionalLong.of(1000000));
    assertEquals(file.maxCostUsd(), Optional.of(new BigDecimal("5")));
  }

  @DataProvider
  public Object[][] badFiles() {
    return new Object[][] {
      {"", "m.yaml: the file is empty; expected a 'models:' list"},
      {"models: [", "m.yaml: line 1:"},
      {"modles: []", "m.yaml: unknown key 'modles'; known: budget, models"},
      {"models: []", "m.yaml: models: expected at least one model"},
      {
        "models:\n  - {name: a, provider: vllm}",
        "m.yaml: models[0].provider: expected one of openai, openai-compatible, anthropic, sim,"
            + " llama-cpp, got 'vllm'"
      },
      {
        "models:\n  - {name: a, provider: openai-compatible, model: x}",
        "m.yaml: models[0].base_url: is required for provider openai-compatible"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, max_concurency: 3}",
        "m.yaml: models[0]: unknown key 'max_concurency'; known:"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, max_concurrency: 0}",
        "m.yaml: models[0].max_concurrency: expected a whole number in [1, 4096], got 0"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, max_concurrency: many}",
        "m.yaml: models[0].max_concurrency: expected a whole number in [1, 4096], got 'many'"
      },
      {"models:\n  - {name: a, provider: openai}", "m.yaml: models[0].model: is required"},
      {
        "models:\n  - {name: a, provider: sim}",
        "m.yaml: models[0].profile: is required for provider sim (e.g. sim-v1)"
      },
      {
        "models:\n  - {name: a, provider: sim, profile: /tmp/fragile.yaml}",
        "m.yaml: models[0].model: is required when the profile is a file: the snapshot name the"
            + " profile declares"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, base_url: 'ftp://h'}",
        "m.yaml: models[0].base_url: expected an http:// or https:// URL, got 'ftp://h'"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, base_url: 'https://u:p@h/v1'}",
        "m.yaml: models[0].base_url: put credentials in the variable api_key_env names, not in the URL"
      },
      {
        "models:\n  - {name: a, provider: anthropic, model: x, api: completions}",
        "m.yaml: models[0].api: Anthropic's Messages API is chat only"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x}\n  - {name: a, provider: openai, model: y}",
        "m.yaml: models[1].name: the name 'a' is used twice"
      },
      {
        "models:\n  - {name: 'a b', provider: openai, model: x}",
        "m.yaml: models[0].name: expected letters, digits, '.', '_' or '-', got 'a b'"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x}\nbudget: {}",
        "m.yaml: budget: expected max_tokens or max_cost_usd"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, price_per_million: {input: -1, output: 1}}",
        "m.yaml: models[0].price_per_million.input: expected a number >= 0, got -1"
      },
      {
        "models:\n  - {name: bad, provider: openai-compatible, model: x, base_url: 'http://127.0.0.1:99999/v1'}",
        "m.yaml: models[0].base_url: model bad: expected a port in [1, 65535], got 99999 in 'http://127.0.0.1:99999/v1'"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, max_response_bytes: 10}",
        "m.yaml: models[0].max_response_bytes: expected a whole number in [1024, 1073741824], got 10"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, stall_seconds: 0}",
        "m.yaml: models[0].stall_seconds: expected a number in"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, released: 2023-13-01}",
        "m.yaml: models[0].released: expected an ISO date like 2023-06-13, got '2023-13-01'"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, released: 20230613}",
        "m.yaml: models[0].released: expected an ISO date like 2023-06-13 (quoted or not)"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, params: 7G}",
        "m.yaml: models[0].params: expected a parameter count of at least 1, like 7000000000, 7B,"
            + " 260K, 1.5e9 or 1.3M, got '7G'"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, params: 0.5}",
        "m.yaml: models[0].params: expected a parameter count of at least 1"
      },
      {
        "models:\n  - {name: a, provider: openai, model: x, family: ''}",
        "m.yaml: models[0].family: expected a non-empty string"
      },
    };
  }

  @Test(dataProvider = "badFiles")
  public void badFileIsOneLineNamingTheField(String yaml, String message) {
    LeadlineException error =
        expectThrows(LeadlineException.class, () -> ModelsFile.parse("m.yaml", yaml));
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
  }

  @Test
  public void readsReleaseDatesSizesAndFamilies() {
    ModelsFile file =
        ModelsFile.parse(
            "m.yaml",
            """
            models:
              - {name: a, provider: openai, model: x, released: 2023-06-13, params: 7B, family: f}
              - {name: b, provider: openai, model: x, released: '2024-01-02', params: 260K}
              - {name: c, provider: openai, model: x, params: 1.5e9}
              - {name: d, provider: openai, model: x, params: 70000000}
              - {name: e, provider: openai, model: x, params: 1.3M}
              - {name: f, provider: openai, model: x}
            """);
    assertEquals(
        file.model("a").facts(),
        new ModelFacts(
            Optional.of(java.time.LocalDate.of(2023, 6, 13)),
            OptionalLong.of(7_000_000_000L),
            Optional.of("f")));
    assertEquals(
        file.model("b").facts().released(), Optional.of(java.time.LocalDate.of(2024, 1, 2)));
    assertEquals(file.model("b").facts().params(), OptionalLong.of(260_000));
    assertEquals(file.model("c").facts().params(), OptionalLong.of(1_500_000_000L));
    assertEquals(file.model("d").facts().params(), OptionalLong.of(70_000_000L));
    assertEquals(file.model("e").facts().params(), OptionalLong.of(1_300_000L));
    assertEquals(file.model("f").facts(), ModelFacts.NONE);
  }

  @Test
  public void readsTheEndpointGuards() {
    ModelSpec spec =
        ModelsFile.parse(
                "m.yaml",
                "models:\n  - {name: a, provider: openai, model: x, max_response_bytes: 65536,"
                    + " stall_seconds: 1.5}")
            .models()
            .get(0);
    assertEquals(spec.maxResponseBytes(), 65536);
    assertEquals(spec.stallTime(), Duration.ofMillis(1500));
  }

  @Test
  public void unknownModelListsTheKnownOnes() {
    ModelsFile file =
        ModelsFile.parse(
            "m.yaml",
            "models:\n  - {name: a, provider: openai, model: x}\n  - {name: b, provider: openai, model: y}");
    assertEquals(
        expectThrows(LeadlineException.class, () -> file.model("c")).getMessage(),
        "unknown model 'c'; known: a, b");
  }

  @Test
  public void readsEachProvidersReasoningOptions() {
    ModelsFile file =
        ModelsFile.parse(
            "m.yaml",
            """
            models:
              - {name: o3, provider: openai, model: o3, reasoning_effort: high, max_completion_tokens: 8000}
              - name: claude
                provider: anthropic
                model: claude-sonnet-4-5
                thinking: {type: enabled, budget_tokens: 4096}
                max_tokens: 8192
              - name: r1
                provider: openai-compatible
                base_url: http://127.0.0.1:8000/v1
                model: deepseek-r1
                max_completion_tokens: 4096
                reasoning_tags: {open: "<reasoning>", close: "</reasoning>"}
              - {name: plain, provider: openai, model: gpt-4o}
              - name: r1-distill
                provider: openai-compatible
                base_url: http://127.0.0.1:8000/v1
                model: deepseek-r1-distill
                reasoning_tags: {open: "", close: "</think>"}
            """);
    RequestOptions o3 = file.model("o3").request();
    assertEquals(o3.reasoningEffort(), Optional.of("high"));
    assertEquals(o3.maxTokens(1024), 8000);
    assertTrue(o3.defaultSamplingOnly());
    assertEquals(o3.notSent(), List.of("stop", "temperature", "top_p"));
    assertEquals(
        o3.describe(), Map.of("max_completion_tokens", "8000", "reasoning_effort", "high"));
    RequestOptions claude = file.model("claude").request();
    assertEquals(claude.thinkingBudget(), OptionalInt.of(4096));
    assertEquals(claude.maxTokens(1024), 8192);
    assertEquals(claude.notSent(), List.of("temperature", "top_p"));
    RequestOptions r1 = file.model("r1").request();
    assertFalse(r1.defaultSamplingOnly());
    assertEquals(r1.tags(), new RequestOptions.ReasoningTags("<reasoning>", "</reasoning>"));
    assertEquals(
        r1.describe(),
        Map.of("max_completion_tokens", "4096", "reasoning_tags", "<reasoning>…</reasoning>"));
    assertEquals(file.model("plain").request(), RequestOptions.NONE);
    assertTrue(file.model("r1-distill").request().tags().openedByTemplate());
    assertEquals(
        file.model("r1-distill").request().describe(), Map.of("reasoning_tags", "…</think>"));
    assertTrue(RequestOptions.NONE.describe().isEmpty());
  }

  @DataProvider
  public Object[][] badRequestOptions() {
    return new Object[][] {
      {
        "{name: c, provider: anthropic, model: x, reasoning_effort: high}",
        "m.yaml: models[0].reasoning_effort: model c: reasoning_effort is OpenAI's; Anthropic's"
            + " extended thinking is thinking: {type: enabled, budget_tokens: N} with max_tokens"
            + " above it"
      },
      {
        "{name: c, provider: anthropic, model: x, max_completion_tokens: 100}",
        "m.yaml: models[0].max_completion_tokens: model c: max_completion_tokens is OpenAI's"
      },
      {
        "{name: o, provider: openai, model: x, thinking: {type: enabled, budget_tokens: 2048}}",
        "m.yaml: models[0].thinking: model o: only provider anthropic takes thinking; OpenAI's"
            + " reasoning models take reasoning_effort"
      },
      {
        "{name: o, provider: openai-compatible, base_url: 'http://h/v1', model: x, max_tokens: 9}",
        "m.yaml: models[0].max_tokens: model o: only provider anthropic takes max_tokens; OpenAI's"
            + " chat API takes max_completion_tokens"
      },
      {
        "{name: o, provider: openai, model: x, reasoning_effort: extreme}",
        "m.yaml: models[0].reasoning_effort: expected one of minimal, low, medium, high, got"
            + " 'extreme'"
      },
      {
        "{name: o, provider: openai, model: x, api: completions, reasoning_effort: low}",
        "m.yaml: models[0].reasoning_effort: model o: reasoning_effort is for the chat API, not"
            + " api: completions"
      },
      {
        "{name: o, provider: openai, model: x, max_completion_tokens: 0}",
        "m.yaml: models[0].max_completion_tokens: expected a whole number in [1, 2147483647], got 0"
      },
      {
        "{name: c, provider: anthropic, model: x, thinking: {type: enabled, budget_tokens: 512},"
            + " max_tokens: 4096}",
        "m.yaml: models[0].thinking.budget_tokens: expected a whole number in [1024, 1073741824],"
            + " got 512"
      },
      {
        "{name: c, provider: anthropic, model: x, thinking: {type: enabled, budget_tokens: 2048}}",
        "m.yaml: models[0].max_tokens: model c: thinking needs max_tokens above its budget_tokens"
            + " (2048)"
      },
      {
        "{name: c, provider: anthropic, model: x, thinking: {type: enabled, budget_tokens: 2048},"
            + " max_tokens: 2048}",
        "m.yaml: models[0].max_tokens: model c: must be above thinking.budget_tokens (2048), got"
            + " 2048"
      },
      {
        "{name: c, provider: anthropic, model: x, thinking: {type: adaptive, budget_tokens: 2048},"
            + " max_tokens: 4096}",
        "m.yaml: models[0].thinking.type: expected one of enabled, got 'adaptive'"
      },
      {
        "{name: c, provider: anthropic, model: x, thinking: {budget: 2048}, max_tokens: 4096}",
        "m.yaml: models[0].thinking: unknown key 'budget'; known: budget_tokens, type"
      },
      {
        "{name: r, provider: openai, model: x, reasoning_tags: {open: '<t>', close: '<t>'}}",
        "m.yaml: models[0].reasoning_tags: model r: expected two different tags"
      },
    };
  }

  @Test(dataProvider = "badRequestOptions")
  public void aWrongRequestOptionIsOneLineNamingTheModelAndKey(String entry, String message) {
    LeadlineException error =
        expectThrows(
            LeadlineException.class, () -> ModelsFile.parse("m.yaml", "models:\n  - " + entry));
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
  }

  /** The committed model, as a path relative to this module's folder (where tests run). */
  private static final String GGUF = "../../models/stories260K/stories260K.gguf";

  @Test
  public void readsALlamaCppModelWithItsFileRelativeToTheModelsFile() throws Exception {
    java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("models");
    java.nio.file.Path file = folder.resolve("m.yaml");
    java.nio.file.Files.writeString(
        file,
        "models:\n  - {name: tiny, provider: llama-cpp, model_file: "
            + java.nio.file.Path.of(GGUF).toAbsolutePath().getParent().toString().replace('\\', '/')
            + "/stories260K.gguf, context_size: 512, threads: 3, slots: 2,"
            + " benchmarks: [tinystories]}\n");
    ModelSpec spec = ModelsFile.load(file).model("tiny");
    assertEquals(spec.provider(), Provider.LLAMA_CPP);
    assertEquals(spec.model(), "stories260K");
    assertEquals(spec.api(), ApiStyle.COMPLETIONS);
    assertEquals(spec.maxConcurrency(), 2);
    assertEquals(spec.endpointHost(), "in-process (llama.cpp)");
    assertTrue(spec.likelihoodRefusal().isPresent());
    assertEquals(spec.benchmarks(), List.of("tinystories"));
    assertTrue(spec.answers("tinystories"));
    assertFalse(spec.answers("gsm8k"));
    LocalModel local = spec.local().orElseThrow();
    assertEquals(local.contextSize(), OptionalInt.of(512));
    assertEquals(local.threads(), 3);
    assertEquals(local.slots(), 2);
    // A relative model_file is in the models file's folder.
    java.nio.file.Files.copy(java.nio.file.Path.of(GGUF), folder.resolve("copy.gguf"));
    java.nio.file.Files.writeString(
        file, "models:\n  - {name: tiny, provider: llama-cpp, model_file: copy.gguf}\n");
    LocalModel relative = ModelsFile.load(file).model("tiny").local().orElseThrow();
    assertEquals(relative.modelFile(), folder.resolve("copy.gguf").toAbsolutePath().toString());
    assertEquals(relative.threads(), ModelsFile.DEFAULT_LOCAL_THREADS);
    assertEquals(relative.slots(), ModelsFile.DEFAULT_LOCAL_SLOTS);
    assertTrue(relative.contextSize().isEmpty());
    // And in the folder a caller names, for text that is not read from a file.
    assertEquals(
        ModelsFile.parse(
                "(built-in)",
                "models:\n  - {name: t, provider: llama-cpp, model_file: stories260K.gguf}",
                java.nio.file.Path.of(GGUF).getParent())
            .model("t")
            .local()
            .orElseThrow()
            .modelFile(),
        java.nio.file.Path.of(GGUF).toAbsolutePath().normalize().toString());
  }

  @DataProvider
  public Object[][] badLlamaCppModels() {
    return new Object[][] {
      {
        "{name: t, provider: llama-cpp}",
        "m.yaml: models[0].model_file: model t: is required for provider llama-cpp"
      },
      {
        "{name: t, provider: llama-cpp, model_file: missing.gguf}",
        "m.yaml: models[0].model_file: model t: cannot read the GGUF file "
      },
      {
        "{name: t, provider: llama-cpp, model_file: ../../pom.xml}",
        "m.yaml: models[0].model_file: model t: "
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", context_size: 0}",
        "m.yaml: models[0].context_size: expected a whole number in [16, 1048576], got 0"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", threads: many}",
        "m.yaml: models[0].threads: expected a whole number in [1, 256], got 'many'"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", slots: 0}",
        "m.yaml: models[0].slots: expected a whole number in [1, 64], got 0"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", max_concurrency: 4}",
        "m.yaml: models[0].max_concurrency: model t: provider llama-cpp runs in-process and takes"
            + " no max_concurrency; slots is"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", base_url: 'http://x'}",
        "m.yaml: models[0].base_url: model t: provider llama-cpp runs in-process and takes no"
            + " base_url"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", api: chat}",
        "m.yaml: models[0].api: model t: provider llama-cpp completes text (api: completions)"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", loglikelihood: true}",
        "m.yaml: models[0].loglikelihood: model t: the in-process llama.cpp engine gives no prompt"
      },
      {
        "{name: t, provider: llama-cpp, model_file: " + GGUF + ", slot: 2}",
        "m.yaml: models[0]: unknown key 'slot'"
      },
      {
        "{name: o, provider: openai, model: x, model_file: " + GGUF + "}",
        "m.yaml: models[0].model_file: model o: only provider llama-cpp"
      },
      {
        "{name: o, provider: openai, model: x, benchmarks: []}",
        "m.yaml: models[0].benchmarks: expected at least one benchmark name"
      },
    };
  }

  @Test(dataProvider = "badLlamaCppModels")
  public void aWrongLlamaCppKeyIsOneLineNamingTheFileModelAndKey(String entry, String message) {
    LeadlineException error =
        expectThrows(
            LeadlineException.class, () -> ModelsFile.parse("m.yaml", "models:\n  - " + entry));
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
  }
}
