package io.github.s3eg.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869): {@code PRK = HMAC(salt, ikm)} (extract), {@code OKM = T(1) || T(2) || …} with
 * {@code T(i) = HMAC(PRK, T(i-1) || info || i)} (expand). An empty salt means hash-size zero bytes,
 * as the RFC says. The gateway's own format uses HKDF-SHA256, the key derivation Tink's streaming
 * AEAD uses ({@link #derive}); S3 Encryption Client V3 objects use HKDF-SHA512, so the hash is a
 * parameter of {@link #extract} and {@link #expand}: one implementation serves both.
 */
public final class Hkdf {

  /** The HMAC under the derivation. */
  public enum Hash {
    SHA256("HmacSHA256", 32),
    SHA512("HmacSHA512", 64);

    private final String hmac;
    private final int size;

    Hash(String hmac, int size) {
      this.hmac = hmac;
      this.size = size;
    }

    private int maxOutput() {
      return 255 * size;
    }

    private Mac keyed(byte[] key) {
      try {
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(key, hmac));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(hmac + " is required by every Java platform", e);
      }
    }
  }

  private Hkdf() {}

  /** HKDF-SHA256: derives {@code length} bytes; the caller owns (and should zero) the result. */
  static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    byte[] prk = extract(Hash.SHA256, salt, ikm);
    try {
      return expand(Hash.SHA256, prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /** HKDF-Extract: the pseudorandom key; the caller owns (and should zero) it. */
  public static byte[] extract(Hash hash, byte[] salt, byte[] ikm) {
    return hash.keyed(salt.length == 0 ? new byte[hash.size] : salt).doFinal(ikm);
  }

  /** HKDF-Expand: {@code length} bytes from {@code prk}; the caller owns (and should zero) them. */
  public static byte[] expand(Hash hash, byte[] prk, byte[] info, int length) {
    if (length <= 0 || length > hash.maxOutput()) {
      throw new IllegalArgumentException("HKDF output length must be 1.." + hash.maxOutput());
    }
    Mac mac = hash.keyed(prk);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int written = 0;
    for (int i = 1; written < length; i++) {
      mac.update(block);
      mac.update(info);
      mac.update((byte) i);
      block = mac.doFinal();
      int n = Math.min(block.length, length - written);
      System.arraycopy(block, 0, out, written, n);
      written += n;
    }
    Arrays.fill(block, (byte) 0);
    return out;
  }

  /** HMAC-SHA256 of {@code message} under {@code key}. */
  static byte[] hmac(byte[] key, byte[] message) {
    return Hash.SHA256.keyed(key).doFinal(message);
  }
}
