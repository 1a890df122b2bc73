package io.github.s3eg.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local wrap shared by the password and static key managers: AES-256-GCM under the KEK with a
 * random 12-byte nonce and the caller's associated data; the wrapped form is {@code nonce(12) ||
 * ciphertext(32) || tag(16)}, 60 bytes for a DEK.
 *
 * <p>Random nonces bound the number of wraps under one KEK to 2^32 (NIST SP 800-38D), i.e. four
 * billion objects per password or static key.
 *
 * <p>The KEK is named by a fingerprint, {@code HMAC-SHA256(KEK, "s3eg/kek-fingerprint/v1")}, first
 * 6 bytes in hex: stable for a KEK, reveals nothing useful about it, and lets {@link #unwrap} tell
 * "another KEK" ({@link KeyManagerException.KeyNotFound}) from "altered" ({@link
 * KeyManagerException.UnwrapFailed}). Thread-safe: a cipher per call.
 */
final class AesGcmKeyWrap {

  static final int KEK_SIZE = 32;
  static final int NONCE_SIZE = 12;
  static final int TAG_SIZE = 16;

  private static final int TAG_SIZE_BITS = TAG_SIZE * Byte.SIZE;
  private static final int FINGERPRINT_SIZE = 6;
  private static final String FINGERPRINT_LABEL = "s3eg/kek-fingerprint/v1";
  private static final String JDK_PROVIDER = "SunJCE";

  private final SecretKeySpec kek;
  private final KeyReference reference;
  private final SecureRandom random;

  /**
   * @param kek 32 bytes, copied
   * @param reference the name stored beside wrapped keys, usually built on {@link #fingerprint}
   */
  AesGcmKeyWrap(byte[] kek, KeyReference reference, SecureRandom random) {
    if (kek.length != KEK_SIZE) {
      throw new IllegalArgumentException("a KEK is " + KEK_SIZE + " bytes (256 bits)");
    }
    this.kek = new SecretKeySpec(kek, "AES");
    this.reference = Objects.requireNonNull(reference, "reference");
    this.random = Objects.requireNonNull(random, "random");
  }

  KeyReference reference() {
    return reference;
  }

  WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    byte[] nonce = new byte[NONCE_SIZE];
    random.nextBytes(nonce);
    byte[] out = new byte[NONCE_SIZE + dek.length + TAG_SIZE];
    System.arraycopy(nonce, 0, out, 0, NONCE_SIZE);
    try {
      Cipher cipher = newCipher();
      cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_SIZE_BITS, nonce));
      cipher.updateAAD(associatedData);
      cipher.doFinal(dek, 0, dek.length, out, NONCE_SIZE);
    } catch (GeneralSecurityException e) {
      throw new KeyManagerException.Unavailable("AES-GCM is not available for key wrapping", e);
    }
    return new WrappedKey(reference, out);
  }

  /**
   * @param notFound the message when the wrap names another KEK
   */
  byte[] unwrap(WrappedKey wrapped, byte[] associatedData, String notFound)
      throws KeyManagerException {
    if (!reference.equals(wrapped.kek())) {
      throw new KeyManagerException.KeyNotFound(notFound);
    }
    byte[] in = wrapped.ciphertext();
    if (in.length <= NONCE_SIZE + TAG_SIZE) {
      throw new KeyManagerException.UnwrapFailed("the wrapped key is too short", null);
    }
    try {
      Cipher cipher = newCipher();
      cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_SIZE_BITS, in, 0, NONCE_SIZE));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(in, NONCE_SIZE, in.length - NONCE_SIZE);
    } catch (AEADBadTagException e) {
      throw new KeyManagerException.UnwrapFailed(
          "the wrapped key or its associated data were altered", e);
    } catch (GeneralSecurityException e) {
      throw new KeyManagerException.Unavailable("AES-GCM is not available for key unwrapping", e);
    }
  }

  /** Short, non-secret name of a KEK: 12 hex characters. */
  static String fingerprint(byte[] kek) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(kek, "HmacSHA256"));
      byte[] full = mac.doFinal(FINGERPRINT_LABEL.getBytes(StandardCharsets.US_ASCII));
      String hex = HexFormat.of().formatHex(full, 0, FINGERPRINT_SIZE);
      Arrays.fill(full, (byte) 0);
      return hex;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  private static Cipher newCipher() throws GeneralSecurityException {
    return Security.getProvider(JDK_PROVIDER) != null
        ? Cipher.getInstance("AES/GCM/NoPadding", JDK_PROVIDER)
        : Cipher.getInstance("AES/GCM/NoPadding");
  }
}
