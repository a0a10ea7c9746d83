package io.leadline.cli;

import java.util.ArrayList;
import java.util.List;
import org.testng.IAlterSuiteListener;
import org.testng.ISuite;
import org.testng.ISuiteListener;
import org.testng.xml.XmlClass;
import org.testng.xml.XmlSuite;
import org.testng.xml.XmlTest;

/**
 * Starts the main job as the suite starts, and puts the classes that read it last, so that the
 * suite's other classes run while it sweeps (registered in the module's surefire configuration).
 */
public final class MainJobListener implements IAlterSuiteListener, ISuiteListener {
  @Override
  public void alter(List<XmlSuite> suites) {
    for (XmlSuite suite : suites) {
      for (XmlTest test : suite.getTests()) {
        List<XmlClass> others = new ArrayList<>();
        List<XmlClass> readers = new ArrayList<>();
        for (XmlClass xmlClass : test.getXmlClasses()) {
          (MainJob.READERS.contains(xmlClass.getName()) ? readers : others).add(xmlClass);
        }
        others.addAll(readers);
        // TestNG orders classes by their index, not by their place in the list.
        for (int i = 0; i < others.size(); i++) {
          others.get(i).setIndex(i);
        }
        test.setXmlClasses(others);
      }
    }
  }

  @Override
  public void onStart(ISuite suite) {
    // Only when a class that reads it runs (not for a -Dtest of other classes).
    boolean needed =
        suite.getXmlSuite().getTests().stream()
            .flatMap(t -> t.getXmlClasses().stream())
            .anyMatch(c -> MainJob.READERS.contains(c.getName()));
    if (needed) {
      MainJob.start();
    }
  }
}
