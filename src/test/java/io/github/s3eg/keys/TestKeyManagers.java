package io.github.s3eg.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Key managers with injected randomness, for known-answer vectors in other packages. */
public final class TestKeyManagers {

  private TestKeyManagers() {}

  /** A static KEK whose wrap nonces come from {@code random}. */
  public static KeyManager staticKek(byte[] kek, KeyReference reference, SecureRandom random) {
    return new StaticKeyManager(kek, reference, random);
  }

  /**
   * A password key manager with a cheap stand-in for PBKDF2 (one SHA-256 over salt and password):
   * same references, same wrap, no 600 000 iterations. {@code derivations} counts KDF calls.
   */
  public static PasswordKeyManager fastPassword(String password, AtomicInteger derivations) {
    return new PasswordKeyManager(
        password.toCharArray(),
        PasswordKeyManager.DEFAULT_SALT.getBytes(StandardCharsets.US_ASCII),
        (pw, salt) -> {
          derivations.incrementAndGet();
          try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(new String(pw).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(), 32);
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        },
        new SecureRandom());
  }
}
