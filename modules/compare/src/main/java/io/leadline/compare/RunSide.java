package io.leadline.compare;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;

/**
 * One side of a diff: a model's problems in one run folder.
 *
 * @param summary what the report shows of the run's manifest (run folder, run id, model, versions)
 * @param revisions each benchmark's dataset revision
 * @param titles each benchmark's display title
 */
public record RunSide(
    ObjectNode summary,
    Map<String, String> revisions,
    Map<String, String> titles,
    List<Item> items) {
  public RunSide {
    requireNonNull(summary, "summary is null");
    revisions = ImmutableMap.copyOf(revisions);
    titles = ImmutableMap.copyOf(titles);
    items = ImmutableList.copyOf(items);
  }
}
