package io.leadline.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.testng.annotations.Test;

public class PageTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A page's data cannot end its script element or start a comment that swallows it, whatever its
   * strings hold, and reads back as the same values.
   */
  @Test
  public void dataStringsCannotBreakOutOfTheirScript() throws Exception {
    List<String> hostile =
        List.of(
            "</script><img src=x onerror=alert(1)>", "<!--<script>", "a & b", "x\u2028y\u2029z");
    String json = MAPPER.writeValueAsString(hostile);
    String html = Page.begin("t", "").end(false, Optional.of(json), "");
    String data = html.substring(html.indexOf("const DATA = ") + 13);
    data = data.substring(0, data.indexOf(";\n"));
    for (String bad : List.of("<", ">", "&", "\u2028", "\u2029")) {
      assertFalse(data.contains(bad), bad + " in " + data);
    }
    assertEquals(MAPPER.readValue(data, List.class), hostile);
  }
}
