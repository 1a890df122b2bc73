package io.github.s3eg.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The associated data under which an object's DEK is wrapped. It names everything the metadata says
 * before the body, plus the object's name, so that unwrapping fails when any of it differs:
 *
 * <pre>
 *   "s3eg/wrap"                         9 bytes, ASCII
 *   version                             1 byte  (1)
 *   len(alg) || alg                     1 byte + ASCII config name, e.g. "AES256-GCM"
 *   plaintext segment size              4 bytes, big-endian
 *   header                              40 bytes (length byte || salt || nonce prefix)
 *   len(cmp) || cmp                     version 2 only: 1 byte + ASCII s3eg-cmp value
 *   len(bucket) || bucket               2 bytes big-endian + UTF-8
 *   len(key) || key                     4 bytes big-endian + UTF-8
 * </pre>
 *
 * <p>The version byte is 1 for an uncompressed object and 2 for a compressed one, whose {@link
 * Compression} follows the header: compression cannot be added, removed or changed without the
 * unwrap failing. Every variable field is length-prefixed, so distinct inputs never encode alike.
 * The body does not depend on any of this: a server-side copy re-wraps the DEK under the new name
 * and copies the body unchanged.
 */
final class ObjectBinding {

  static final String LABEL = "s3eg/wrap";
  private static final int MAX_BUCKET_BYTES = 0xffff;

  private ObjectBinding() {}

  static byte[] wrapAssociatedData(
      Algorithm algorithm, SegmentLayout layout, StreamHeader header, String bucket, String key) {
    return wrapAssociatedData(ObjectFormat.VERSION, algorithm, layout, header, null, bucket, key);
  }

  /** {@code compression}: null for a version 1 object, else a version 2 (compressed) one. */
  static byte[] wrapAssociatedData(
      Algorithm algorithm,
      SegmentLayout layout,
      StreamHeader header,
      Compression compression,
      String bucket,
      String key) {
    return wrapAssociatedData(
        compression == null ? ObjectFormat.VERSION : ObjectFormat.COMPRESSED_VERSION,
        algorithm,
        layout,
        header,
        compression,
        bucket,
        key);
  }

  /**
   * The associated data for a given format version: a multipart upload's DEK ({@link
   * ObjectFormat#MULTIPART_VERSION}) never unwraps as a single object's, or the other way round.
   */
  static byte[] wrapAssociatedData(
      int version,
      Algorithm algorithm,
      SegmentLayout layout,
      StreamHeader header,
      Compression compression,
      String bucket,
      String key) {
    byte[] bucketBytes = strictUtf8(bucket, "bucket");
    byte[] keyBytes = strictUtf8(key, "key");
    if (bucketBytes.length == 0 || bucketBytes.length > MAX_BUCKET_BYTES || keyBytes.length == 0) {
      throw new IllegalArgumentException("bucket and key must be non-empty");
    }
    byte[] alg = algorithm.configName().getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
    out.write(version);
    out.write(alg.length);
    out.writeBytes(alg);
    out.writeBytes(
        ByteBuffer.allocate(Integer.BYTES).putInt(layout.plaintextSegmentSize()).array());
    out.writeBytes(header.encode());
    if (compression != null) {
      byte[] cmp = compression.encode().getBytes(StandardCharsets.US_ASCII);
      out.write(cmp.length);
      out.writeBytes(cmp);
    }
    out.writeBytes(ByteBuffer.allocate(Short.BYTES).putShort((short) bucketBytes.length).array());
    out.writeBytes(bucketBytes);
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(keyBytes.length).array());
    out.writeBytes(keyBytes);
    return out.toByteArray();
  }

  /** UTF-8 that refuses unpaired surrogates instead of replacing them (two names, one encoding). */
  static byte[] strictUtf8(String s, String what) {
    try {
      ByteBuffer b =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid Unicode", e);
    }
  }
}
