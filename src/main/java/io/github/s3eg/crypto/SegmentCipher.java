package io.github.s3eg.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens single segments of one body: the cipher half of the STREAM construction (the
 * stream classes do the buffering). The segment key is {@code HKDF-SHA256(ikm = DEK, salt = header
 * salt, info = body associated data, 32 bytes)}; the nonce of segment {@code i} is {@code
 * noncePrefix(7) || uint32_be(i) || (last ? 0x01 : 0x00)}, built by {@link #setNonce} only.
 *
 * <p>One instance per stream, not thread-safe: it reuses one {@link Cipher} and one nonce buffer,
 * re-initialising the cipher for each segment. Sealing is incremental ({@link #beginSeal}, {@link
 * #sealUpdate}, {@link #sealFinal}) so that ciphertext can be written straight into a reader's
 * buffer; opening is one call, because plaintext must not leave before the tag is checked. Nonce
 * uniqueness under the key follows from the per-object random salt (a fresh key per body) and the
 * distinct segment indices.
 */
final class SegmentCipher {

  private static final int INDEX_OFFSET = StreamHeader.NONCE_PREFIX_SIZE;
  private static final int FLAG_OFFSET = INDEX_OFFSET + Integer.BYTES;
  private static final byte LAST_SEGMENT = 1;
  private static final byte NOT_LAST_SEGMENT = 0;

  private final Algorithm algorithm;
  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] nonce = new byte[Algorithm.NONCE_SIZE];

  SegmentCipher(Algorithm algorithm, byte[] ikm, StreamHeader header, byte[] bodyAssociatedData)
      throws GeneralSecurityException {
    this.algorithm = algorithm;
    byte[] derived = deriveSegmentKey(ikm, header, bodyAssociatedData);
    try {
      this.key = new SecretKeySpec(derived, algorithm.keyAlgorithm());
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
    this.cipher = algorithm.newCipher();
    System.arraycopy(header.noncePrefix(), 0, nonce, 0, StreamHeader.NONCE_PREFIX_SIZE);
  }

  /** As the constructor, for callers that cannot do anything about a missing JCE algorithm. */
  static SegmentCipher create(
      Algorithm algorithm, byte[] ikm, StreamHeader header, byte[] bodyAssociatedData) {
    try {
      return new SegmentCipher(algorithm, ikm, header, bodyAssociatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm.configName() + " is not available", e);
    }
  }

  /** The segment key; exposed to the package for known-answer vectors only. */
  static byte[] deriveSegmentKey(byte[] ikm, StreamHeader header, byte[] bodyAssociatedData) {
    return Hkdf.derive(ikm, header.salt(), bodyAssociatedData, Algorithm.KEY_SIZE);
  }

  /**
   * Starts sealing segment {@code index}: the only place where an encryption nonce is chosen.
   * Continue with {@link #sealUpdate} (optional, any number of times) and {@link #sealFinal}.
   */
  void beginSeal(long index, boolean last) throws GeneralSecurityException {
    setNonce(index, last);
    cipher.init(Cipher.ENCRYPT_MODE, key, algorithm.parametersFor(nonce));
  }

  /** Encrypts part of the segment; returns the ciphertext bytes written to {@code out}. */
  int sealUpdate(byte[] in, int inOff, int len, byte[] out, int outOff)
      throws GeneralSecurityException {
    return cipher.update(in, inOff, len, out, outOff);
  }

  /** Encrypts the rest of the segment and appends the tag; returns the bytes written. */
  int sealFinal(byte[] in, int inOff, int len, byte[] out, int outOff)
      throws GeneralSecurityException {
    return cipher.doFinal(in, inOff, len, out, outOff);
  }

  /**
   * Verifies and decrypts one segment into {@code out}; returns the plaintext length. On failure
   * {@code out} may have been written (the JDK's GCM decrypts before it compares the tag, then
   * zeroes its output): callers zero the region themselves before reporting the failure.
   *
   * @throws AEADBadTagException if the tag does not verify for this index and flag
   */
  int open(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws GeneralSecurityException {
    setNonce(index, last);
    cipher.init(Cipher.DECRYPT_MODE, key, algorithm.parametersFor(nonce));
    return cipher.doFinal(in, inOff, len, out, outOff);
  }

  private void setNonce(long index, boolean last) {
    if (index < 0 || index >= SegmentLayout.MAX_SEGMENTS) {
      throw new IllegalArgumentException("segment index out of range: " + index);
    }
    nonce[INDEX_OFFSET] = (byte) (index >>> 24);
    nonce[INDEX_OFFSET + 1] = (byte) (index >>> 16);
    nonce[INDEX_OFFSET + 2] = (byte) (index >>> 8);
    nonce[INDEX_OFFSET + 3] = (byte) index;
    nonce[FLAG_OFFSET] = last ? LAST_SEGMENT : NOT_LAST_SEGMENT;
  }
}
