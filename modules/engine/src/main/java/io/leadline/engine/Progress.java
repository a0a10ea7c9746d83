package io.leadline.engine;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.List;

/** Where the requests of a sweep stand, per model. */
public record Progress(List<Model> models, Duration elapsed) {
  public Progress {
    models = ImmutableList.copyOf(models);
  }

  /**
   * One model's counts.
   *
   * @param items work items of the model in the plan
   * @param cached items answered from the result store
   * @param shared items answered by another item's identical request of this run (NQ repeats its
   *     questions, for one); each is still scored against its own gold
   * @param done items answered by the model in this run
   * @param failed items whose request failed (recorded; a rerun retries them)
   * @param requests HTTP requests sent, retries included
   * @param tokens prompt and completion tokens of the answers received
   */
  public record Model(
      String name,
      long items,
      long cached,
      long shared,
      long done,
      long failed,
      long requests,
      long tokens) {
    /** Items with an outcome: cached, shared, done or failed. */
    public long finished() {
      return cached + shared + done + failed;
    }
  }

  public long items() {
    return models.stream().mapToLong(Model::items).sum();
  }

  public long finished() {
    return models.stream().mapToLong(Model::finished).sum();
  }
}
