package io.leadline.engine;

import io.leadline.api.LeadlineException;
import io.leadline.models.ModelSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;

/**
 * Checks, before a sweep starts, that every model's endpoint accepts a connection, so that a wrong
 * {@code base_url} or a server that is down is one line at once, not thousands of failed requests.
 */
final class Reachability {
  private static final int TIMEOUT_MILLIS = 5_000;

  private Reachability() {}

  static void check(List<ModelSpec> models, String modelsFile) {
    for (ModelSpec model : models) {
      if (model.baseUrl().isEmpty()) {
        continue;
      }
      URI url = model.baseUrl().get();
      int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(url.getHost(), port), TIMEOUT_MILLIS);
      } catch (IOException e) {
        throw LeadlineException.userInput(
            "model %s: cannot reach %s:%d (%s); is the server up, and is base_url in %s right?",
            model.name(), url.getHost(), port, e.getMessage(), modelsFile);
      }
    }
  }
}
