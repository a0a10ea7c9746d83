package io.leadline.sandbox;

/**
 * Resource limits of one candidate (0 = none).
 *
 * @param addressSpaceBytes virtual memory (default 1 GiB)
 * @param cpuSeconds CPU time
 * @param processes processes of the sandbox user
 * @param fileSizeBytes size of any file written
 * @param openFiles open file descriptors
 * @param outputBytes printed output kept
 */
public record Limits(
    long addressSpaceBytes,
    long cpuSeconds,
    long processes,
    long fileSizeBytes,
    long openFiles,
    long outputBytes) {
  /** 1 GiB, 10 CPU seconds, 64 processes, 16 MiB files, 256 descriptors, 1 MiB output. */
  public static final Limits DEFAULT = new Limits(1L << 30, 10, 64, 16L << 20, 256, 1L << 20);
}
