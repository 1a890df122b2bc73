package io.github.s3eg.crypto;

import java.nio.ByteBuffer;

/**
 * Sizes of multipart objects (format versions 3 and 4). Every part is stored as
 *
 * <pre>
 *   part   = prefix || header || segment_0 || … || segment_{n-1}
 *   prefix = uint32(partNumber) || uint64(plaintextSize)         (12 bytes, big-endian)
 * </pre>
 *
 * where {@code header || segments} is a version 1 body of the part's plaintext under the upload's
 * DEK with the body associated data {@link ObjectFormat#partBodyAssociatedData} (which contains the
 * prefix, so the prefix is authenticated by the first segment's tag). The object is the
 * concatenation of the parts Complete named, in ascending part number order.
 *
 * <p>The prefix makes the object self-describing: a reader that has lost the index can still walk
 * the parts from the start.
 */
public final class MultipartLayout {

  /** Length of {@code uint32(partNumber) || uint64(plaintextSize)}. */
  public static final int PART_PREFIX_LENGTH = Integer.BYTES + Long.BYTES;

  /** Smallest and largest part numbers S3 allows. */
  public static final int MIN_PART_NUMBER = 1;

  public static final int MAX_PART_NUMBER = 10_000;

  private MultipartLayout() {}

  /** The 12 prefix bytes of a part. */
  public static byte[] partPrefix(int partNumber, long plaintextSize) {
    if (partNumber < MIN_PART_NUMBER || partNumber > MAX_PART_NUMBER || plaintextSize < 0) {
      throw new IllegalArgumentException(
          "part number " + partNumber + " or size " + plaintextSize + " out of range");
    }
    return ByteBuffer.allocate(PART_PREFIX_LENGTH)
        .putInt(partNumber)
        .putLong(plaintextSize)
        .array();
  }

  /** Stored size of a part of {@code plaintextSize} bytes. */
  public static long partCiphertextSize(SegmentLayout layout, long plaintextSize) {
    return PART_PREFIX_LENGTH + layout.ciphertextSize(plaintextSize);
  }

  /**
   * Plaintext size of a stored part of {@code ciphertextSize} bytes (ListParts answers with it).
   *
   * @throws IllegalArgumentException if no plaintext has that part size
   */
  public static long partPlaintextSize(SegmentLayout layout, long ciphertextSize) {
    if (ciphertextSize < PART_PREFIX_LENGTH) {
      throw new IllegalArgumentException("a part has at least " + PART_PREFIX_LENGTH + " bytes");
    }
    return layout.plaintextSize(ciphertextSize - PART_PREFIX_LENGTH);
  }

  /**
   * The plaintext size of a multipart object of {@code ciphertextSize} bytes in {@code partCount}
   * parts, from a listing (size and the {@code -N} of its ETag only). Exact when every part but the
   * last holds a multiple of the segment size (8 MiB, 5 MiB, 16 MiB parts with 64 KiB segments:
   * what awscli, the SDKs, rclone and s3cmd send): such a part costs exactly one segment tag more
   * than its share of a single-PUT body plus prefix and header, so the object's size is a single
   * body's size plus a fixed overhead per part.
   *
   * @throws IllegalArgumentException if no plaintext has that size
   */
  public static long listedPlaintextSize(SegmentLayout layout, long ciphertextSize, int partCount) {
    if (partCount < 1) {
      throw new IllegalArgumentException("a multipart object has at least one part");
    }
    long perPart = PART_PREFIX_LENGTH + SegmentLayout.HEADER_LENGTH + SegmentLayout.TAG_SIZE;
    long body =
        ciphertextSize
            - (long) partCount * PART_PREFIX_LENGTH
            - (long) (partCount - 1) * (perPart - PART_PREFIX_LENGTH);
    return layout.plaintextSize(body);
  }
}
