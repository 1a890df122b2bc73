package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;

/**
 * Pull-based decryption of a whole body or of a run of whole segments. A segment's plaintext is
 * returned only after its tag verified at its expected index and last-segment flag; end of stream
 * is returned only after the final segment (flag set) verified and nothing followed it.
 *
 * <p>Segment boundaries come from one of two sources:
 *
 * <ul>
 *   <li><b>Known plaintext size</b> (ranged reads, and whole reads when the authenticated trailer
 *       gives the size): every segment's length and which one is final follow from {@link
 *       SegmentLayout}; a short body is {@link CryptoException.TruncatedCiphertext}, a byte after
 *       the last expected segment is {@link CryptoException.TrailingData}, both before any
 *       decryption of the affected segment.
 *   <li><b>Unknown size</b> (Tink's way): a full segment followed by end of stream is the final
 *       one. When a tag fails, the segment is tried once with the opposite flag to name the cause:
 *       it opens as non-final → the body was cut at a segment boundary (truncated); it opens as
 *       final while more bytes follow → trailing data. A cut inside a segment cannot be told from
 *       damage without the size and is reported as {@link CryptoException.TamperedSegment}.
 * </ul>
 *
 * <p>A segment's plaintext is decrypted straight into the reader's buffer when it fits there whole;
 * if the tag then fails, that region is zeroed before the failure is thrown (the JDK's AES-GCM does
 * the same), so a reader never sees unverified bytes either way.
 *
 * <p>Failures are thrown as {@link CryptoIOException}; after one, every read repeats it.
 */
final class DecryptingStream extends InputStream {

  private static final long UNKNOWN = -1;
  private static final int NO_PENDING_BYTE = -1;

  private final Function<StreamHeader, SegmentCipher> cipherFactory;
  private final SegmentLayout layout;
  private final InputStream source;
  private final StreamHeader expectedHeader;
  private final long plaintextSize;
  private final long lastSegment;
  private final byte[] ciphertext;
  private final byte[] plaintext;
  private final byte[] single = new byte[1];
  private SegmentCipher cipher;
  private boolean headerPending;
  private long nextSegment;
  private long toSkip;
  private long toDeliver;
  private int pendingByte = NO_PENDING_BYTE;
  private boolean segmentIsLast;
  private int outPos;
  private int outLimit;
  private boolean done;
  private boolean closed;
  private CryptoIOException failure;

  private DecryptingStream(
      Function<StreamHeader, SegmentCipher> cipherFactory,
      SegmentLayout layout,
      InputStream source,
      StreamHeader expectedHeader,
      boolean headerPending,
      long plaintextSize,
      long firstSegment,
      long lastSegment,
      long toSkip,
      long toDeliver) {
    this.cipherFactory = cipherFactory;
    this.layout = layout;
    this.source = Objects.requireNonNull(source, "source");
    this.expectedHeader = expectedHeader;
    this.headerPending = headerPending;
    this.plaintextSize = plaintextSize;
    this.nextSegment = firstSegment;
    this.lastSegment = lastSegment;
    this.toSkip = toSkip;
    this.toDeliver = toDeliver;
    this.ciphertext = new byte[layout.ciphertextSegmentSize()];
    this.plaintext = new byte[layout.plaintextSegmentSize()];
  }

  /**
   * A whole body: the header is read from the stream and must equal {@code expectedHeader} when
   * that is given. {@code plaintextSize} is the authenticated size, or negative when unknown.
   */
  static DecryptingStream wholeBody(
      Function<StreamHeader, SegmentCipher> cipherFactory,
      SegmentLayout layout,
      InputStream body,
      StreamHeader expectedHeader,
      long plaintextSize) {
    boolean known = plaintextSize >= 0;
    return new DecryptingStream(
        cipherFactory,
        layout,
        body,
        expectedHeader,
        true,
        known ? plaintextSize : UNKNOWN,
        0,
        known ? layout.segmentCount(plaintextSize) - 1 : UNKNOWN,
        0,
        known ? plaintextSize : Long.MAX_VALUE);
  }

