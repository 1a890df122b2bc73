package io.github.s3eg.crypto;

/**
 * All size and range arithmetic of an encrypted body, in one place. Pure functions of the plaintext
 * segment size; immutable and thread-safe.
 *
 * <p>The body is Tink's segmented layout with {@code firstSegmentOffset = 0}:
 *
 * <pre>
 *   body      = header(40) || segment_0 || segment_1 || … || segment_{n-1}
 *   segment_i = AEAD(plaintext_i) || tag(16)
 *   |plaintext_0| = P - 40          (the header shortens the first segment)
 *   |plaintext_i| = P               (0 &lt; i &lt; n-1)
 *   |plaintext_{n-1}| in 1..P       (0..P-40 when n = 1; only an empty object has an empty segment)
 * </pre>
 *
 * where {@code P} is the {@linkplain #plaintextSegmentSize() plaintext segment size} (64 KiB by
 * default) and Tink's {@code ciphertextSegmentSize} parameter is {@code C = P + 16}. So every
 * ciphertext segment {@code i ≥ 1} starts at {@code i·C} and the header plus segment 0 fill exactly
 * {@code C} bytes.
 *
 * <p>Segment indices are unsigned 32-bit in the nonce, so an object has at most {@value
 * #MAX_SEGMENTS} segments and at most {@code 2^32·P - 40} plaintext bytes (256 TiB at 64 KiB,
 * beyond S3's 5 TiB object limit).
 *
 * <p>Byte ranges are inclusive, as in HTTP {@code Range: bytes=first-last}.
 */
public final class SegmentLayout {

  /** Bytes in front of segment 0: the {@link StreamHeader}. */
  public static final int HEADER_LENGTH = StreamHeader.LENGTH;

  /** Bytes each segment adds: its authentication tag. */
  public static final int TAG_SIZE = Algorithm.TAG_SIZE;

  /** The default plaintext segment size, 64 KiB. */
  public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;

  /** The smallest plaintext segment size the gateway may be configured to write, 16 KiB. */
  public static final int MIN_CONFIGURABLE_SEGMENT_SIZE = 16 * 1024;

  /** The largest plaintext segment size, 1 MiB (configuration and format). */
  public static final int MAX_SEGMENT_SIZE = 1024 * 1024;

  /**
   * The smallest plaintext segment size the format allows (and readers accept). Below the
   * configurable minimum only so that known-answer vectors stay small; it must exceed the header.
   */
  public static final int MIN_FORMAT_SEGMENT_SIZE = 64;

  /** Segments per object: the segment index is an unsigned 32-bit nonce field. */
  public static final long MAX_SEGMENTS = 1L << 32;

  private final int plaintextSegmentSize;

  private SegmentLayout(int plaintextSegmentSize) {
    this.plaintextSegmentSize = plaintextSegmentSize;
  }

