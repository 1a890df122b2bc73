package io.github.s3eg.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The per-object random values of the body, as Tink lays them out: {@code headerLength(1) ||
 * salt(32) || noncePrefix(7)}, 40 bytes in front of segment 0. The salt feeds HKDF (so every object
 * has its own segment key even under one DEK) and the nonce prefix starts every segment nonce. The
 * same 40 bytes are stored in the {@code s3eg-hdr} metadata entry so that a ranged read can decrypt
 * segments without fetching the start of the body.
 *
 * <p>Immutable; the values are not secret.
 */
public final class StreamHeader {

  /** Size of the HKDF salt; Tink uses the derived key size. */
  public static final int SALT_SIZE = Algorithm.KEY_SIZE;

  /** Size of the nonce prefix; with the 4-byte index and the flag byte it makes a 12-byte nonce. */
  public static final int NONCE_PREFIX_SIZE = 7;

  /** Size of the encoded header: the length byte, the salt and the nonce prefix. */
  public static final int LENGTH = 1 + SALT_SIZE + NONCE_PREFIX_SIZE;

  private final byte[] salt;
  private final byte[] noncePrefix;

  /** A header from explicit values (copied). */
  public StreamHeader(byte[] salt, byte[] noncePrefix) {
    if (salt.length != SALT_SIZE || noncePrefix.length != NONCE_PREFIX_SIZE) {
      throw new IllegalArgumentException(
          "salt must be " + SALT_SIZE + " bytes and nonce prefix " + NONCE_PREFIX_SIZE + " bytes");
    }
    this.salt = salt.clone();
    this.noncePrefix = noncePrefix.clone();
  }

  /** A fresh header: the salt first, then the nonce prefix, both from {@code random}. */
  public static StreamHeader random(SecureRandom random) {
    byte[] salt = new byte[SALT_SIZE];
    random.nextBytes(salt);
    byte[] prefix = new byte[NONCE_PREFIX_SIZE];
    random.nextBytes(prefix);
    return new StreamHeader(salt, prefix);
  }

  /**
   * Parses the 40 encoded bytes.
   *
   * @throws IllegalArgumentException if the length or the leading length byte is wrong
   */
  public static StreamHeader decode(byte[] encoded) {
    if (encoded.length != LENGTH || (encoded[0] & 0xff) != LENGTH) {
      throw new IllegalArgumentException(
          "a body header is " + LENGTH + " bytes starting with the byte " + LENGTH);
    }
    return new StreamHeader(
        Arrays.copyOfRange(encoded, 1, 1 + SALT_SIZE),
        Arrays.copyOfRange(encoded, 1 + SALT_SIZE, LENGTH));
  }

  /** The 40 bytes as they appear at the start of the body. */
  public byte[] encode() {
    byte[] out = new byte[LENGTH];
    out[0] = (byte) LENGTH;
    System.arraycopy(salt, 0, out, 1, SALT_SIZE);
    System.arraycopy(noncePrefix, 0, out, 1 + SALT_SIZE, NONCE_PREFIX_SIZE);
    return out;
  }

  public byte[] salt() {
    return salt.clone();
  }

  public byte[] noncePrefix() {
    return noncePrefix.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamHeader h
        && Arrays.equals(salt, h.salt)
        && Arrays.equals(noncePrefix, h.noncePrefix);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(salt) + Arrays.hashCode(noncePrefix);
  }

  @Override
  public String toString() {
    return "StreamHeader[" + HexFormat.of().formatHex(encode()) + "]";
  }
}
