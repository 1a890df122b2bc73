package io.github.s3eg.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869), the key derivation Tink's streaming AEAD uses: {@code PRK = HMAC(salt,
 * ikm)}, {@code OKM = T(1) || T(2) || …} with {@code T(i) = HMAC(PRK, T(i-1) || info || i)}. An
 * empty salt means {@value #HASH_SIZE} zero bytes, as the RFC says.
 */
final class Hkdf {

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_SIZE = 32;
  private static final int MAX_OUTPUT = 255 * HASH_SIZE;

  private Hkdf() {}

  /** Derives {@code length} bytes; the caller owns (and should zero) the result. */
  static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length <= 0 || length > MAX_OUTPUT) {
      throw new IllegalArgumentException("HKDF output length must be 1.." + MAX_OUTPUT);
    }
    byte[] prk = null;
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_SIZE] : salt, HMAC));
      prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, HMAC));
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
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    } finally {
      if (prk != null) {
        Arrays.fill(prk, (byte) 0);
      }
    }
  }

  /** HMAC-SHA256 of {@code message} under {@code key}. */
  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
