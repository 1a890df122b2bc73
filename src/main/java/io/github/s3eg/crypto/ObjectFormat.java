package io.github.s3eg.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the encrypted object format that are neither sizes ({@link SegmentLayout}) nor
 * metadata names ({@link ObjectMetadata}). The byte-level specification is {@code
 * docs/object-format.md}.
 *
 * <p>Version 1 is an object whose encrypted plaintext is the object's bytes. Version 2 is a
 * compressed object: the same encryption, of a {@linkplain FrameLayout frame container} instead of
 * the bytes. The gateway writes the lowest version that expresses an object, so with compression
 * off it writes exactly version 1.
 */
public final class ObjectFormat {

  /** The format version of uncompressed objects, stored in {@code s3eg-v}. */
  public static final int VERSION = 1;

  /**
   * The format version of objects uploaded in parts (multipart uploads): the same metadata entries
   * but no {@code s3eg-etag}, and a body that is a sequence of independently encrypted parts (see
   * {@link MultipartLayout}). The object's sealed part index is written under a name of its own
   * upload before the backend completes the object, so an object of this version never lacks it:
   * without its index it is refused (its part list could have been shortened).
   */
  public static final int MULTIPART_VERSION = 4;

  /**
   * The first version of multipart objects, still read: the same bytes as {@link
   * #MULTIPART_VERSION}, but its index was written after the backend's Complete under one name per
   * key. Read only with its index (a missing one is refused too); copies and re-wraps write {@link
   * #MULTIPART_VERSION}.
   */
  public static final int LEGACY_MULTIPART_VERSION = 3;

  /** The format version of compressed objects (version 1 plus the frame container). */
  public static final int COMPRESSED_VERSION = 2;

  /** Body associated data (Tink's {@code associatedData}, HKDF info) of a single-PUT object. */
  static final String SINGLE_OBJECT_BODY_AD = "s3eg/v1/object";

  /** Start of the body associated data of a part of a multipart object. */
  static final String PART_BODY_AD = "s3eg/v2/part";

  /**
   * Body associated data of a compressed single-PUT object: the encrypted plaintext is a frame
   * container, and a body cannot be taken for the other kind even under the same key.
   */
  static final String COMPRESSED_OBJECT_BODY_AD = "s3eg/v2/object";

  private ObjectFormat() {}

  /** ASCII {@code s3eg/v1/object}; a copy. Independent of bucket and key by design. */
  public static byte[] singleObjectBodyAssociatedData() {
    return SINGLE_OBJECT_BODY_AD.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * ASCII {@code s3eg/v2/part} followed by the part's 12-byte prefix (part number and plaintext
   * size): a part decrypts only at its own number and with its own size, so parts cannot be
   * swapped, reordered or cut without a tag failing.
   */
  public static byte[] partBodyAssociatedData(int partNumber, long plaintextSize) {
    byte[] label = PART_BODY_AD.getBytes(StandardCharsets.US_ASCII);
    return java.nio.ByteBuffer.allocate(label.length + MultipartLayout.PART_PREFIX_LENGTH)
        .put(label)
        .put(MultipartLayout.partPrefix(partNumber, plaintextSize))
        .array();
  }

  /** The body associated data of an object of format {@code version}. */
  static byte[] bodyAssociatedData(int version) {
    return (version == COMPRESSED_VERSION ? COMPRESSED_OBJECT_BODY_AD : SINGLE_OBJECT_BODY_AD)
        .getBytes(StandardCharsets.US_ASCII);
  }
}
