package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Log-likelihood scoring by the simulated server, through {@code /v1/completions} with {@code echo}
 * and {@code logprobs} as a log-likelihood client sends them, and read as it reads them.
 */
public class SimLikelihoodTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SimAnswerKey KEY = BundledKeys.bundled(Set.of("mmlu", "gsm8k"));
  private static final SimProfile PROFILE =
      SimServerTest.profile("mmlu: 0.7", "loglikelihood:\n  accuracy: {mmlu: 0.5}\n");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SimServer server;

  @BeforeClass
  public void start() {
    server = SimServer.start(PROFILE, KEY, "127.0.0.1", 0, Optional.empty());
  }

  @AfterClass(alwaysRun = true)
  public void stop() {
    server.close();
  }

  /** How a continuation is written for the option with letter L and text T. */
  enum Style {
    LETTER_AND_TEXT,
    LETTER,
    TEXT;

    String continuation(String letter, String text) {
      return switch (this) {
        case LETTER_AND_TEXT -> " (" + letter + ") " + text;
        case LETTER -> " (" + letter + ")";
        case TEXT -> " " + text;
      };
    }
  }

  /**
   * The options of an MMLU item shown rotated by one (A holds the second choice), so letters map to
   * choices only through the options block; the context ends {@code A:}, its trailing space gone.
   */
  private static String context(SimItem item) {
    StringBuilder text =
        new StringBuilder("The following are multiple choice questions.\n\nQ: ")
            .append(item.needle())
            .append("\n\n");
    for (int shown = 0; shown < item.choices().size(); shown++) {
      text.append('(')
          .append((char) ('A' + shown))
          .append(") ")
          .append(item.choices().get((shown + 1) % item.choices().size()))
          .append('\n');
    }
    return text.append("A:").toString();
  }

  private static String letterOf(SimItem item, int choice) {
    int size = item.choices().size();
    return String.valueOf((char) ('A' + (choice - 1 + size) % size));
  }

  private static final List<SimItem> MMLU = recognisedMmlu();

  private static List<SimItem> mmlu() {
    return MMLU;
  }

  /** The MMLU items the key recognises from their context (a few short questions it does not). */
  private static List<SimItem> recognisedMmlu() {
    List<SimItem> all = KEY.items().stream().filter(i -> i.benchmark().equals("mmlu")).toList();
    List<SimItem> recognised =
        all.stream().filter(i -> KEY.find(context(i)).equals(Optional.of(i))).toList();
    assertTrue(recognised.size() > all.size() * 0.95, recognised.size() + " of " + all.size());
    return recognised;
  }

  /** MMLU items whose options the test can tell apart as text (no option ends another). */
  private static List<SimItem> items(boolean right, int count) {
    List<SimItem> found = new ArrayList<>();
    for (SimItem item : mmlu()) {
      if (found.size() < count
          && distinctEndings(item)
          && SimServer.likelihoodRight(PROFILE, KEY, context(item)).orElseThrow() == right) {
        found.add(item);
      }
    }
    assertEquals(found.size(), count);
    return found;
  }

  private static boolean distinctEndings(SimItem item) {
    for (String a : item.choices()) {
      for (String b : item.choices()) {
        if (a != b && (a.strip().endsWith(b.strip()) || a.isBlank())) {
          return false;
        }
      }
    }
    return true;
  }

  static JsonNode post(SimServer server, String body) throws Exception {
    HttpResponse<String> response = send(server, body);
    assertEquals(response.statusCode(), 200, response.body());
    return MAPPER.readTree(response.body());
  }

  static HttpResponse<String> send(SimServer server, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String scoring(String model, String prompt, int maxTokens, int logprobs, boolean echo) {
    ObjectNode request =
        MAPPER
            .createObjectNode()
            .put("model", model)
            .put("prompt", prompt)
            .put("max_tokens", maxTokens)
            .put("temperature", 0)
            .put("logprobs", logprobs)
            .put("echo", echo);
    return request.toString();
  }

  /** What a log-likelihood client sums: the logprobs of the tokens that end after the context. */
  private static double continuationSum(SimServer server, String context, String continuation)
      throws Exception {
    JsonNode logprobs =
        post(server, scoring("sim-test", context + continuation, 1, 1, true))
            .get("choices")
            .get(0)
            .get("logprobs");
    double sum = 0;
    int counted = 0;
    for (int i = 0; i < logprobs.get("tokens").size(); i++) {
      int end =
          logprobs.get("text_offset").get(i).asInt()
              + logprobs.get("tokens").get(i).asText().length();
      if (end > context.length()) {
        sum += logprobs.get("token_logprobs").get(i).asDouble();
        counted++;
      }
    }
    assertTrue(counted >= 2, "the continuation and the generated token: " + counted);
    return sum;
  }

  @DataProvider
  public Object[][] styles() {
    List<Object[]> rows = new ArrayList<>();
    for (Style style : Style.values()) {
      rows.add(new Object[] {style, true});
      rows.add(new Object[] {style, false});
    }
    return rows.toArray(Object[][]::new);
  }

  @Test(dataProvider = "styles")
  public void preferredOptionHasTheHighestContinuationSum(Style style, boolean right)
      throws Exception {
    for (SimItem item : items(right, 3)) {
      String context = context(item);
      double[] sums = new double[item.choices().size()];
      int best = 0;
      for (int choice = 0; choice < sums.length; choice++) {
        sums[choice] =
            continuationSum(
                server,
                context,
                style.continuation(letterOf(item, choice), item.choices().get(choice)));
        if (sums[choice] > sums[best]) {
          best = choice;
        }
      }
      int gold = item.choices().indexOf(item.gold());
      assertEquals(best == gold, right, item.key() + " " + java.util.Arrays.toString(sums));
      for (int choice = 0; choice < sums.length; choice++) {
        if (choice != best) {
          // The preferred total is at least -1, the others at most -2.5, the generated token alike.
          assertTrue(sums[best] - sums[choice] > 1.4, item.key() + " option " + choice);
        }
      }
    }
  }

  @Test
  public void verdictsFollowTheLikelihoodAccuracyAndAgreeWithGenerationAtTheSameAccuracy() {
    List<SimItem> items = mmlu();
    long right =
        items.stream()
            .filter(item -> SimServer.likelihoodRight(PROFILE, KEY, context(item)).orElseThrow())
            .count();
    assertTrue(Math.abs(right / (double) items.size() - 0.5) < 0.05, right + " of " + items.size());
    // Without a loglikelihood section, an item is right by likelihood exactly when it is right
    // when generated: the same difficulty draw decides both.
    SimProfile same = SimServerTest.profile("mmlu: 0.7", "");
    SimResponder responder = new SimResponder(same, KEY);
    for (SimItem item : items.subList(0, 200)) {
      String answer = responder.respond(context(item) + " ", false, 0, 0);
      assertEquals(
          SimServer.likelihoodRight(same, KEY, context(item)).orElseThrow(),
          (Boolean) answer.endsWith(" " + item.gold()),
          item.key() + ": " + answer);
    }
    assertEquals(SimServer.likelihoodRight(same, KEY, "Hello, who are you?"), Optional.empty());
    SimItem math =
        KEY.items().stream().filter(i -> i.benchmark().equals("gsm8k")).findFirst().get();
    assertEquals(server.likelihoodRight("Q: " + math.needle() + "\nA:"), Optional.empty());
  }

  /** The shape a strict client checks, for an echoed prompt. */
  private static void assertEchoShape(JsonNode choice, String prompt, int top) {
    String text = choice.get("text").asText();
    assertTrue(text.startsWith(prompt), text);
    JsonNode logprobs = choice.get("logprobs");
    JsonNode tokens = logprobs.get("tokens");
    JsonNode tokenLogprobs = logprobs.get("token_logprobs");
    JsonNode topLogprobs = logprobs.get("top_logprobs");
    JsonNode offsets = logprobs.get("text_offset");
    assertEquals(tokenLogprobs.size(), tokens.size());
    assertEquals(topLogprobs.size(), tokens.size());
    assertEquals(offsets.size(), tokens.size());
    assertTrue(tokenLogprobs.get(0).isNull());
    assertTrue(topLogprobs.get(0).isNull());
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i).asText();
      int offset = offsets.get(i).asInt();
      assertEquals(offset, joined.length(), "offset " + i);
      assertEquals(text.substring(offset, offset + token.length()), token);
      joined.append(token);
      if (i == 0) {
        continue;
      }
      double logprob = tokenLogprobs.get(i).asDouble();
      assertTrue(logprob < 0, "token " + i + ": " + logprob);
      JsonNode entries = topLogprobs.get(i);
      assertEquals(entries.size(), top, "top_logprobs " + i);
      double previous = 0;
      double mass = 0;
      boolean likeliest = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        double value = entry.getValue().asDouble();
        assertTrue(value <= previous, "likeliest first at " + i);
        previous = value;
        mass += Math.exp(value);
        likeliest &= value <= logprob;
        if (entry.getKey().equals(token)) {
          assertEquals(value, logprob);
        }
      }
      assertTrue(mass <= 1 + 1e-9, "probabilities add up to " + mass);
      if (likeliest && top > 0) {
        assertTrue(entries.has(token), "the likeliest token is among the top at " + i);
      }
    }
    assertEquals(joined.toString(), text);
  }

  @Test
  public void echoesThePromptWithLogprobsForEachToken() throws Exception {
    SimItem item = mmlu().get(0);
    String prompt = context(item) + " (B) " + item.choices().get(2);
    int promptTokens = SimTokenizer.tokenize(prompt).size();

    JsonNode one = post(server, scoring("sim-test", prompt, 1, 2, true));
    JsonNode choice = one.get("choices").get(0);
    assertEchoShape(choice, prompt, 2);
    assertEquals(choice.get("logprobs").get("tokens").size(), promptTokens + 1);
    assertEquals(one.get("usage").get("prompt_tokens").asInt(), promptTokens);
    assertEquals(one.get("usage").get("completion_tokens").asInt(), 1);
    assertEquals(choice.get("finish_reason").asText(), "length");
    // The generated token is the first of the sim's answer, "(X) text".
    assertEquals(choice.get("text").asText(), prompt + "(");

    JsonNode none = post(server, scoring("sim-test", prompt, 0, 5, true));
    choice = none.get("choices").get(0);
    assertEchoShape(choice, prompt, 5);
    assertEquals(choice.get("text").asText(), prompt);
    assertEquals(choice.get("logprobs").get("tokens").size(), promptTokens);
    assertEquals(none.get("usage").get("completion_tokens").asInt(), 0);

    JsonNode topless = post(server, scoring("sim-test", prompt, 0, 0, true));
    assertEchoShape(topless.get("choices").get(0), prompt, 0);
  }

  @Test
  public void withoutEchoCoversTheGeneratedTokensFromThePromptsEnd() throws Exception {
    SimItem item = mmlu().get(0);
    String prompt = context(item) + " ";
    JsonNode response = post(server, scoring("sim-test", prompt, 3, 1, false));
    JsonNode choice = response.get("choices").get(0);
    String text = choice.get("text").asText();
    JsonNode logprobs = choice.get("logprobs");
    assertEquals(logprobs.get("tokens").size(), 3);
    assertEquals(String.join("", texts(logprobs.get("tokens"))), text);
    assertEquals(logprobs.get("text_offset").get(0).asInt(), prompt.length());
    assertFalse(logprobs.get("token_logprobs").get(0).isNull());
    assertEquals(response.get("usage").get("completion_tokens").asInt(), 3);
    assertEquals(choice.get("finish_reason").asText(), "length");
    assertTrue(text.startsWith("("), text);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  @Test
  public void echoFaultsAnswerInTheirOwnShapes() throws Exception {
    SimItem item = mmlu().get(0);
    String prompt = context(item) + " (A)";
    String request = scoring("sim-test", prompt, 1, 1, true);
    JsonNode honoured = post(server, request).get("choices").get(0);
    int promptTokens = SimTokenizer.tokenize(prompt).size();
    String generated = honoured.get("text").asText().substring(prompt.length());

    try (SimServer ignored = serve(PROFILE.withEcho(SimProfile.Echo.IGNORED))) {
      JsonNode choice = post(ignored, request).get("choices").get(0);
      assertEquals(choice.get("text").asText(), generated);
      assertEquals(texts(choice.get("logprobs").get("tokens")), List.of(generated));
      assertEquals(choice.get("logprobs").get("text_offset").get(0).asInt(), prompt.length());
      assertFalse(choice.get("logprobs").get("token_logprobs").get(0).isNull());
      JsonNode empty = post(ignored, scoring("sim-test", prompt, 0, 1, true)).get("choices").get(0);
      assertEquals(empty.get("text").asText(), "");
      assertEquals(empty.get("logprobs").get("tokens").size(), 0);
    }
    try (SimServer noPrompt = serve(PROFILE.withEcho(SimProfile.Echo.NO_PROMPT_LOGPROBS))) {
      JsonNode choice = post(noPrompt, request).get("choices").get(0);
      assertEquals(choice.get("text").asText(), prompt + generated);
      JsonNode logprobs = choice.get("logprobs");
      assertEquals(texts(logprobs.get("tokens")), List.of(generated));
      assertEquals(logprobs.get("token_logprobs").size(), 1);
      assertEquals(logprobs.get("top_logprobs").size(), 1);
      assertEquals(texts(logprobs.get("text_offset")), List.of(String.valueOf(prompt.length())));
    }
    try (SimServer noOffsets = serve(PROFILE.withEcho(SimProfile.Echo.NO_OFFSETS))) {
      JsonNode choice = post(noOffsets, request).get("choices").get(0);
      assertEquals(choice.get("text").asText(), prompt + generated);
      JsonNode logprobs = choice.get("logprobs");
      assertFalse(logprobs.has("text_offset"));
      assertEquals(logprobs.get("tokens").size(), promptTokens + 1);
      assertEquals(logprobs.get("token_logprobs").size(), promptTokens + 1);
      assertEquals(logprobs.get("top_logprobs").size(), promptTokens + 1);
      assertTrue(logprobs.get("token_logprobs").get(0).isNull());
      assertEquals(logprobs.get("token_logprobs"), honoured.get("logprobs").get("token_logprobs"));
    }
  }

  private static SimServer serve(SimProfile profile) {
    return SimServer.start(profile, KEY, "127.0.0.1", 0, Optional.empty());
  }

  @Test
  public void sameRequestGetsTheSameBytes() throws Exception {
    SimItem item = mmlu().get(3);
    String request =
        scoring("sim-test", context(item) + " (C) " + item.choices().get(3), 1, 3, true);
    String first = send(server, request).body();
    assertEquals(send(server, request).body(), first);
    try (SimServer other = serve(PROFILE)) {
      assertEquals(send(other, request).body(), first);
    }
    // An unrecognised prompt still gets plain logprobs, the same each time.
    String unknown = scoring("sim-test", "Hello (A) there", 1, 1, true);
    JsonNode plain = post(server, unknown);
    assertEchoShape(plain.get("choices").get(0), "Hello (A) there", 1);
    assertEquals(send(server, unknown).body(), plain.toString());
  }

  @Test
  public void withoutLogprobsTheAnswerIsUnchangedAndBadLogprobsAreRefused() throws Exception {
    String prompt = context(mmlu().get(0)) + " ";
    JsonNode plain =
        post(
            server,
            "{\"model\":\"sim-test\",\"prompt\":" + MAPPER.writeValueAsString(prompt) + "}");
    assertFalse(plain.get("choices").get(0).has("logprobs"));
    HttpResponse<String> tooMany = send(server, scoring("sim-test", prompt, 1, 6, true));
    assertEquals(tooMany.statusCode(), 400);
    assertTrue(tooMany.body().contains("'logprobs' must be an integer in [0, 5]."), tooMany.body());
  }

  @Test
  public void profileSectionIsCheckedAndDefaultsToGenerativeAccuracies() {
    assertEquals(PROFILE.likelihoodAccuracy("mmlu"), 0.5);
    assertEquals(PROFILE.likelihoodAccuracy("arc-c"), 0.5, "the profile's default accuracy");
    assertEquals(SimServerTest.profile("mmlu: 0.7", "").likelihoodAccuracy("mmlu"), 0.7);
    assertEquals(PROFILE.echo(), SimProfile.Echo.HONOURED);
    assertTrue(PROFILE.benchmarks().contains("mmlu"));
    assertEquals(
        SimServerTest.profile("mmlu: 0.7", "loglikelihood:\n  accuracy: {arc-c: 0.6}\n")
            .benchmarks(),
        new java.util.TreeSet<>(Set.of("mmlu", "arc-c")));
    assertEquals(
        SimServerTest.profile("mmlu: 0.7", "loglikelihood: {echo: no-prompt-logprobs}\n").echo(),
        SimProfile.Echo.NO_PROMPT_LOGPROBS);

    assertProfileError(
        "loglikelihood: {echo: sometimes}\n",
        "test.yaml: loglikelihood.echo: expected one of honoured, ignored, no-prompt-logprobs,"
            + " no-offsets, got 'sometimes'");
    assertProfileError(
        "loglikelihood: {accuracy: {mmlu: 0.6}, echos: ignored}\n",
        "test.yaml: loglikelihood: unknown key 'echos'; known: accuracy, echo");
    assertProfileError(
        "loglikelihood: {accuracy: {MMLU: 0.6}}\n",
        "test.yaml: loglikelihood.accuracy: 'MMLU' is not a benchmark name (lower-case letters,"
            + " digits, - and _)");
    assertProfileError(
        "loglikelihood: {accuracy: {mmlu: 1.5}}\n",
        "test.yaml: loglikelihood.accuracy.mmlu: expected a number in [0.0, 1.0], got 1.5");

    SimProfile v1 = SimProfile.load(Path.of("../../settings/sim-v1.yaml"));
    SimProfile v2 = SimProfile.load(Path.of("../../settings/sim-v2.yaml"));
    for (String benchmark :
        List.of("mmlu", "arc-e", "arc-c", "hellaswag", "truthfulqa", "race-m", "race-h")) {
      assertTrue(v1.likelihood().accuracy().containsKey(benchmark), benchmark);
      assertTrue(v2.likelihood().accuracy().containsKey(benchmark), benchmark);
    }
    assertTrue(v1.likelihoodAccuracy("mmlu") < v1.accuracy().get("mmlu"));
    assertTrue(v1.likelihoodAccuracy("hellaswag") > v1.accuracy().get("hellaswag"));
  }

  private static void assertProfileError(String section, String message) {
    try {
      SimServerTest.profile("mmlu: 0.7", section);
      throw new AssertionError("expected an error for " + section);
    } catch (LeadlineException e) {
      assertEquals(e.getMessage(), message);
    }
  }

  @Test
  public void withEchoChangesTheEchoAndTheFingerprint() {
    SimProfile ignoring = PROFILE.withEcho(SimProfile.Echo.IGNORED);
    assertEquals(ignoring.echo(), SimProfile.Echo.IGNORED);
    assertEquals(ignoring.likelihood().accuracy(), PROFILE.likelihood().accuracy());
    assertNotEquals(ignoring.fingerprint(), PROFILE.fingerprint());
    assertTrue(ignoring.fingerprint().startsWith("sim-"));
    assertSame(PROFILE.withEcho(SimProfile.Echo.HONOURED), PROFILE);
  }
}
