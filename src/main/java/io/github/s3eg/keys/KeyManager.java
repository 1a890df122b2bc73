package io.github.s3eg.keys;

/**
 * Wraps and unwraps per-object data keys (DEKs) under key-encryption keys (KEKs) that the gateway
 * never stores beside the data. Implementations: password (KEK derived once at start-up), keyring
 * (local versioned file), KMIP (binary TTLV over mutual TLS), Cosmian (JSON TTLV over HTTP).
 *
 * <p>The associated data passed to {@link #wrap} must be passed unchanged to {@link #unwrap}; the
 * gateway puts the object's bucket, key, format version and algorithm in it, so a wrapped DEK
 * cannot be moved to another object.
 *
 * <p>Implementations are thread-safe. They never log key material.
 */
public interface KeyManager extends AutoCloseable {

  /** Short provider name as configured: {@code password}, {@code keyring}, {@code kmip}, … */
  String provider();

  /** The KEK that {@link #wrap} uses now. */
  KeyReference activeKey();

  /** Seals {@code dek} under the active KEK, authenticating {@code associatedData}. */
  WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException;

  /**
   * Opens a wrapped DEK. Fails with {@link KeyManagerException.KeyNotFound} when the named KEK
   * version is unknown or outside the dual-read window, {@link KeyManagerException.UnwrapFailed}
   * when the wrap or its associated data were altered, and {@link KeyManagerException.Unavailable}
   * when the key service cannot be reached.
   */
  byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException;

  /** Cheap liveness check for /ready; never throws, never includes secrets in the detail. */
  Health health();

  /**
   * The manager that wraps the data keys of {@code bucket}'s objects: this one, unless some buckets
   * have keys of their own ({@link BucketKeys}). Unwrapping always goes through this one.
   */
  default KeyManager forBucket(String bucket) {
    return this;
  }

  @Override
  default void close() {}

  /** Outcome of {@link #health()}: a flag and a short operator-facing detail. */
  record Health(boolean healthy, String detail) {
    public static Health up() {
      return new Health(true, "ok");
    }

    public static Health down(String detail) {
      return new Health(false, detail);
    }
  }
}
