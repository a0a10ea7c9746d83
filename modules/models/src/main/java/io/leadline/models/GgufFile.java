package io.leadline.models;

import static java.util.Objects.requireNonNull;

import io.leadline.api.LeadlineException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a GGUF file says about its model, read from its header (GGUF versions 2 and 3): the facts a
 * run manifest records of a local model, as llama.cpp's {@code /v1/models} reports them.
 *
 * @param architecture {@code general.architecture}, e.g. {@code llama}
 * @param parameters the number of weights: the sum over tensors of their elements
 * @param vocabulary tokens in the tokenizer ({@code tokenizer.ggml.tokens})
 * @param trainedContext {@code <architecture>.context_length}, or 0 if the file has none
 * @param addBos whether a prompt starts with the BOS token ({@code tokenizer.ggml.add_bos_token},
 *     true where absent, as llama.cpp does for llama's sentencepiece vocabulary)
 * @param sha256 of the whole file
 */
public record GgufFile(
    String architecture,
    long parameters,
    int vocabulary,
    int trainedContext,
    boolean addBos,
    String sha256) {
  private static final int STRING = 8;
  private static final int ARRAY = 9;

  public GgufFile {
    requireNonNull(architecture, "architecture is null");
    requireNonNull(sha256, "sha256 is null");
  }

  /** The model's facts in one line, e.g. {@code llama, 292,800 parameters, vocabulary 512}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s, %,d parameters, vocabulary %d, trained context %d",
        architecture,
        parameters,
        vocabulary,
        trainedContext);
  }

  private static final java.util.Map<String, GgufFile> READ =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * {@link #read} of {@code file}, remembered while the file's size and modification time stay the
   * same: the driver of a sweep asks for it more than once, and hashing a large model takes a
   * while.
   */
  public static GgufFile of(Path file) {
    String key;
    try {
      key =
          file.toAbsolutePath()
              + "\u0000"
              + Files.size(file)
              + "\u0000"
              + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw LeadlineException.userInput("cannot read the GGUF file %s (%s)", file, e.getMessage());
    }
    return READ.computeIfAbsent(key, k -> read(file));
  }

  /**
   * Reads {@code file}'s header and hashes the file.
   *
   * @throws LeadlineException naming the file if it cannot be read or is not GGUF
   */
  public static GgufFile read(Path file) {
    try (InputStream raw = Files.newInputStream(file);
        DigestInputStream digest =
            new DigestInputStream(raw, MessageDigest.getInstance("SHA-256"));
        DataInputStream in = new DataInputStream(new BufferedInputStream(digest, 1 << 16))) {
      GgufFile header = header(file, in);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return new GgufFile(
          header.architecture,
          header.parameters,
          header.vocabulary,
          header.trainedContext,
          header.addBos,
          HexFormat.of().formatHex(digest.getMessageDigest().digest()));
    } catch (IOException e) {
      throw LeadlineException.userInput("cannot read the GGUF file %s (%s)", file, e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static GgufFile header(Path file, DataInputStream in) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
      throw LeadlineException.userInput("%s is not a GGUF file", file);
    }
    int version = u32(in);
    if (version < 2 || version > 3) {
      throw LeadlineException.userInput("%s: GGUF version %d; expected 2 or 3", file, version);
    }
    long tensors = u64(in);
    long entries = u64(in);
    String architecture = "";
    int vocabulary = 0;
    boolean addBos = true;
    java.util.Map<String, Long> numbers = new java.util.HashMap<>();
    for (long i = 0; i < entries; i++) {
      String key = string(in);
      int type = u32(in);
      if (type == STRING) {
        String value = string(in);
        if (key.equals("general.architecture")) {
          architecture = value;
        }
      } else if (type == ARRAY) {
        int elementType = u32(in);
        long count = u64(in);
        if (key.equals("tokenizer.ggml.tokens")) {
          vocabulary = (int) count;
        }
        for (long j = 0; j < count; j++) {
          skip(in, elementType);
        }
      } else if (type == 7) {
        boolean value = in.readBoolean();
        if (key.equals("tokenizer.ggml.add_bos_token")) {
          addBos = value;
        }
      } else {
        numbers.put(key, number(in, type));
      }
    }
    long parameters = 0;
    for (long t = 0; t < tensors; t++) {
      string(in);
      int dimensions = u32(in);
      long elements = 1;
      for (int d = 0; d < dimensions; d++) {
        elements *= u64(in);
      }
      u32(in);
      u64(in);
      parameters += elements;
    }
    long context = numbers.getOrDefault(architecture + ".context_length", 0L);
    return new GgufFile(architecture, parameters, vocabulary, (int) context, addBos, "");
  }

  private static long number(DataInputStream in, int type) throws IOException {
    return switch (type) {
      case 0, 1 -> in.readByte();
      case 2, 3 -> ByteBuffer.wrap(in.readNBytes(2)).order(ByteOrder.LITTLE_ENDIAN).getShort();
      case 4 -> Integer.toUnsignedLong(u32(in));
      case 5 -> u32(in);
      case 6 -> (long) Float.intBitsToFloat(u32(in));
      case 10, 11 -> u64(in);
      case 12 -> (long) Double.longBitsToDouble(u64(in));
      default -> throw new IOException("unknown GGUF value type " + type);
    };
  }

  private static void skip(DataInputStream in, int type) throws IOException {
    switch (type) {
      case STRING -> string(in);
      case 7 -> in.readBoolean();
      case ARRAY -> {
        int elementType = u32(in);
        long count = u64(in);
        for (long j = 0; j < count; j++) {
          skip(in, elementType);
        }
      }
      default -> number(in, type);
    }
  }

  private static String string(DataInputStream in) throws IOException {
    long length = u64(in);
    if (length < 0 || length > Integer.MAX_VALUE) {
      throw new IOException("a GGUF string of " + length + " bytes");
    }
    return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
  }

  private static int u32(DataInputStream in) throws IOException {
    byte[] bytes = in.readNBytes(4);
    if (bytes.length < 4) {
      throw new IOException("the file ends inside its header");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private static long u64(DataInputStream in) throws IOException {
    byte[] bytes = in.readNBytes(8);
    if (bytes.length < 8) {
      throw new IOException("the file ends inside its header");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
