package io.github.s3eg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checksums of a multipart object whose upload chose a checksum algorithm, written after
 * Complete beside the index ({@code docs/object-format.md} §12.7):
 *
 * <pre>
 *   record = 0x01 || uploadHeader(40) || uint8(len(alg)) || alg || type(1) || uint8(L)
 *            || checksum(L) || uint32(count) || count × (uint32(partNumber) || checksum(L))
 *            || mac(32)
 *   type   = 0x00 FULL_OBJECT | 0x01 COMPOSITE
 *   mac    = HMAC-SHA256(checksumMacKey, "s3eg/v3/checksums" || uint16(len(bucket)) || bucket
 *                        || uint32(len(key)) || key || every byte before mac)
 * </pre>
 *
 * <p>The object checksum is the value S3 shows without the {@code -N} of a composite checksum (N is
 * {@code count}). Like the index, the record verifies only with the object's DEK, for its bucket
 * and key, and for its upload ({@code uploadHeader} = {@code s3eg-hdr}). Immutable.
 *
 * @param composite whether the type is COMPOSITE (else FULL_OBJECT)
 */
public record MultipartChecksumRecord(
    StreamHeader uploadHeader,
    String algorithm,
    boolean composite,
    byte[] checksum,
    List<PartChecksum> parts) {

  /** One part's checksum. */
  public record PartChecksum(int partNumber, byte[] checksum) {
    public PartChecksum {
      checksum = checksum.clone();
    }

    @Override
    public byte[] checksum() {
      return checksum.clone();
    }
  }

  private static final int VERSION = 1;
  private static final int MAC_SIZE = 32;
  private static final String MAC_LABEL = "s3eg/v3/checksums";

  public MultipartChecksumRecord {
    checksum = checksum.clone();
    parts = List.copyOf(parts);
    for (PartChecksum p : parts) {
      if (p.checksum().length != checksum.length) {
        throw new IllegalArgumentException("every checksum of a record has one length");
      }
    }
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  /** The encoded, MAC'd record for {@code bucket}/{@code key}. */
  public byte[] seal(byte[] macKey, String bucket, String key) {
    byte[] alg = algorithm.getBytes(StandardCharsets.US_ASCII);
    int l = checksum.length;
    ByteBuffer b =
        ByteBuffer.allocate(
            1 + StreamHeader.LENGTH + 1 + alg.length + 2 + l + 4 + parts.size() * (4 + l));
    b.put((byte) VERSION).put(uploadHeader.encode()).put((byte) alg.length).put(alg);
    b.put((byte) (composite ? 1 : 0)).put((byte) l).put(checksum).putInt(parts.size());
    for (PartChecksum p : parts) {
      b.putInt(p.partNumber()).put(p.checksum());
    }
    byte[] body = b.array();
    byte[] out = Arrays.copyOf(body, body.length + MAC_SIZE);
    System.arraycopy(mac(macKey, bucket, key, body), 0, out, body.length, MAC_SIZE);
    return out;
  }

  /**
   * Verifies and parses a record read from the backend.
   *
   * @throws CryptoException.MetadataAuthenticationFailed if it was altered, or belongs to another
   *     object, name or upload
   */
  public static MultipartChecksumRecord open(
      byte[] encoded, byte[] macKey, StreamHeader expectedUploadHeader, String bucket, String key)
      throws CryptoException {
    if (encoded.length < 1 + StreamHeader.LENGTH + MAC_SIZE || encoded[0] != VERSION) {
      throw new CryptoException.MalformedMetadata("the multipart checksum record is malformed");
    }
    byte[] body = Arrays.copyOf(encoded, encoded.length - MAC_SIZE);
    byte[] mac = Arrays.copyOfRange(encoded, body.length, encoded.length);
    if (!MessageDigest.isEqual(mac, mac(macKey, bucket, key, body))) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the multipart checksum record does not verify: altered, or not this object's");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(body);
      b.get();
      byte[] h = new byte[StreamHeader.LENGTH];
      b.get(h);
      StreamHeader uploadHeader = StreamHeader.decode(h);
      if (!uploadHeader.equals(expectedUploadHeader)) {
        throw new CryptoException.MetadataAuthenticationFailed(
            "the multipart checksum record belongs to another upload of this name");
      }
      byte[] alg = new byte[b.get() & 0xFF];
      b.get(alg);
      boolean composite = b.get() == 1;
      byte[] checksum = new byte[b.get() & 0xFF];
      b.get(checksum);
      int count = b.getInt();
      List<PartChecksum> parts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int number = b.getInt();
        byte[] c = new byte[checksum.length];
        b.get(c);
        parts.add(new PartChecksum(number, c));
      }
      if (b.hasRemaining()) {
        throw new CryptoException.MalformedMetadata("the multipart checksum record is malformed");
      }
      return new MultipartChecksumRecord(
          uploadHeader, new String(alg, StandardCharsets.US_ASCII), composite, checksum, parts);
    } catch (RuntimeException e) {
      throw new CryptoException.MalformedMetadata("the multipart checksum record is malformed");
    }
  }

  private static byte[] mac(byte[] macKey, String bucket, String key, byte[] body) {
    byte[] label = MAC_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] b = bucket.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer input =
        ByteBuffer.allocate(label.length + 2 + b.length + 4 + k.length + body.length);
    input.put(label).putShort((short) b.length).put(b).putInt(k.length).put(k).put(body);
    return Hkdf.hmac(macKey, input.array());
  }
}