  /** Exactly the segments of {@code range}, without the header (taken from metadata). */
  static DecryptingStream segments(
      Function<StreamHeader, SegmentCipher> cipherFactory,
      SegmentLayout layout,
      InputStream segments,
      StreamHeader header,
      CiphertextRange range) {
    DecryptingStream s =
        new DecryptingStream(
            cipherFactory,
            layout,
            segments,
            header,
            false,
            range.plaintextSize(),
            range.firstSegment(),
            range.lastSegment(),
            range.plaintextFirst() - layout.plaintextOffsetOfSegment(range.firstSegment()),
            range.plaintextLength());
    s.cipher = cipherFactory.apply(header);
    return s;
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
    while (outPos == outLimit) {
      if (done) {
        return -1;
      }
      try {
        int direct = openNextSegment(b, off, len);
        if (direct > 0) {
          return direct;
        }
      } catch (CryptoException e) {
        failure = e.asIOException();
        outPos = outLimit = 0;
        throw failure;
      }
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

  /**
   * Reads, verifies and decrypts the next segment. When the reader's buffer takes the whole segment
   * plaintext (and the range neither skips nor cuts into it), the plaintext is decrypted straight
   * into it and the count returned; otherwise it goes to the internal buffer and the result is -1.
   */
  private int openNextSegment(byte[] target, int targetOff, int targetLen)
      throws IOException, CryptoException {
    if (headerPending) {
      readHeader();
    }
    long index = nextSegment;
    int length =
        plaintextSize != UNKNOWN ? readSegmentOfKnownSize(index) : readSegmentByLookahead(index);
    boolean last = segmentIsLast;
    nextSegment = index + 1;
    done = last || index == lastSegment;
    int plaintextLength = length - SegmentLayout.TAG_SIZE;
    if (toSkip == 0 && plaintextLength <= targetLen && plaintextLength <= toDeliver) {
      open(index, last, length, target, targetOff);
      toDeliver -= plaintextLength;
      return plaintextLength;
    }
    open(index, last, length, plaintext, 0);
    outPos = (int) toSkip;
    toSkip = 0;
    outLimit = (int) Math.min(plaintextLength, outPos + toDeliver);
    toDeliver -= outLimit - outPos;
    return -1;
  }

  /**
   * Reads segment {@code index} whose length follows from the known plaintext size; checks that the
   * body does not end early and that nothing follows the last expected segment.
   */
  private int readSegmentOfKnownSize(long index) throws IOException, CryptoException {
    int length = layout.ciphertextLengthOfSegment(index, plaintextSize);
    int got = source.readNBytes(ciphertext, 0, length);
    if (got < length) {
      throw new CryptoException.TruncatedCiphertext(
          "the ciphertext ends "
              + (length - got)
              + " bytes before the end of segment "
              + index
              + " (expected "
              + length
              + " bytes)");
    }
    if (index == lastSegment && source.read() >= 0) {
      throw new CryptoException.TrailingData(
          "bytes follow segment " + index + ", the last expected segment");
    }
    segmentIsLast = layout.isFinalSegment(index, plaintextSize);
    return length;
  }

  /**
   * Reads segment {@code index} without knowing the size: a short segment, or a full one followed
   * by the end of the stream, is the final one. One byte of lookahead is carried to the next
   * segment.
   */
  private int readSegmentByLookahead(long index) throws IOException, CryptoException {
    int capacity = layout.ciphertextCapacityOfSegment(index);
    int start = 0;
    if (pendingByte != NO_PENDING_BYTE) {
      ciphertext[0] = (byte) pendingByte;
      pendingByte = NO_PENDING_BYTE;
      start = 1;
    }
    int length = start + source.readNBytes(ciphertext, start, capacity - start);
    segmentIsLast = length < capacity;
    if (!segmentIsLast) {
      int next = source.read();
      if (next < 0) {
        segmentIsLast = true;
      } else {
        pendingByte = next;
      }
    }
    if (length < SegmentLayout.TAG_SIZE) {
      throw new CryptoException.TruncatedCiphertext(
          "the ciphertext ends inside segment " + index + " (" + length + " bytes)");
    }
    return length;
  }

  /** Opens the segment in {@code ciphertext} into {@code out}; zeroes {@code out} on failure. */
  private void open(long index, boolean last, int length, byte[] out, int outOff)
      throws IOException, CryptoException {
    try {
      cipher.open(index, last, ciphertext, 0, length, out, outOff);
    } catch (AEADBadTagException e) {
      Arrays.fill(out, outOff, outOff + length - SegmentLayout.TAG_SIZE, (byte) 0);
      if (length == layout.ciphertextCapacityOfSegment(index) && opensAs(index, !last, length)) {
        Arrays.fill(plaintext, (byte) 0);
        if (last) {
          throw new CryptoException.TruncatedCiphertext(
              "segment " + index + " is not the final segment: the ciphertext was cut after it");
        }
        throw new CryptoException.TrailingData(
            "segment " + index + " is the final segment but more bytes follow it");
      }
      throw new CryptoException.TamperedSegment(index);
    } catch (GeneralSecurityException e) {
      throw new IOException("segment " + index + " could not be decrypted", e);
    }
  }

  private boolean opensAs(long index, boolean last, int length) throws IOException {
    try {
      cipher.open(index, last, ciphertext, 0, length, plaintext, 0);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IOException("segment " + index + " could not be decrypted", e);
    }
  }

  private void readHeader() throws IOException, CryptoException {
    byte[] encoded = new byte[SegmentLayout.HEADER_LENGTH];
    int got = source.readNBytes(encoded, 0, encoded.length);
    if (got < encoded.length) {
      throw new CryptoException.TruncatedCiphertext(
          "the ciphertext ends inside its " + encoded.length + "-byte header");
    }
    StreamHeader header;
    try {
      header = StreamHeader.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new CryptoException.HeaderMismatch(
          "the body does not start with a format v1 header (length byte "
              + (encoded[0] & 0xff)
              + ")");
    }
    if (expectedHeader != null && !expectedHeader.equals(header)) {
      throw new CryptoException.HeaderMismatch(
          "the body's header is not the one in the object's metadata: the body belongs to"
              + " another object");
    }
    cipher = cipherFactory.apply(header);
    headerPending = false;
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
