package io.github.s3eg.crypto;

/**
 * The size arithmetic of a compressed object's frame container (object format version 2), the
 * plaintext that the segmented AEAD encrypts in place of the object's bytes:
 *
 * <pre>
 *   container = frame_0 || frame_1 || … || frame_{m-1} || index
 *   frame_i   = method(1) || uint32(n) || data(n)
 *   index     = uint64(container offset of frame_i), i = 0 … m-1
 *   m         = ⌈S / F⌉ (0 for an empty object)
 * </pre>
 *
 * Frame {@code i} holds plaintext bytes {@code i·F … min((i+1)·F, S) - 1}, where {@code F} is the
 * {@linkplain #frameSize() frame size} and {@code S} the plaintext size; each frame is compressed
 * on its own, so any frame decodes without the others. The index ends the container, so that its
 * position follows from the container size and {@code m}; a reader finds frame {@code i} through
 * index entries {@code i} and {@code i+1} (the end of the last frame is the start of the index).
 * Immutable.
 */
public final class FrameLayout {

  /** Bytes in front of each frame's data: the method and the data length. */
  public static final int FRAME_HEADER_SIZE = 1 + Integer.BYTES;

  /** Bytes of one index entry. */
  public static final int INDEX_ENTRY_SIZE = Long.BYTES;

  /** Frame method: the data is the frame's plaintext (it did not compress). */
  static final byte STORED = 0;

  /** Frame method: the data is one unit of the object's {@link Codec}. */
  static final byte COMPRESSED = 1;

  /** The frame size the gateway writes: 256 KiB of plaintext per frame. */
  public static final int DEFAULT_FRAME_SIZE = 256 * 1024;

  /** Smallest frame size of the format (small only for compact test vectors). */
  public static final int MIN_FRAME_SIZE = 64;

  /** Largest frame size of the format; a reader holds about two frames in memory. */
  public static final int MAX_FRAME_SIZE = 4 * 1024 * 1024;

  /** Largest plaintext of a compressed object: S3's single PUT limit, 5 GiB. */
  public static final long MAX_PLAINTEXT_SIZE = 5L * 1024 * 1024 * 1024;

  private final int frameSize;

  private FrameLayout(int frameSize) {
    this.frameSize = frameSize;
  }

  /** A layout with any frame size of the format ({@value #MIN_FRAME_SIZE} B – 4 MiB). */
  public static FrameLayout of(int frameSize) {
    if (frameSize < MIN_FRAME_SIZE || frameSize > MAX_FRAME_SIZE) {
      throw new IllegalArgumentException(
          "frame size must be " + MIN_FRAME_SIZE + ".." + MAX_FRAME_SIZE + ", got " + frameSize);
    }
    return new FrameLayout(frameSize);
  }

  /** {@code F}: plaintext bytes of every frame but the last. */
  public int frameSize() {
    return frameSize;
  }

  /** {@code m}: frames of a plaintext of {@code plaintextSize} bytes. */
  public long frameCount(long plaintextSize) {
    checkPlaintextSize(plaintextSize);
    return Math.ceilDiv(plaintextSize, frameSize);
  }

  /** The frame holding plaintext byte {@code offset}. */
  public long frameOf(long offset) {
    return offset / frameSize;
  }

  /** Plaintext offset of frame {@code i}'s first byte. */
  public long plaintextOffsetOfFrame(long i) {
    return i * frameSize;
  }

  /** Plaintext bytes of frame {@code i} in an object of {@code plaintextSize} bytes. */
  public int plaintextLengthOfFrame(long i, long plaintextSize) {
    long m = frameCount(plaintextSize);
    if (i < 0 || i >= m) {
      throw new IllegalArgumentException("frame " + i + " of " + m);
    }
    return (int) Math.min(frameSize, plaintextSize - i * frameSize);
  }

  /** Bytes of the index of an object of {@code plaintextSize} bytes. */
  public long indexSize(long plaintextSize) {
    return frameCount(plaintextSize) * INDEX_ENTRY_SIZE;
  }

  /** The smallest container of {@code plaintextSize} bytes (index and frame headers alone). */
  public long minContainerSize(long plaintextSize) {
    return frameCount(plaintextSize) * (FRAME_HEADER_SIZE + INDEX_ENTRY_SIZE);
  }

  /**
   * The largest data length of frame {@code i} a reader accepts: the writer stores a frame that
   * does not shrink, so compressed data is never longer than the plaintext.
   */
  int maxDataLength(int framePlaintextLength) {
    return framePlaintextLength;
  }

  /** Container offset of index entry {@code i}, for a container of {@code containerSize}. */
  public long indexEntryOffset(long i, long plaintextSize, long containerSize) {
    return containerSize - indexSize(plaintextSize) + i * INDEX_ENTRY_SIZE;
  }

  private static void checkPlaintextSize(long plaintextSize) {
    if (plaintextSize < 0 || plaintextSize > MAX_PLAINTEXT_SIZE) {
      throw new IllegalArgumentException("plaintext size out of range: " + plaintextSize);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FrameLayout l && l.frameSize == frameSize;
  }

  @Override
  public int hashCode() {
    return frameSize;
  }

  @Override
  public String toString() {
    return "FrameLayout[frameSize=" + frameSize + "]";
  }
}
