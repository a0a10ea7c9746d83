package io.leadline.records;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code manifest.json} (DESIGN §4): what a run was, and everything that reproduces it — versions,
 * models, per benchmark the data used, the settings with their hashes and canonical form, seeds,
 * counts, usage and the Spark facts. Never an API key.
 *
 * @param schemaVersion the version of this layout; a reader refuses a newer one
 * @param planHash sha256 of what decides the run's records (models, cells, settings, examples)
 */
public record RunManifest(
    @JsonProperty(value = "schema_version", required = true) int schemaVersion,
    @JsonProperty(value = "leadline", required = true) Leadline leadline,
    @JsonProperty(value = "run_id", required = true) String runId,
    @JsonProperty(value = "created", required = true) Instant created,
    @JsonProperty(value = "plan_hash", required = true) String planHash,
    @JsonProperty(value = "command", required = true) Command command,
    @JsonProperty(value = "models", required = true) List<Model> models,
    @JsonProperty(value = "benchmarks", required = true) List<Benchmark> benchmarks,
    @JsonProperty(value = "settings", required = true) List<Setting> settings,
    @JsonProperty(value = "seeds", required = true) Seeds seeds,
    @JsonProperty(value = "sandbox", required = true) Sandbox sandbox,
    @JsonProperty(value = "counts", required = true) Counts counts,
    @JsonProperty(value = "usage", required = true) List<Usage> usage,
    @JsonProperty(value = "spark", required = true) Spark spark,
    @JsonSetter(nulls = Nulls.AS_EMPTY)
        @JsonProperty("judges")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Judge> judges,
    @JsonSetter(nulls = Nulls.AS_EMPTY)
        @JsonProperty("costs")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Cost> costs) {
  /** The layout this Leadline writes, and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public RunManifest {
    checkArgument(
        schemaVersion >= 1 && schemaVersion <= SCHEMA_VERSION,
        "schema_version must be in [1, %s]: %s",
        SCHEMA_VERSION,
        schemaVersion);
    requireNonNull(leadline, "leadline is null");
    nonBlank(runId, "run_id");
    requireNonNull(created, "created is null");
    sha256(planHash, "plan_hash");
    requireNonNull(command, "command is null");
    models = ImmutableList.copyOf(models);
    benchmarks = ImmutableList.copyOf(benchmarks);
    settings = ImmutableList.copyOf(settings);
    requireNonNull(seeds, "seeds is null");
    requireNonNull(sandbox, "sandbox is null");
    requireNonNull(counts, "counts is null");
    usage = ImmutableList.copyOf(usage);
    requireNonNull(spark, "spark is null");
    judges = judges == null ? List.of() : ImmutableList.copyOf(judges);
    costs = costs == null ? List.of() : ImmutableList.copyOf(costs);
    unique(models.stream().map(Model::name).toList(), "models");
    unique(benchmarks.stream().map(Benchmark::name).toList(), "benchmarks");
    unique(settings.stream().map(Setting::name).toList(), "settings");
    checkArgument(
        usage.stream().map(Usage::model).toList().equals(models.stream().map(Model::name).toList()),
        "usage must have one entry per model, in the models' order");
    Set<String> benchmarkNames = new HashSet<>();
    benchmarks.forEach(b -> benchmarkNames.add(b.name()));
    for (Setting setting : settings) {
      for (SettingBenchmark entry : setting.benchmarks()) {
        checkArgument(
            benchmarkNames.contains(entry.benchmark()),
            "setting %s names a benchmark the run has not: %s",
            setting.name(),
            entry.benchmark());
      }
    }
  }

  /** The model names, in the run's order. */
  public List<String> modelNames() {
    return models.stream().map(Model::name).toList();
  }

  /** The model named {@code name}, if the run has it. */
  public Optional<Model> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The benchmark named {@code name}, if the run has it. */
  public Optional<Benchmark> benchmark(String name) {
    return benchmarks.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** The setting names, in the run's order. */
  public List<String> settingNames() {
    return settings.stream().map(Setting::name).toList();
  }

  /** {@code setting} as resolved for {@code benchmark}, if the run has it. */
  public Optional<SettingBenchmark> setting(String setting, String benchmark) {
    return settings.stream()
        .filter(s -> s.name().equals(setting))
        .flatMap(s -> s.benchmarks().stream())
        .filter(b -> b.benchmark().equals(benchmark))
        .findFirst();
  }

  /** The text of {@code manifest.json}. */
  public String toJson() {
    return RecordJson.write(this);
  }

  /** The Leadline that wrote the run. */
  public record Leadline(
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "commit", required = true) String commit) {
    public Leadline {
      nonBlank(version, "version");
      nonBlank(commit, "commit");
    }
  }

  /**
   * What the sweep was asked.
   *
   * @param data {@code bundled} or {@code hub}
   * @param limit examples per benchmark (or subset), when limited
   * @param concurrency the {@code --concurrency} override, if given
   * @param limitFraction {@code --limit 0.1}: the fraction of each benchmark's (or subset's)
   *     examples asked, as a plain decimal; absent when not limited so
   */
  public record Command(
      @JsonProperty(value = "data", required = true) String data,
      @JsonProperty(value = "limit", required = true) Optional<Integer> limit,
      @JsonProperty(value = "models_file", required = true) String modelsFile,
      @JsonProperty(value = "perturbations", required = true) List<String> perturbations,
      @JsonProperty(value = "concurrency", required = true) Optional<Integer> concurrency,
      @JsonProperty("limit_fraction") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<String> limitFraction) {
    public Command(
        String data,
        Optional<Integer> limit,
        String modelsFile,
        List<String> perturbations,
        Optional<Integer> concurrency) {
      this(data, limit, modelsFile, perturbations, concurrency, Optional.empty());
    }

    public Command {
      limitFraction = limitFraction == null ? Optional.empty() : limitFraction;
      nonBlank(data, "data");
      requireNonNull(limit, "limit is null");
      requireNonNull(modelsFile, "models_file is null");
      perturbations = ImmutableList.copyOf(perturbations);
      requireNonNull(concurrency, "concurrency is null");
      limit.ifPresent(l -> checkArgument(l >= 1, "limit must be >= 1: %s", l));
      concurrency.ifPresent(c -> checkArgument(c >= 1, "concurrency must be >= 1: %s", c));
    }
  }

  /**
   * A model the run called.
   *
   * @param endpointHost where it was served (host only, never a key)
   * @param profile for a simulated snapshot, its profile (absent otherwise, with the fingerprint)
   * @param reportedModels the model versions the endpoint reported, sorted
   * @param requestOptions the model's own request options from the models file ({@code
   *     reasoning_effort}, {@code max_completion_tokens}, {@code thinking.budget_tokens}, {@code
   *     max_tokens}, {@code reasoning_tags}), sorted; its records' setting hashes include them
   * @param notSent what of the settings' requests was never sent to it (a reasoning model takes
   *     only its default temperature and top_p), sorted
   * @param released the models file's release date (ISO, {@code 2023-06-13}), if it gave one
   * @param params the models file's parameter count, if it gave one
   * @param family the models file's family, if it gave one
   * @param systemFingerprints the distinct {@code system_fingerprint}s its server's answers carried
   *     (the server's build or configuration), sorted; absent where it sent none
   * @param localModel for a model run in-process by llama.cpp ({@code llama-cpp}), its GGUF file's
   *     facts; absent for a model behind an endpoint
   */
  public record Model(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "provider", required = true) String provider,
      @JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "api", required = true) String api,
      @JsonProperty(value = "endpoint_host", required = true) String endpointHost,
      @JsonProperty(value = "simulated", required = true) boolean simulated,
      @JsonProperty("profile") @JsonInclude(JsonInclude.Include.NON_EMPTY) Optional<String> profile,
      @JsonProperty("profile_fingerprint") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<String> profileFingerprint,
      @JsonProperty(value = "reported_models", required = true) List<String> reportedModels,
      @JsonSetter(nulls = Nulls.AS_EMPTY)
          @JsonProperty("request_options")
          @JsonInclude(JsonInclude.Include.NON_EMPTY)
          java.util.Map<String, String> requestOptions,
      @JsonSetter(nulls = Nulls.AS_EMPTY)
          @JsonProperty("not_sent")
          @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<String> notSent,
      @JsonProperty("released") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<String> released,
      @JsonProperty("params") @JsonInclude(JsonInclude.Include.NON_EMPTY) Optional<Long> params,
      @JsonProperty("family") @JsonInclude(JsonInclude.Include.NON_EMPTY) Optional<String> family,
      @JsonSetter(nulls = Nulls.AS_EMPTY)
          @JsonProperty("system_fingerprints")
          @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<String> systemFingerprints,
      @JsonProperty("local_model") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<LocalModel> localModel) {
    public Model {
      localModel = localModel == null ? Optional.empty() : localModel;
      checkArgument(
          !(simulated && localModel.isPresent()), "a model run in-process is not simulated");
      nonBlank(name, "name");
      nonBlank(provider, "provider");
      requireNonNull(model, "model is null");
      nonBlank(api, "api");
      requireNonNull(endpointHost, "endpoint_host is null");
      profile = profile == null ? Optional.empty() : profile;
      profileFingerprint = profileFingerprint == null ? Optional.empty() : profileFingerprint;
      checkArgument(
          profile.isPresent() == profileFingerprint.isPresent(),
          "profile and profile_fingerprint go together");
      reportedModels = ImmutableList.copyOf(reportedModels);
      requestOptions =
          requestOptions == null
              ? java.util.Map.of()
              : com.google.common.collect.ImmutableSortedMap.copyOf(requestOptions);
      notSent = notSent == null ? List.of() : ImmutableList.sortedCopyOf(notSent);
      released = released == null ? Optional.empty() : released;
      params = params == null ? Optional.empty() : params;
      family = family == null ? Optional.empty() : family;
      released.ifPresent(
          date -> {
            try {
              java.time.LocalDate.parse(date);
            } catch (java.time.format.DateTimeParseException e) {
              throw new IllegalArgumentException("released must be an ISO date: " + date, e);
            }
          });
      params.ifPresent(p -> checkArgument(p >= 1, "params must be >= 1: %s", p));
      family.ifPresent(f -> nonBlank(f, "family"));
      systemFingerprints =
          systemFingerprints == null ? List.of() : ImmutableList.sortedCopyOf(systemFingerprints);
    }

    /** A model without request options of its own. */
    public Model(
        String name,
        String provider,
        String model,
        String api,
        String endpointHost,
        boolean simulated,
        Optional<String> profile,
        Optional<String> profileFingerprint,
        List<String> reportedModels) {
      this(
          name,
          provider,
          model,
          api,
          endpointHost,
          simulated,
          profile,
          profileFingerprint,
          reportedModels,
          java.util.Map.of(),
          List.of());
    }

    /** A model the models file gave no release date, size or family. */
    public Model(
        String name,
        String provider,
        String model,
        String api,
        String endpointHost,
        boolean simulated,
        Optional<String> profile,
        Optional<String> profileFingerprint,
        List<String> reportedModels,
        java.util.Map<String, String> requestOptions,
        List<String> notSent) {
      this(
          name,
          provider,
          model,
          api,
          endpointHost,
          simulated,
          profile,
          profileFingerprint,
          reportedModels,
          requestOptions,
          notSent,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty());
    }

    /**
     * What a report says of the model beside its name: {@code real local model, 292.8K parameters}
     * for one run in-process; empty for others.
     */
    public Optional<String> localLabel() {
      return localModel.map(
          local ->
              "real local model, llama.cpp, "
                  + LocalModel.count(local.parameters())
                  + " parameters");
    }

    /**
     * How the model was asked to reason, as a report labels it ({@code reasoning: effort high},
     * {@code reasoning: thinking, budget 4096 tokens}); empty for a model not asked to.
     */
    public Optional<String> reasoning() {
      String effort = requestOptions.get("reasoning_effort");
      if (effort != null) {
        return Optional.of("reasoning: effort " + effort);
      }
      String budget = requestOptions.get("thinking.budget_tokens");
      return budget == null
          ? Optional.empty()
          : Optional.of("reasoning: thinking, budget " + budget + " tokens");
    }
  }

  /**
   * A model run in-process by llama.cpp, as its GGUF file describes it.
   *
   * @param file the GGUF file's name (never its folder: no machine paths in records)
   * @param sha256 of the file
   * @param architecture {@code general.architecture}
   * @param parameters weights, summed over the file's tensors
   * @param vocabulary tokens of its tokenizer
   * @param trainedContext the context it was trained with, as the file says
   * @param contextSize the context each completion had in the run
   */
  public record LocalModel(
      @JsonProperty(value = "file", required = true) String file,
      @JsonProperty(value = "sha256", required = true) String sha256,
      @JsonProperty(value = "architecture", required = true) String architecture,
      @JsonProperty(value = "parameters", required = true) long parameters,
      @JsonProperty(value = "vocabulary", required = true) int vocabulary,
      @JsonProperty(value = "trained_context", required = true) int trainedContext,
      @JsonProperty(value = "context_size", required = true) int contextSize) {
    public LocalModel {
      nonBlank(file, "file");
      nonBlank(sha256, "sha256");
      requireNonNull(architecture, "architecture is null");
      checkArgument(parameters >= 0, "parameters must be >= 0: %s", parameters);
    }

    /** {@code 292.8K}, {@code 7.2B}: a parameter count as model cards write it. */
    public static String count(long parameters) {
      String[] units = {"", "K", "M", "B", "T"};
      double value = parameters;
      int unit = 0;
      while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit++;
      }
      String text =
          unit == 0
              ? Long.toString(parameters)
              : String.format(java.util.Locale.ROOT, "%.1f", value).replaceAll("\\.0$", "");
      return text + units[unit];
    }
  }

  /**
   * A benchmark of the run and the data it used.
   *
   * @param category GPT-Fathom's capability category (Knowledge, Reasoning, …)
   * @param revision the dataset revision read ({@code bundled} for the bundled samples)
   * @param pinnedRevision the revision the benchmark pins, if any
   * @param examples examples used, over all subsets
   */
  public record Benchmark(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "title", required = true) String title,
      @JsonProperty(value = "category", required = true) String category,
      @JsonProperty(value = "dataset", required = true) String dataset,
      @JsonProperty(value = "split", required = true) String split,
      @JsonProperty(value = "revision", required = true) String revision,
      @JsonProperty(value = "pinned_revision", required = true) Optional<String> pinnedRevision,
      @JsonProperty(value = "source", required = true) String source,
      @JsonProperty(value = "examples", required = true) int examples,
      @JsonProperty(value = "examples_sha256", required = true) String examplesSha256,
      @JsonProperty(value = "subsets", required = true) List<Subset> subsets) {
    public Benchmark {
      nonBlank(name, "name");
      nonBlank(title, "title");
      nonBlank(category, "category");
      nonBlank(dataset, "dataset");
      nonBlank(split, "split");
      nonBlank(revision, "revision");
      requireNonNull(pinnedRevision, "pinned_revision is null");
      nonBlank(source, "source");
      checkArgument(examples >= 0, "examples must be >= 0: %s", examples);
      sha256(examplesSha256, "examples_sha256");
      subsets = ImmutableList.copyOf(subsets);
    }
  }

  /** One subset (config) of a benchmark: an MMLU subject, a BBH task. */
  public record Subset(
      @JsonProperty(value = "config", required = true) String config,
      @JsonProperty(value = "examples", required = true) int examples,
      @JsonProperty(value = "examples_sha256", required = true) String examplesSha256) {
    public Subset {
      nonBlank(config, "config");
      checkArgument(examples >= 0, "examples must be >= 0: %s", examples);
      sha256(examplesSha256, "examples_sha256");
    }
  }

  /** A named setting, resolved per benchmark. */
  public record Setting(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "benchmarks", required = true) List<SettingBenchmark> benchmarks) {
    public Setting {
      nonBlank(name, "name");
      benchmarks = ImmutableList.copyOf(benchmarks);
    }
  }

  /**
   * A setting as resolved for one benchmark.
   *
   * @param label GPT-Fathom's label ({@code 8-shot CoT})
   * @param hash the setting hash (sha256 of the canonical form)
   * @param primaryMetric the metric a leaderboard shows
   * @param canonical the canonical JSON (sorted keys) of everything that changes a request; in the
   *     file as an object
   */
  private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL_READER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  public record SettingBenchmark(
      @JsonProperty(value = "benchmark", required = true) String benchmark,
      @JsonProperty(value = "label", required = true) String label,
      @JsonProperty(value = "hash", required = true) String hash,
      @JsonProperty(value = "primary_metric", required = true) String primaryMetric,
      @JsonProperty(value = "canonical", required = true)
          @JsonSerialize(using = CanonicalAsObject.Writer.class)
          @JsonDeserialize(using = CanonicalAsObject.Reader.class)
          String canonical) {
    public SettingBenchmark {
      nonBlank(benchmark, "benchmark");
      nonBlank(label, "label");
      sha256(hash, "hash");
      nonBlank(primaryMetric, "primary_metric");
      canonical = CanonicalJson.of(requireNonNull(canonical, "canonical is null"));
      checkArgument(canonical.startsWith("{"), "canonical must be an object");
    }

    /** Whether the setting scores the benchmark by log-likelihood (its canonical form says). */
    public boolean byLikelihood() {
      try {
        return CANONICAL_READER
            .readTree(canonical)
            .path("scoring")
            .asText("generative")
            .equals("loglikelihood");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The seeds of the run's statistics. */
  public record Seeds(
      @JsonProperty(value = "bootstrap_seed", required = true) long bootstrapSeed,
      @JsonProperty(value = "bootstrap_resamples", required = true) int bootstrapResamples) {
    public Seeds {
      checkArgument(
          bootstrapResamples >= 1, "bootstrap_resamples must be >= 1: %s", bootstrapResamples);
    }
  }

  /** How model-written code ran. */
  public record Sandbox(
      @JsonProperty(value = "isolated", required = true) boolean isolated,
      @JsonProperty(value = "unsafe_no_sandbox", required = true) boolean unsafeNoSandbox,
      @JsonProperty(value = "timeout_seconds", required = true) double timeoutSeconds) {
    public Sandbox {
      checkArgument(isolated != unsafeNoSandbox, "isolated is the opposite of unsafe_no_sandbox");
      checkArgument(timeoutSeconds > 0, "timeout_seconds must be > 0: %s", timeoutSeconds);
    }
  }

  /** Items planned and failed, over all models. */
  public record Counts(
      @JsonProperty(value = "items", required = true) long items,
      @JsonProperty(value = "failed_items", required = true) long failedItems) {
    public Counts {
      checkArgument(items >= 0, "items must be >= 0: %s", items);
      checkArgument(failedItems >= 0 && failedItems <= items, "failed_items must be in [0, items]");
    }
  }

  /**
   * What one model's records add up to.
   *
   * @param costUsd US dollars, in plain decimal form, where the model is priced
   * @param thisRun what this run (not the result store) did
   * @param reasoningTokens the reasoning tokens the server reported (within {@code
   *     completion_tokens}, billed as output), for a model that reasoned
   * @param reasoningTruncated for a model that reasoned, the samples whose reasoning never closed
   *     (recorded {@code no_answer_reason: reasoning truncated}, never graded)
   * @param outOfContextItems items whose prompts did not fit the model's context (not counted in
   *     {@code failed_items}: a result, never retried); absent where there were none
   */
  public record Usage(
      @JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "items", required = true) long items,
      @JsonProperty(value = "failed_items", required = true) long failedItems,
      @JsonProperty(value = "prompt_tokens", required = true) long promptTokens,
      @JsonProperty(value = "completion_tokens", required = true) long completionTokens,
      @JsonProperty(value = "attempts", required = true) long attempts,
      @JsonProperty(value = "cost_usd", required = true) Optional<String> costUsd,
      @JsonProperty(value = "this_run", required = true) ThisRun thisRun,
      @JsonProperty("reasoning_tokens") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<Long> reasoningTokens,
      @JsonProperty("reasoning_truncated") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<Long> reasoningTruncated,
      @JsonProperty("out_of_context_items") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<Long> outOfContextItems) {
    public Usage {
      nonBlank(model, "model");
      checkArgument(items >= 0 && failedItems >= 0, "items must be >= 0");
      checkArgument(promptTokens >= 0 && completionTokens >= 0, "tokens must be >= 0");
      checkArgument(attempts >= 0, "attempts must be >= 0: %s", attempts);
      requireNonNull(costUsd, "cost_usd is null");
      costUsd.ifPresent(
          cost -> {
            try {
              checkArgument(new BigDecimal(cost).signum() >= 0, "cost_usd must be >= 0: %s", cost);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("cost_usd must be a decimal: " + cost, e);
            }
          });
      requireNonNull(thisRun, "this_run is null");
      reasoningTokens = reasoningTokens == null ? Optional.empty() : reasoningTokens;
      reasoningTruncated = reasoningTruncated == null ? Optional.empty() : reasoningTruncated;
      checkArgument(
          reasoningTokens.orElse(0L) >= 0 && reasoningTokens.orElse(0L) <= completionTokens,
          "reasoning_tokens must be in [0, completion_tokens]");
      checkArgument(reasoningTruncated.orElse(0L) >= 0, "reasoning_truncated must be >= 0");
      outOfContextItems = outOfContextItems == null ? Optional.empty() : outOfContextItems;
      checkArgument(outOfContextItems.orElse(0L) >= 0, "out_of_context_items must be >= 0");
    }

    /** The usage of a model all of whose prompts fitted its context. */
    public Usage(
        String model,
        long items,
        long failedItems,
        long promptTokens,
        long completionTokens,
        long attempts,
        Optional<String> costUsd,
        ThisRun thisRun,
        Optional<Long> reasoningTokens,
        Optional<Long> reasoningTruncated) {
      this(
          model,
          items,
          failedItems,
          promptTokens,
          completionTokens,
          attempts,
          costUsd,
          thisRun,
          reasoningTokens,
          reasoningTruncated,
          Optional.empty());
    }

    /** The usage of a model that did not reason. */
    public Usage(
        String model,
        long items,
        long failedItems,
        long promptTokens,
        long completionTokens,
        long attempts,
        Optional<String> costUsd,
        ThisRun thisRun) {
      this(
          model,
          items,
          failedItems,
          promptTokens,
          completionTokens,
          attempts,
          costUsd,
          thisRun,
          Optional.empty(),
          Optional.empty());
    }
  }

  /**
   * The tokens and cost of one model's items of one benchmark under one setting: of every answer
   * the records hold ({@code cost_usd}), and of those this run's own requests got back ({@code
   * this_run_cost_usd}); answers from a provider's batch API at its batch price. Costs are empty
   * for a model without a price.
   *
   * @param answeredItems items with an answer (the others failed)
   * @param batchedItems answered items a batch API answered
   * @param thisRunItems answered items this run's requests answered (the others were in the store)
   * @param pricePerMillion the prices used, US dollars per million tokens
   */
  public record Cost(
      @JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "benchmark", required = true) String benchmark,
      @JsonProperty(value = "setting", required = true) String setting,
      @JsonProperty(value = "setting_hash", required = true) String settingHash,
      @JsonProperty(value = "items", required = true) long items,
      @JsonProperty(value = "answered_items", required = true) long answeredItems,
      @JsonProperty(value = "batched_items", required = true) long batchedItems,
      @JsonProperty(value = "this_run_items", required = true) long thisRunItems,
      @JsonProperty(value = "prompt_tokens", required = true) long promptTokens,
      @JsonProperty(value = "cached_prompt_tokens", required = true) long cachedPromptTokens,
      @JsonProperty(value = "completion_tokens", required = true) long completionTokens,
      @JsonProperty(value = "cost_usd", required = true) Optional<String> costUsd,
      @JsonProperty(value = "this_run_cost_usd", required = true) Optional<String> thisRunCostUsd,
      @JsonProperty(value = "price_per_million", required = true)
          Optional<java.util.Map<String, String>> pricePerMillion) {
    public Cost {
      nonBlank(model, "model");
      nonBlank(benchmark, "benchmark");
      nonBlank(setting, "setting");
      checkArgument(
          items >= answeredItems
              && answeredItems >= batchedItems
              && answeredItems >= thisRunItems
              && thisRunItems >= 0
              && batchedItems >= 0,
          "item counts out of order: %s %s %s %s",
          items,
          answeredItems,
          batchedItems,
          thisRunItems);
      checkArgument(
          promptTokens >= cachedPromptTokens && cachedPromptTokens >= 0 && completionTokens >= 0,
          "tokens must be >= 0");
      requireNonNull(costUsd, "cost_usd is null");
      requireNonNull(thisRunCostUsd, "this_run_cost_usd is null");
      pricePerMillion =
          requireNonNull(pricePerMillion, "price_per_million is null")
              .map(
                  prices -> java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(prices)));
    }

    /** The mean completion tokens of an answered item, or empty if none was answered. */
    public java.util.OptionalDouble meanCompletionTokens() {
      return answeredItems == 0
          ? java.util.OptionalDouble.empty()
          : java.util.OptionalDouble.of((double) completionTokens / answeredItems);
    }
  }

  /**
   * What one model's part of this run did: answered from the store (or by another item's identical
   * request), sent, failed.
   */
  public record ThisRun(
      @JsonProperty(value = "cached_items", required = true) long cachedItems,
      @JsonProperty(value = "answered_items", required = true) long answeredItems,
      @JsonProperty(value = "failed_items", required = true) long failedItems,
      @JsonProperty(value = "http_requests", required = true) long httpRequests,
      @JsonProperty(value = "tokens", required = true) long tokens) {
    public ThisRun {
      checkArgument(
          cachedItems >= 0
              && answeredItems >= 0
              && failedItems >= 0
              && httpRequests >= 0
              && tokens >= 0,
          "counts must be >= 0");
    }
  }

  /**
   * A judge the run's scorers asked: who it is (its template and sampling are in the settings'
   * canonical form), what it reported, and its calls.
   *
   * @param calls the replies the records hold (one per sample and judge)
   * @param noGrade how many of them gave no grade
   * @param sentRequests the requests this run sent it (the others came from the result store)
   * @param failedRequests how many of those failed (a rerun asks them again)
   */
  public record Judge(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "provider", required = true) String provider,
      @JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "api", required = true) String api,
      @JsonProperty(value = "simulated", required = true) boolean simulated,
      @JsonProperty("profile_fingerprint") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          Optional<String> profileFingerprint,
      @JsonProperty(value = "reported_models", required = true) List<String> reportedModels,
      @JsonProperty(value = "calls", required = true) long calls,
      @JsonProperty(value = "no_grade", required = true) long noGrade,
      @JsonProperty(value = "sent_requests", required = true) long sentRequests,
      @JsonProperty(value = "failed_requests", required = true) long failedRequests,
      @JsonProperty(value = "prompt_tokens", required = true) long promptTokens,
      @JsonProperty(value = "completion_tokens", required = true) long completionTokens) {
    public Judge {
      nonBlank(name, "judges[].name");
      requireNonNull(provider, "provider is null");
      requireNonNull(model, "model is null");
      requireNonNull(api, "api is null");
      profileFingerprint = profileFingerprint == null ? Optional.empty() : profileFingerprint;
      reportedModels = ImmutableList.copyOf(reportedModels);
      checkArgument(
          calls >= 0 && noGrade >= 0 && noGrade <= calls, "judge %s: bad call counts", name);
      checkArgument(
          sentRequests >= failedRequests && failedRequests >= 0, "judge %s: bad requests", name);
    }
  }

  /** Where the sweep ran. */
  public record Spark(
      @JsonProperty(value = "master", required = true) String master,
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "executors", required = true) int executors,
      @JsonProperty(value = "partitions", required = true) int partitions) {
    public Spark {
      nonBlank(master, "master");
      nonBlank(version, "version");
      checkArgument(executors >= 0, "executors must be >= 0: %s", executors);
      checkArgument(partitions >= 0, "partitions must be >= 0: %s", partitions);
    }
  }

  private static void nonBlank(String value, String name) {
    requireNonNull(value, name + " is null");
    checkArgument(!value.isBlank(), "%s is empty", name);
  }

  private static void sha256(String value, String name) {
    requireNonNull(value, name + " is null");
    checkArgument(SHA256.matcher(value).matches(), "%s must be 64 hex digits: %s", name, value);
  }

  private static void unique(List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      checkArgument(seen.add(name), "%s has '%s' twice", what, name);
    }
  }

  /** The canonical form is text in the record and an object in the file. */
  static final class CanonicalAsObject {
    private CanonicalAsObject() {}

    static final class Writer extends JsonSerializer<String> {
      @Override
      public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeTree(CanonicalJson.parse(value));
      }
    }

    static final class Reader extends JsonDeserializer<String> {
      @Override
      public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode node = ctxt.readTree(p);
        if (!node.isObject()) {
          throw ctxt.wrongTokenException(
              p, JsonNode.class, p.currentToken(), "canonical must be an object");
        }
        return CanonicalJson.write(node);
      }
    }
  }
}
