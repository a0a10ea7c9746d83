package io.leadline.engine;

import io.leadline.api.ModelCalls;
import io.leadline.api.ModelClient;
import io.leadline.models.ModelClients;
import io.leadline.models.ModelSpec;
import io.leadline.models.ModelsFile;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A judge asked outside a sweep ({@code leadline diff --judge}): its calls are keyed, answered from
 * and stored in the result store exactly as a sweep's judge calls are, so judging a diff again
 * sends nothing. A simulated judge is served in-process for the session. Not thread-safe to open or
 * close; its {@link #calls()} are.
 */
public final class JudgeSession implements AutoCloseable {
  private final String judge;
  private final SimServers servers;
  private final ModelClient client;
  private final StoredCalls calls;

  private JudgeSession(String judge, SimServers servers, ModelClient client, StoredCalls calls) {
    this.judge = judge;
    this.servers = servers;
    this.client = client;
    this.calls = calls;
  }

  /**
   * The judge called {@code judge} in {@code spec}'s models file, with {@code spec}'s result store.
   *
   * @throws io.leadline.api.LeadlineException naming the judge when the file has no such model or
   *     its endpoint cannot be reached
   */
  public static JudgeSession open(SweepSpec spec, String judge) {
    ModelsFile file = ModelsFile.parse(spec.modelsFile(), spec.modelsYaml(), spec.modelsFolder());
    if (!file.has(judge)) {
      throw io.leadline.api.LeadlineException.userInput(
          "--judge: %s has no model '%s'; it has %s (name the models file with --models-file)",
          spec.modelsFile(),
          judge,
          String.join(", ", file.models().stream().map(ModelSpec::name).toList()));
    }
    ModelSpec model = file.model(judge);
    Reachability.check(List.of(model), spec.modelsFile());
    SimServers servers = SimServers.start(List.of(model), spec.settingsDir(), spec.benchmarksDir());
    ModelClient client = null;
    try {
      String url = servers.baseUrls().get(judge);
      ModelSpec reached = url == null ? model : model.withBaseUrl(URI.create(url));
      client = ModelClients.open(reached, System.getenv(), file.newBudget());
      ModelClient opened = client;
      ModelIdentity identity = ModelIdentity.of(model, servers);
      ResultStore store =
          ResultStore.at(spec.storeLocation(), new org.apache.hadoop.conf.Configuration());
      StoredCalls calls =
          new StoredCalls(
              Map.of(judge, identity), name -> opened, store, RunFolder.newRunId(), List.of(judge));
      return new JudgeSession(judge, servers, client, calls);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      servers.close();
      throw e;
    }
  }

  public String judge() {
    return judge;
  }

  /** The judge's calls, through the result store. */
  public ModelCalls calls() {
    return calls;
  }

  /** The requests this session sent (the others came from the result store). */
  public long sent() {
    return calls.sent();
  }

  @Override
  public void close() {
    try {
      calls.close();
    } finally {
      try {
        client.close();
      } finally {
        servers.close();
      }
    }
  }
}
