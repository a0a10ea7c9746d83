package io.leadline.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** sha256 digests of record content, as lowercase hex. */
public final class Hashes {
  private Hashes() {}

  /** sha256 of {@code text} in UTF-8. */
  public static String sha256(String text) {
    return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
  }

  /**
   * sha256 of the canonical JSON of {@code node}: equal for trees that differ only in key order.
   */
  public static String sha256(JsonNode node) {
    return sha256(CanonicalJson.write(node));
  }

  /** A digest built up in parts, each fed in the order given. */
  public static Sha256 sha256() {
    return new Sha256();
  }

  /** An incremental sha256: lines of text and whole numbers, in order. Not thread-safe. */
  public static final class Sha256 {
    private final Hasher hasher = Hashing.sha256().newHasher();

    private Sha256() {}

    /** Adds {@code text} and a line feed. */
    public Sha256 line(String text) {
      hasher.putString(text + "\n", StandardCharsets.UTF_8);
      return this;
    }

    /** Adds {@code value} as eight little-endian bytes. */
    public Sha256 number(long value) {
      hasher.putLong(value);
      return this;
    }

    /** The digest as hex; the builder must not be used afterwards. */
    public String hex() {
      return hasher.hash().toString();
    }
  }
}
