package io.github.s3eg.crypto;

import java.io.InputStream;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Objects;

/**
 * The body-level streaming AEAD under one DEK: Tink's {@code AesGcmHkdfStreaming} construction
 * (HKDF-SHA256 segment key from a per-body salt and the body associated data, segmented STREAM
 * encryption with a 7-byte nonce prefix, a 32-bit segment index and a last-segment flag), with
 * AES-256-GCM or ChaCha20-Poly1305 as the segment cipher.
 *
 * <p>For {@link Algorithm#AES256_GCM} a body is exactly what Tink writes for {@code new
 * AesGcmHkdfStreaming(dek, "HmacSha256", 32, layout.ciphertextSegmentSize(), 0)} and the same
 * associated data, and Tink decrypts it (and the other way round).
 *
 * <p>The body associated data binds the body to its context without naming the object: the gateway
 * passes {@link ObjectFormat#singleObjectBodyAssociatedData()} for a single PUT, so the body
 * survives a server-side copy to another name. Immutable and thread-safe; every stream gets its own
 * cipher.
 */
public final class SegmentedAead {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Algorithm algorithm;
  private final SegmentLayout layout;
  private final byte[] ikm;

  /**
   * @param ikm the object's DEK, 32 bytes (copied)
   */
  public SegmentedAead(Algorithm algorithm, SegmentLayout layout, byte[] ikm) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.layout = Objects.requireNonNull(layout, "layout");
    if (ikm.length != Algorithm.KEY_SIZE) {
      throw new IllegalArgumentException("the DEK must be " + Algorithm.KEY_SIZE + " bytes");
    }
    this.ikm = ikm.clone();
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public SegmentLayout layout() {
    return layout;
  }

  /** Encrypts with a fresh random header, which becomes the first 40 bytes of the stream. */
  public InputStream newEncryptingStream(InputStream plaintext, byte[] bodyAssociatedData) {
    return newEncryptingStream(
        plaintext,
        StreamHeader.random(RANDOM),
        bodyAssociatedData,
        new PlaintextDigests(EnumSet.noneOf(PlaintextChecksum.class)));
  }

  /**
   * Encrypts under a given header. Package-private: a header must never be used twice with the same
   * DEK and associated data, which only the callers in this package guarantee.
   */
  InputStream newEncryptingStream(
      InputStream plaintext,
      StreamHeader header,
      byte[] bodyAssociatedData,
      PlaintextDigests digests) {
    return new EncryptingStream(
        segmentCipher(header, bodyAssociatedData), layout, header, plaintext, digests);
  }

  /** Decrypts a whole body, taking the header from the body itself (as Tink does). */
  public InputStream newDecryptingStream(InputStream body, byte[] bodyAssociatedData) {
    return newDecryptingStream(body, null, bodyAssociatedData, -1);
  }

  /**
   * Decrypts a whole body.
   *
   * @param expectedHeader the header the body must start with, or {@code null} for any
   * @param plaintextSize the authenticated plaintext size, or negative when not known
   */
  public InputStream newDecryptingStream(
      InputStream body,
      StreamHeader expectedHeader,
      byte[] bodyAssociatedData,
      long plaintextSize) {
    byte[] ad = bodyAssociatedData.clone();
    return DecryptingStream.wholeBody(
        h -> segmentCipher(h, ad), layout, body, expectedHeader, plaintextSize);
  }

  /**
   * Decrypts exactly the segments of {@code range} (as fetched with {@link
   * CiphertextRange#httpRange()}) and yields exactly its plaintext bytes.
   *
   * @throws IllegalArgumentException if {@code range} was not computed by this layout
   */
  public InputStream newRangeDecryptingStream(
      InputStream segments, StreamHeader header, byte[] bodyAssociatedData, CiphertextRange range) {
    CiphertextRange expected =
        layout.rangeFor(range.plaintextFirst(), range.plaintextLast(), range.plaintextSize());
    if (!expected.equals(range)) {
      throw new IllegalArgumentException("the range was computed for another segment layout");
    }
    byte[] ad = bodyAssociatedData.clone();
    return DecryptingStream.segments(h -> segmentCipher(h, ad), layout, segments, header, range);
  }

  private SegmentCipher segmentCipher(StreamHeader header, byte[] bodyAssociatedData) {
    return SegmentCipher.create(algorithm, ikm, header, bodyAssociatedData);
  }
}
