package io.leadline.benchmarks;

import com.google.common.collect.ImmutableMap;
import java.util.List;

/** Every format adapter, by the name a {@code benchmark.yaml} gives as its {@code format:}. */
public final class Formats {
  private static final ImmutableMap<String, Format> FORMATS;

  static {
    ImmutableMap.Builder<String, Format> formats = ImmutableMap.builder();
    for (Format format :
        List.of(
            new MultipleChoiceFormat(),
            new ClosedQaFormat(),
            new ReadingFormat(),
            new MathCotFormat(),
            new CodeFormat(),
            new BbhFormat(),
            new MbppFormat(),
            new LastWordFormat(),
            new AgievalFormat(),
            new StoryFormat())) {
      formats.put(format.id(), format);
    }
    FORMATS = formats.buildOrThrow();
  }

  private Formats() {}

  /** The adapter called {@code id}, or null. */
  static Format get(String id) {
    return FORMATS.get(id);
  }

  /** The adapters' names, in a fixed order. */
  public static List<String> ids() {
    return FORMATS.keySet().asList();
  }
}
