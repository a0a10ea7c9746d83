package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;

import org.testng.annotations.Test;

public class CanonicalJsonTest {
  @Test
  public void sortsKeysAtEveryDepthAndDropsWhitespace() {
    assertEquals(
        CanonicalJson.of("{\"b\": 1, \"a\": {\"d\": [ {\"y\": 0.1, \"x\": null} ], \"c\": \"s\"}}"),
        "{\"a\":{\"c\":\"s\",\"d\":[{\"x\":null,\"y\":0.1}]},\"b\":1}");
  }

  @Test
  public void hashIgnoresKeyOrderButNotValues() {
    assertEquals(
        Hashes.sha256(CanonicalJson.parse("{\"a\": 1, \"b\": 2}")),
        Hashes.sha256(CanonicalJson.parse("{\"b\": 2, \"a\": 1}")));
    assertNotEquals(
        Hashes.sha256(CanonicalJson.parse("{\"a\": 1}")),
        Hashes.sha256(CanonicalJson.parse("{\"a\": 2}")));
  }

  @Test
  public void incrementalDigestFeedsLinesAndNumbersInOrder() {
    String digest = Hashes.sha256().line("a").line("b").number(7).hex();
    assertEquals(
        digest,
        com.google.common.hash.Hashing.sha256()
            .newHasher()
            .putString("a\n", java.nio.charset.StandardCharsets.UTF_8)
            .putString("b\n", java.nio.charset.StandardCharsets.UTF_8)
            .putLong(7)
            .hash()
            .toString());
    assertEquals(
        Hashes.sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
