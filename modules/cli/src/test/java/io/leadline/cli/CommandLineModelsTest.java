package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import io.leadline.models.ModelSpec;
import io.leadline.models.ModelsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class CommandLineModelsTest {
  /** The flags as picocli hands them over: pairs in command-line order. */
  private static CommandLineModels of(String... flags) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < flags.length; i += 2) {
      pairs.add(Map.entry(flags[i], flags[i + 1]));
    }
    return CommandLineModels.of(pairs);
  }

  private static List<ModelSpec> models(String... flags) {
    return ModelsFile.parse(CommandLineModels.FILE, of(flags).yaml()).models();
  }

  @Test
  public void eachModelTakesTheFlagsThatFollowIt() {
    List<ModelSpec> models =
        models(
            "--model", "openai-compatible/meta-llama/Llama-3.1-8B-Instruct",
            "--base-url", "http://127.0.0.1:8000/v1",
            "--api-key-env", "VLLM_KEY",
            "--model", "openai/gpt-4o-mini",
            "--model", "anthropic/claude-3-5-haiku-latest",
            "--name", "haiku",
            "--model", "sim/sim-v1",
            "--model", "openai-compatible/qwen",
            "--base-url", "https://h.example/v1",
            "--api", "completions");
    assertEquals(
        models.stream().map(ModelSpec::name).toList(),
        List.of("Llama-3.1-8B-Instruct", "gpt-4o-mini", "haiku", "sim-v1", "qwen"));
    ModelSpec llama = models.get(0);
    assertEquals(llama.provider().id(), "openai-compatible");
    assertEquals(llama.model(), "meta-llama/Llama-3.1-8B-Instruct");
    assertEquals(llama.baseUrl().orElseThrow().toString(), "http://127.0.0.1:8000/v1");
    assertEquals(llama.apiKeyEnv(), Optional.of("VLLM_KEY"));
    // The providers' own defaults, exactly as a models file without those keys gets them.
    ModelSpec openai = models.get(1);
    assertEquals(openai.baseUrl().orElseThrow().toString(), "https://api.openai.com/v1");
    assertEquals(openai.apiKeyEnv(), Optional.of("OPENAI_API_KEY"));
    assertEquals(models.get(2).model(), "claude-3-5-haiku-latest");
    assertEquals(models.get(2).apiKeyEnv(), Optional.of("ANTHROPIC_API_KEY"));
    assertEquals(models.get(3).profile(), Optional.of("sim-v1"));
    assertEquals(models.get(4).api().id(), "completions");
    assertEquals(models.get(4).apiKeyEnv(), Optional.empty());
    ModelSpec fromFile =
        ModelsFile.parse(
                "m.yaml",
                "models:\n  - {name: gpt-4o-mini, provider: openai, model: gpt-4o-mini}\n")
            .models()
            .get(0);
    assertEquals(openai, fromFile);
  }

  @Test
  public void aNameIsTheModelIdsLastPartMadeIntoAName() {
    assertEquals(
        models("--model", "openai-compatible/org/model:7b@q4", "--base-url", "http://h/v1")
            .get(0)
            .name(),
        "model-7b-q4");
    assertEquals(
        models("--model", "openai-compatible/_x", "--base-url", "http://h/v1").get(0).name(),
        "m_x");
  }

  /** A gateway's key in the base URL's query is not shown. */
  @Test
  public void describesEachModelByTheNameRecordsUse() {
    assertEquals(
        of(
                "--model",
                "openai-compatible/meta-llama/Llama-3.1-8B-Instruct",
                "--base-url",
                "http://127.0.0.1:8000/v1?api-key=s3cret#k",
                "--model",
                "sim/sim-v2")
            .describe(),
        List.of(
            "model Llama-3.1-8B-Instruct: openai-compatible meta-llama/Llama-3.1-8B-Instruct at"
                + " http://127.0.0.1:8000/v1",
            "model sim-v2: sim sim-v2"));
  }

  @DataProvider
  public Object[][] badFlags() {
    return new Object[][] {
      {
        new String[] {"--base-url", "http://h/v1", "--model", "openai/x"},
        "--base-url http://h/v1: comes before any --model; each --model takes the --base-url,"
            + " --api-key-env, --api and --name that follow it"
      },
      {
        new String[] {"--model", "openai/x", "--name", "a", "--name", "b"},
        "--name: given twice for --model openai/x (a --model takes the flags that follow it, up"
            + " to the next --model)"
      },
      {
        new String[] {"--model", "gpt-4o"},
        "--model: expected PROVIDER/MODEL with PROVIDER one of openai-compatible, openai,"
            + " anthropic, sim (e.g. openai/gpt-4o-mini,"
            + " openai-compatible/meta-llama/Llama-3.1-8B-Instruct, sim/sim-v1), got 'gpt-4o'"
      },
      {
        new String[] {"--model", "openai/"},
        "--model: expected PROVIDER/MODEL with PROVIDER one of openai-compatible, openai,"
            + " anthropic, sim (e.g. openai/gpt-4o-mini,"
            + " openai-compatible/meta-llama/Llama-3.1-8B-Instruct, sim/sim-v1), got 'openai/'"
      },
      {
        new String[] {"--model", "antropic/claude"},
        "--model antropic/claude: unknown provider 'antropic' (did you mean anthropic?); known:"
            + " openai-compatible, openai, anthropic, sim"
      },
      {
        new String[] {"--model", "openai-compatible/m"},
        "--model openai-compatible/m: needs --base-url after it, the server's OpenAI API root"
            + " (e.g. http://127.0.0.1:8000/v1)"
      },
      {
        new String[] {"--model", "sim/sim-v1", "--base-url", "http://h/v1"},
        "--base-url (of --model sim/sim-v1): a sim model has no base URL: the sweep serves it;"
            + " for a 'leadline serve-sim' server, use openai-compatible/MODEL --base-url"
      },
      {
        new String[] {"--model", "openai/a", "--base-url", "http://user:pw@h/v1"},
        "--base-url (of --model openai/a): expected an http:// or https:// URL without"
            + " credentials (the key goes in the variable --api-key-env names), got"
            + " 'http://…@h/v1'"
      },
      {
        new String[] {"--model", "openai/a", "--api", "responses"},
        "--api (of --model openai/a): expected chat or completions, got 'responses'"
      },
      {
        new String[] {"--model", "openai/a", "--api-key-env", "sk-proj-abcdef"},
        "--api-key-env (of --model openai/a): expected the name of an environment variable,"
            + " such as VLLM_API_KEY (never the key itself), got 'sk-p…'"
      },
      {
        new String[] {"--model", "openai/a", "--name", "my model"},
        "--name (of --model openai/a): expected letters, digits, '.', '_' or '-', got 'my model'"
      },
      {
        new String[] {
          "--model", "openai/x/m", "--model", "openai-compatible/y/m", "--base-url", "http://h/v1"
        },
        "--model openai/x/m and --model openai-compatible/y/m are both named 'm'; give one a"
            + " --name after it"
      },
    };
  }

  @Test(dataProvider = "badFlags")
  public void aBadFlagIsOneLineNamingIt(String[] flags, String message) {
    LeadlineException e = expectThrows(LeadlineException.class, () -> of(flags).yaml());
    assertEquals(e.getMessage(), message);
  }

  @Test
  public void aKeyNeverReachesAMessage() {
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () -> of("--model", "openai/a", "--base-url", "https://sk-secret-123@h/v1").yaml());
    assertTrue(!e.getMessage().contains("sk-secret"), e.getMessage());
  }
}
