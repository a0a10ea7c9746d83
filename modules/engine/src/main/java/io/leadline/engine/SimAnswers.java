package io.leadline.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadline.api.LeadlineException;
import io.leadline.datasets.BundledSamples;
import io.leadline.datasets.KnownDatasets;
import io.leadline.datasets.PulledSplit;
import io.leadline.datasets.SplitRef;
import io.leadline.models.sim.SimAnswerKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The simulator's answer key: every evaluated bundled sample (test and validation splits). */
public final class SimAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SimAnswers() {}

  /** The answer key of every bundled test and validation row under {@code benchmarks}. */
  public static SimAnswerKey bundled(Path benchmarks) {
    BundledSamples samples = new BundledSamples(benchmarks);
    SimAnswerKey.Builder key = SimAnswerKey.builder();
    for (String benchmark : KnownDatasets.benchmarks()) {
      for (SplitRef ref : samples.splits(benchmark)) {
        if (!ref.split().equals("test") && !ref.split().equals("validation")) {
          continue;
        }
        PulledSplit split = samples.load(benchmark, ref.config(), ref.split());
        List<JsonNode> rows = new ArrayList<>(split.rows().size());
        for (int i = 0; i < split.rows().size(); i++) {
          try {
            rows.add(MAPPER.readTree(split.rows().get(i)));
          } catch (JsonProcessingException e) {
            throw LeadlineException.data("%s line %d: not JSON", split.source(), i + 1);
          }
        }
        key.add(benchmark, ref.config(), rows, split.source());
      }
    }
    return key.build();
  }
}
