package io.github.s3eg.crypto;

/**
 * What to fetch from the backend for a plaintext byte range, computed by {@link
 * SegmentLayout#rangeFor}: the whole segments {@code firstSegment..lastSegment}, which occupy body
 * bytes {@code ciphertextFirst..ciphertextLast} (inclusive, ready for an HTTP {@code Range}
 * header). The fetched bytes never include the body header; the decryptor takes it from metadata.
 *
 * @param plaintextFirst first plaintext byte the caller wants
 * @param plaintextLast last plaintext byte the caller wants (already clamped to the object)
 * @param plaintextSize the object's plaintext size (decides which segment is the final one)
 * @param firstSegment index of the first segment to fetch
 * @param lastSegment index of the last segment to fetch
 * @param ciphertextFirst body offset of the first byte to fetch
 * @param ciphertextLast body offset of the last byte to fetch
 */
public record CiphertextRange(
    long plaintextFirst,
    long plaintextLast,
    long plaintextSize,
    long firstSegment,
    long lastSegment,
    long ciphertextFirst,
    long ciphertextLast) {

  public CiphertextRange {
    if (plaintextFirst < 0
        || plaintextFirst > plaintextLast
        || plaintextLast >= plaintextSize
        || firstSegment < 0
        || firstSegment > lastSegment
        || ciphertextFirst < 0
        || ciphertextFirst > ciphertextLast) {
      throw new IllegalArgumentException("inconsistent range");
    }
  }

  /** Number of plaintext bytes the decrypting stream yields. */
  public long plaintextLength() {
    return plaintextLast - plaintextFirst + 1;
  }

  /** Number of body bytes to fetch. */
  public long ciphertextLength() {
    return ciphertextLast - ciphertextFirst + 1;
  }

  /** The backend request header value, {@code bytes=first-last}. */
  public String httpRange() {
    return "bytes=" + ciphertextFirst + "-" + ciphertextLast;
  }
}
