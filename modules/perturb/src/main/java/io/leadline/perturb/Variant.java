package io.leadline.perturb;

import static java.util.Objects.requireNonNull;

/**
 * One variant of a perturbation kind, e.g. {@code qa-labels:question-answer}; its id is what
 * records and setting hashes carry.
 */
public record Variant(Kind kind, String name) {
  public Variant {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
  }

  public String id() {
    return kind.id() + ":" + name;
  }

  /** The variant with id {@code id}. */
  public static Variant parse(String id) {
    int colon = id.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a variant id: " + id);
    }
    return new Variant(Kind.fromId(id.substring(0, colon)), id.substring(colon + 1));
  }
}
