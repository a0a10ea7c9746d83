package io.leadline.cli;

import org.testng.ISuite;
import org.testng.ISuiteListener;

/**
 * Starts the main job as the first class of the suite starts, so that the suite's other classes run
 * while it sweeps (registered in the module's surefire configuration): in a run of the whole
 * module, or when a class that reads it runs (not for a {@code -Dtest} of other classes).
 */
public final class MainJobListener implements ISuiteListener {
  @Override
  public void onStart(ISuite suite) {
    boolean wholeModule = System.getProperty("test") == null;
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
