package io.leadline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadline.api.LeadlineException;
import io.leadline.api.Suggestions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Models named on the sweep's command line ({@code --model
 * openai-compatible/meta-llama/Llama-3.1-8B --base-url http://…/v1}), as lm-evaluation-harness and
 * inspect_ai users expect, made into a models file. Each {@code --model} takes the {@code
 * --base-url}, {@code --api-key-env}, {@code --api} and {@code --name} that follow it, up to the
 * next {@code --model}; one before any {@code --model}, or given twice for one model, is an error.
 * A model's name (what records and reports use) is its {@code --name}, else the last part of its
 * model id ({@code Llama-3.1-8B}), with any character a name may not have replaced by {@code -}.
 * Not thread-safe.
 */
final class CommandLineModels {
  /** The models file name that errors and the manifest give these models. */
  static final String FILE = "(--model flags)";

  static final List<String> PROVIDERS = List.of("openai-compatible", "openai", "anthropic", "sim");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One {@code --model} and the flags that follow it; null where not given. */
  static final class Entry {
    final String provider;
    final String model;
    String baseUrl;
    String apiKeyEnv;
    String api;
    String name;

    private Entry(String provider, String model) {
      this.provider = provider;
      this.model = model;
    }

    /** The record's name: {@code --name}, else the model id's last part. */
    String name() {
      if (name != null) {
        return name;
      }
      String last = model.substring(model.lastIndexOf('/') + 1);
      String named = last.replaceAll("[^A-Za-z0-9._-]", "-");
      return named.matches("[A-Za-z0-9].*") ? named : "m" + named;
    }

    String flag() {
      return "--model " + provider + "/" + model;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /**
   * The models of {@code flags}, each a flag ({@code --model}, {@code --base-url}, …) and its value
   * in command-line order.
   *
   * @throws LeadlineException naming the flag at fault
   */
  static CommandLineModels of(List<Map.Entry<String, String>> flags) {
    CommandLineModels models = new CommandLineModels();
    for (Map.Entry<String, String> flag : flags) {
      String value = flag.getValue();
      switch (flag.getKey()) {
        case "--model" -> models.model(value);
        case "--base-url" -> models.baseUrl(value);
        case "--api-key-env" -> models.apiKeyEnv(value);
        case "--api" -> models.api(value);
        case "--name" -> models.name(value);
        default -> throw new IllegalArgumentException("not a model flag: " + flag.getKey());
      }
    }
    return models;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** {@code --model PROVIDER/MODEL}. */
  void model(String value) {
    int slash = value.indexOf('/');
    String provider = slash < 0 ? value : value.substring(0, slash);
    if (slash < 0 || !PROVIDERS.contains(provider) || slash == value.length() - 1) {
      if (slash > 0 && !PROVIDERS.contains(provider)) {
        throw LeadlineException.userInput(
            "--model %s: unknown provider '%s'%s; known: %s",
            value,
            provider,
            Suggestions.didYouMean(provider, PROVIDERS),
            String.join(", ", PROVIDERS));
      }
      throw LeadlineException.userInput(
          "--model: expected PROVIDER/MODEL with PROVIDER one of %s (e.g. openai/gpt-4o-mini,"
              + " openai-compatible/meta-llama/Llama-3.1-8B-Instruct, sim/sim-v1), got '%s'",
          String.join(", ", PROVIDERS), value);
    }
    entries.add(new Entry(provider, value.substring(slash + 1)));
  }

  void baseUrl(String value) {
    Entry entry = current("--base-url", value);
    once("--base-url", entry.baseUrl, entry);
    entry.baseUrl = url(value, entry);
  }

  void apiKeyEnv(String value) {
    Entry entry = current("--api-key-env", value);
    once("--api-key-env", entry.apiKeyEnv, entry);
    if (!value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw LeadlineException.userInput(
          "--api-key-env (of %s): expected the name of an environment variable, such as"
              + " VLLM_API_KEY (never the key itself), got '%s'",
          entry.flag(), value.length() > 8 ? value.substring(0, 4) + "…" : value);
    }
    entry.apiKeyEnv = value;
  }

  void api(String value) {
    Entry entry = current("--api", value);
    once("--api", entry.api, entry);
    if (!List.of("chat", "completions").contains(value)) {
      throw LeadlineException.userInput(
          "--api (of %s): expected chat or completions, got '%s'", entry.flag(), value);
    }
    entry.api = value;
  }

  void name(String value) {
    Entry entry = current("--name", value);
    once("--name", entry.name, entry);
    if (!NAME.matcher(value).matches()) {
      throw LeadlineException.userInput(
          "--name (of %s): expected letters, digits, '.', '_' or '-', got '%s'",
          entry.flag(), value);
    }
    entry.name = value;
  }

  private Entry current(String flag, String value) {
    if (entries.isEmpty()) {
      throw LeadlineException.userInput(
          "%s %s: comes before any --model; each --model takes the --base-url, --api-key-env,"
              + " --api and --name that follow it",
          flag, value);
    }
    return entries.get(entries.size() - 1);
  }

  private static void once(String flag, String set, Entry entry) {
    if (set != null) {
      throw LeadlineException.userInput(
          "%s: given twice for %s (a --model takes the flags that follow it, up to the next"
              + " --model)",
          flag, entry.flag());
    }
  }

  private static String url(String value, Entry entry) {
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getUserInfo() == null) {
        return value;
      }
    } catch (URISyntaxException e) {
      // Said below.
    }
    throw LeadlineException.userInput(
        "--base-url (of %s): expected an http:// or https:// URL without credentials (the key"
            + " goes in the variable --api-key-env names), got '%s'",
        entry.flag(), value.replaceAll("//[^/@]*@", "//…@"));
  }

