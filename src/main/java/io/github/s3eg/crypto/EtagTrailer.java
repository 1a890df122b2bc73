package io.github.s3eg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values known only after the body was written — the plaintext MD5 (the object's ETag) and the
 * plaintext length — stored as one authenticated metadata entry, {@code s3eg-etag}:
 *
 * <pre>
 *   value   = hex(md5) "." decimal(length) "." hex(mac)          (lowercase hex, no leading zeros)
 *   macKey  = HKDF-SHA256(ikm = DEK, salt = empty, info = "s3eg/v1/etag-mac", 32 bytes)
 *   mac     = HMAC-SHA256(macKey, version(1 byte) || md5(16) || uint64_be(length))[0..16)
 * </pre>
 *
 * <p>{@code version} is the object's format version: in a compressed object (version 2) the length
 * is the uncompressed plaintext's, and the entry is required.
 *
 * <p>Because the MAC key comes from the object's DEK, the entry cannot be moved between objects or
 * edited without the key; it is checked in constant time when the object is opened. Immutable.
 */
public final class EtagTrailer {

  static final String MAC_INFO = "s3eg/v1/etag-mac";
  static final int MD5_SIZE = 16;
  static final int MAC_SIZE = 16;

  private static final int MAC_KEY_SIZE = 32;
  private static final Pattern FORMAT =
      Pattern.compile("([0-9a-f]{32})\\.(0|[1-9][0-9]{0,18})\\.([0-9a-f]{32})");
  private static final HexFormat HEX = HexFormat.of();

  private final int version;
  private final byte[] md5;
  private final long plaintextSize;
  private final byte[] mac;

  private EtagTrailer(int version, byte[] md5, long plaintextSize, byte[] mac) {
    this.version = version;
    this.md5 = md5;
    this.plaintextSize = plaintextSize;
    this.mac = mac;
  }

  /** The MAC key of an object; the caller zeroes it. */
  static byte[] macKey(byte[] dek) {
    return Hkdf.derive(
        dek, new byte[0], MAC_INFO.getBytes(StandardCharsets.US_ASCII), MAC_KEY_SIZE);
  }

  /** A version 1 trailer. */
  static EtagTrailer seal(byte[] macKey, byte[] md5, long plaintextSize) {
    return seal(ObjectFormat.VERSION, macKey, md5, plaintextSize);
  }

  static EtagTrailer seal(int version, byte[] macKey, byte[] md5, long plaintextSize) {
    if (md5.length != MD5_SIZE || plaintextSize < 0) {
      throw new IllegalArgumentException("an MD5 is 16 bytes and a size is not negative");
    }
    return new EtagTrailer(
        version, md5.clone(), plaintextSize, mac(version, macKey, md5, plaintextSize));
  }

  /** Whether the MAC verifies under {@code macKey}; constant-time comparison. */
  boolean verifies(byte[] macKey) {
    return MessageDigest.isEqual(mac(version, macKey, md5, plaintextSize), mac);
  }

  private static byte[] mac(int version, byte[] macKey, byte[] md5, long plaintextSize) {
    ByteBuffer input = ByteBuffer.allocate(1 + MD5_SIZE + Long.BYTES);
    input.put((byte) version).put(md5).putLong(plaintextSize);
    return Arrays.copyOf(Hkdf.hmac(macKey, input.array()), MAC_SIZE);
  }

  /** Parses the entry's value of a version 1 object; only the canonical form is accepted. */
  static EtagTrailer parse(String value) throws CryptoException.MalformedMetadata {
    return parse(value, ObjectFormat.VERSION);
  }

  /** Parses the entry's value of an object of format {@code version}. */
  static EtagTrailer parse(String value, int version) throws CryptoException.MalformedMetadata {
    Matcher m = value == null ? null : FORMAT.matcher(value);
    if (m == null || !m.matches()) {
      throw new CryptoException.MalformedMetadata(
          "s3eg-etag must be <32 hex md5>.<decimal length>.<32 hex mac>");
    }
    long size;
    try {
      size = Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw new CryptoException.MalformedMetadata("s3eg-etag length is out of range");
    }
    return new EtagTrailer(version, HEX.parseHex(m.group(1)), size, HEX.parseHex(m.group(3)));
  }

  /** The metadata value. */
  public String encode() {
    return HEX.formatHex(md5) + "." + plaintextSize + "." + HEX.formatHex(mac);
  }

  /** The S3 ETag of the plaintext (hex MD5, without quotes). */
  public String etag() {
    return HEX.formatHex(md5);
  }

  public byte[] md5() {
    return md5.clone();
  }

  public long plaintextSize() {
    return plaintextSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EtagTrailer t && encode().equals(t.encode());
  }

  @Override
  public int hashCode() {
    return encode().hashCode();
  }

  @Override
  public String toString() {
    return "EtagTrailer[" + encode() + "]";
  }
}
