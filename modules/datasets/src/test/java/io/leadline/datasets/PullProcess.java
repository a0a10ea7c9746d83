package io.leadline.datasets;

import io.leadline.api.RetryPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A separate JVM that pulls GSM8K test into a cache: {@code PullProcess SERVER_URI HOME}. */
public final class PullProcess {
  private PullProcess() {}

  public static void main(String[] args) {
    URI server = URI.create(args[0]);
    Datasets datasets =
        new Datasets(
            new HubSettings(server, server, Optional.empty(), false, Path.of(args[1])),
            new RetryPolicy(
                4,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofSeconds(20),
                Duration.ofSeconds(5)),
            4,
            System.err::println);
    PulledSplit split =
        datasets.load(
            new SplitRef("openai/gsm8k", "main", "test"), Optional.empty(), PullListener.NONE);
    System.out.println(split.sha256());
  }
}
