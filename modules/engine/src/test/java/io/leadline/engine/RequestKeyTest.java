package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.ChatWrapping;
import io.leadline.api.CompletionRequest;
import io.leadline.api.Sampling;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Suite;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The request key is pinned: every field that changes a request is in it, and two requests that
 * differ in any one of them never share a stored answer.
 */
public class RequestKeyTest {
  private static final BenchmarkSetting SETTING =
      Suite.load(SweepFixture.ROOT.resolve("benchmarks"))
          .setting(SweepFixture.ROOT.resolve("settings"), "gpt-fathom")
          .of("gsm8k");

  /** One request to a model under test: who is asked, what, and how it is sampled. */
  private record Item(ModelIdentity model, BenchmarkSetting setting, CompletionRequest request) {
    /** Test reports name each case by its field, not by this request's whole contents. */
    @Override
    public String toString() {
      return "the changed request";
    }

    String hash() {
      return RequestKey.hash(model, setting, request);
    }

    Item model(UnaryOperator<ModelIdentity> change) {
      return new Item(change.apply(model), setting, request);
    }

    Item setting(UnaryOperator<BenchmarkSetting> change) {
      return new Item(model, change.apply(setting), request);
    }

    Item request(UnaryOperator<CompletionRequest> change) {
      return new Item(model, setting, change.apply(request));
    }

    Item sampling(UnaryOperator<Sampling> change) {
      return request(
          r -> new CompletionRequest(r.prompt(), r.wrapping(), change.apply(r.sampling())));
    }
  }

  private static final Item BASE =
      new Item(
          new ModelIdentity("sim-v1", "sim", "sim-v1", "chat", "sim-0123456789ab"),
          SETTING,
          new CompletionRequest(
              "Q: 1 + 1?\nA: ",
              ChatWrapping.GPT_FATHOM,
              new Sampling(0, Optional.empty(), 1024, List.of("\n\n"), 1, OptionalLong.empty())));

  /**
   * Every field that changes a request, each with a change of that field alone. A field added to
   * the key must be added here, and a field dropped from the key makes its change share a hash.
   */
  @DataProvider
  public Object[][] fields() {
    return new Object[][] {
      {
        "model name",
        BASE.model(m -> identity(m, "sim-v2", m.provider(), m.model(), m.api(), m.profileSha256()))
      },
      {
        "provider",
        BASE.model(m -> identity(m, m.name(), "openai-compatible", m.model(), m.api(), ""))
      },
      {
        "model id",
        BASE.model(
            m -> identity(m, m.name(), m.provider(), "other-model", m.api(), m.profileSha256()))
      },
      {
        "API style",
        BASE.model(
            m -> identity(m, m.name(), m.provider(), m.model(), "completions", m.profileSha256()))
      },
      {
        "simulated profile",
        BASE.model(m -> identity(m, m.name(), m.provider(), m.model(), m.api(), "sim-ba9876543210"))
      },
      {
        "request options (a reasoning model's)",
        BASE.model(
            m ->
                new ModelIdentity(
                    m.name(),
                    m.provider(),
                    m.model(),
                    m.api(),
                    m.profileSha256(),
                    ModelIdentity.canonical(Map.of("reasoning_effort", "high"))))
      },
      {
        "chat wrapping and system message",
        BASE.request(r -> new CompletionRequest(r.prompt(), ChatWrapping.NONE, r.sampling()))
      },
      {
        "prompt",
        BASE.request(r -> new CompletionRequest(r.prompt() + " ", r.wrapping(), r.sampling()))
      },
      {
        "temperature", BASE.setting(s -> with(s, new BigDecimal("0.7"), s.topP(), s.perturbation()))
      },
      {
        "top_p",
        BASE.setting(
            s -> with(s, s.temperature(), Optional.of(new BigDecimal("0.95")), s.perturbation()))
      },
      {
        "max_tokens",
        BASE.sampling(s -> new Sampling(s.temperature(), s.topP(), 256, s.stop(), s.n(), s.seed()))
      },
      {
        "stop",
        BASE.sampling(
            s ->
                new Sampling(
                    s.temperature(), s.topP(), s.maxTokens(), List.of("\nQ:"), s.n(), s.seed()))
      },
      {
        "n",
        BASE.sampling(
            s -> new Sampling(s.temperature(), s.topP(), s.maxTokens(), s.stop(), 5, s.seed()))
      },
      {
        "seed",
        BASE.sampling(
            s ->
                new Sampling(
                    s.temperature(), s.topP(), s.maxTokens(), s.stop(), s.n(), OptionalLong.of(47)))
      },
      {
        "perturbation",
        BASE.setting(s -> with(s, s.temperature(), s.topP(), Optional.of("typos:rate-0.02")))
      },
    };
  }

  @Test(dataProvider = "fields")
  public void requestsThatDifferInOneFieldNeverShareAKey(String field, Item changed) {
    assertNotEquals(changed.hash(), BASE.hash(), field + " is not in the request key");
  }

