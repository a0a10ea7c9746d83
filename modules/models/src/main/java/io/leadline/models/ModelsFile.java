package io.leadline.models;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.leadline.api.ConfigNode;
import io.leadline.api.LeadlineException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The models file (DESIGN §5): which models a sweep calls and how, plus an optional budget. Read
 * strictly: an unknown key, a missing field or a value of the wrong kind is an error naming the
 * file and the field. Every default lives here.
 *
 * @param models in file order
 * @param maxTokens the sweep's token budget, if any
 * @param maxCostUsd the sweep's cost budget in US dollars, if any
 */
public record ModelsFile(
    List<ModelSpec> models, OptionalLong maxTokens, Optional<BigDecimal> maxCostUsd) {
  public static final int DEFAULT_MAX_CONCURRENCY = 8;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofMinutes(15);
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 8L << 20;
  public static final Duration DEFAULT_STALL_TIME = Duration.ofMinutes(5);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Set<String> TOP_KEYS = ImmutableSet.of("models", "budget");
  private static final Set<String> BUDGET_KEYS = ImmutableSet.of("max_tokens", "max_cost_usd");
  static final Set<String> PRICE_KEYS =
      ImmutableSet.of("input", "output", "cached_input", "batch_input", "batch_output");
  private static final Set<String> BATCH_KEYS =
      ImmutableSet.of("max_requests", "max_bytes", "poll_seconds");
  private static final Set<String> THINKING_KEYS = ImmutableSet.of("type", "budget_tokens");
  private static final Set<String> TAG_KEYS = ImmutableSet.of("open", "close");
  private static final Set<String> MODEL_KEYS =
      ImmutableSet.of(
          "name",
          "provider",
          "base_url",
          "model",
          "api",
          "api_key_env",
          "max_concurrency",
          "requests_per_minute",
          "tokens_per_minute",
          "price_per_million",
          "context_window",
          "supports_n",
          "timeout_seconds",
          "max_attempts",
          "max_retry_seconds",
          "profile",
          "loglikelihood",
          "max_response_bytes",
          "stall_seconds",
          "batch",
          "reasoning_effort",
          "max_completion_tokens",
          "thinking",
          "max_tokens",
          "reasoning_tags",
          "released",
          "params",
          "family",
          "tokenize",
          "model_file",
          "context_size",
          "threads",
          "slots",
          "benchmarks");

  /** What only a {@code llama-cpp} model takes. */
  private static final List<String> LOCAL_KEYS =
      List.of("model_file", "context_size", "threads", "slots");

  /** What a model served over HTTP takes and an in-process {@code llama-cpp} model does not. */
  private static final List<String> HTTP_KEYS =
      List.of(
          "base_url",
          "api_key_env",
          "max_concurrency",
          "requests_per_minute",
          "tokens_per_minute",
          "supports_n",
          "timeout_seconds",
          "max_attempts",
          "max_retry_seconds",
          "max_response_bytes",
          "stall_seconds",
          "batch",
          "tokenize",
          "profile",
          "context_window");

  public static final int DEFAULT_LOCAL_THREADS = 2;
  public static final int DEFAULT_LOCAL_SLOTS = 1;

  public ModelsFile {
    models = ImmutableList.copyOf(models);
    requireNonNull(maxTokens, "maxTokens is null");
    requireNonNull(maxCostUsd, "maxCostUsd is null");
  }

  /** Reads and checks {@code file}; a relative {@code model_file} is in the file's folder. */
  public static ModelsFile load(Path file) {
    return read(ConfigNode.load(file), folderOf(file.toString()));
  }

  /**
   * Reads and checks YAML text, naming it {@code file} in errors; a relative {@code model_file} is
   * in {@code file}'s folder where {@code file} is a file, else in the working directory.
   */
  public static ModelsFile parse(String file, String yaml) {
    return parse(file, yaml, folderOf(file));
  }

  /**
   * Reads and checks YAML text, naming it {@code file} in errors; a relative {@code model_file} is
   * in {@code folder}.
   */
  public static ModelsFile parse(String file, String yaml, Path folder) {
    return read(ConfigNode.parse(file, yaml), folder.toAbsolutePath());
  }

  /** The folder a relative {@code model_file} of the models file {@code file} is in. */
  public static Path folderOf(String file) {
    Path path = Path.of(file).toAbsolutePath();
    return java.nio.file.Files.isRegularFile(path)
        ? path.getParent()
        : Path.of("").toAbsolutePath();
  }

  /** A fresh budget for one sweep. */
  public Budget newBudget() {
    return new Budget(maxTokens, maxCostUsd);
  }

  /**
   * This file as a sweep uses it: each model priced from {@code prices} where its entry has no
   * price, every model sent through its batch API if {@code batchAll} ({@code sweep --batch}), and
   * the cost budget {@code maxCost} if given ({@code --budget}) in place of the file's.
   */
  public ModelsFile resolved(Prices prices, boolean batchAll, Optional<BigDecimal> maxCost) {
    ImmutableList.Builder<ModelSpec> resolved = ImmutableList.builder();
    for (ModelSpec model : models) {
      ModelSpec spec = prices.of(model).map(model::withPricing).orElse(model);
      if (batchAll && spec.batch().isEmpty() && spec.provider() != Provider.LLAMA_CPP) {
        spec = spec.withBatch(Optional.of(BatchOptions.of(spec.provider())));
      }
      resolved.add(spec);
    }
    return new ModelsFile(resolved.build(), maxTokens, maxCost.or(() -> maxCostUsd));
  }

  /** Whether the file has a model named {@code name}. */
  public boolean has(String name) {
    return models.stream().anyMatch(m -> m.name().equals(name));
  }

  /**
   * The model named {@code name}.
   *
   * @throws LeadlineException listing the known names if there is none such
   */
  public ModelSpec model(String name) {
    return models.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                LeadlineException.userInput(
                    "unknown model '%s'%s; known: %s",
                    name,
                    io.leadline.api.Suggestions.didYouMean(name, names()),
                    String.join(", ", names())));
  }

  private List<String> names() {
    return models.stream().map(ModelSpec::name).toList();
  }

  private static ModelsFile read(ConfigNode root, Path folder) {
    if (!root.isPresent()) {
      throw root.error("the file is empty; expected a 'models:' list");
    }
    root.allowOnly(TOP_KEYS);
    List<ConfigNode> entries = root.required("models").list();
    if (entries.isEmpty()) {
      throw root.required("models").error("expected at least one model");
    }
    ImmutableList.Builder<ModelSpec> models = ImmutableList.builder();
    Set<String> names = new HashSet<>();
    for (ConfigNode entry : entries) {
      ModelSpec spec = model(entry, folder);
      if (!names.add(spec.name())) {
        throw entry.required("name").error("the name '" + spec.name() + "' is used twice");
      }
      models.add(spec);
    }
    OptionalLong maxTokens = OptionalLong.empty();
    Optional<BigDecimal> maxCost = Optional.empty();
    Optional<ConfigNode> budget = root.optional("budget");
    if (budget.isPresent()) {
      budget.get().allowOnly(BUDGET_KEYS);
      maxTokens = optionalLong(budget.get(), "max_tokens", 1, Long.MAX_VALUE);
      maxCost = budget.get().optional("max_cost_usd").map(ConfigNode::decimal);
      if (maxTokens.isEmpty() && maxCost.isEmpty()) {
        throw budget.get().error("expected max_tokens or max_cost_usd");
      }
    }
    return new ModelsFile(models.build(), maxTokens, maxCost);
  }

  private static ModelSpec model(ConfigNode entry, Path folder) {
    entry.allowOnly(MODEL_KEYS);
    String name = entry.required("name").text();
    if (!NAME.matcher(name).matches()) {
      throw entry
          .required("name")
          .error("expected letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    Provider provider = Provider.fromId(entry.required("provider").oneOf(Provider.ids()));
    if (provider == Provider.LLAMA_CPP) {
      return localModel(entry, name, folder);
    }
    for (String key : LOCAL_KEYS) {
      if (entry.optional(key).isPresent()) {
        throw entry
            .required(key)
            .error(
                "model "
                    + name
                    + ": only provider llama-cpp (a GGUF file run in-process) takes "
                    + key);
      }
    }
    Optional<URI> baseUrl = entry.optional("base_url").map(node -> url(node, name));
    Optional<String> profile = entry.optional("profile").map(ConfigNode::text);
    if (provider == Provider.SIM) {
      if (baseUrl.isPresent()) {
        throw entry
            .required("base_url")
            .error("a sim model has no base_url: the sweep starts its server");
      }
      if (profile.isEmpty()) {
        throw entry.error("profile", "is required for provider sim (e.g. sim-v1)");
      }
    } else {
      if (profile.isPresent()) {
        throw entry.required("profile").error("only provider sim takes a profile");
      }
      baseUrl = baseUrl.or(provider::defaultBaseUrl);
      if (baseUrl.isEmpty()) {
        throw entry.error("base_url", "is required for provider " + provider.id());
      }
    }
    if (provider == Provider.SIM
        && entry.optional("model").isEmpty()
        && !profile.orElseThrow().matches("[A-Za-z0-9._-]+")) {
      throw entry.error(
          "model",
          "is required when the profile is a file: the snapshot name the profile declares");
    }
    String model =
        provider == Provider.SIM
            ? entry.optional("model").map(ConfigNode::text).orElse(profile.orElseThrow())
            : entry.required("model").text();
    ApiStyle api =
        entry
                .optional("api")
                .map(node -> node.oneOf(List.of("chat", "completions")))
                .orElse("chat")
                .equals("chat")
            ? ApiStyle.CHAT
            : ApiStyle.COMPLETIONS;
    if (provider == Provider.ANTHROPIC && api != ApiStyle.CHAT) {
      throw entry.required("api").error("Anthropic's Messages API is chat only");
    }
    boolean loglikelihood =
        entry.optional("loglikelihood").map(ConfigNode::bool).orElse(api == ApiStyle.COMPLETIONS);
    if (provider == Provider.ANTHROPIC && loglikelihood) {
      throw entry.required("loglikelihood").error("Anthropic's API has no log-probabilities");
    }
    Optional<String> keyEnv =
        entry.optional("api_key_env").map(ConfigNode::text).or(provider::defaultKeyEnv);
    Optional<Pricing> pricing = entry.optional("price_per_million").map(ModelsFile::pricing);
    Optional<BatchOptions> batch = entry.optional("batch").flatMap(node -> batch(node, provider));
    RequestOptions request = requestOptions(entry, name, provider, api);
    return new ModelSpec(
        name,
        provider,
        baseUrl,
        model,
        api,
        keyEnv,
        (int)
            entry
                .optional("max_concurrency")
                .map(n -> n.whole(1, 4096))
                .orElse((long) DEFAULT_MAX_CONCURRENCY)
                .longValue(),
        optionalLong(entry, "requests_per_minute", 1, 10_000_000).stream()
            .mapToInt(v -> (int) v)
            .findFirst(),
        optionalLong(entry, "tokens_per_minute", 1, Long.MAX_VALUE / 2),
        pricing,
        optionalLong(entry, "context_window", 1, Integer.MAX_VALUE).stream()
            .mapToInt(v -> (int) v)
            .findFirst(),
        entry.optional("supports_n").map(ConfigNode::bool).orElse(provider.supportsN()),
        entry
            .optional("timeout_seconds")
            .map(n -> Duration.ofMillis((long) (n.number(0.001, 86_400) * 1000)))
            .orElse(DEFAULT_TIMEOUT),
        (int)
            entry
                .optional("max_attempts")
                .map(n -> n.whole(1, 100))
                .orElse((long) DEFAULT_MAX_ATTEMPTS)
                .longValue(),
        entry
            .optional("max_retry_seconds")
            .map(n -> Duration.ofMillis((long) (n.number(0.001, 86_400) * 1000)))
            .orElse(DEFAULT_MAX_RETRY_TIME),
        profile,
        loglikelihood,
        optionalLong(entry, "max_response_bytes", 1024, 1L << 30)
            .orElse(DEFAULT_MAX_RESPONSE_BYTES),
        entry
            .optional("stall_seconds")
            .map(n -> Duration.ofMillis((long) (n.number(0.001, 86_400) * 1000)))
            .orElse(DEFAULT_STALL_TIME),
        batch,
        request,
        ModelFacts.read(entry),
        entry.optional("tokenize").map(ConfigNode::bool).orElse(false),
        Optional.empty(),
        benchmarks(entry));
  }

  /** The benchmarks a model answers ({@code benchmarks:}), or empty for all. */
  private static List<String> benchmarks(ConfigNode entry) {
    Optional<ConfigNode> node = entry.optional("benchmarks");
    if (node.isEmpty()) {
      return List.of();
    }
    List<String> names = node.get().list().stream().map(ConfigNode::text).toList();
    if (names.isEmpty()) {
      throw node.get().error("expected at least one benchmark name (leave the key out for all)");
    }
    return names;
  }

  /**
   * A {@code llama-cpp} model: a GGUF file run in this JVM, with completions only (no chat template
   * is applied) and no HTTP keys; its concurrency is its slots.
   */
  private static ModelSpec localModel(ConfigNode entry, String name, Path folder) {
    for (String key : HTTP_KEYS) {
      if (entry.optional(key).isPresent()) {
        throw entry
            .required(key)
            .error(
                "model "
                    + name
                    + ": provider llama-cpp runs in-process and takes no "
                    + key
                    + (key.equals("max_concurrency")
                        ? "; slots is how many requests it answers at once"
                        : "; it takes model_file, context_size, threads and slots"));
      }
    }
    if (entry.optional("model_file").isEmpty()) {
      throw entry.error(
          "model_file",
          "model " + name + ": is required for provider llama-cpp: the GGUF file to run");
    }
    ConfigNode fileNode = entry.required("model_file");
    Path file = Path.of(fileNode.text());
    if (!file.isAbsolute()) {
      file = folder.resolve(file);
    }
    file = file.normalize();
    checkGguf(fileNode, name, file);
    String fileName = file.getFileName().toString();
    String model =
        entry
            .optional("model")
            .map(ConfigNode::text)
            .orElse(
                fileName.endsWith(".gguf")
                    ? fileName.substring(0, fileName.length() - 5)
                    : fileName);
    if (entry.optional("api").isPresent()
        && !entry.required("api").oneOf(List.of("chat", "completions")).equals("completions")) {
      throw entry
          .required("api")
          .error(
              "model "
                  + name
                  + ": provider llama-cpp completes text (api: completions); it applies no chat"
                  + " template");
    }
    if (entry.optional("loglikelihood").map(ConfigNode::bool).orElse(false)) {
      throw entry
          .required("loglikelihood")
          .error(
              "model "
                  + name
                  + ": the in-process llama.cpp engine gives no prompt log-probabilities");
    }
    int slots =
        (int)
            entry
                .optional("slots")
                .map(n -> n.whole(1, 64))
                .orElse((long) DEFAULT_LOCAL_SLOTS)
                .longValue();
    LocalModel local =
        new LocalModel(
            file.toString(),
            optionalLong(entry, "context_size", 16, 1 << 20).stream()
                .mapToInt(v -> (int) v)
                .findFirst(),
            (int)
                entry
                    .optional("threads")
                    .map(n -> n.whole(1, 256))
                    .orElse((long) DEFAULT_LOCAL_THREADS)
                    .longValue(),
            slots);
    RequestOptions request = requestOptions(entry, name, Provider.LLAMA_CPP, ApiStyle.COMPLETIONS);
    return new ModelSpec(
        name,
        Provider.LLAMA_CPP,
        Optional.empty(),
        model,
        ApiStyle.COMPLETIONS,
        Optional.empty(),
        slots,
        OptionalInt.empty(),
        OptionalLong.empty(),
        entry.optional("price_per_million").map(ModelsFile::pricing),
        local.contextSize(),
        true,
        DEFAULT_TIMEOUT,
        1,
        DEFAULT_MAX_RETRY_TIME,
        Optional.empty(),
        false,
        DEFAULT_MAX_RESPONSE_BYTES,
        DEFAULT_STALL_TIME,
        Optional.empty(),
        request,
        ModelFacts.read(entry),
        false,
        Optional.of(local),
        benchmarks(entry));
  }

  /** That {@code file} is a readable GGUF file, in one line naming it if it is not. */
  private static void checkGguf(ConfigNode node, String name, Path file) {
    String where =
        " (a relative model_file is in the models file's folder; a sweep on a cluster loads it on"
            + " every executor, so it must be readable at this path on each)";
    byte[] magic = new byte[4];
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      if (in.readNBytes(magic, 0, 4) < 4
          || !"GGUF".equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
        throw node.error("model " + name + ": " + file + " is not a GGUF file");
      }
    } catch (java.io.IOException e) {
      throw node.error("model " + name + ": cannot read the GGUF file " + file + where);
    }
  }

  /**
   * A model's request options, each checked against its provider: OpenAI's {@code reasoning_effort}
   * and {@code max_completion_tokens} (chat API; OpenAI, OpenAI-compatible servers and the
   * simulator), Anthropic's {@code thinking} and {@code max_tokens}.
   */
  private static RequestOptions requestOptions(
      ConfigNode entry, String name, Provider provider, ApiStyle api) {
    boolean anthropic = provider == Provider.ANTHROPIC;
    for (String key : List.of("reasoning_effort", "max_completion_tokens")) {
      if (entry.optional(key).isPresent()) {
        if (anthropic) {
          throw entry
              .required(key)
              .error(
                  "model "
                      + name
                      + ": "
                      + key
                      + " is OpenAI's; Anthropic's extended thinking is thinking: {type: enabled,"
                      + " budget_tokens: N} with max_tokens above it");
        }
        if (api != ApiStyle.CHAT) {
          throw entry
              .required(key)
              .error("model " + name + ": " + key + " is for the chat API, not api: completions");
        }
      }
    }
    for (String key : List.of("thinking", "max_tokens")) {
      if (entry.optional(key).isPresent() && !anthropic) {
        throw entry
            .required(key)
            .error(
                "model "
                    + name
                    + ": only provider anthropic takes "
                    + key
                    + (key.equals("thinking")
                        ? "; OpenAI's reasoning models take reasoning_effort"
                        : "; OpenAI's chat API takes max_completion_tokens"));
      }
    }
    Optional<String> effort =
        entry.optional("reasoning_effort").map(node -> node.oneOf(RequestOptions.EFFORTS));
    OptionalInt maxCompletion = optionalInt(entry, "max_completion_tokens");
    OptionalInt maxTokens = optionalInt(entry, "max_tokens");
    OptionalInt budget = OptionalInt.empty();
    Optional<ConfigNode> thinking = entry.optional("thinking");
    if (thinking.isPresent()) {
      ConfigNode node = thinking.get().allowOnly(THINKING_KEYS);
      node.required("type").oneOf(List.of("enabled"));
      long tokens =
          node.required("budget_tokens").whole(RequestOptions.MIN_THINKING_BUDGET, 1L << 30);
      budget = OptionalInt.of((int) tokens);
      if (maxTokens.isEmpty()) {
        throw entry.error(
            "max_tokens",
            "model "
                + name
                + ": thinking needs max_tokens above its budget_tokens ("
                + tokens
                + "), in place of the settings' (which leave the thinking no room)");
      }
      if (maxTokens.getAsInt() <= tokens) {
        throw entry
            .required("max_tokens")
            .error(
                "model "
                    + name
                    + ": must be above thinking.budget_tokens ("
                    + tokens
                    + "), got "
                    + maxTokens.getAsInt());
      }
    }
    RequestOptions.ReasoningTags tags = RequestOptions.ReasoningTags.THINK;
    Optional<ConfigNode> tagsNode = entry.optional("reasoning_tags");
    if (tagsNode.isPresent()) {
      ConfigNode node = tagsNode.get().allowOnly(TAG_KEYS);
      String open = node.required("open").rawText();
      String close = node.required("close").rawText();
      if ((open.isBlank() && !open.isEmpty()) || close.isBlank() || open.equals(close)) {
        throw node.error(
            "model "
                + name
                + ": expected two different tags, e.g. {open: <think>, close: </think>} (open: \"\""
                + " where the chat template opens the block)");
      }
      tags = new RequestOptions.ReasoningTags(open, close);
    }
    return new RequestOptions(effort, maxCompletion, budget, maxTokens, tags);
  }

  private static OptionalInt optionalInt(ConfigNode parent, String key) {
    OptionalLong value = optionalLong(parent, key, 1, Integer.MAX_VALUE);
    return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
  }

  /** A price table entry: US dollars per million tokens (the models file's or prices.yaml's). */
  static Pricing pricing(ConfigNode price) {
    price.allowOnly(PRICE_KEYS);
    return new Pricing(
        price.required("input").decimal(),
        price.required("output").decimal(),
        price.optional("cached_input").map(ConfigNode::decimal),
        price.optional("batch_input").map(ConfigNode::decimal),
        price.optional("batch_output").map(ConfigNode::decimal));
  }

  /** {@code batch: true}, {@code false}, or a map of limits. */
  private static Optional<BatchOptions> batch(ConfigNode node, Provider provider) {
    BatchOptions defaults = BatchOptions.of(provider);
    if (!node.isMap()) {
      return node.bool() ? Optional.of(defaults) : Optional.empty();
    }
    node.allowOnly(BATCH_KEYS);
    return Optional.of(
        new BatchOptions(
            (int)
                node.optional("max_requests")
                    .map(n -> n.whole(1, defaults.maxRequests()))
                    .orElse((long) defaults.maxRequests())
                    .longValue(),
            node.optional("max_bytes")
                .map(n -> n.whole(1024, defaults.maxBytes()))
                .orElse(defaults.maxBytes()),
            node.optional("poll_seconds")
                .map(n -> Duration.ofMillis((long) (n.number(0.01, 3600) * 1000)))
                .orElse(defaults.pollInterval())));
  }

  private static OptionalLong optionalLong(ConfigNode parent, String key, long min, long max) {
    Optional<ConfigNode> node = parent.optional(key);
    return node.isPresent() ? OptionalLong.of(node.get().whole(min, max)) : OptionalLong.empty();
  }

  private static URI url(ConfigNode node, String model) {
    String text = node.text();
    try {
      URI uri = new URI(text);
      if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
        throw node.error(
            "model "
                + model
                + ": expected a port in [1, 65535], got "
                + uri.getPort()
                + " in '"
                + text
                + "'");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw node.error("expected an http:// or https:// URL, got '" + text + "'");
      }
      if (uri.getUserInfo() != null) {
        throw node.error("put credentials in the variable api_key_env names, not in the URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw node.error("expected an http:// or https:// URL, got '" + text + "'");
    }
  }
}
