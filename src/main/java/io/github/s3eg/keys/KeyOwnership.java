package io.github.s3eg.keys;

/**
 * Implemented by key managers that can tell whether a KEK reference is theirs, so that {@link
 * FallbackKeyManager} sends each unwrap to the manager that wrote it (for example, objects written
 * in password mode keep opening with the password after a KMS becomes the primary).
 */
public interface KeyOwnership {

  /** Whether {@code kek} names a key this manager is configured with (any version). */
  boolean owns(KeyReference kek);
}
