package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * How a {@code llama-cpp} model is run in-process: which GGUF file, with how large a context, on
 * how many threads, answering how many requests at once.
 *
 * @param modelFile the GGUF file, an absolute path (each executor of a cluster reads it there)
 * @param contextSize tokens of context per slot (prompt and completion), or empty for the model's
 *     trained context
 * @param threads CPU threads llama.cpp computes with
 * @param slots requests answered at once; the model's concurrency limit in each JVM
 */
public record LocalModel(String modelFile, OptionalInt contextSize, int threads, int slots) {
  public LocalModel {
    requireNonNull(modelFile, "modelFile is null");
    requireNonNull(contextSize, "contextSize is null");
    contextSize.ifPresent(c -> checkArgument(c >= 16, "contextSize must be >= 16: %s", c));
    checkArgument(threads >= 1, "threads must be >= 1: %s", threads);
    checkArgument(slots >= 1, "slots must be >= 1: %s", slots);
  }
}
