package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Pull-based encryption: reading this stream reads the plaintext source and returns {@code header
 * || segment_0 || …}. Memory is one plaintext segment (plus one lookahead byte) and one ciphertext
 * segment, whatever the object size.
 *
 * <p>A segment is sealed as the last one only when the source is exhausted, which the stream learns
 * by reading one byte beyond a full segment; that byte is carried into the next segment. This is
 * also why an object whose size is a multiple of the segment capacity ends with a full final
 * segment instead of an empty one (as in Tink). Segment indices increase only here, one per
 * segment, so no nonce repeats within a body.
 *
 * <p>Ciphertext is encrypted straight into the reader's buffer, in multiples of {@value
 * #DIRECT_UNIT} bytes, while the segment is open; only the header, the segment's last few bytes and
 * its tag pass through the internal buffer. Ciphertext is public, so handing it out before the tag
 * is computed is safe.
 */
final class EncryptingStream extends InputStream {

  /** A ChaCha20 block and four AES blocks: neither cipher holds back bytes at this granularity. */
  private static final int DIRECT_UNIT = 64;

  /**
   * Largest input to one cipher call. The JDK's AES-GCM (and to a lesser degree ChaCha20-Poly1305)
   * runs at tens of MB/s on single calls near 1 MiB until the JIT has compiled its intrinsic path,
   * which rare large calls may never trigger; 64 KiB calls stay on the fast path.
   */
  private static final int MAX_CIPHER_CALL = 64 * 1024;

  private final SegmentCipher cipher;
  private final SegmentLayout layout;
  private final InputStream source;
  private final PlaintextDigests digests;
  private final byte[] plaintext;
  private final byte[] buffered;
  private final byte[] single = new byte[1];
  private int bufferedPos;
  private int bufferedLimit;
  private int sealPos;
  private int sealLimit;
  private int lookaheadAt;
  private boolean segmentOpen;
  private boolean openSegmentIsLast;
  private boolean finished;
  private long nextSegment;
  private int carried;
  private boolean closed;

  EncryptingStream(
      SegmentCipher cipher,
      SegmentLayout layout,
      StreamHeader header,
      InputStream source,
      PlaintextDigests digests) {
    this.cipher = cipher;
    this.layout = layout;
    this.source = Objects.requireNonNull(source, "source");
    this.digests = digests;
    this.plaintext = new byte[layout.plaintextSegmentSize() + 1];
    this.buffered = new byte[layout.ciphertextSegmentSize()];
    System.arraycopy(header.encode(), 0, buffered, 0, SegmentLayout.HEADER_LENGTH);
    this.bufferedLimit = SegmentLayout.HEADER_LENGTH;
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
    if (len == 0) {
      return 0;
    }
    try {
      while (true) {
        if (bufferedPos < bufferedLimit) {
          int n = Math.min(len, bufferedLimit - bufferedPos);
          System.arraycopy(buffered, bufferedPos, b, off, n);
          bufferedPos += n;
          return n;
        }
        if (segmentOpen) {
          int direct =
              Math.min(Math.min(sealLimit - sealPos, len), MAX_CIPHER_CALL)
                  / DIRECT_UNIT
                  * DIRECT_UNIT;
          if (direct > 0) {
            int n = cipher.sealUpdate(plaintext, sealPos, direct, b, off);
            sealPos += direct;
            if (n > 0) {
              return n;
            }
          } else {
            closeSegment();
          }
        } else if (finished) {
          return -1;
        } else {
          openNextSegment();
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("segment " + (nextSegment - 1) + " could not be encrypted", e);
    }
  }

  @Override
  public int available() {
    return bufferedLimit - bufferedPos;
  }

  /** Reads the next segment's plaintext, learns whether it is the last, and starts sealing it. */
  private void openNextSegment() throws IOException, GeneralSecurityException {
    long index = nextSegment;
    int capacity = layout.plaintextCapacityOfSegment(index);
    int length = carried + source.readNBytes(plaintext, carried, capacity - carried);
    boolean last = length < capacity;
    if (!last) {
      int lookahead = source.read();
      if (lookahead < 0) {
        last = true;
      } else {
        plaintext[capacity] = (byte) lookahead;
      }
    }
    if (!last && index + 1 >= SegmentLayout.MAX_SEGMENTS) {
      throw new IOException("the plaintext exceeds the largest object this layout can encrypt");
    }
    digests.update(plaintext, 0, length);
    if (last) {
      digests.finish();
    }
    cipher.beginSeal(index, last);
    nextSegment = index + 1;
    sealPos = 0;
    sealLimit = length;
    lookaheadAt = capacity;
    openSegmentIsLast = last;
    segmentOpen = true;
  }

  /** Encrypts what is left of the open segment, with its tag, into the internal buffer. */
  private void closeSegment() throws GeneralSecurityException {
    bufferedPos = 0;
    bufferedLimit = 0;
    for (; sealLimit - sealPos > MAX_CIPHER_CALL; sealPos += MAX_CIPHER_CALL) {
      bufferedLimit +=
          cipher.sealUpdate(plaintext, sealPos, MAX_CIPHER_CALL, buffered, bufferedLimit);
    }
    bufferedLimit +=
        cipher.sealFinal(plaintext, sealPos, sealLimit - sealPos, buffered, bufferedLimit);
    segmentOpen = false;
    if (openSegmentIsLast) {
      finished = true;
    } else {
      plaintext[0] = plaintext[lookaheadAt];
      carried = 1;
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Arrays.fill(plaintext, (byte) 0);
      source.close();
    }
  }
}