  @Test
  public void theKeyHoldsExactlyTheFieldsThatChangeARequest() throws Exception {
    JsonNode key =
        new ObjectMapper()
            .readTree(RequestKey.canonicalJson(BASE.model(), SETTING, BASE.request()));
    assertEquals(names(key), List.of("chat_wrapping", "model", "prompt", "sampling"));
    assertEquals(
        names(key.get("model")), List.of("api", "model", "name", "profile_sha256", "provider"));
    assertEquals(
        names(key.get("sampling")),
        List.of("max_tokens", "n", "seed", "stop", "temperature", "top_p"));
    JsonNode perturbed =
        new ObjectMapper()
            .readTree(
                RequestKey.canonicalJson(
                    BASE.model(),
                    with(
                        SETTING,
                        SETTING.temperature(),
                        SETTING.topP(),
                        Optional.of("format:extra-newlines")),
                    BASE.request()));
    assertEquals(perturbed.get("perturbation").asText(), "format:extra-newlines");
  }

  /**
   * The key names the chat wrapping, not its text: a wrapping's system message is pinned here, so
   * changing it means a new wrapping id (and new keys), never old answers to a new message.
   */
  @Test
  public void eachChatWrappingKeepsItsSystemMessage() {
    assertEquals(
        ChatWrapping.GPT_FATHOM.systemMessage(),
        Optional.of("Follow the given instructions and examples, answer the question."));
    assertEquals(ChatWrapping.NONE.systemMessage(), Optional.empty());
  }

  /**
   * A model's request options key its requests and its setting hash apart from the same model's
   * plain ones, and apart from other options; a model without any keeps the hashes it had.
   */
  @Test
  public void requestOptionsKeyAReasoningModelApart() {
    ModelIdentity plain = BASE.model();
    ModelIdentity high = withOptions(plain, Map.of("reasoning_effort", "high"));
    ModelIdentity low = withOptions(plain, Map.of("reasoning_effort", "low"));
    assertEquals(withOptions(plain, Map.of()), plain);
    assertEquals(plain.settingHash(SETTING.hash()), SETTING.hash());
    assertNotEquals(high.settingHash(SETTING.hash()), SETTING.hash());
    assertNotEquals(high.settingHash(SETTING.hash()), low.settingHash(SETTING.hash()));
    assertNotEquals(
        RequestKey.hash(high, SETTING, BASE.request()),
        RequestKey.hash(low, SETTING, BASE.request()));
    assertEquals(high.canonical().get("request_options"), "{\"reasoning_effort\":\"high\"}");
    assertEquals(
        ModelIdentity.canonical(Map.of("max_tokens", "8192", "thinking.budget_tokens", "4096")),
        "{\"max_tokens\":\"8192\",\"thinking.budget_tokens\":\"4096\"}");
  }

  private static ModelIdentity withOptions(ModelIdentity m, Map<String, String> options) {
    return new ModelIdentity(
        m.name(),
        m.provider(),
        m.model(),
        m.api(),
        m.profileSha256(),
        ModelIdentity.canonical(options));
  }

  /** Round 1's stored answers stay valid: an unperturbed request's key is what it was. */
  @Test
  public void anUnperturbedKeyIsRoundOnes() {
    assertEquals(
        RequestKey.canonicalJson(BASE.model(), SETTING, BASE.request()),
        "{\"chat_wrapping\":\"gpt-fathom\",\"model\":{\"api\":\"chat\",\"model\":\"sim-v1\","
            + "\"name\":\"sim-v1\",\"profile_sha256\":\"sim-0123456789ab\",\"provider\":\"sim\"},"
            + "\"prompt\":\"Q: 1 + 1?\\nA: \",\"sampling\":{\"max_tokens\":1024,\"n\":1,"
            + "\"seed\":null,\"stop\":[\"\\n\\n\"],\"temperature\":\"0\",\"top_p\":null}}");
  }

  @Test
  public void aScorersRequestIsKeyedLikeASweepItem() {
    CompletionRequest judge =
        new CompletionRequest(
            "Is it right? Answer yes or no.", ChatWrapping.NONE, Sampling.greedy(8));
    String key = RequestKey.hash(BASE.model(), judge);
    assertEquals(RequestKey.hash(BASE.model(), judge), key);
    assertNotEquals(
        RequestKey.hash(
            BASE.model(
                    m -> identity(m, "sim-v2", m.provider(), m.model(), m.api(), m.profileSha256()))
                .model(),
            judge),
        key);
    assertNotEquals(
        RequestKey.hash(
            BASE.model(),
            new CompletionRequest(judge.prompt() + "?", judge.wrapping(), judge.sampling())),
        key);
  }

  private static ModelIdentity identity(
      ModelIdentity base, String name, String provider, String model, String api, String profile) {
    return new ModelIdentity(name, provider, model, api, profile);
  }

  private static BenchmarkSetting with(
      BenchmarkSetting s,
      BigDecimal temperature,
      Optional<BigDecimal> topP,
      Optional<String> perturbation) {
    return new BenchmarkSetting(
        s.setting(),
        s.benchmark(),
        s.shots(),
        s.cot(),
        s.chatWrapping(),
        temperature,
        topP,
        s.maxTokens(),
        s.stop(),
        s.n(),
        s.seed(),
        s.passAt(),
        s.majAt(),
        perturbation,
        Optional.empty(),
        s.scoring());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return new ArrayList<>(new TreeSet<>(names));
  }
}
