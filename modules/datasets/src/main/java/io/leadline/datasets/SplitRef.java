package io.leadline.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.regex.Pattern;

/** One split of one config of a Hub dataset, such as {@code openai/gsm8k main/test}. */
public record SplitRef(String dataset, String config, String split) {
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][\\w.-]*(/[\\w.-]+)?");
  private static final Pattern NAME = Pattern.compile("[\\w.-]+");

  public SplitRef {
    checkArgument(DATASET.matcher(dataset).matches(), "not a Hub dataset id: '%s'", dataset);
    checkArgument(NAME.matcher(config).matches(), "not a config name: '%s'", config);
    checkArgument(NAME.matcher(split).matches(), "not a split name: '%s'", split);
  }

  @Override
  public String toString() {
    return dataset + " " + config + "/" + split;
  }
}
