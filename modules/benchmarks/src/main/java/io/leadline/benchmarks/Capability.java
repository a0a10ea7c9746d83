package io.leadline.benchmarks;

/** GPT-Fathom's capability categories, in its leaderboard's order, and open-ended generation. */
public enum Capability {
  KNOWLEDGE("Knowledge"),
  REASONING("Reasoning"),
  COMPREHENSION("Comprehension"),
  MATH("Math"),
  CODING("Coding"),
  MULTILINGUAL("Multilingual"),
  SAFETY("Safety"),
  GENERATION("Generation");

  private final String label;

  Capability(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The labels, in order, for messages. */
  static String labels() {
    return String.join(", ", java.util.Arrays.stream(values()).map(Capability::label).toList());
  }

  static Capability fromLabel(String label) {
    for (Capability capability : values()) {
      if (capability.label.equals(label)) {
        return capability;
      }
    }
    return null;
  }
}
