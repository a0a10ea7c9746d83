package io.leadline.api;

import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

public class VersionTest {
  @Test
  public void versionComesFromTheBuild() {
    assertTrue(Version.version().matches("\\d+\\.\\d+\\.\\d+.*"), Version.version());
  }
}
