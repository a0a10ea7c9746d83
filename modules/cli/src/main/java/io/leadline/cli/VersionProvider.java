package io.leadline.cli;

import io.leadline.api.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code leadline --version}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "leadline " + Version.version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
