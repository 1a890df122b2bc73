package io.github.s3eg.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Password mode: one KEK derived from a password when the gateway starts, then only cheap AES-GCM
 * wraps per object (see {@link AesGcmKeyWrap}). The derivation runs once, in the constructor.
 *
 * <p><b>Derivation.</b> {@code KEK = PBKDF2-HMAC-SHA256(UTF-8(password), salt, 600 000 iterations,
 * 32 bytes)}. The salt must be the same on every gateway instance that shares the password, so it
 * is not random per instance: by default it is the fixed, versioned ASCII string {@value
 * #DEFAULT_SALT}; a deployment may configure its own salt (at least {@value #MIN_SALT_SIZE} bytes,
 * e.g. random bytes kept with the configuration) so that tables computed against the default salt
 * are useless against it. Changing the salt changes the KEK, exactly like changing the password.
 *
 * <p><b>Naming.</b> The KEK is referenced as {@code pw-<12 hex>:1}, where the hex is a fingerprint
 * of the KEK (not of the password). An object written under another password (or salt) names
 * another fingerprint, and {@link #unwrap} fails with {@link KeyManagerException.KeyNotFound}
 * saying so, instead of a generic authentication failure.
 *
 * <p>Passwords shorter than {@value #MIN_PASSWORD_LENGTH} characters are refused. The password
 * array is not kept; the caller may clear it after construction. Thread-safe.
 */
public final class PasswordKeyManager implements KeyManager {

  /** Shortest accepted password, in characters (Unicode code points). */
  public static final int MIN_PASSWORD_LENGTH = 12;

  /** PBKDF2-HMAC-SHA256 iterations: OWASP's 2023 recommendation. */
  public static final int PBKDF2_ITERATIONS = 600_000;

  /** Shortest accepted configured salt, in bytes. */
  public static final int MIN_SALT_SIZE = 16;

  /** The salt every instance uses unless one is configured; versioned with the format. */
  public static final String DEFAULT_SALT = "s3eg/password-kek/v1";

  static final String PROVIDER = "password";
  static final String ID_PREFIX = "pw-";
  static final int KEK_VERSION = 1;

  private final AesGcmKeyWrap wrap;

  /** Derives the KEK with the default salt. */
  public PasswordKeyManager(char[] password) {
    this(password, DEFAULT_SALT.getBytes(StandardCharsets.US_ASCII));
  }

  /** Derives the KEK with a configured salt. */
  public PasswordKeyManager(char[] password, byte[] salt) {
    this(password, salt, PasswordKdf.PBKDF2_HMAC_SHA256, new SecureRandom());
  }

  PasswordKeyManager(char[] password, byte[] salt, PasswordKdf kdf, SecureRandom random) {
    int length = Character.codePointCount(password, 0, password.length);
    if (length < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "the encryption password must be at least "
              + MIN_PASSWORD_LENGTH
              + " characters long (the configured one has "
              + length
              + ")");
    }
    if (salt.length < MIN_SALT_SIZE) {
      throw new IllegalArgumentException(
          "the password salt must be at least " + MIN_SALT_SIZE + " bytes");
    }
    byte[] kek = kdf.deriveKek(password, salt.clone());
    try {
      KeyReference reference =
          new KeyReference(ID_PREFIX + AesGcmKeyWrap.fingerprint(kek), KEK_VERSION);
      this.wrap = new AesGcmKeyWrap(kek, reference, random);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public KeyReference activeKey() {
    return wrap.reference();
  }

  @Override
  public WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    return wrap.wrap(dek, associatedData);
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException {
    String theirs = wrapped.kek().encode();
    String message =
        theirs.startsWith(ID_PREFIX)
            ? "objects were written under a different password: the object's KEK is "
                + theirs
                + ", this gateway's password gives "
                + wrap.reference().encode()
            : "the object's KEK "
                + theirs
                + " is not a password KEK; this gateway runs in password"
                + " mode";
    return wrap.unwrap(wrapped, associatedData, message);
  }

  @Override
  public Health health() {
    return Health.up();
  }

  @Override
  public String toString() {
    return "PasswordKeyManager[" + wrap.reference().encode() + "]";
  }
}
