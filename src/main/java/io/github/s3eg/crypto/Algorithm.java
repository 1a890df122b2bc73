package io.github.s3eg.crypto;

import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The segment cipher of an object, chosen per object at write time. Both are 256-bit AEADs with a
 * 12-byte nonce and a 16-byte tag, so the body layout ({@link SegmentLayout}) does not depend on
 * the algorithm. The {@link #configName()} is both the configuration value and the value stored in
 * {@code s3eg-alg}.
 *
 * <p>Ciphers come from the JDK's own provider ({@value #JDK_PROVIDER}) when it is present: if
 * BouncyCastle is registered in front of it, {@code Cipher.getInstance("AES/GCM/NoPadding")} would
 * otherwise resolve to BouncyCastle's implementation, which is about 50 times slower here.
 */
public enum Algorithm {
  /** AES-256-GCM; the body is byte-compatible with Tink's {@code AesGcmHkdfStreaming}. */
  AES256_GCM("AES256-GCM", "AES/GCM/NoPadding", "AES"),
  /** ChaCha20-Poly1305 (RFC 8439) in the same construction; faster without AES instructions. */
  CHACHA20_POLY1305("CHACHA20-POLY1305", "ChaCha20-Poly1305", "ChaCha20");

  /** Size of the DEK and of every derived segment key. */
  public static final int KEY_SIZE = 32;

  /** Size of a segment nonce: noncePrefix(7) || segmentIndex(4) || lastSegmentFlag(1). */
  public static final int NONCE_SIZE = 12;

  /** Size of the authentication tag appended to every segment. */
  public static final int TAG_SIZE = 16;

  static final String JDK_PROVIDER = "SunJCE";

  private static final int TAG_SIZE_BITS = TAG_SIZE * Byte.SIZE;

  private final String configName;
  private final String transformation;
  private final String keyAlgorithm;

  Algorithm(String configName, String transformation, String keyAlgorithm) {
    this.configName = configName;
    this.transformation = transformation;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The name used in configuration and in the {@code s3eg-alg} metadata entry. */
  public String configName() {
    return configName;
  }

  /** The algorithm with this exact configuration name (case-sensitive), if any. */
  public static Optional<Algorithm> byConfigName(String name) {
    for (Algorithm a : values()) {
      if (a.configName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** For configuration: the named algorithm, or an exception listing the valid names. */
  public static Algorithm fromConfigName(String name) {
    return byConfigName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown algorithm '" + name + "'; expected AES256-GCM or CHACHA20-POLY1305"));
  }

  /** The JCA key algorithm name for {@link javax.crypto.spec.SecretKeySpec}. */
  String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** A new, uninitialised cipher instance; one per stream, re-initialised per segment. */
  Cipher newCipher() throws GeneralSecurityException {
    if (Security.getProvider(JDK_PROVIDER) != null) {
      return Cipher.getInstance(transformation, JDK_PROVIDER);
    }
    return Cipher.getInstance(transformation);
  }

  /** Cipher parameters for one segment nonce (the spec copies the array). */
  AlgorithmParameterSpec parametersFor(byte[] nonce) {
    return this == AES256_GCM
        ? new GCMParameterSpec(TAG_SIZE_BITS, nonce)
        : new IvParameterSpec(nonce);
  }
}