  /**
   * A layout with any segment size the format allows ({@value #MIN_FORMAT_SEGMENT_SIZE} B–1 MiB).
   */
  public static SegmentLayout of(int plaintextSegmentSize) {
    if (plaintextSegmentSize < MIN_FORMAT_SEGMENT_SIZE || plaintextSegmentSize > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          "segment size must be "
              + MIN_FORMAT_SEGMENT_SIZE
              + ".."
              + MAX_SEGMENT_SIZE
              + " bytes, got "
              + plaintextSegmentSize);
    }
    return new SegmentLayout(plaintextSegmentSize);
  }

  /** A layout with a configurable segment size (16 KiB–1 MiB), as the gateway writes. */
  public static SegmentLayout configured(int plaintextSegmentSize) {
    if (plaintextSegmentSize < MIN_CONFIGURABLE_SEGMENT_SIZE
        || plaintextSegmentSize > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          "segment size must be between 16 KiB ("
              + MIN_CONFIGURABLE_SEGMENT_SIZE
              + ") and 1 MiB ("
              + MAX_SEGMENT_SIZE
              + ") bytes, got "
              + plaintextSegmentSize);
    }
    return new SegmentLayout(plaintextSegmentSize);
  }

  /** The default layout: 64 KiB plaintext segments. */
  public static SegmentLayout defaults() {
    return new SegmentLayout(DEFAULT_SEGMENT_SIZE);
  }

  /** {@code P}: plaintext bytes in every segment but the first (shorter) and the last. */
  public int plaintextSegmentSize() {
    return plaintextSegmentSize;
  }

  /** {@code C = P + 16}: Tink's {@code ciphertextSegmentSize} parameter. */
  public int ciphertextSegmentSize() {
    return plaintextSegmentSize + TAG_SIZE;
  }

  /** The largest plaintext an object can hold: {@code 2^32·P - 40}. */
  public long maxPlaintextSize() {
    return MAX_SEGMENTS * plaintextSegmentSize - HEADER_LENGTH;
  }

  /** Plaintext bytes segment {@code i} holds when it is not the last: {@code P-40} or {@code P}. */
  public int plaintextCapacityOfSegment(long i) {
    checkSegmentIndex(i);
    return i == 0 ? plaintextSegmentSize - HEADER_LENGTH : plaintextSegmentSize;
  }

  /** Ciphertext bytes of segment {@code i} when it is not the last (header not included). */
  public int ciphertextCapacityOfSegment(long i) {
    return plaintextCapacityOfSegment(i) + TAG_SIZE;
  }

  /** Number of segments for a plaintext size; an empty object still has one (empty) segment. */
  public long segmentCount(long plaintextSize) {
    checkPlaintextSize(plaintextSize);
    return plaintextSize == 0
        ? 1
        : Math.ceilDiv(plaintextSize + HEADER_LENGTH, (long) plaintextSegmentSize);
  }

  /** Exact body size for a plaintext size: header, plaintext and one tag per segment. */
  public long ciphertextSize(long plaintextSize) {
    return HEADER_LENGTH + plaintextSize + TAG_SIZE * segmentCount(plaintextSize);
  }

  /**
   * Exact plaintext size for a body size.
   *
   * @throws IllegalArgumentException if no plaintext size encrypts to {@code ciphertextSize}
   */
  public long plaintextSize(long ciphertextSize) {
    long c = ciphertextSegmentSize();
    if (ciphertextSize >= HEADER_LENGTH + TAG_SIZE) {
      long segments = Math.ceilDiv(ciphertextSize, c);
      long plaintext = ciphertextSize - HEADER_LENGTH - segments * TAG_SIZE;
      if (plaintext >= 0
          && plaintext <= maxPlaintextSize()
          && ciphertextSize(plaintext) == ciphertextSize) {
        return plaintext;
      }
    }
    throw new IllegalArgumentException(
        "no plaintext encrypts to "
            + ciphertextSize
            + " bytes with "
            + plaintextSegmentSize
            + "-byte segments");
  }

  /** Index of the segment holding plaintext byte {@code plaintextOffset}. */
  public long segmentIndexOf(long plaintextOffset) {
    if (plaintextOffset < 0 || plaintextOffset >= maxPlaintextSize()) {
      throw new IllegalArgumentException("plaintext offset out of range: " + plaintextOffset);
    }
    return (plaintextOffset + HEADER_LENGTH) / plaintextSegmentSize;
  }

  /** Plaintext offset of the first byte of segment {@code i}: {@code 0}, then {@code i·P - 40}. */
  public long plaintextOffsetOfSegment(long i) {
    checkSegmentIndex(i);
    return i == 0 ? 0 : i * plaintextSegmentSize - HEADER_LENGTH;
  }

  /** Body offset of segment {@code i}: {@code 40} (after the header), then {@code i·C}. */
  public long ciphertextOffsetOfSegment(long i) {
    checkSegmentIndex(i);
    return i == 0 ? HEADER_LENGTH : i * ciphertextSegmentSize();
  }

  /** Plaintext bytes of segment {@code i} in an object of {@code plaintextSize} bytes. */
  public int plaintextLengthOfSegment(long i, long plaintextSize) {
    long count = segmentCount(plaintextSize);
    if (i < 0 || i >= count) {
      throw new IllegalArgumentException("segment " + i + " of " + count);
    }
    return i < count - 1
        ? plaintextCapacityOfSegment(i)
        : (int) (plaintextSize - plaintextOffsetOfSegment(i));
  }

  /** Ciphertext bytes of segment {@code i} (header not included) in such an object. */
  public int ciphertextLengthOfSegment(long i, long plaintextSize) {
    return plaintextLengthOfSegment(i, plaintextSize) + TAG_SIZE;
  }

  /** Whether segment {@code i} is the final one (sealed with the last-segment flag). */
  public boolean isFinalSegment(long i, long plaintextSize) {
    return i == segmentCount(plaintextSize) - 1;
  }

  /**
   * The whole segments to fetch for plaintext bytes {@code first..last} (inclusive). As in HTTP, a
   * {@code last} beyond the end is clamped to the last byte.
   *
   * @throws IllegalArgumentException if the range is not satisfiable ({@code first >= size}, or
   *     {@code first > last}); the S3 layer answers 416 before asking
   */
  public CiphertextRange rangeFor(long first, long last, long plaintextSize) {
    checkPlaintextSize(plaintextSize);
    if (first < 0 || first > last || first >= plaintextSize) {
      throw new IllegalArgumentException(
          "unsatisfiable range " + first + "-" + last + " of " + plaintextSize + " bytes");
    }
    long clampedLast = Math.min(last, plaintextSize - 1);
    long firstSegment = segmentIndexOf(first);
    long lastSegment = segmentIndexOf(clampedLast);
    long ciphertextLast =
        ciphertextOffsetOfSegment(lastSegment)
            + ciphertextLengthOfSegment(lastSegment, plaintextSize)
            - 1;
    return new CiphertextRange(
        first,
        clampedLast,
        plaintextSize,
        firstSegment,
        lastSegment,
        ciphertextOffsetOfSegment(firstSegment),
        ciphertextLast);
  }

  /**
   * The range for the last {@code suffixLength} plaintext bytes ({@code Range: bytes=-N}); all of
   * the object when it is shorter.
   *
   * @throws IllegalArgumentException if {@code suffixLength <= 0} or the object is empty
   */
  public CiphertextRange suffixRange(long suffixLength, long plaintextSize) {
    if (suffixLength <= 0) {
      throw new IllegalArgumentException("suffix length must be positive: " + suffixLength);
    }
    return rangeFor(Math.max(0, plaintextSize - suffixLength), plaintextSize - 1, plaintextSize);
  }

  private void checkSegmentIndex(long i) {
    if (i < 0 || i >= MAX_SEGMENTS) {
      throw new IllegalArgumentException("segment index out of range: " + i);
    }
  }

  private void checkPlaintextSize(long plaintextSize) {
    if (plaintextSize < 0 || plaintextSize > maxPlaintextSize()) {
      throw new IllegalArgumentException("plaintext size out of range: " + plaintextSize);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentLayout l && l.plaintextSegmentSize == plaintextSegmentSize;
  }

  @Override
  public int hashCode() {
    return plaintextSegmentSize;
  }

  @Override
  public String toString() {
    return "SegmentLayout[plaintextSegmentSize=" + plaintextSegmentSize + "]";
  }
}
