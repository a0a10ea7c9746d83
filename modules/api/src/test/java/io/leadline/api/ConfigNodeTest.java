package io.leadline.api;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import java.nio.file.Path;
import java.util.Set;
import org.testng.annotations.Test;

public class ConfigNodeTest {
  @Test
  public void namesFileAndPathInEveryError() {
    ConfigNode root = ConfigNode.parse("s.yaml", "a:\n  b: [1, x]\n  c: yes\n");
    assertEquals(root.required("a").required("b").list().get(0).whole(0, 5), 1);
    assertEquals(
        expectThrows(
                LeadlineException.class,
                () -> root.required("a").required("b").list().get(1).whole(0, 5))
            .getMessage(),
        "s.yaml: a.b[1]: expected a whole number in [0, 5], got 'x'");
    assertEquals(
        expectThrows(LeadlineException.class, () -> root.required("a").required("d")).getMessage(),
        "s.yaml: a.d: is required");
    assertEquals(
        expectThrows(LeadlineException.class, () -> root.required("a").allowOnly(Set.of("b")))
            .getMessage(),
        "s.yaml: a: unknown key 'c'; known: b");
  }

  @Test
  public void refusesDuplicateKeysAndBrokenYaml() {
    assertEquals(
        expectThrows(LeadlineException.class, () -> ConfigNode.parse("s.yaml", "a: 1\na: 2\n"))
            .getMessage()
            .split(" \\(")[0],
        "s.yaml: line 2: not valid YAML");
    assertEquals(
        expectThrows(LeadlineException.class, () -> ConfigNode.load(Path.of("no-such.yaml")))
            .getMessage(),
        "no-such.yaml: no such file");
  }
}
