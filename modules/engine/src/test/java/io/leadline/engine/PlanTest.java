package io.leadline.engine;

import static org.testng.Assert.assertEquals;

import java.util.List;
import org.testng.annotations.Test;

public class PlanTest {
  @Test
  public void itemsRunCellByCellWithModelsInnermostAndSkipEmptyCells() {
    Plan plan =
        new Plan(
            List.of("a", "b"),
            List.of(
                new Plan.Cell("gsm8k", "main", false, "gpt-fathom", "", 2),
                new Plan.Cell("mmlu", "anatomy", true, "gpt-fathom", "", 0),
                new Plan.Cell("mmlu", "virology", true, "gpt-fathom", "", 1)));
    assertEquals(plan.items(), 6);
    assertEquals(plan.itemsOf(0), 3);
    assertEquals(plan.locate(0), new Plan.Position(0, 0, 0));
    assertEquals(plan.locate(1), new Plan.Position(0, 0, 1));
    assertEquals(plan.locate(2), new Plan.Position(0, 1, 0));
    assertEquals(plan.locate(3), new Plan.Position(0, 1, 1));
    assertEquals(plan.locate(4), new Plan.Position(2, 0, 0));
    assertEquals(plan.locate(5), new Plan.Position(2, 0, 1));
  }

  @Test
  public void aModelThatAnswersSomeBenchmarksHasItemsInTheirCellsOnly() {
    Plan plan =
        new Plan(
            List.of("a", "story", "b"),
            List.of(
                new Plan.Cell("gsm8k", "main", false, "gpt-fathom", "", 2),
                new Plan.Cell("tinystories", "default", false, "gpt-fathom", "", 2)),
            (model, benchmark) -> model != 1 || benchmark.equals("tinystories"));
    assertEquals(plan.items(), 2 * 2 + 2 * 3);
    assertEquals(plan.itemsOf(0), 4);
    assertEquals(plan.itemsOf(1), 2);
    assertEquals(plan.itemsOf(2), 4);
    assertEquals(plan.locate(0), new Plan.Position(0, 0, 0));
    assertEquals(plan.locate(1), new Plan.Position(0, 0, 2));
    assertEquals(plan.locate(2), new Plan.Position(0, 1, 0));
    assertEquals(plan.locate(3), new Plan.Position(0, 1, 2));
    assertEquals(plan.locate(4), new Plan.Position(1, 0, 0));
    assertEquals(plan.locate(5), new Plan.Position(1, 0, 1));
    assertEquals(plan.locate(6), new Plan.Position(1, 0, 2));
    assertEquals(plan.locate(9), new Plan.Position(1, 1, 2));
    assertEquals(plan.answers(1, 0), false);
    assertEquals(plan.answers(1, 1), true);
  }
}
