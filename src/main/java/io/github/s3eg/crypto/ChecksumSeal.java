package io.github.s3eg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's checksum of a single-PUT object's plaintext (S3's {@code x-amz-checksum-*}, always
 * of type FULL_OBJECT there), stored as the authenticated metadata entry {@code s3eg-sum}:
 *
 * <pre>
 *   value   = alg "." base64(checksum) "." hex(mac)                 e.g. CRC32.NhCmhg==.5d1c…
 *   alg     = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256"   (4, 4, 8, 20, 32 bytes)
 *   macKey  = HKDF-SHA256(ikm = DEK, salt = empty, info = "s3eg/v1/checksum-mac", 32 bytes)
 *   mac     = HMAC-SHA256(macKey, version(1) || uint8(len(alg)) || alg || checksum)[0..16)
 * </pre>
 *
 * <p>Like {@link EtagTrailer}, the MAC key comes from the object's DEK, so the entry survives a
 * re-wrap (server-side copy) and cannot be moved to another object or edited without the key; it is
 * checked in constant time when the object is opened. Immutable.
 */
public final class ChecksumSeal {

  static final String MAC_INFO = "s3eg/v1/checksum-mac";
  static final int MAC_SIZE = 16;

  /** The algorithms S3 defines, with their checksum lengths in bytes. */
  private static final Map<String, Integer> LENGTHS =
      Map.of("CRC32", 4, "CRC32C", 4, "CRC64NVME", 8, "SHA1", 20, "SHA256", 32);

  private static final int MAC_KEY_SIZE = 32;
  private static final Pattern FORMAT =
      Pattern.compile("([A-Z0-9]{1,16})\\.([A-Za-z0-9+/]{4,44}={0,2})\\.([0-9a-f]{32})");
  private static final HexFormat HEX = HexFormat.of();

  private final int version;
  private final String algorithm;
  private final byte[] checksum;
  private final byte[] mac;

  private ChecksumSeal(int version, String algorithm, byte[] checksum, byte[] mac) {
    this.version = version;
    this.algorithm = algorithm;
    this.checksum = checksum;
    this.mac = mac;
  }

  /** The MAC key of an object; the caller zeroes it. */
  static byte[] macKey(byte[] dek) {
    return Hkdf.derive(
        dek, new byte[0], MAC_INFO.getBytes(StandardCharsets.US_ASCII), MAC_KEY_SIZE);
  }

  /**
   * @throws IllegalArgumentException for an algorithm S3 does not define or a value of the wrong
   *     length
   */
  static ChecksumSeal seal(int version, byte[] macKey, String algorithm, byte[] checksum) {
    Integer length = LENGTHS.get(algorithm);
    if (length == null || checksum.length != length) {
      throw new IllegalArgumentException("not an S3 checksum: " + algorithm);
    }
    return new ChecksumSeal(
        version, algorithm, checksum.clone(), mac(version, macKey, algorithm, checksum));
  }

  /** Whether the MAC verifies under {@code macKey}; constant-time comparison. */
  boolean verifies(byte[] macKey) {
    return MessageDigest.isEqual(mac(version, macKey, algorithm, checksum), mac);
  }

  private static byte[] mac(int version, byte[] macKey, String algorithm, byte[] checksum) {
    byte[] alg = algorithm.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer input = ByteBuffer.allocate(2 + alg.length + checksum.length);
    input.put((byte) version).put((byte) alg.length).put(alg).put(checksum);
    return Arrays.copyOf(Hkdf.hmac(macKey, input.array()), MAC_SIZE);
  }

  /** Parses the entry of an object of format {@code version}; only the canonical form. */
  static ChecksumSeal parse(String value, int version) throws CryptoException.MalformedMetadata {
    Matcher m = value == null ? null : FORMAT.matcher(value);
    if (m == null || !m.matches() || !LENGTHS.containsKey(m.group(1))) {
      throw new CryptoException.MalformedMetadata(
          "s3eg-sum must be <algorithm>.<base64 checksum>.<32 hex mac>");
    }
    byte[] checksum;
    try {
      checksum = Base64.getDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new CryptoException.MalformedMetadata("s3eg-sum holds no base64 checksum");
    }
    if (checksum.length != LENGTHS.get(m.group(1))
        || !Base64.getEncoder().encodeToString(checksum).equals(m.group(2))) {
      throw new CryptoException.MalformedMetadata("s3eg-sum checksum has the wrong length");
    }
    return new ChecksumSeal(version, m.group(1), checksum, HEX.parseHex(m.group(3)));
  }

  /** The metadata value. */
  public String encode() {
    return algorithm
        + "."
        + Base64.getEncoder().encodeToString(checksum)
        + "."
        + HEX.formatHex(mac);
  }

  /** {@code CRC32}, {@code CRC32C}, {@code CRC64NVME}, {@code SHA1} or {@code SHA256}. */
  public String algorithm() {
    return algorithm;
  }

  /** The checksum's bytes (big-endian, as S3 base64-encodes them). */
  public byte[] checksum() {
    return checksum.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChecksumSeal s && encode().equals(s.encode());
  }

  @Override
  public int hashCode() {
    return encode().hashCode();
  }

  @Override
  public String toString() {
    return "ChecksumSeal[" + encode() + "]";
  }
}
