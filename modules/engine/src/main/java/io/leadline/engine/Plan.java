package io.leadline.engine;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The work of a sweep, as index arithmetic instead of a list: models × cells (benchmark, subset,
 * setting) × examples. Item {@code i} is one request; items run cell by cell, example by example,
 * with the models innermost, so any range of items mixes every model. Holding only the cells, a
 * plan of millions of items costs a few bytes per cell, on the driver and on every executor.
 */
final class Plan implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One (benchmark, subset, setting) of the sweep.
   *
   * @param subset the dataset config the examples come from (an MMLU subject, a BBH task, or the
   *     benchmark's one config)
   * @param hasSubsets whether the benchmark reports per subset (MMLU, BBH)
   * @param examples how many of the subset's examples are asked, the first ones in split order
   * @param perturbation the prompt perturbation variant's id, or empty for none
   */
  record Cell(
      String benchmark,
      String subset,
      boolean hasSubsets,
      String setting,
      String perturbation,
      int examples)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    Cell {
      checkArgument(examples >= 0, "examples must be >= 0: %s", examples);
    }
  }

  /** Where an item is: its cell, example and model. */
  record Position(int cell, int example, int model) {}

  private final ImmutableList<String> models;
  private final ImmutableList<Cell> cells;
  private final long[] starts;

  Plan(List<String> models, List<Cell> cells) {
    checkArgument(!models.isEmpty(), "a plan needs a model");
    checkArgument(
        new java.util.HashSet<>(models).size() == models.size(), "a model is planned twice");
    this.models = ImmutableList.copyOf(models);
    this.cells = ImmutableList.copyOf(cells);
    this.starts = new long[cells.size() + 1];
    for (int i = 0; i < cells.size(); i++) {
      starts[i + 1] = starts[i] + (long) cells.get(i).examples() * models.size();
    }
  }

  ImmutableList<String> models() {
    return models;
  }

  ImmutableList<Cell> cells() {
    return cells;
  }

  long items() {
    return starts[cells.size()];
  }

  /** The items of model {@code model}. */
  long itemsOf(int model) {
    checkArgument(model >= 0 && model < models.size(), "no model %s", model);
    return items() / models.size();
  }

  Position locate(long item) {
    checkArgument(item >= 0 && item < items(), "item %s outside [0, %s)", item, items());
    int found = Arrays.binarySearch(starts, item);
    // Empty cells share their start with the next one: take the last cell starting here.
    int cell = found >= 0 ? found : -found - 2;
    while (cell + 1 < cells.size() && starts[cell + 1] <= item) {
      cell++;
    }
    long within = item - starts[cell];
    return new Position(cell, (int) (within / models.size()), (int) (within % models.size()));
  }
}