  /**
   * The models file these flags make, as YAML text (JSON, which YAML reads), its models in flag
   * order.
   *
   * @throws LeadlineException for a model that lacks what its provider needs, or a name used twice
   */
  String yaml() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode models = root.putArray("models");
    Map<String, Entry> names = new HashMap<>();
    for (Entry entry : entries) {
      Entry before = names.putIfAbsent(entry.name(), entry);
      if (before != null) {
        throw LeadlineException.userInput(
            "%s and %s are both named '%s'; give one a --name after it",
            before.flag(), entry.flag(), entry.name());
      }
      ObjectNode model = models.addObject();
      model.put("name", entry.name());
      model.put("provider", entry.provider);
      if (entry.provider.equals("sim")) {
        if (entry.baseUrl != null) {
          throw LeadlineException.userInput(
              "--base-url (of %s): a sim model has no base URL: the sweep serves it; for a"
                  + " 'leadline serve-sim' server, use openai-compatible/MODEL --base-url",
              entry.flag());
        }
        model.put("profile", entry.model);
      } else {
        if (entry.baseUrl == null && entry.provider.equals("openai-compatible")) {
          throw LeadlineException.userInput(
              "%s: needs --base-url after it, the server's OpenAI API root (e.g."
                  + " http://127.0.0.1:8000/v1)",
              entry.flag());
        }
        model.put("model", entry.model);
        if (entry.baseUrl != null) {
          model.put("base_url", entry.baseUrl);
        }
      }
      if (entry.apiKeyEnv != null) {
        model.put("api_key_env", entry.apiKeyEnv);
      }
      if (entry.api != null) {
        model.put("api", entry.api);
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line per model for the user: the name records use, and what it stands for. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Entry entry : entries) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "model %s: %s %s%s",
              entry.name(),
              entry.provider,
              entry.model,
              entry.baseUrl == null ? "" : " at " + shown(entry.baseUrl)));
    }
    return lines;
  }

  /** {@code url} without its query or fragment, which some gateways use for a key. */
  private static String shown(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', '#'}) {
      int at = url.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return url.substring(0, cut);
  }
}
