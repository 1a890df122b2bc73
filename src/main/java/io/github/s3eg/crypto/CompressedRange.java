package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;

/**
 * A ranged read of a compressed object (format version 2), in two backend fetches the caller makes:
 *
 * <ol>
 *   <li>{@link #indexFetch()}: the encrypted segments holding index entries {@code a..b+1} (or
 *       {@code a..m-1} when {@code b} is the last frame), where {@code a..b} are the frames
 *       covering the plaintext range; {@link #readIndex} decrypts them and keeps only two offsets
 *       (the index slice is streamed, so any range costs constant memory);
 *   <li>{@link #framesFetch()}: the encrypted segments holding those frames; {@link #decrypt}
 *       yields exactly the requested plaintext bytes.
 * </ol>
 *
 * <p>Both fetches are whole-segment ranges of the body, authenticated like any ranged read of a
 * version 1 object; the index position follows from the body size ({@link
 * OpenedObject#plaintextSize(long)} has checked it). Not thread-safe: one per request.
 */
public final class CompressedRange {

  private final SegmentedAead aead;
  private final StreamHeader header;
  private final Compression compression;
  private final long plaintextSize;
  private final long containerSize;
  private final long first;
  private final long last;
  private final long firstFrame;
  private final long lastFrame;
  private final long frameCount;
  private long spanStart = -1;
  private long spanEnd = -1;

  CompressedRange(
      SegmentedAead aead,
      StreamHeader header,
      Compression compression,
      long plaintextSize,
      long containerSize,
      long first,
      long last) {
    if (first < 0 || first > last || last >= plaintextSize) {
      throw new IllegalArgumentException(
          "unsatisfiable range " + first + "-" + last + " of " + plaintextSize + " bytes");
    }
    this.aead = aead;
    this.header = header;
    this.compression = compression;
    this.plaintextSize = plaintextSize;
    this.containerSize = containerSize;
    this.first = first;
    this.last = last;
    FrameLayout frames = compression.frames();
    this.firstFrame = frames.frameOf(first);
    this.lastFrame = frames.frameOf(last);
    this.frameCount = frames.frameCount(plaintextSize);
  }

  /** Number of plaintext bytes {@link #decrypt} yields. */
  public long plaintextLength() {
    return last - first + 1;
  }

  /** The body range to fetch for the index entries (step 1). */
  public CiphertextRange indexFetch() {
    FrameLayout frames = compression.frames();
    long lastEntry = Math.min(lastFrame + 1, frameCount - 1);
    long from = frames.indexEntryOffset(firstFrame, plaintextSize, containerSize);
    long to = frames.indexEntryOffset(lastEntry, plaintextSize, containerSize) + 7;
    return aead.layout().rangeFor(from, to, containerSize);
  }

  /**
   * Decrypts the fetched index segments and finds the container span of the frames.
   *
   * @throws CryptoIOException {@link CryptoException.CorruptCompressedData} if the offsets are not
   *     increasing or do not leave room for the frames; any authentication failure of the segments
   */
  public void readIndex(InputStream ciphertextOfSegments) throws IOException {
    CiphertextRange fetch = indexFetch();
    long entries = (fetch.plaintextLength()) / FrameLayout.INDEX_ENTRY_SIZE;
    long indexStart = containerSize - compression.frames().indexSize(plaintextSize);
    // Not closed here: the caller releases the backend stream (to the pool, or aborted).
    InputStream slice = decrypting(ciphertextOfSegments, fetch);
    long start = readLong(slice);
    long previous = start;
    for (long i = 1; i < entries; i++) {
      long next = readLong(slice);
      if (next <= previous) {
        throw corrupt("index entries are not increasing");
      }
      previous = next;
    }
    long end = lastFrame + 1 < frameCount ? previous : indexStart;
    long framesInSpan = lastFrame - firstFrame + 1;
    if ((firstFrame == 0 && start != 0)
        || start < 0
        || end > indexStart
        || end - start < framesInSpan * FrameLayout.FRAME_HEADER_SIZE) {
      throw corrupt("index entries point outside the frames");
    }
    spanStart = start;
    spanEnd = end;
  }

  /** The body range to fetch for the frames (step 2, after {@link #readIndex}). */
  public CiphertextRange framesFetch() {
    if (spanStart < 0) {
      throw new IllegalStateException("read the index first");
    }
    return aead.layout().rangeFor(spanStart, spanEnd - 1, containerSize);
  }

  /** Decrypts and decompresses the fetched frame segments to exactly the requested plaintext. */
  public InputStream decrypt(InputStream ciphertextOfSegments) {
    return DecompressingStream.frames(
        decrypting(ciphertextOfSegments, framesFetch()),
        compression,
        plaintextSize,
        firstFrame,
        lastFrame,
        spanEnd - spanStart,
        first,
        plaintextLength());
  }

  private InputStream decrypting(InputStream segments, CiphertextRange range) {
    return aead.newRangeDecryptingStream(
        segments, header, ObjectFormat.bodyAssociatedData(ObjectFormat.COMPRESSED_VERSION), range);
  }

  private static long readLong(InputStream in) throws IOException {
    byte[] b = in.readNBytes(FrameLayout.INDEX_ENTRY_SIZE);
    if (b.length != FrameLayout.INDEX_ENTRY_SIZE) {
      throw corrupt("the index slice is cut short");
    }
    long v = 0;
    for (byte x : b) {
      v = v << 8 | (x & 0xff);
    }
    return v;
  }

  private static CryptoIOException corrupt(String what) {
    return new CryptoException.CorruptCompressedData(what).asIOException();
  }
}
