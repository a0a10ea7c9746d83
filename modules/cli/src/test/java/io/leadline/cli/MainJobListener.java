package io.leadline.cli;

import org.testng.ISuite;
import org.testng.ISuiteListener;

/**
 * Starts the main job as the first class of the suite starts, so that the suite's other classes run
 * while it sweeps (registered in the module's surefire configuration): in a Maven run of the whole
 * module, or when a class that reads it runs (not for a {@code -Dtest} of other classes, nor for a
 * class run outside Maven).
 */
public final class MainJobListener implements ISuiteListener {
  @Override
  public void onStart(ISuite suite) {
    if (MainJob.inBuild()) {
      MainJob.register();
    }
    boolean wholeModule = MainJob.inBuild() && System.getProperty("test") == null;
    boolean needed =
        wholeModule
            || suite.getXmlSuite().getTests().stream()
                .flatMap(t -> t.getXmlClasses().stream())
                .anyMatch(c -> MainJob.READERS.contains(c.getName()));
    if (needed) {
      MainJob.start();
    }
  }
}
