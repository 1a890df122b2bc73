package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.body.ChecksumAlgorithm;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checksum a multipart upload chose at Create ({@code x-amz-checksum-algorithm} and {@code
 * x-amz-checksum-type}), kept in the upload record under {@value #RECORD_ENTRY} as {@code
 * ALGORITHM.TYPE} (e.g. {@code CRC32.COMPOSITE}) so that every instance checks the parts alike.
 */
public record UploadChecksum(ChecksumAlgorithm algorithm, ChecksumType type) {

  /** The upload record's entry (not an {@code s3eg-} entry: the record is not object metadata). */
  public static final String RECORD_ENTRY = "checksum";

  /**
   * The choice of a CreateMultipartUpload request, with S3's defaults (COMPOSITE, but FULL_OBJECT
   * for CRC64NVME); empty when it names no algorithm.
   *
   * @throws S3Exception InvalidRequest for an unknown algorithm or type, a type without an
   *     algorithm, or a type the algorithm does not allow
   */
  public static Optional<UploadChecksum> fromCreate(S3Request s3) {
    String algorithmHeader = s3.header("x-amz-checksum-algorithm");
    String typeHeader = s3.header("x-amz-checksum-type");
    if (algorithmHeader == null || algorithmHeader.isBlank()) {
      if (typeHeader != null && !typeHeader.isBlank()) {
        throw new S3Exception(
            S3ErrorCode.INVALID_REQUEST,
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm"
                + " header.");
      }
      return Optional.empty();
    }
    ChecksumAlgorithm algorithm =
        ChecksumAlgorithm.fromName(algorithmHeader)
            .orElseThrow(
                () ->
                    new S3Exception(
                        S3ErrorCode.INVALID_REQUEST,
                        "Checksum algorithm provided is unsupported. Please try again with any of"
                            + " the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"));
    ChecksumType type =
        typeHeader == null || typeHeader.isBlank()
            ? ChecksumType.defaultFor(algorithm)
            : ChecksumType.parse(typeHeader);
    if (!type.allows(algorithm)) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "The "
              + type.name()
              + " checksum type cannot be used with the "
              + algorithm.id()
              + " checksum algorithm.");
    }
    return Optional.of(new UploadChecksum(algorithm, type));
  }

  /** The choice kept in an upload record; empty if the upload chose none. */
  public static Optional<UploadChecksum> fromRecord(Map<String, String> record) {
    String value = record.get(RECORD_ENTRY);
    if (value == null) {
      return Optional.empty();
    }
    int dot = value.indexOf('.');
    return Optional.of(
        new UploadChecksum(
            ChecksumAlgorithm.valueOf(value.substring(0, dot)),
            ChecksumType.valueOf(value.substring(dot + 1).toUpperCase(Locale.ROOT))));
  }

  /** The record entry's value. */
  public String encode() {
    return algorithm.name() + "." + type.name();
  }

  /** The error S3 answers an UploadPart whose checksum is not of the upload's algorithm. */
  public S3Exception mismatch(ChecksumAlgorithm sent) {
    return new S3Exception(
        S3ErrorCode.INVALID_REQUEST,
        "Checksum Type mismatch occurred, expected checksum Type: "
            + algorithm.id()
            + ", actual checksum Type: "
            + (sent == null ? "null" : sent.id()));
  }
}
