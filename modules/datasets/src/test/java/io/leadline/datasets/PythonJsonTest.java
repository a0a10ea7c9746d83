package io.leadline.datasets;

import static org.testng.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.testng.annotations.Test;

public class PythonJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  public void dumpsLikePythonJsonWithEnsureAsciiOff() throws IOException {
    String json =
        "{\"q\":\"Janet\u2019s \\\"ducks\\\"\\n\\t\\u0001\",\"n\":[1,-2,3.5,1e-05,true,null],\"o\":{}}";
    assertEquals(
        PythonJson.dumps(mapper.readTree(json)),
        "{\"q\": \"Janet\u2019s \\\"ducks\\\"\\n\\t\\u0001\", \"n\": [1, -2, 3.5, 1e-05, true, null],"
            + " \"o\": {}}");
  }

  @Test
  public void floatsUsePythonRepr() {
    assertEquals(PythonJson.floatRepr(1.0), "1.0");
    assertEquals(PythonJson.floatRepr(0.1), "0.1");
    assertEquals(PythonJson.floatRepr(1e16), "1e+16");
    assertEquals(PythonJson.floatRepr(1234.5), "1234.5");
    assertEquals(PythonJson.floatRepr(-2.5e-7), "-2.5e-07");
    assertEquals(PythonJson.floatRepr(0.0001), "0.0001");
    assertEquals(PythonJson.floatRepr(123456789012345680.0), "1.2345678901234568e+17");
  }
}
