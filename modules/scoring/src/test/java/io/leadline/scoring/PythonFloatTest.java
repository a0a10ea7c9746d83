package io.leadline.scoring;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class PythonFloatTest {
  @DataProvider
  public Object[][] reprs() {
    // Values as CPython 3.11 prints str(float(text)).
    return new Object[][] {
      {"7", "7.0"},
      {"007", "7.0"},
      {"+5", "5.0"},
      {"-0", "-0.0"},
      {"0.1", "0.1"},
      {"1.10", "1.1"},
      {".5", "0.5"},
      {"5.", "5.0"},
      {"1e16", "1e+16"},
      {"1e15", "1000000000000000.0"},
      {"1234567890123456789", "1.2345678901234568e+18"},
      {"0.0001", "0.0001"},
      {"0.00001", "1e-05"},
      {"1_000", "1000.0"},
      {"١٢", "12.0"},
      {"７", "7.0"},
      {" 12 ", "12.0"},
      {"\u00a012", "12.0"},
      {"inf", "inf"},
      {"-Infinity", "-inf"},
      {"NaN", "nan"},
      {"1e400", "inf"},
      {"2.5e-3", "0.0025"},
      {"123456789012345.678", "123456789012345.67"},
      {"0.1e1", "1.0"},
      {"9007199254740993", "9007199254740992.0"},
      {"5e-324", "5e-324"},
      {"1.7976931348623157e308", "1.7976931348623157e+308"},
    };
  }

  @Test(dataProvider = "reprs")
  public void reprMatchesCPython(String text, String expected) {
    assertEquals(PythonFloat.reprOf(text), expected, text);
  }

  @Test
  public void rejectsWhatPythonRejects() {
    for (String text :
        new String[] {
          "",
          " ",
          ".",
          "e5",
          "1e",
          "1_",
          "_1",
          "1__0",
          "1._5",
          "0x10",
          "1d",
          "1f",
          "infinite",
          "1,000",
          "3/4",
          "12a",
          "--5",
          "1 2",
          "+",
          "i"
        }) {
      assertFalse(PythonFloat.isFloat(text), text);
      assertNull(PythonFloat.reprOf(text), text);
    }
  }

  @Test
  public void acceptsWhatPythonAccepts() {
    for (String text : new String[] {"1e1_0", "+.5e-3", "-INF", "\t3\n", "1E5"}) {
      assertTrue(PythonFloat.isFloat(text), text);
    }
  }

  @Test
  public void reprOfDoublesIsShortestRoundTrip() {
    assertEquals(PythonFloat.repr(0.1 + 0.2), "0.30000000000000004");
    assertEquals(PythonFloat.repr(1.0 / 3.0), "0.3333333333333333");
    assertEquals(PythonFloat.repr(2e-3), "0.002");
    assertEquals(PythonFloat.repr(1e23), "1e+23");
    assertEquals(PythonFloat.repr(Math.pow(2, -1074)), "5e-324");
    assertEquals(PythonFloat.repr(100.0), "100.0");
    assertEquals(PythonFloat.repr(-1.5e-7), "-1.5e-07");
  }
}
