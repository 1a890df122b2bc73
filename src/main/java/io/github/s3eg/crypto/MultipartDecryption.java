package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.NoSuchElementException;

/**
 * A plaintext range of a multipart object, planned on its {@link MultipartIndex}: the one backend
 * range that covers it ({@link #httpRange()}: whole segments of the first and last parts touched,
 * and every part in between) and the decryption of exactly those bytes.
 *
 * <p>Each part's body header is stored at the start of the part. When the range starts in a part's
 * first segment the fetch starts at the part's prefix, so the header comes with it; otherwise the
 * reader fetches the 52 bytes at {@link #firstPartStartRange()} separately and passes them to
 * {@link #decrypt}. Every prefix is checked against the index; a wrong header makes the first
 * segment's tag fail. Immutable; each {@link #decrypt} call is one independent stream.
 */
public final class MultipartDecryption {

  /** Prefix and header: the bytes in front of a part's first segment. */
  public static final int PART_START_LENGTH =
      MultipartLayout.PART_PREFIX_LENGTH + StreamHeader.LENGTH;

  private final SegmentedAead aead;
  private final MultipartIndex index;
  private final long first;
  private final long last;
  private final MultipartIndex.Span span;

  MultipartDecryption(SegmentedAead aead, MultipartIndex index, long first, long last) {
    if (!aead.layout().equals(index.layout())) {
      throw new IllegalArgumentException("the index was read with another segment layout");
    }
    this.aead = aead;
    this.index = index;
    this.span = index.span(first, last);
    this.first = first;
    this.last = Math.min(last, index.plaintextSize() - 1);
  }

  public long plaintextFirst() {
    return first;
  }

  public long plaintextLast() {
    return last;
  }

  public long plaintextLength() {
    return last - first + 1;
  }

  /** Whether the fetch starts at the first part's prefix (the range starts in its segment 0). */
  public boolean startsAtPartStart() {
    return span.startsAtPartStart();
  }

  /**
   * {@code bytes=a-b} of the first part's prefix and header (when not {@link #startsAtPartStart}).
   */
  public String firstPartStartRange() {
    long start = index.ciphertextStart(span.firstPart());
    return "bytes=" + start + "-" + (start + PART_START_LENGTH - 1);
  }

  /** First stored byte to fetch. */
  public long ciphertextFirst() {
    return span.ciphertextFirst();
  }

  /** Last stored byte to fetch (inclusive). */
  public long ciphertextLast() {
    return span.ciphertextLast();
  }

  public long ciphertextLength() {
    return ciphertextLast() - ciphertextFirst() + 1;
  }

  /** {@code bytes=a-b} for the backend GET. */
  public String httpRange() {
    return span.httpRange();
  }

  private CiphertextRange rangeIn(int i) {
    return index.rangeIn(i, first, last);
  }

  /**
   * Decrypts the fetched bytes ({@link #httpRange()}, exactly {@link #ciphertextLength()} of them)
   * into exactly the planned plaintext. Closing the result does not close {@code fetched}.
   *
   * @param firstPartStart the 52 bytes at {@link #firstPartStartRange()}, or {@code null} when
   *     {@link #startsAtPartStart()}
   */
  public InputStream decrypt(InputStream fetched, byte[] firstPartStart) {
    if (startsAtPartStart() != (firstPartStart == null)) {
      throw new IllegalArgumentException(
          "the first part's start is needed exactly when not fetched");
    }
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          int next = span.firstPart();

          @Override
          public boolean hasMoreElements() {
            return next <= span.lastPart();
          }

          @Override
          public InputStream nextElement() {
            if (next > span.lastPart()) {
              throw new NoSuchElementException();
            }
            int i = next++;
            MultipartIndex.Part p = index.parts().get(i);
            if (p.plaintextSize() == 0) {
              return InputStream.nullInputStream();
            }
            StreamHeader header;
            try {
              byte[] start =
                  i == span.firstPart() && firstPartStart != null
                      ? firstPartStart
                      : fetched.readNBytes(PART_START_LENGTH);
              header = checkPartStart(start, p);
            } catch (IOException e) {
              return failing(e);
            }
            CiphertextRange r = rangeIn(i);
            return aead.newRangeDecryptingStream(
                new BoundedInputStream(fetched, r.ciphertextLength()),
                header,
                ObjectFormat.partBodyAssociatedData(p.number(), p.plaintextSize()),
                r);
          }
        });
  }

  /** A part's prefix must be the one the index names; returns the part's header. */
  private static StreamHeader checkPartStart(byte[] start, MultipartIndex.Part p)
      throws IOException {
    if (start.length < PART_START_LENGTH) {
      throw new CryptoException.TruncatedCiphertext(
              "the object ends before part " + p.number() + " starts")
          .asIOException();
    }
    byte[] prefix = Arrays.copyOf(start, MultipartLayout.PART_PREFIX_LENGTH);
    if (!Arrays.equals(prefix, MultipartLayout.partPrefix(p.number(), p.plaintextSize()))) {
      throw new CryptoException.HeaderMismatch(
              "part " + p.number() + " does not start as the multipart index says")
          .asIOException();
    }
    try {
      return StreamHeader.decode(
          Arrays.copyOfRange(start, MultipartLayout.PART_PREFIX_LENGTH, PART_START_LENGTH));
    } catch (IllegalArgumentException e) {
      throw new CryptoException.HeaderMismatch("part " + p.number() + " has no valid header")
          .asIOException();
    }
  }

  private static InputStream failing(IOException e) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw e;
      }
    };
  }
}
