package io.leadline.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a future whose work throws one-line exceptions: they come out as they were. */
final class Joined {
  private Joined() {}

  /** The future's value; its work's own exception rethrown unwrapped. */
  static <T> T value(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
