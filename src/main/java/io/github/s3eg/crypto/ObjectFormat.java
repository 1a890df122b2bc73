package io.github.s3eg.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the encrypted object format that are neither sizes ({@link SegmentLayout}) nor
 * metadata names ({@link ObjectMetadata}). The byte-level specification is {@code
 * docs/object-format.md}.
 */
public final class ObjectFormat {

  /** The format version written by this build and stored in {@code s3eg-v}. */
  public static final int VERSION = 1;

  /** Body associated data (Tink's {@code associatedData}, HKDF info) of a single-PUT object. */
  static final String SINGLE_OBJECT_BODY_AD = "s3eg/v1/object";

  private ObjectFormat() {}

  /** ASCII {@code s3eg/v1/object}; a copy. Independent of bucket and key by design. */
  public static byte[] singleObjectBodyAssociatedData() {
    return SINGLE_OBJECT_BODY_AD.getBytes(StandardCharsets.US_ASCII);
  }
}
