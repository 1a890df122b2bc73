package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Pull-based reading of a {@linkplain FrameLayout frame container} (the decrypted plaintext of a
 * compressed object): frames are read one at a time, each checked and decoded to exactly its
 * plaintext length before any of it is returned. Two shapes:
 *
 * <ul>
 *   <li>{@link #whole}: the entire container. After the last frame, the index must list exactly the
 *       frame offsets seen (compared through a running SHA-256, so memory stays one frame), and
 *       nothing may follow it: a full read also proves the index that ranged reads rely on.
 *   <li>{@link #frames}: the frames {@code a..b} of a ranged read, exactly the container bytes
 *       between two index entries; they must fill that span exactly.
 * </ul>
 *
 * <p>The container is authenticated by the encryption around it, so a failure here is a writer
 * defect or a forgery with the data key; it is {@link CryptoException.CorruptCompressedData},
 * thrown as {@link CryptoIOException}, and every later read repeats it.
 */
final class DecompressingStream extends InputStream {

  private final InputStream source;
  private final FrameLayout layout;
  private final Codec codec;
  private Codec.FrameDecompressor decompressor;
  private final long plaintextSize;
  private final long lastFrame;
  private final boolean wholeContainer;
  private final long spanLength;
  private final byte[] data;
  private final byte[] plaintext;
  private final byte[] single = new byte[1];
  private final MessageDigest seenOffsets;
  private long nextFrame;
  private long consumed;
  private long toSkip;
  private long toDeliver;
  private int outPos;
  private int outLimit;
  private boolean ended;
  private boolean closed;
  private CryptoIOException failure;

  private DecompressingStream(
      InputStream source,
      Compression compression,
      long plaintextSize,
      long firstFrame,
      long lastFrame,
      boolean wholeContainer,
      long spanLength,
      long toSkip,
      long toDeliver) {
    this.source = Objects.requireNonNull(source, "source");
    this.layout = compression.frames();
    this.plaintextSize = plaintextSize;
    this.nextFrame = firstFrame;
    this.lastFrame = lastFrame;
    this.wholeContainer = wholeContainer;
    this.spanLength = spanLength;
    this.toSkip = toSkip;
    this.toDeliver = toDeliver;
    this.codec = compression.codec();
    this.data = new byte[layout.frameSize()];
    this.plaintext = new byte[layout.frameSize()];
    this.seenOffsets = wholeContainer ? sha256() : null;
  }

  /** The plaintext of a whole container of an object of {@code plaintextSize} bytes. */
  static DecompressingStream whole(
      InputStream container, Compression compression, long plaintextSize) {
    long m = compression.frames().frameCount(plaintextSize);
    return new DecompressingStream(
        container, compression, plaintextSize, 0, m - 1, true, -1, 0, plaintextSize);
  }

  /**
   * Plaintext bytes {@code first..first+length-1} from the container span of frames {@code
   * firstFrame..lastFrame} ({@code spanLength} bytes, from the first frame's offset to the next
   * frame's or the index's).
   */
  static DecompressingStream frames(
      InputStream span,
      Compression compression,
      long plaintextSize,
      long firstFrame,
      long lastFrame,
      long spanLength,
      long first,
      long length) {
    long skip = first - compression.frames().plaintextOffsetOfFrame(firstFrame);
    return new DecompressingStream(
        span, compression, plaintextSize, firstFrame, lastFrame, false, spanLength, skip, length);
  }

  @Override
  public int read() throws IOException {
    int n = read(single, 0, 1);
    return n < 0 ? -1 : single[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    try {
      while (outPos == outLimit) {
        if (ended) {
          return -1;
        }
        if (toDeliver == 0 || nextFrame > lastFrame) {
          finish();
          ended = true;
          return -1;
        }
        readFrame();
      }
    } catch (CryptoException e) {
      failure = e.asIOException();
      outPos = outLimit = 0;
      Arrays.fill(plaintext, (byte) 0);
      throw failure;
    }
    int n = Math.min(len, outLimit - outPos);
    System.arraycopy(plaintext, outPos, b, off, n);
    outPos += n;
    return n;
  }

  @Override
  public int available() {
    return outLimit - outPos;
  }

  /** Reads, checks and decodes frame {@code nextFrame} into {@code plaintext}. */
  private void readFrame() throws IOException, CryptoException {
    long index = nextFrame;
    int expected = layout.plaintextLengthOfFrame(index, plaintextSize);
    if (seenOffsets != null) {
      seenOffsets.update(longBytes(consumed));
    }
    byte[] head = new byte[FrameLayout.FRAME_HEADER_SIZE];
    readFully(head, FrameLayout.FRAME_HEADER_SIZE, index);
    byte method = head[0];
    int n =
        (head[1] & 0xff) << 24 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 8 | head[4] & 0xff;
    if (method == FrameLayout.STORED) {
      if (n != expected) {
        throw corrupt(index, "stored with " + n + " bytes instead of " + expected);
      }
      readFully(plaintext, n, index);
    } else if (method == FrameLayout.COMPRESSED) {
      if (n <= 0 || n >= expected) {
        throw corrupt(index, "compressed to " + n + " bytes, not fewer than its " + expected);
      }
      readFully(data, n, index);
      if (decompressor == null) {
        // Created on first use: a codec that cannot run here fails the read, typed.
        decompressor = codec.decompressor();
      }
      decompressor.decompress(data, 0, n, plaintext, expected);
    } else {
      throw corrupt(index, "has the unknown method " + (method & 0xff));
    }
    nextFrame = index + 1;
    outPos = (int) toSkip;
    toSkip = 0;
    outLimit = (int) Math.min(expected, outPos + toDeliver);
    toDeliver -= outLimit - outPos;
  }

  /** After the last frame: the index (whole container) or the span's end (ranged read). */
  private void finish() throws IOException, CryptoException {
    if (wholeContainer) {
      MessageDigest listed = sha256();
      byte[] entry = new byte[FrameLayout.INDEX_ENTRY_SIZE];
      for (long i = 0; i <= lastFrame; i++) {
        if (source.readNBytes(entry, 0, entry.length) != entry.length) {
          throw new CryptoException.CorruptCompressedData("the container ends inside its index");
        }
        listed.update(entry);
      }
      if (!MessageDigest.isEqual(listed.digest(), seenOffsets.digest())) {
        throw new CryptoException.CorruptCompressedData(
            "the index does not list the frames' offsets");
      }
      if (source.read() >= 0) {
        throw new CryptoException.CorruptCompressedData("bytes follow the container's index");
      }
    } else if (consumed != spanLength) {
      throw new CryptoException.CorruptCompressedData(
          "frame "
              + lastFrame
              + " ends at "
              + consumed
              + " bytes into the span, the index says "
              + spanLength);
    }
  }

  private void readFully(byte[] into, int length, long frameIndex)
      throws IOException, CryptoException {
    if (!wholeContainer && consumed + length > spanLength) {
      throw corrupt(frameIndex, "runs past the next index entry");
    }
    int got = source.readNBytes(into, 0, length);
    consumed += got;
    if (got < length) {
      throw corrupt(frameIndex, "is cut short");
    }
  }

  private static CryptoException.CorruptCompressedData corrupt(long frame, String what) {
    return new CryptoException.CorruptCompressedData("frame " + frame + " " + what);
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[Long.BYTES];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (decompressor != null) {
        decompressor.close();
      }
      Arrays.fill(plaintext, (byte) 0);
      Arrays.fill(data, (byte) 0);
      source.close();
    }
  }
}
