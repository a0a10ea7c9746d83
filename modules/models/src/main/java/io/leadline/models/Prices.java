package io.leadline.models;

import com.google.common.collect.ImmutableMap;
import io.leadline.api.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The shared price table, {@code settings/prices.yaml}: US dollars per million tokens by {@code
 * provider/model} (or by a models file's model name), for models whose entry has no {@code
 * price_per_million} of its own.
 *
 * <pre>
 * prices:
 *   openai/gpt-4o-mini-2024-07-18: {input: 0.15, cached_input: 0.075, output: 0.6,
 *                                   batch_input: 0.075, batch_output: 0.3}
 * </pre>
 */
public record Prices(Map<String, Pricing> byModel) {
  public static final String FILE = "prices.yaml";

  public Prices {
    byModel = ImmutableMap.copyOf(byModel);
  }

  public static Prices none() {
    return new Prices(Map.of());
  }

  /** The table in {@code settingsDir}, or none if there is no such file. */
  public static Prices load(Path settingsDir) {
    Path file = settingsDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return none();
    }
    ConfigNode root = ConfigNode.load(file);
    if (!root.isPresent()) {
      return none();
    }
    root.allowOnly(java.util.Set.of("prices"));
    ImmutableMap.Builder<String, Pricing> prices = ImmutableMap.builder();
    ConfigNode table = root.required("prices");
    for (String model : table.keys()) {
      prices.put(model, ModelsFile.pricing(table.required(model)));
    }
    return new Prices(prices.buildKeepingLast());
  }

  /** The price of {@code model}: its own, else the table's by provider/model, else by name. */
  public Optional<Pricing> of(ModelSpec model) {
    return model
        .pricing()
        .or(() -> Optional.ofNullable(byModel.get(model.provider().id() + "/" + model.model())))
        .or(() -> Optional.ofNullable(byModel.get(model.name())));
  }
}
