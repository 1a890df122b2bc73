package io.github.s3eg.crypto;

import java.util.Optional;

/**
 * The compression of a compressed object's frames (object format version 2). The {@link
 * #configName()} is both the configuration value ({@code COMPRESSION_ALGORITHM}) and the name in
 * the {@code s3eg-cmp} metadata entry. Each compressed frame is one self-contained unit of the
 * codec: a zstd frame (RFC 8878) or a gzip member (RFC 1952), so that any frame decodes alone.
 */
public enum Codec {
  /** Zstandard, through zstd-jni (native code bundled in the jar); fast, good ratio. */
  ZSTD("zstd", 1, 19, 3),
  /** gzip (deflate), through {@code java.util.zip}; slower, needs no native code. */
  GZIP("gzip", 1, 9, 6);

  private final String configName;
  private final int minLevel;
  private final int maxLevel;
  private final int defaultLevel;

  Codec(String configName, int minLevel, int maxLevel, int defaultLevel) {
    this.configName = configName;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
  }

  /** The name used in configuration and in {@code s3eg-cmp}; lowercase. */
  public String configName() {
    return configName;
  }

  public int minLevel() {
    return minLevel;
  }

  public int maxLevel() {
    return maxLevel;
  }

  public int defaultLevel() {
    return defaultLevel;
  }

  /** The codec with this exact name (case-sensitive), if any. */
  public static Optional<Codec> byConfigName(String name) {
    for (Codec c : values()) {
      if (c.configName.equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that the codec can run on this machine (zstd loads a native library on first use), so
   * that a gateway configured to write it fails at start-up rather than on the first upload.
   *
   * @throws IllegalStateException naming the reason
   */
  public void checkAvailable() {
    if (this == ZSTD) {
      ZstdFrames.checkAvailable();
    }
  }

  /** A compressor for one stream of frames; close it to free native memory. */
  FrameCompressor compressor(int level) {
    if (level < minLevel || level > maxLevel) {
      throw new IllegalArgumentException(
          configName + " level must be " + minLevel + ".." + maxLevel + ", got " + level);
    }
    return this == ZSTD ? new ZstdFrames.Compressor(level) : new GzipFrames.Compressor(level);
  }

  /** A decompressor for one stream of frames; close it to free native memory. */
  FrameDecompressor decompressor() throws CryptoException.UnsupportedCompression {
    if (this == ZSTD) {
      return new ZstdFrames.Decompressor();
    }
    return new GzipFrames.Decompressor();
  }

  /** Compresses whole frames into a caller's buffer. Not thread-safe. */
  interface FrameCompressor extends AutoCloseable {

    /** Buffer size that holds the compression of any {@code length} bytes. */
    int maxCompressedSize(int length);

    /** Compresses {@code src[off, off+len)} into {@code dst} (from 0); returns the size. */
    int compress(byte[] src, int off, int len, byte[] dst);

    @Override
    void close();
  }

  /** Decompresses whole frames to an exact, known size. Not thread-safe. */
  interface FrameDecompressor extends AutoCloseable {

    /**
     * Decompresses {@code src[off, off+len)}, which must be exactly one unit of the codec, into
     * exactly {@code expected} bytes of {@code dst} (from 0).
     *
     * @throws CryptoException.CorruptCompressedData if the data is not one valid unit or decodes to
     *     any other size
     */
    void decompress(byte[] src, int off, int len, byte[] dst, int expected)
        throws CryptoException.CorruptCompressedData;

    @Override
    void close();
  }
}
