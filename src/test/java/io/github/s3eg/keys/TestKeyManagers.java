package io.github.s3eg.keys;

import java.security.SecureRandom;

/** Key managers with injected randomness, for known-answer vectors in other packages. */
public final class TestKeyManagers {

  private TestKeyManagers() {}

  /** A static KEK whose wrap nonces come from {@code random}. */
  public static KeyManager staticKek(byte[] kek, KeyReference reference, SecureRandom random) {
    return new StaticKeyManager(kek, reference, random);
  }
}
