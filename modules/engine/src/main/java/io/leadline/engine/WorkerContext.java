package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import io.leadline.api.CompletionRequest;
import io.leadline.api.LikelihoodRequest;
import io.leadline.api.ModelClient;
import io.leadline.benchmarks.BenchmarkData;
import io.leadline.benchmarks.BenchmarkSetting;
import io.leadline.benchmarks.Example;
import io.leadline.benchmarks.ItemScoring;
import io.leadline.benchmarks.Perturbations;
import io.leadline.benchmarks.Prompts;
import io.leadline.benchmarks.RenderedPrompt;
import io.leadline.benchmarks.Setting;
import io.leadline.benchmarks.SplitSource;
import io.leadline.benchmarks.Suite;
import io.leadline.models.ApiStyle;
import io.leadline.models.Budget;
import io.leadline.models.HttpModelClient;
import io.leadline.models.ModelClients;
import io.leadline.models.ModelSpec;
import io.leadline.models.ModelsFile;
import io.leadline.perturb.Variant;
import io.leadline.sandbox.CodeExecutor;
import io.leadline.sandbox.SandboxOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one JVM (the driver in {@code local[*]}, each executor on a cluster) holds for a run: the
 * loaded benchmarks, settings, examples and prompts, one client per model and one sandbox, made
 * once and shared by every task of the run in that JVM. Released when the run ends.
 *
 * <p>Thread-safe: everything is built on first use under {@link ConcurrentHashMap#computeIfAbsent}.
 */
final class WorkerContext implements AutoCloseable {
  private static final Map<String, WorkerContext> RUNS = new ConcurrentHashMap<>();

  private final Job job;
  private final Suite suite;
  private final SplitSource source;
  private final List<ModelSpec> models;
  private final Budget budget;
  private final ResultStore store;
  private final Map<String, Setting> settings = new ConcurrentHashMap<>();
  private final Map<String, List<Example>> examples = new ConcurrentHashMap<>();
  private final Map<String, Prompts> prompts = new ConcurrentHashMap<>();
  private final Map<Integer, ModelClient> clients = new ConcurrentHashMap<>();
  private final Map<String, ModelClient> judgeClients = new ConcurrentHashMap<>();
  private final Map<String, ItemScoring> scorings = new ConcurrentHashMap<>();
  // The recorded setting hash of each (cell, model): the same for every item of the cell.
  private final Map<Long, String> settingHashes = new ConcurrentHashMap<>();
  private final ModelsFile modelsFile;
  private final StoredCalls calls;
  private final Map<String, List<String>> paraphrases;
  private volatile CodeExecutor sandbox;
  private volatile java.util.concurrent.ExecutorService judging;
  private static final int JUDGING_THREADS = 64;

  private WorkerContext(Job job) {
    this.job = job;
    this.suite = Suite.load(Path.of(job.benchmarksDir()));
    this.source =
        SplitSources.of(job.data(), Path.of(job.benchmarksDir()), Path.of(job.home()), suite);
    ModelsFile file =
        (job.modelsFolder().isEmpty()
                ? ModelsFile.parse(job.modelsFile(), job.modelsYaml())
                : ModelsFile.parse(job.modelsFile(), job.modelsYaml(), Path.of(job.modelsFolder())))
            .resolved(
                io.leadline.models.Prices.load(Path.of(job.settingsDir())),
                job.batch(),
                job.maxCostUsd());
    this.modelsFile = file;
    ImmutableList.Builder<ModelSpec> specs = ImmutableList.builder();
    for (String name : job.plan().models()) {
      ModelSpec spec = file.model(name);
      String url = job.baseUrls().get(name);
      specs.add(url == null ? spec : spec.withBaseUrl(URI.create(url)));
    }
    this.models = specs.build();
    this.budget = budgetShare(file.newBudget(), job.executors());
    this.store = ResultStore.at(job.store(), Locations.deserialize(job.hadoopConf()));
    this.paraphrases = Perturbations.paraphrases(Path.of(job.benchmarksDir()));
    this.calls =
        new StoredCalls(job.identities(), this::judgeClient, store, job.runId(), job.judges());
  }

  /** This JVM's share of the sweep's budget: each executor spends its own share. */
  private static Budget budgetShare(Budget whole, int executors) {
    if (executors <= 1 || !whole.limited()) {
      return whole;
    }
    java.math.BigDecimal share = java.math.BigDecimal.valueOf(executors);
    return new Budget(
        whole.maxTokens().isPresent()
            ? java.util.OptionalLong.of(Math.max(1, whole.maxTokens().getAsLong() / executors))
            : java.util.OptionalLong.empty(),
        whole.maxCost().map(c -> c.divide(share, 12, java.math.RoundingMode.DOWN)));
  }

  /** The sweep's budget in this JVM, shared by the clients of every model and judge. */
  Budget budget() {
    return budget;
  }

  /** The context of {@code job}'s run in this JVM, made on first use. */
  static WorkerContext of(Job job) {
    return RUNS.computeIfAbsent(job.runId(), id -> new WorkerContext(job));
  }

  /** Closes the run's clients and sandbox in this JVM, if it has any. */
  static void release(String runId) {
    WorkerContext context = RUNS.remove(runId);
    if (context != null) {
      context.close();
    }
  }

  Job job() {
    return job;
  }

  ResultStore store() {
    return store;
  }

  ModelSpec model(int index) {
    return models.get(index);
  }

  /**
   * One item, rendered: what is sent and under which key. {@code setting} and {@code example} are
   * the perturbed ones where the cell has a perturbation.
   */
  record Request(
      long item,
      Plan.Cell cell,
      int modelIndex,
      Example example,
      int exampleIndex,
      BenchmarkSetting setting,
      RenderedPrompt prompt,
      CompletionRequest request,
      Optional<LikelihoodRequest> likelihood,
      String hash,
      String settingHash,
      String settingLabel) {}

  Request request(long item) {
    return request(item, null);
  }

  /**
   * The request of {@code item}; {@code knownHash}, where not null, is its hash as the sending
   * phase computed it, not computed again.
   */
  Request request(long item, String knownHash) {
    Plan.Position position = job.plan().locate(item);
    Plan.Cell cell = job.plan().cells().get(position.cell());
    ModelSpec spec = models.get(position.model());
    BenchmarkSetting base = setting(cell.setting()).of(cell.benchmark());
    Variant variant = cell.perturbation().isEmpty() ? null : Variant.parse(cell.perturbation());
    BenchmarkSetting setting = variant == null ? base : Perturbations.setting(variant, base);
    Example example = examples(cell.benchmark(), cell.subset()).get(position.example());
    if (variant != null) {
      example = Perturbations.example(variant, example, setting.benchmark());
    }
    // Options scored by log-likelihood go to the completions endpoint, whatever the model's API.
    boolean chat = spec.api() == ApiStyle.CHAT && !setting.byLikelihood();
    Prompts prompts = prompts(setting, cell);
    RenderedPrompt prompt =
        prompts.render(
            example,
            chat,
            spec.contextWindow(),
            variant == null ? null : Perturbations.order(variant, prompts.shots()));
    if (variant != null) {
      prompt =
          new RenderedPrompt(
              Perturbations.text(variant, prompt.text(), base, paraphrases),
              prompt.shotsRequested(),
              prompt.shotsUsed());
    }
    // The model's own cap on generated tokens (a reasoning model's), if any, replaces the
    // setting's.
    CompletionRequest request =
        spec.request()
            .apply(
                new CompletionRequest(
                    prompt.text(), setting.chatWrapping(), setting.sampling(chat)));
    ModelIdentity identity = job.identities().get(spec.name());
    // What the model received, as its records name and hash it: a completions request carries no
    // system message (the request, and so its hash in the store, stays as it was).
    BenchmarkSetting recorded = chat ? setting : setting.asSentToCompletions();
    Optional<LikelihoodRequest> likelihood = Optional.empty();
    String hash = knownHash;
    if (setting.byLikelihood()) {
      likelihood =
          Optional.of(
              likelihoodRequest(
                  prompt.text(), scoring(setting, cell.perturbation()).continuations(example)));
      if (hash == null) {
        hash = RequestKey.hash(identity, likelihood.get(), setting.perturbation());
      }
    } else if (hash == null) {
      hash = RequestKey.hash(identity, setting, request);
    }
    return new Request(
        item,
        cell,
        position.model(),
        example,
        position.example(),
        setting,
        prompt,
        request,
        likelihood,
        hash,
        settingHashes.computeIfAbsent(
            (long) position.cell() * models.size() + position.model(),
            key -> identity.settingHash(recorded.hash())),
        chat ? cell.setting() : recordedName(cell.setting(), setting, recorded));
  }

  /**
   * {@code name} as recorded: with the suffix where {@code recorded} is renamed from {@code asked}.
   */
  private static String recordedName(
      String name, BenchmarkSetting asked, BenchmarkSetting recorded) {
    return asked == recorded ? name : name + BenchmarkSetting.COMPLETIONS_SUFFIX;
  }

  /**
   * The likelihood request of a prompt's options: the prompt without its trailing whitespace as the
   * context, and that whitespace (a space where there is none) before each continuation, as
   * lm-evaluation-harness joins them, so that no token straddles the two.
   */
  static LikelihoodRequest likelihoodRequest(String prompt, List<String> continuations) {
    String context = prompt.stripTrailing();
    String join = context.length() < prompt.length() ? prompt.substring(context.length()) : " ";
    return new LikelihoodRequest(context, continuations.stream().map(c -> join + c).toList());
  }

  Setting setting(String name) {
    return settings.computeIfAbsent(
        name,
        n ->
            suite
                .setting(Path.of(job.settingsDir()), n)
                .withJudgeIdentities(ModelIdentity.texts(job.identities())));
  }

  List<Example> examples(String benchmark, String subset) {
    return examples.computeIfAbsent(
        benchmark + "/" + subset,
        key -> BenchmarkData.examples(suite.benchmark(benchmark), subset, source));
  }

  private Prompts prompts(BenchmarkSetting setting, Plan.Cell cell) {
    return prompts.computeIfAbsent(
        cell.setting() + "/" + cell.perturbation() + "/" + cell.benchmark() + "/" + cell.subset(),
        key -> Prompts.of(setting, cell.subset(), source));
  }

  /** How {@code setting}'s items are scored under {@code perturbation}, made once. */
  ItemScoring scoring(BenchmarkSetting setting, String perturbation) {
    return scorings.computeIfAbsent(
        setting.setting() + "/" + perturbation + "/" + setting.benchmark().name(),
        key -> ItemScoring.of(setting, perturbation));
  }

  /** The model calls scorers make in this run: keyed, stored and resumed like sweep items. */
  StoredCalls modelCalls() {
    return calls;
  }

  /**
   * The client of the judge called {@code name} (a model of the models file), its concurrency
   * shared out over the executors.
   */
  ModelClient judgeClient(String name) {
    // A judge that is also a model under test shares its client, and so its concurrency limit.
    for (int i = 0; i < models.size(); i++) {
      if (models.get(i).name().equals(name)) {
        return client(i);
      }
    }
    return judgeClients.computeIfAbsent(
        name,
        n -> {
          ModelSpec spec = modelsFile.model(n);
          String url = job.baseUrls().get(n);
          if (url != null) {
            spec = spec.withBaseUrl(URI.create(url));
          }
          return ModelClients.open(spec.withMaxConcurrency(shareOf(spec)), System.getenv(), budget);
        });
  }

  /**
   * The client of model {@code index}, its concurrency shared out over the executors; for a {@code
   * llama-cpp} model, the client of this JVM's engine, loaded on first use.
   */
  ModelClient client(int index) {
    return clients.computeIfAbsent(
        index,
        i -> {
          ModelSpec spec = models.get(i).withMaxConcurrency(concurrency(i));
          return ModelClients.open(spec, System.getenv(), budget);
        });
  }

  /**
   * What the models' clients in this JVM learnt about their servers (a server that refuses {@code
   * n}), in model order; only clients already made are asked.
   */
  List<String> notices() {
    List<String> notices = new java.util.ArrayList<>();
    new java.util.TreeMap<>(clients).values().forEach(c -> notices.addAll(c.notices()));
    return notices;
  }

  /** The HTTP client of model {@code index}, for what only a server does (batches, probes). */
  HttpModelClient httpClient(int index) {
    ModelClient client = client(index);
    if (client instanceof HttpModelClient http) {
      return http;
    }
    throw new IllegalStateException(
        "model " + models.get(index).name() + " is not served over HTTP");
  }

  /** Concurrency of model {@code index} in this JVM. */
  int concurrency(int index) {
    return shareOf(models.get(index));
  }

  /**
   * This JVM's share of a model's concurrency ({@code --concurrency} if given) over executors; a
   * {@code llama-cpp} model runs on each executor's own engine, at its slots on each.
   */
  private int shareOf(ModelSpec model) {
    if (model.local().isPresent()) {
      return model.local().get().slots();
    }
    int total = job.concurrency() > 0 ? job.concurrency() : model.maxConcurrency();
    return Math.max(1, (total + job.executors() - 1) / job.executors());
  }

  /**
   * The threads that score judged items, each waiting on its judges' answers: {@value
   * #JUDGING_THREADS} per JVM, within which the judges' clients bound the requests in flight.
   */
  java.util.concurrent.ExecutorService judging() {
    java.util.concurrent.ExecutorService pool = judging;
    if (pool == null) {
      synchronized (this) {
        pool = judging;
        if (pool == null) {
          pool =
              java.util.concurrent.Executors.newFixedThreadPool(
                  JUDGING_THREADS,
                  runnable -> {
                    Thread thread = new Thread(runnable, "leadline-judging");
                    thread.setDaemon(true);
                    return thread;
                  });
          judging = pool;
        }
      }
    }
    return pool;
  }

  CodeExecutor sandbox() {
    CodeExecutor executor = sandbox;
    if (executor == null) {
      synchronized (this) {
        executor = sandbox;
        if (executor == null) {
          // Verdicts are filed under LEADLINE_HOME on each machine, so a rerun runs nothing again.
          executor =
              CodeExecutor.start(
                  job.unsafeSandbox()
                      ? SandboxOptions.unsafe(job.sandboxWorkers())
                      : SandboxOptions.isolated(job.sandboxWorkers()),
                  java.util.Optional.of(java.nio.file.Path.of(job.home(), "verdicts")));
          sandbox = executor;
        }
      }
    }
    return executor;
  }

  @Override
  public void close() {
    java.util.concurrent.ExecutorService pool = judging;
    if (pool != null) {
      pool.shutdownNow();
    }
    calls.close();
    clients.values().forEach(ModelClient::close);
    clients.clear();
    judgeClients.values().forEach(ModelClient::close);
    judgeClients.clear();
    CodeExecutor executor = sandbox;
    if (executor != null) {
      executor.close();
    }
  }
}
