package io.leadline.engine;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableMap;
import io.leadline.models.ModelSpec;
import io.leadline.models.Provider;
import io.leadline.models.sim.SimAnswerKey;
import io.leadline.models.sim.SimProfile;
import io.leadline.models.sim.SimServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The in-process {@code serve-sim} servers of a sweep's simulated models, one per model, on
 * loopback ports; they answer the bundled benchmark items.
 */
final class SimServers implements AutoCloseable {
  private final Map<String, SimServer> servers;

  private SimServers(Map<String, SimServer> servers) {
    this.servers = servers;
  }

  static SimServers start(List<ModelSpec> models, Path settings, Path benchmarks) {
    Map<String, SimServer> servers = new LinkedHashMap<>();
    // Built when a simulated model is first asked: a rerun answered by its store never is.
    Supplier<SimAnswerKey> key = Suppliers.memoize(() -> SimAnswers.bundled(benchmarks, settings));
    try {
      for (ModelSpec model : models) {
        if (model.provider() != Provider.SIM) {
          continue;
        }
        SimProfile profile =
            SimProfile.resolve(
                model.profile().orElseThrow(), settings, "model " + model.name() + ": profile");
        SimAnswers.checkProfile(
            profile,
            "model " + model.name() + ": profile " + model.profile().orElseThrow(),
            benchmarks);
        servers.put(model.name(), SimServer.start(profile, key, "127.0.0.1", 0, Optional.empty()));
      }
    } catch (RuntimeException e) {
      servers.values().forEach(SimServer::close);
      throw e;
    }
    return new SimServers(servers);
  }

  ImmutableMap<String, String> baseUrls() {
    ImmutableMap.Builder<String, String> urls = ImmutableMap.builder();
    servers.forEach((name, server) -> urls.put(name, server.baseUrl().toString()));
    return urls.buildOrThrow();
  }

  /** The profile fingerprint of a simulated model. */
  Optional<String> fingerprint(String model) {
    return Optional.ofNullable(servers.get(model)).map(s -> s.profile().fingerprint());
  }

  @Override
  public void close() {
    servers.values().forEach(SimServer::close);
  }
}
