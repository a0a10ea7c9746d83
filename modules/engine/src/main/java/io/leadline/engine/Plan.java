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
 * plan of millions of items costs a few bytes per cell, on the driver and on every executor. A
 * model whose models-file entry names its {@code benchmarks:} has items in those cells only.
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

  /** Per cell, the models that answer it, in model order. */
  private final int[][] cellModels;

  private final long[] perModel;

  /** Every model answers every cell. */
  Plan(List<String> models, List<Cell> cells) {
    this(models, cells, (model, benchmark) -> true);
  }

  /** Model {@code m} answers the cells of the benchmarks {@code answers.test(m, benchmark)}. */
  Plan(
      List<String> models,
      List<Cell> cells,
      java.util.function.BiPredicate<Integer, String> answers) {
    checkArgument(!models.isEmpty(), "a plan needs a model");
    checkArgument(
        new java.util.HashSet<>(models).size() == models.size(), "a model is planned twice");
    this.models = ImmutableList.copyOf(models);
    this.cells = ImmutableList.copyOf(cells);
    this.starts = new long[cells.size() + 1];
    this.cellModels = new int[cells.size()][];
    this.perModel = new long[models.size()];
    for (int i = 0; i < cells.size(); i++) {
      Cell cell = cells.get(i);
      cellModels[i] =
          java.util.stream.IntStream.range(0, models.size())
              .filter(m -> answers.test(m, cell.benchmark()))
              .toArray();
      starts[i + 1] = starts[i] + (long) cell.examples() * cellModels[i].length;
      for (int m : cellModels[i]) {
        perModel[m] += cell.examples();
      }
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
    return perModel[model];
  }

  /** Whether model {@code model} answers the items of cell {@code cell}. */
  boolean answers(int model, int cell) {
    return Arrays.binarySearch(cellModels[cell], model) >= 0;
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
    int[] answering = cellModels[cell];
    return new Position(
        cell, (int) (within / answering.length), answering[(int) (within % answering.length)]);
  }
}
