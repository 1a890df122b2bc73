package io.github.s3eg.keys;

import java.security.GeneralSecurityException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Turns a password into a 256-bit KEK. A seam so tests can count derivations (there must be one per
 * key manager, never one per request) and use a cheap function; production uses {@link
 * #PBKDF2_HMAC_SHA256}.
 */
@FunctionalInterface
interface PasswordKdf {

  /** Returns a fresh 32-byte array the caller zeroes. */
  byte[] deriveKek(char[] password, byte[] salt);

  /**
   * PBKDF2-HMAC-SHA256 (RFC 8018) with {@value PasswordKeyManager#PBKDF2_ITERATIONS} iterations and
   * a 256-bit output; the JDK encodes the password as UTF-8.
   */
  PasswordKdf PBKDF2_HMAC_SHA256 =
      (password, salt) -> {
        PBEKeySpec spec =
            new PBEKeySpec(
                password,
                salt,
                PasswordKeyManager.PBKDF2_ITERATIONS,
                AesGcmKeyWrap.KEK_SIZE * Byte.SIZE);
        try {
          return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
              .generateSecret(spec)
              .getEncoded();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
          spec.clearPassword();
        }
      };
}
