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
 * segment instead of an empty one (as in Tink). Segment indices increase only here, one per sealed
 * segment, so no nonce repeats within a body.
 */
final class EncryptingStream extends InputStream {

  private final SegmentCipher cipher;
  private final SegmentLayout layout;
  private final InputStream source;
  private final PlaintextDigests digests;
  private final byte[] plaintext;
  private final byte[] ciphertext;
  private final byte[] single = new byte[1];
  private int outPos;
  private int outLimit;
  private long nextSegment;
  private int carried;
  private boolean sealedLast;
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
    this.ciphertext = new byte[layout.ciphertextSegmentSize()];
    System.arraycopy(header.encode(), 0, ciphertext, 0, SegmentLayout.HEADER_LENGTH);
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
    if (outPos == outLimit) {
      if (sealedLast) {
        return -1;
      }
      sealNextSegment();
    }
    int n = Math.min(len, outLimit - outPos);
    System.arraycopy(ciphertext, outPos, b, off, n);
    outPos += n;
    return n;
  }

  @Override
  public int available() {
    return outLimit - outPos;
  }

  private void sealNextSegment() throws IOException {
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
    int outOff = index == 0 ? SegmentLayout.HEADER_LENGTH : 0;
    try {
      outLimit = outOff + cipher.seal(index, last, plaintext, 0, length, ciphertext, outOff);
    } catch (GeneralSecurityException e) {
      throw new IOException("segment " + index + " could not be encrypted", e);
    }
    outPos = 0;
    nextSegment = index + 1;
    if (last) {
      sealedLast = true;
      digests.finish();
    } else {
      plaintext[0] = plaintext[capacity];
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
