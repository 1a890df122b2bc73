package io.github.s3eg.keys;

import java.security.SecureRandom;

/**
 * A fixed raw 256-bit KEK, for tests and recovery tooling (decrypting objects with a KEK that was
 * exported or derived elsewhere). Same wrap as password mode ({@link AesGcmKeyWrap}). By default
 * the KEK is referenced as {@code static-<12 hex fingerprint>:1}; recovery tooling can give the
 * reference the objects name (e.g. a password KEK's {@code pw-…:1}). Thread-safe.
 */
public final class StaticKeyManager implements KeyManager {

  static final String PROVIDER = "static";
  static final String ID_PREFIX = "static-";
  static final int KEK_VERSION = 1;

  private final AesGcmKeyWrap wrap;

  /** The KEK (32 bytes, copied), named by its fingerprint. */
  public StaticKeyManager(byte[] kek) {
    this(kek, new KeyReference(ID_PREFIX + AesGcmKeyWrap.fingerprint(kek), KEK_VERSION));
  }

  /** The KEK (32 bytes, copied) under an explicit reference. */
  public StaticKeyManager(byte[] kek, KeyReference reference) {
    this(kek, reference, new SecureRandom());
  }

  StaticKeyManager(byte[] kek, KeyReference reference, SecureRandom random) {
    this.wrap = new AesGcmKeyWrap(kek, reference, random);
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
    return wrap.unwrap(
        wrapped,
        associatedData,
        "the object's KEK "
            + wrapped.kek().encode()
            + " is not this static KEK ("
            + wrap.reference().encode()
            + ")");
  }

  @Override
  public Health health() {
    return Health.up();
  }

  @Override
  public String toString() {
    return "StaticKeyManager[" + wrap.reference().encode() + "]";
  }
}
