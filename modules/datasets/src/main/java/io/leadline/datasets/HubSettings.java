package io.leadline.datasets;

import static java.util.Objects.requireNonNull;

import io.leadline.api.LeadlineException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Hugging Face Hub and its dataset viewer are, the token to send, whether to stay
 * offline, and where the cache lives; read from the environment as {@code huggingface_hub} does.
 *
 * <p>The token never appears in {@link #toString()}, logs or errors.
 */
public record HubSettings(
    URI hubEndpoint, URI viewerEndpoint, Optional<String> token, boolean offline, Path home) {
  public static final URI DEFAULT_HUB = URI.create("https://huggingface.co");
  public static final URI DEFAULT_VIEWER = URI.create("https://datasets-server.huggingface.co");

  public HubSettings {
    requireNonNull(hubEndpoint, "hubEndpoint is null");
    requireNonNull(viewerEndpoint, "viewerEndpoint is null");
    requireNonNull(token, "token is null");
    requireNonNull(home, "home is null");
  }

  /**
   * Settings from {@code HF_ENDPOINT}, {@code HF_DATASETS_SERVER}, {@code HF_TOKEN}, {@code
   * HF_HUB_OFFLINE} and {@code LEADLINE_HOME} (default {@code ~/.cache/leadline}).
   */
  public static HubSettings fromEnvironment(Map<String, String> env) {
    String token = env.get("HF_TOKEN");
    String home = env.get("LEADLINE_HOME");
    String offline = env.getOrDefault("HF_HUB_OFFLINE", "");
    return new HubSettings(
        endpoint(env, "HF_ENDPOINT", DEFAULT_HUB),
        endpoint(env, "HF_DATASETS_SERVER", DEFAULT_VIEWER),
        token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip()),
        offline.equals("1") || offline.equalsIgnoreCase("true") || offline.equalsIgnoreCase("yes"),
        home == null || home.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "leadline")
            : Path.of(home));
  }

  public HubSettings withOffline(boolean offline) {
    return new HubSettings(hubEndpoint, viewerEndpoint, token, offline, home);
  }

  private static URI endpoint(Map<String, String> env, String name, URI fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      URI uri = URI.create(value.strip().replaceAll("/+$", ""));
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw LeadlineException.userInput(
          "%s: expected a URL such as %s, found '%s'", name, fallback, value);
    }
  }

  @Override
  public String toString() {
    return "HubSettings[hub="
        + hubEndpoint
        + ", viewer="
        + viewerEndpoint
        + ", token="
        + (token.isPresent() ? "<set>" : "<none>")
        + ", offline="
        + offline
        + ", home="
        + home
        + "]";
  }
}
