package io.leadline.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What an {@link Extractor} found in a completion: an answer, or a named "no answer" with the
 * reason. Never a magic string: where a reference implementation reports a sentinel such as {@code
 * [invalid]}, that sentinel is produced only at the edge, by {@link #orElse(String)}.
 */
public sealed interface Extraction permits Extraction.Answer, Extraction.NoAnswer {

  /** The extracted text, if there is one. */
  Optional<String> answer();

  /** The extracted text, or {@code sentinel} when nothing was extracted. */
  default String orElse(String sentinel) {
    return answer().orElse(sentinel);
  }

  static Extraction answer(String text) {
    return new Answer(text);
  }

  static Extraction noAnswer(String reason) {
    return new NoAnswer(reason);
  }

  /** An extracted answer, exactly as the extractor's convention defines it (possibly empty). */
  record Answer(String text) implements Extraction {
    public Answer {
      requireNonNull(text, "text is null");
    }

    @Override
    public Optional<String> answer() {
      return Optional.of(text);
    }
  }

  /** Nothing was extracted; {@code reason} says why, in words a reader of a record understands. */
  record NoAnswer(String reason) implements Extraction {
    public NoAnswer {
      requireNonNull(reason, "reason is null");
    }

    @Override
    public Optional<String> answer() {
      return Optional.empty();
    }
  }
}
