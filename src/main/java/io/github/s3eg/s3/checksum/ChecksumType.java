package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.body.ChecksumAlgorithm;
import java.util.Locale;

/**
 * How an object's checksum covers it ({@code x-amz-checksum-type}). A single PUT is always {@link
 * #FULL_OBJECT}. A multipart upload chooses at Create: {@link #COMPOSITE} (the checksum of the
 * parts' checksums, shown with {@code -N}) for CRC32, CRC32C, SHA1 and SHA256 (their default), or
 * {@link #FULL_OBJECT} (the CRC of the whole object, combined from the parts' CRCs) for CRC32,
 * CRC32C and CRC64NVME (CRC64NVME's default and only type).
 */
public enum ChecksumType {
  FULL_OBJECT,
  COMPOSITE;

  /** Whether S3 allows this type with {@code algorithm}. */
  public boolean allows(ChecksumAlgorithm algorithm) {
    return switch (this) {
      case FULL_OBJECT ->
          algorithm == ChecksumAlgorithm.CRC32
              || algorithm == ChecksumAlgorithm.CRC32C
              || algorithm == ChecksumAlgorithm.CRC64NVME;
      case COMPOSITE -> algorithm != ChecksumAlgorithm.CRC64NVME;
    };
  }

  /** The type a multipart upload gets when Create names only the algorithm. */
  public static ChecksumType defaultFor(ChecksumAlgorithm algorithm) {
    return algorithm == ChecksumAlgorithm.CRC64NVME ? FULL_OBJECT : COMPOSITE;
  }

  /**
   * Parses {@code x-amz-checksum-type} (any case).
   *
   * @throws S3Exception InvalidRequest for another value
   */
  public static ChecksumType parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
    }
  }
}
